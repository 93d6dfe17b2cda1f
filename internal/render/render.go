package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"golang.org/x/text/message"

	"kb/internal/diag"
	"kb/internal/lang"
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
}

// LoadTemplates parses templates/ from fsys.
func LoadTemplates(fsys fs.FS, problems *diag.List) *Templates {
	t := &Templates{kinds: map[string]*template.Template{}}
	css, err := fs.ReadFile(fsys, "templates/static/style.css")
	if err != nil {
		problems.Errorf("templates/static/style.css", 0, "missing stylesheet: %v", err)
	}
	t.CSS = template.CSS(css)
	sum := sha256.Sum256(css)
	// The editors' status page has a stylesheet of its own.
	t.CSPStyle = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "' " + status.CSP

	base, err := parse(fsys, nil, "base.html")
	if err != nil {
		problems.Add(templateProblem("templates/base.html", err))
		return t
	}
	for _, k := range Kinds {
		b, _ := base.Clone()
		tm, err := parse(fsys, b, k+".html")
		if err != nil {
			problems.Add(templateProblem("templates/"+k+".html", err))
			continue
		}
		t.kinds[k] = tm
	}
	if r, err := parse(fsys, nil, "redirect.html"); err != nil {
		problems.Add(templateProblem("templates/redirect.html", err))
	} else {
		t.redirect = r
	}
	return t
}

func parse(fsys fs.FS, into *template.Template, name string) (*template.Template, error) {
	data, err := fs.ReadFile(fsys, path.Join("templates", name))
	if err != nil {
		return nil, fmt.Errorf("missing template: %w", err)
	}
	if into == nil {
		into = template.New(name)
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

// Execute renders a page kind with v.
func (t *Templates) Execute(kind string, v *View) ([]byte, error) {
	tm := t.kinds[kind]
	if tm == nil {
		return nil, fmt.Errorf("templates/%s.html: missing template", kind)
	}
	if v.CSS == "" {
		v.CSS = t.CSS
	}
	var buf bytes.Buffer
	if err := tm.ExecuteTemplate(&buf, "base.html", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// View is what a template sees.
type View struct {
	Site        *site.Site
	L           *lang.Language
	Kind        string
	Title       string
	Description string
	Path        string // this file's URL path
	Canonical   string // absolute URL, or "" for pages that are not canonical
	NoIndex     bool
	Alternates  []Alt
	Emergency   []Emergency
	Crumbs      []Link
	CSS         template.CSS
	PrintURL    string
	PDF         *PDFFile      // the download this page links to, if any
	Query       string        // the search box's value
	Script      template.HTML // extra markup at the end of body (preview reload only)

	Page           *site.Page
	TopicLinks     []Link
	ResidenceLinks []Link
	Intro          string
	Items          []*site.Page
	Groups         []ListGroup
	Pager          *Pager
	Letters        []Letter
	Topics         []*site.Page
	Residence      []*site.Page
	Fiches         []*site.Page
	Procedures     []*site.Page
	News           []*site.Page
	Search         *SearchData
	Problems       []string
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

// T returns an interface string of the reader's language.
func (v *View) T(key string, args ...any) string { return v.L.T(key, args...) }

// N returns a plural interface string.
func (v *View) N(key string, n int, args ...any) string { return v.L.N(key, n, args...) }

// Date formats a date in the reader's language.
func (v *View) Date(t time.Time) string { return v.L.FormatDate(t) }

// Clock writes a duration as m:ss.
func (v *View) Clock(d time.Duration) string { return site.Clock(d) }

// MB writes a size in megabytes with one decimal, in the reader's language.
func (v *View) MB(n int64) string {
	return v.L.T("megabytes", "n", message.NewPrinter(v.L.Tag).Sprintf("%.1f", float64(n)/1e6))
}

// ISO formats a date as YYYY-MM-DD for datetime attributes.
func (v *View) ISO(t time.Time) string { return t.Format("2006-01-02") }
