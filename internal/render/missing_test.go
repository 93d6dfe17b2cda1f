package render

import (
	"slices"
	"testing"
)

func TestNamedGroups(t *testing.T) {
	got := namedGroups(map[string]string{
		"base.html": `<a href="/{{.L.Code}}/about/privacy/">{{if .Site.Group "about" "privacy"}}` +
			`<a href="/{{.L.Code}}/topics/">{{with .Site.Group "fiches"  "urgent-care"}}` +
			`<a href="/{{.L.Code}}/newsletter/2025-03/">{{index .Pages "fr"}}`,
	})
	want := []string{"about/privacy", "fiches/urgent-care", "newsletters/2025-03"}
	if !slices.Equal(got, want) {
		t.Errorf("namedGroups = %q, want %q", got, want)
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
