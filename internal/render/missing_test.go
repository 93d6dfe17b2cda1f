package render

import (
	"html/template"
	"slices"
	"testing"
)

// TestNamedGroups: what a template names, as a site may write it. Each
// snippet is base.html of a page kind; "main" is the kind's own template.
func TestNamedGroups(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"a link in an attribute", `<a href="/{{.L.Code}}/about/privacy/">x</a>`, []string{"about/privacy"}},
		{"the URL sections", `<a href="/{{.L.Code}}/topics/">t</a><a href="/{{.L.Code}}/newsletter/2025-03/">n</a>` +
			`<a href="/{{.L.Code}}/fiches/urgent-care/">f</a>`, []string{"fiches/urgent-care", "newsletters/2025-03"}},
		{"a section's folder is not its URL", `<a href="/{{.L.Code}}/newsletters/2025-03/">n</a>`, nil},
		{"in text", `<p>see /fr/procedures/card/ for more</p>`, []string{"procedures/card"}},
		{"printf", `<a href="{{printf "/%s/about/privacy/" .L.Code}}">x</a>`, []string{"about/privacy"}},
		{"a string in a variable", `{{$u := "/fr/about/contact/"}}<a href="{{$u}}">x</a>`, []string{"about/contact"}},
		{"the site's Group", `{{with .Site.Group "about" "privacy"}}{{index .Pages "fr"}}{{end}}`, []string{"about/privacy"}},
		{"Group in parentheses", `{{with index (.Site.Group "fiches" "amu").Pages $.L.Code}}<a href="{{.URL}}">x</a>{{end}}`, []string{"fiches/amu"}},
		{"Group of a variable", `{{$s := .Site}}{{if $s.Group "glossary" "cpas"}}y{{end}}`, []string{"glossary/cpas"}},
		{"Group of no section", `{{.Site.Group "nosuch" "x"}}`, nil},
		{"two strings that are not Group", `{{.T "about" "privacy"}}`, nil},
		{"in a defined template that is called", `{{define "foot"}}<a href="/{{.L.Code}}/about/privacy/">p</a>{{end}}{{template "foot" .}}`, []string{"about/privacy"}},
		{"in main", `{{define "main"}}{{block "side" .}}<a href="/x/about/legal/">l</a>{{end}}{{end}}{{template "main" .}}`, []string{"about/legal"}},
		{"in a defined template nothing calls", `{{define "old"}}<a href="/{{.L.Code}}/about/privacy/">p</a>{{end}}`, nil},
		{"in a template comment", `{{/* <a href="/{{.L.Code}}/about/privacy/"> */}}x`, nil},
		{"in an HTML comment", `<!-- <a href="/fr/about/privacy/"> --><a href="/fr/about/legal/">l</a>`, []string{"about/legal"}},
		{"an HTML comment across actions", `<!-- {{.L.Code}} /fr/about/privacy/ {{printf "/%s/about/legal/" .L.Code}} {{.Site.Group "fiches" "amu"}} -->` +
			`<a href="/fr/about/contact/">c</a>`, []string{"about/contact"}},
		{"an HTML comment in an if", `{{if .L.RTL}}<!-- /fr/about/privacy/ -->{{else}}/fr/about/legal/{{end}}`, []string{"about/legal"}},
		{"put together while drawn", `{{$k := "privacy"}}<a href="{{printf "/%s/about/%s/" .L.Code $k}}">p</a>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := template.Must(template.New("base.html").Parse(tt.text))
			got := (&Templates{kinds: map[string]*template.Template{"page": set}}).namedGroups()
			if !slices.Equal(got, tt.want) {
				t.Errorf("namedGroups(%s) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// The site's own templates name the privacy page (the footer's link).
func TestNamedGroupsOfTheSiteTemplates(t *testing.T) {
	if got := sampleSite(t).T.named; !slices.Equal(got, []string{"about/privacy"}) {
		t.Errorf("templates/ name %q", got)
	}
}

// TestNotAvailable: the sample site's outputs hold the not-available pages
// that something links to, NotAvailable gives those and every other, and
// nothing that is not a group's missing language.
func TestNotAvailable(t *testing.T) {
	r := sampleSite(t)
	listed := map[string]bool{}
	for _, o := range r.Outputs() {
		listed[o.Path] = true
	}
	for _, tt := range []struct {
		name         string
		ok, isListed bool
	}{
		{"uk/about/privacy/index.html", true, true}, // the footer links it
		{"ar/news/2024-02-08-winter-care/index.html", true, false},
		{"ti/newsletter/2026-07/index.html", true, false},
		{"fr/news/2024-02-08-winter-care/index.html", false, true}, // the page itself
		{"ar/news/2024-02-08-winter-care/", false, false},
		{"ar/news/no-such-key/index.html", false, false},
		{"de/news/2024-02-08-winter-care/index.html", false, false},
		{"ar/newsletters/2026-07/index.html", false, false}, // the folder, not the URL
	} {
		o, ok := r.NotAvailable(tt.name)
		if ok != tt.ok || listed[tt.name] != tt.isListed {
			t.Errorf("%s: NotAvailable %v, listed %v; want %v, %v", tt.name, ok, listed[tt.name], tt.ok, tt.isListed)
			continue
		}
		if ok && o.Path != tt.name {
			t.Errorf("%s: output at %s", tt.name, o.Path)
		}
	}
}
