package render

import (
	"bytes"
	"html/template"
	"reflect"
	"strings"

	"kb/internal/lang"
)

// A results page is base.html around search.html's "main": the head with
// its stylesheet, the 15 languages' alternates, the menu and the footer do
// not depend on the query, yet executing them took most of the page's
// template time (reflection in text/template). A SearchShell keeps what
// base.html writes around "main" for one language, rendered once, and
// executes only "main" per request.
//
// The query does appear outside "main": in the title ("Search: query").
// The shell is cut at each place the query is written, and the query is
// put back escaped as html/template escapes a string in text, RCDATA and
// quoted attributes. Site owners write their own templates, so the shell is
// only used when it proves to give the same bytes as the whole page, for
// queries with every character the escaper changes and for answers of
// every shape (none, hits with headings, filters and pager, a message);
// otherwise (the query in a script or a URL, base.html reading .Search)
// the whole page is rendered every time, as before. (base.html cannot read
// .Search: every other kind of page executes it too, and LoadTemplates
// checks the fields against every kind's data.)
type SearchShell struct {
	r      *Renderer
	l      *lang.Language
	before [][]byte // base.html before "main", cut where the query goes
	after  [][]byte // base.html after "main", cut likewise
	size   int      // bytes of the shell with an empty query
	script string   // the Renderer's Script when the shell was made
}

// shellQuery stands for the query while the shell is made: letters that no
// escaper changes and no page holds.
const shellQuery = "kbShellQ7f3e9a1Query"

// shellChecks are queries the shell must render exactly as the template
// does: every character html/template replaces, non-ASCII, ordinary, one
// letter, and long (a template that tests the title's length). A template
// that tests the query's value otherwise is not caught: templates write
// the query, they have no reason to compare it.
var shellChecks = []string{"a\x00\"&'+<>b &amp; é ü ك", "aide medicale", "x",
	strings.Repeat("urgence medicale ", 11)}

// SearchShell returns the shell of l's results page, or false when this
// site's templates need the whole page rendered for every query.
func (r *Renderer) SearchShell(l *lang.Language) (*SearchShell, bool) {
	v := r.searchView(l, &SearchData{Query: shellQuery})
	full, err := r.exec("search", v)
	if err != nil {
		return nil, false
	}
	main, err := r.T.executeMain("search", v)
	if err != nil || len(main) == 0 || bytes.Count(full, main) != 1 {
		return nil, false
	}
	i := bytes.Index(full, main)
	s := &SearchShell{r: r, l: l, script: r.Script,
		before: bytes.Split(full[:i], []byte(shellQuery)),
		after:  bytes.Split(full[i+len(main):], []byte(shellQuery))}
	for _, p := range append(s.before, s.after...) {
		s.size += len(p)
	}
	for _, q := range shellChecks {
		for _, d := range shellData(q) {
			want, err := r.SearchPage(l, d, "")
			if err != nil {
				return nil, false
			}
			got, err := s.Render(d)
			if err != nil || !bytes.Equal(got, want) {
				return nil, false
			}
		}
	}
	return s, true
}

// shellData: answers of every shape for query q.
func shellData(q string) []*SearchData {
	hit := SearchHit{URL: "/x/fiches/a/", Title: "T<i>", Section: "S", Reviewed: "1 May 2026",
		Snippet: template.HTML("a <mark>b</mark> c"), Heading: "H"}
	other := hit
	other.Lang, other.Tag, other.Dir, other.LangName = "ar", "ar", "rtl", "العربية"
	return []*SearchData{
		{Query: q},
		{Query: q, Total: 25, Fuzzy: true, Notice: "busy", Hits: []SearchHit{hit, other},
			Filters: []Filter{{Label: "L", Options: []FilterOption{{Label: "all", URL: "/x?a=1", Current: true}, {Label: "b", URL: "/x?b=2", Count: 3}}}},
			Pager:   &Pager{Page: 2, Pages: 3, Newer: "/x?page=1", Older: "/x?page=3"}},
		{Query: q, Message: "too long"},
		{Query: q, Fallback: true, Total: 1, Hits: []SearchHit{other}},
	}
}

// Render writes the results page for data, as SearchPage does.
func (s *SearchShell) Render(data *SearchData) ([]byte, error) {
	var b bytes.Buffer
	if err := s.RenderTo(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// RenderTo appends the page to b: a server reuses its buffers.
func (s *SearchShell) RenderTo(b *bytes.Buffer, data *SearchData) error {
	if data == nil || data.Query == "" || s.r.Script != s.script {
		// No query, no title to put back; a new script, a new shell.
		page, err := s.r.SearchPage(s.l, data, "")
		b.Write(page)
		return err
	}
	v := s.r.searchView(s.l, data)
	q := escapeHTML(data.Query)
	b.Grow(s.size + 8*len(q) + 8<<10)
	write := func(parts [][]byte) {
		for i, p := range parts {
			if i > 0 {
				b.WriteString(q)
			}
			b.Write(p)
		}
	}
	write(s.before)
	if err := s.r.T.executeMainTo(b, "search", v); err != nil {
		return &TemplateError{Path: "templates/search.html", Err: err}
	}
	write(s.after)
	return nil
}

// escapeHTML escapes s as html/template escapes a string in HTML text, in
// RCDATA (the title) and in a quoted attribute: the same table for all
// three.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (t *Templates) executeMain(kind string, v page) ([]byte, error) {
	var b bytes.Buffer
	err := t.executeMainTo(&b, kind, v)
	return b.Bytes(), err
}

// executeMainTo executes kind's "main" alone, as base.html calls it.
func (t *Templates) executeMainTo(b *bytes.Buffer, kind string, v page) error {
	tm := t.kinds[kind]
	if tm == nil || reflect.TypeOf(v) != viewType(kind+".html") {
		return errNoMain
	}
	if bv := v.base(); bv.CSS == "" {
		bv.CSS = t.CSS
	}
	return tm.ExecuteTemplate(b, "main", v)
}

type shellError string

func (e shellError) Error() string { return string(e) }

const errNoMain = shellError("no main template")
