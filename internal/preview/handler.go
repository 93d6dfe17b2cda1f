package preview

import (
	"bytes"
	"html/template"
	"net/http"
	"path"
	"slices"
	"strings"

	"kb/internal/lang"
	"kb/internal/render"
)

// brokenState is what the pages show while the site has errors.
type brokenState struct {
	errs []string
	r    *render.Renderer // the site as it is now, templates possibly broken
	def  string           // default language
}

// setBroken records the errors of the last rebuild (nil: none) and reports
// whether they differ from the previous ones.
func (p *Preview) setBroken(errs []string) bool {
	var b *brokenState
	if len(errs) > 0 {
		b = &brokenState{errs: errs, def: p.m.settings.DefaultLanguage}
		if p.m.res != nil {
			b.r = p.m.res.Renderer
		}
	}
	p.bmu.Lock()
	defer p.bmu.Unlock()
	old := p.broken
	p.broken = b
	if old == nil || b == nil {
		return (old == nil) != (b == nil)
	}
	return !slices.Equal(old.errs, b.errs)
}

func (p *Preview) brokenNow() *brokenState {
	p.bmu.Lock()
	defer p.bmu.Unlock()
	return p.broken
}

// Handler serves the site through srv; while the site has errors, a request
// for a page gets the page that lists them instead, and so does a page
// whose template fails when it is rendered (a build would stop there).
func (p *Preview) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/_kb/") { // the event streams stay open
			p.mu.RLock()
			defer p.mu.RUnlock()
		}
		b := p.brokenNow()
		if b == nil && isPage(r) {
			b = p.renderError(r.URL.Path)
		}
		if b != nil && isPage(r) {
			b.serve(w, r)
			return
		}
		p.srv.ServeHTTP(w, r)
	})
}

// renderError returns the error page of a page that cannot be rendered,
// or nil.
func (p *Preview) renderError(urlPath string) *brokenState {
	st := p.srv.Current()
	if st == nil {
		return nil
	}
	f, ok := st.Files.(*files)
	if !ok {
		return nil
	}
	name, ok := f.page(urlPath)
	if !ok {
		return nil
	}
	if _, err := f.read(name); err != nil {
		return &brokenState{errs: []string{"rendering " + name + ": " + err.Error()}, r: st.Renderer, def: st.Meta.DefaultLanguage}
	}
	return nil
}

// isPage reports whether a request is for an HTML page.
func isPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	for _, pre := range []string{"/_kb/", "/api/", "/files/"} {
		if strings.HasPrefix(p, pre) {
			return false
		}
	}
	return strings.HasSuffix(p, "/") || path.Ext(p) == ".html" || path.Ext(p) == ""
}

func (b *brokenState) serve(w http.ResponseWriter, r *http.Request) {
	code, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	page, style := b.page(code)
	h := w.Header()
	csp := "default-src 'none'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"
	if style != "" {
		csp += "; style-src " + style
	}
	h.Set("Content-Security-Policy", csp+"; "+CSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusInternalServerError)
	if r.Method != http.MethodHead {
		w.Write(page)
	}
}

// page renders the error page with the site's templates, in the language of
// the URL or the default one; with a plain page when the templates or
// languages are what is broken. It returns the page and the CSP source of
// its stylesheet.
func (b *brokenState) page(code string) (page []byte, style string) {
	if b.r != nil && b.r.Site != nil && b.r.T != nil {
		l := b.r.Site.Langs.Get(code)
		if l == nil {
			l = b.r.Site.Langs.Get(b.def)
		}
		if l != nil {
			if page, err := safeErrorPage(b.r, l, b.errs); err == nil {
				return page, b.r.T.CSPStyle
			}
		}
	}
	var buf bytes.Buffer
	plainErrors.Execute(&buf, struct {
		Errs   []string
		Script template.HTML
	}{b.errs, Script})
	return buf.Bytes(), ""
}

// safeErrorPage renders templates/errors.html; a template that panics (a
// nil field in a half-loaded language) counts as an error.
func safeErrorPage(r *render.Renderer, l *lang.Language, errs []string) (page []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			page, err = nil, errPanic
		}
	}()
	return r.ErrorPage(l, errs)
}

type panicError struct{}

func (panicError) Error() string { return "the error page panicked" }

var errPanic = panicError{}

var plainErrors = template.Must(template.New("errors").Parse(`<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Build errors</title></head>
<body>
<h1>Build errors</h1>
<p>The site could not be built. Fix these and save: the page reloads by itself.</p>
<ol>{{range .Errs}}<li><code>{{.}}</code></li>{{end}}</ol>
{{.Script}}
</body>
</html>
`))
