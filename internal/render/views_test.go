package render

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/site"
	"kb/internal/source"
)

// repo is the repository's folder: its content/, i18n/ and templates/ are the
// sample site.
const repo = "../.."

// sampleSite assembles the repository's sample site with its templates.
func sampleSite(t *testing.T) *Renderer {
	t.Helper()
	fsys, err := source.SiteFS(repo)
	if err != nil {
		t.Fatal(err)
	}
	var problems diag.List
	langs := lang.Load(fsys, "i18n", &problems)
	codes := map[string]bool{}
	for _, l := range langs.List {
		codes[l.Code] = true
	}
	s := site.Assemble(source.Load(fsys, codes, &problems), langs, site.Options{}, &problems)
	tmpl := LoadTemplates(fsys, &problems)
	if err := problems.Err(); err != nil {
		t.Fatal(err)
	}
	return &Renderer{Site: s, T: tmpl}
}

// TestViewsExecute renders every kind of page of the sample site, each with
// its own data type (Execute refuses any other), and checks that every
// template of Views drew at least one of them.
func TestViewsExecute(t *testing.T) {
	r := sampleSite(t)
	en := r.Site.Langs.Get("en")
	fr := r.Site.Langs.Get("fr")
	first := map[string]*site.Page{}
	for _, section := range []string{"fiches", "news", "topics", "residence", "newsletters"} {
		pages := r.Site.Pages("fr", section)
		if section == "newsletters" {
			pages = r.Site.Editions("fr") // the sample editions are in French and Dutch
		}
		if len(pages) == 0 {
			t.Fatalf("the sample site has no %s in French", section)
		}
		first[section] = pages[0]
	}
	var missing *site.Group // a group with no Tigrinya page
	for _, g := range r.Site.Groups {
		if g.Pages["ti"] == nil && g.Section == "fiches" {
			missing = g
			break
		}
	}
	if missing == nil {
		t.Fatal("every fiche has a Tigrinya page: the test needs one that has not")
	}
	tests := []struct {
		name, template string
		render         func() ([]byte, error)
		want           string
	}{
		{"home", "home.html", func() ([]byte, error) { return r.home(en) }, `<section aria-labelledby="h-topics">`},
		{"fiche", "page.html", func() ([]byte, error) { return r.page(first["fiches"]) }, `<article>`},
		{"news item", "page.html", func() ([]byte, error) { return r.page(first["news"]) }, `<article>`},
		{"section index", "list.html", func() ([]byte, error) { return r.sectionIndex(en, "residence") }, `<ul class="cards">`},
		{"topic", "list.html", func() ([]byte, error) { return r.memberList(first["topics"]) }, `<section><h2>`},
		{"residence status", "list.html", func() ([]byte, error) { return r.memberList(first["residence"]) }, `<section><h2>`},
		{"news list", "news.html", func() ([]byte, error) { return r.newsList(en, 1, 1) }, `<p class="meta"><time`},
		{"news list page 2", "news.html", func() ([]byte, error) { return r.newsList(en, 2, 3) }, `rel="prev"`},
		{"a-z", "az.html", func() ([]byte, error) { return r.az(en) }, `<div class="az">`},
		{"not available", "notavailable.html", func() ([]byte, error) { return r.notAvailable(missing, r.Site.Langs.Get("ti")) }, `<bdi>`},
		{"chooser", "chooser.html", func() ([]byte, error) { return r.chooser(en) }, `<ul class="chooser">`},
		{"not found", "404.html", func() ([]byte, error) { return r.notFound(en) }, `<meta name="robots" content="noindex">`},
		{"search form", "search.html", func() ([]byte, error) { return r.SearchPage(en, nil, "") }, `class="notice"`},
		{"search results", "search.html", func() ([]byte, error) {
			return r.SearchPage(en, &SearchData{Query: "card", Total: 1, Hits: []SearchHit{{URL: "/en/x/", Title: "X"}}}, "q=card")
		}, `<ol class="cards">`},
		{"errors", "errors.html", func() ([]byte, error) { return r.ErrorPage(en, []string{"content/x.md:1: bad"}) }, `<code>content/x.md:1: bad</code>`},
		// kb's messages are English whatever the page's language: marked so,
		// and left to right, so that an Arabic page keeps file:line in order.
		{"errors in an rtl page", "errors.html", func() ([]byte, error) { return r.ErrorPage(r.Site.Langs.Get("ar"), []string{"content/x.md:1: bad"}) }, `<div lang="en" dir="ltr">`},
		{"newsletter archive", "newsletter.html", func() ([]byte, error) { return r.newsletterList(fr) }, `<ul class="cards">`},
		{"newsletter edition", "newsletter.html", func() ([]byte, error) { return r.edition(first["newsletters"]) }, `<section><h2>`},
		{"redirect", "redirect.html", func() ([]byte, error) { p := first["fiches"]; return r.redirect(p, p.URL) }, `http-equiv="refresh"`},
	}
	drawn := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tt.want) {
				t.Errorf("the page has no %q:\n%s", tt.want, b)
			}
			drawn[tt.template] = true
		})
	}
	for _, v := range Views {
		if !drawn[v.Template] {
			t.Errorf("no test draws %s", v.Template)
		}
	}
}

// TestExecuteRefusesOtherData: a template runs only with the data type it
// was checked against.
func TestExecuteRefusesOtherData(t *testing.T) {
	r := sampleSite(t)
	v := &ListView{Base: r.view(r.Site.Langs.Get("en"), "page", "x", "/en/x/")}
	_, err := r.exec("page", v)
	if err == nil || !strings.Contains(err.Error(), "templates/page.html gets *render.PageView, not *render.ListView") {
		t.Errorf("got %v", err)
	}
}

// TestViewsCoverKinds: Views names the data of every template LoadTemplates
// reads.
func TestViewsCoverKinds(t *testing.T) {
	want := append(append([]string(nil), Kinds...), "redirect")
	if len(Views) != len(want) {
		t.Fatalf("Views has %d templates, want %d", len(Views), len(want))
	}
	for _, k := range want {
		if viewType(k+".html") == nil {
			t.Errorf("Views has no data for %s.html", k)
		}
	}
}

// TestFieldCheck: a template that names a field its data does not have is a
// problem at load, at the template's file and line, in any branch.
func TestFieldCheck(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // replaced templates
		want  []string          // problems, "" for none
	}{
		{"repository templates", nil, nil},
		{"another kind's field", map[string]string{"page.html": "{{define \"main\"}}\n<p>{{.Items}}</p>\n{{end}}"},
			[]string{"templates/page.html:2: template error: {{.Items}}: PageView has no field or method Items (TEMPLATES.md lists what each template gets)"}},
		{"in a branch no page takes", map[string]string{"list.html": "{{define \"main\"}}{{with .Page}}{{if false}}\n{{.Meta.Titel}}{{end}}{{end}}{{end}}"},
			[]string{"templates/list.html:2: template error: {{.Meta.Titel}}: source.Meta has no field or method Titel (TEMPLATES.md lists what each template gets)"}},
		{"in a range", map[string]string{"news.html": "{{define \"main\"}}\n\n{{range .Items}}{{.Titel}}{{end}}{{end}}"},
			[]string{"templates/news.html:3: template error: {{.Titel}}: site.Page has no field or method Titel (TEMPLATES.md lists what each template gets)"}},
		{"through a variable", map[string]string{"az.html": "{{define \"main\"}}{{range $i, $l := .Letters}}{{$l.Letter}}{{$.Nope}}{{end}}{{end}}"},
			[]string{"templates/az.html:1: template error: {{$.Nope}}: AZView has no field or method Nope (TEMPLATES.md lists what each template gets)"}},
		{"through a template call", map[string]string{"home.html": "{{define \"main\"}}{{template \"x\" .News}}{{end}}\n{{define \"x\"}}{{range .}}\n{{.Meta.Date.Nope}}{{end}}{{end}}"},
			[]string{"templates/home.html:3: template error: {{.Meta.Date.Nope}}: time.Time has no field or method Nope (TEMPLATES.md lists what each template gets)"}},
		{"the redirect", map[string]string{"redirect.html": "{{.Target}}{{.Items}}"},
			[]string{"templates/redirect.html:1: template error: {{.Items}}: RedirectView has no field or method Items (TEMPLATES.md lists what each template gets)"}},
		{"base.html, once for the kinds that lack it", map[string]string{"base.html": "{{.Intro}}{{template \"main\" .}}"},
			[]string{"templates/base.html:1: template error: {{.Intro}}: HomeView, PageView, NewsView, AZView, NotAvailableView, ChooserView, NotFoundView, SearchView, ErrorsView and NewsletterView have no field or method Intro (TEMPLATES.md lists what each template gets)"}},
		{"base.html, once for all kinds", map[string]string{"base.html": "\n{{.Titel}}{{template \"main\" .}}"},
			[]string{"templates/base.html:2: template error: {{.Titel}}: no page kind has a field or method Titel (TEMPLATES.md lists what each template gets)"}},
		{"what the check cannot know passes", map[string]string{"page.html": "{{define \"main\"}}{{(index .Page.Terms 0).Anything}}{{with and .Page .PDF}}{{.Whatever}}{{end}}{{.T \"x\" | len}}{{end}}"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := repoTemplates(t)
			for name, text := range tt.files {
				fsys["templates/"+name] = &fstest.MapFile{Data: []byte(text)}
			}
			var problems diag.List
			LoadTemplates(fsys, &problems)
			var got []string
			for _, p := range problems.Problems() {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// repoTemplates copies the repository's templates/ into a MapFS.
func repoTemplates(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	root := filepath.Join(repo, "templates")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(repo, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// TestTypeName: problems name types as TEMPLATES.md does, without the
// pointer.
func TestTypeName(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{(*PageView)(nil), "PageView"},
		{[]*site.Page(nil), "[]*site.Page"},
		{(*PDFFile)(nil), "PDFFile"},
		{[]Alt(nil), "[]Alt"},
	} {
		if got := typeName(reflect.TypeOf(tt.v)); got != tt.want {
			t.Errorf("typeName(%T) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
