package spip

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPropresForms checks the old URL forms of each type_urls setting.
func TestPropresForms(t *testing.T) {
	t.Parallel()
	b := &backup{tables: map[string][]row{
		"spip_rubriques": {
			{"id_rubrique": "1", "id_parent": "0"},
			{"id_rubrique": "3", "id_parent": "1"},
		},
		"spip_articles": {{"id_article": "12", "id_rubrique": "3"}},
	}}
	urls := map[string][]row{
		"rubrique 1": {{"url": "sante", "perma": "0"}},
		"rubrique 3": {{"url": "old-amu"}, {"url": "amu", "perma": "1"}, {"url": "newer-but-not-perma"}},
	}
	tests := []struct {
		typeURLs, kind string
		id             int
		url            string
		want           []string
	}{
		{"propres", "article", 12, "aide", []string{"/aide"}},
		{"propres", "rubrique", 3, "amu", []string{"/amu", "/-amu-"}},
		{"propres", "breve", 5, "news", []string{"/news", "/+news+"}},
		{"propres", "mot", 4, "sans-papiers", []string{"/sans-papiers", "/+-sans-papiers-+"}},
		{"", "mot", 4, "sans-papiers", []string{"/sans-papiers", "/+-sans-papiers-+"}},
		{"propres2", "article", 12, "aide", []string{"/aide", "/aide.html"}},
		{"propres2", "rubrique", 3, "amu", []string{"/amu", "/amu.html", "/-amu-", "/-amu-.html"}},
		{"libres", "rubrique", 3, "amu", []string{"/amu"}},
		{"propres_qs", "article", 12, "aide", []string{"/aide"}},
		{"arbo", "article", 12, "article/aide", []string{"/article/aide", "/sante/amu/article/aide"}},
		{"arbo", "rubrique", 3, "amu", []string{"/amu", "/sante/amu"}},
		{"arbo", "rubrique", 1, "sante", []string{"/sante"}},
		{"html", "article", 12, "aide", []string{"/aide"}},
		{"propres", "article", 12, "/", nil},
	}
	for _, tt := range tests {
		im := &importer{b: b, typeURLs: tt.typeURLs, urls: urls, rubs: map[int]row{1: b.tables["spip_rubriques"][0], 3: b.tables["spip_rubriques"][1]}}
		got := im.propresForms(tt.kind, tt.id, row{"url": tt.url})
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s %s %d %q (-want +got):\n%s", tt.typeURLs, tt.kind, tt.id, tt.url, diff)
		}
	}
}

func TestBadAlias(t *testing.T) {
	t.Parallel()
	im := &importer{langs: map[string]bool{"fr": true, "nl": true}}
	for a, want := range map[string]string{
		"/aide-medicale":                "",
		"/spip.php?article12&lang=fr":   "",
		"/+-mot-+":                      "",
		"/fr":                           "would hide kb's own /fr",
		"/NL/page":                      "would hide kb's own /nl",
		"/files/x":                      "would hide kb's own /files",
		"/sitemap.xml":                  "would hide kb's own /sitemap.xml",
		"/?slug":                        "is the site's root, where kb has its language chooser",
		"/":                             "is the site's root, where kb has its language chooser",
		"aide":                          "does not start with /",
		"/a b":                          "has characters a URL path cannot hold",
		"/a/../b":                       "is not a clean path",
		"/a//b":                         "is not a clean path",
		"/a#b":                          "has characters a URL path cannot hold",
		"/spip.php?article12&x=\"<b>\"": "has characters a URL path cannot hold",
	} {
		if got := im.badAlias(a); got != want {
			t.Errorf("badAlias(%q) = %q, want %q", a, got, want)
		}
	}
}
