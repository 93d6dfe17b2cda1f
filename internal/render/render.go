package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"kb/internal/diag"
	"kb/internal/site"
	"kb/internal/status"
)

// Kinds are the templates that define "main" and use base.html.
var Kinds = []string{"home", "page", "list", "news", "az", "notavailable", "chooser", "404", "search", "errors", "newsletter"}

// Templates holds the parsed templates and the inlined stylesheet.
type Templates struct {
	kinds    map[string]*template.Template
	redirect *template.Template
	CSS      template.CSS
	// CSPStyle is the CSP source for the inline stylesheet ('sha256-…').
	CSPStyle string
	named    []string // the groups the templates name (missing.go)

	// The kinds' sets never executed, to fold (fold.go), and the folds.
	src      map[string]*template.Template
	foldMu   sync.Mutex
	foldSite *site.Site
	folds    map[foldKey]*fold
	// sizes holds the size of each kind's last page: a page's buffer
	// starts there instead of doubling its way up.
	sizes map[string]*atomic.Int64
}

// LoadTemplates parses templates/ from fsys.
func LoadTemplates(fsys fs.FS, problems *diag.List) *Templates {
	t := &Templates{kinds: map[string]*template.Template{}, src: map[string]*template.Template{},
		sizes: map[string]*atomic.Int64{}}
	css, err := fs.ReadFile(fsys, "templates/static/style.css")
	if err != nil {
		problems.Errorf("templates/static/style.css", 0, "missing stylesheet: %v", err)
	}
	t.CSS = template.CSS(css)
	sum := sha256.Sum256(css)
	// The editors' status page has a stylesheet of its own.
	t.CSPStyle = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "' " + status.CSP

	src := map[string]string{}
	base, err := parseFile(fsys, nil, "base.html", src)
	if err != nil {
		problems.Add(templateProblem("templates/base.html", err))
		return t
	}
	for _, k := range Kinds {
		b, _ := base.Clone()
		tm, err := parseFile(fsys, b, k+".html", src)
		if err != nil {
			problems.Add(templateProblem("templates/"+k+".html", err))
			continue
		}
		t.kinds[k] = tm
		t.sizes[k] = new(atomic.Int64)
		if c, err := tm.Clone(); err == nil {
			t.src[k] = c
		}
	}
	if r, err := parseFile(fsys, nil, "redirect.html", src); err != nil {
		problems.Add(templateProblem("templates/redirect.html", err))
	} else {
		t.redirect = r
	}
	t.named = t.namedGroups()
	found := map[fieldKey][]string{}
	for _, v := range Views {
		set, root := t.kinds[strings.TrimSuffix(v.Template, ".html")], "base.html"
		if v.Template == "redirect.html" {
			set, root = t.redirect, "redirect.html"
		}
		if set != nil {
			checkFields(set, root, reflect.TypeOf(v.Data), src, found)
		}
	}
	for _, p := range fieldProblems(found, len(Kinds)) {
		problems.Add(p)
	}
	return t
}

// parseFile adds templates/name to into, keeping its text in src for lines.
func parseFile(fsys fs.FS, into *template.Template, name string, src map[string]string) (*template.Template, error) {
	data, err := fs.ReadFile(fsys, path.Join("templates", name))
	if err != nil {
		return nil, fmt.Errorf("missing template: %w", err)
	}
	src[name] = string(data)
	if into == nil {
		into = template.New(name).Funcs(funcs)
	}
	return into.New(name).Parse(string(data))
}

// templateProblem makes a positioned problem of an error of parse.
//
// Parse errors of html/template come from text/template/parse only as
// strings, "template: NAME:LINE: message" (parse.Tree.errorf): no exported
// type carries the line (html/template's *Error, which has one, is only
// returned by the escaper, when a template is executed). Reading the line
// from that string is the only way, and it is done here only.
func templateProblem(p string, err error) diag.Problem {
	msg := err.Error()
	line := 0
	if rest, ok := strings.CutPrefix(msg, "template: "+path.Base(p)+":"); ok {
		if n, after, ok := strings.Cut(rest, ": "); ok {
			if _, err := fmt.Sscanf(n, "%d", &line); err == nil {
				msg = after
			}
		}
	}
	return diag.Problem{Path: p, Line: line, Msg: "template error: " + msg}
}

// Execute renders a page kind with its data (a *HomeView for "home"…).
func (t *Templates) Execute(kind string, v page) ([]byte, error) {
	tm := t.kinds[kind]
	if tm == nil {
		return nil, fmt.Errorf("templates/%s.html: missing template", kind)
	}
	if want := viewType(kind + ".html"); reflect.TypeOf(v) != want {
		// LoadTemplates checked the template against Views, not this.
		return nil, fmt.Errorf("templates/%s.html gets %s, not %s", kind, want, reflect.TypeOf(v))
	}
	if b := v.base(); b.CSS == "" {
		b.CSS = t.CSS
	}
	if f, out := t.folded(kind, v); out != nil {
		return out, nil
	} else if f != nil {
		tm = f
	}
	var buf bytes.Buffer
	last := t.sizes[kind]
	if last != nil {
		buf.Grow(int(last.Load()) * 9 / 8)
	}
	if err := tm.ExecuteTemplate(&buf, "base.html", v); err != nil {
		return nil, err
	}
	if last != nil {
		last.Store(int64(buf.Len()))
	}
	return buf.Bytes(), nil
}

// Alt is a language version of the page.
type Alt struct {
	Code, Tag, Dir, Name string
	URL, Abs             string
	Title                string
	Current              bool
}

// Link is a titled link.
type Link struct{ Title, URL string }

// Emergency is an emergency number with its label in the reader's language.
type Emergency struct{ Number, Label string }

// ListGroup is a titled part of a list page.
type ListGroup struct {
	Title string
	Pages []*site.Page
}

// Pager links the pages of a paginated list.
type Pager struct {
	Page, Pages  int
	Newer, Older string
}

// Letter is a heading of the A–Z list with its pages.
type Letter struct {
	Letter string
	Pages  []*site.Page
}

// SearchData is what the search template shows; the server fills it.
type SearchData struct {
	Query    string
	Message  string // replaces the results (query too long, search failed)
	Notice   string // shown above the results (search busy: exact only)
	Total    int
	Fuzzy    bool
	Fallback bool
	Hits     []SearchHit
	Filters  []Filter
	Pager    *Pager
}

// SearchHit is one result.
type SearchHit struct {
	URL, Title, Section, Reviewed string
	Lang, Tag, Dir, LangName      string // set for results in another language
	Snippet                       template.HTML
	// Heading starts a new list before this hit: the label of the results
	// that are not the main answer (partial, other languages).
	Heading string
}

// Filter is a row of plain-link filters.
type Filter struct {
	Label   string
	Options []FilterOption
}

// FilterOption is one filter link.
type FilterOption struct {
	Label, URL string
	Count      int
	Current    bool
}
