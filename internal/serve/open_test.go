package serve_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestOpenRendersAsTheBuild: a server that opens a generation as the build
// wrote it (serve.Open, what kb serve --no-build and a server following
// new builds do) answers the search page, the API, the 404 pages and the
// not-available pages the build did not write byte for byte as one given
// the build's own renderer, with the site folder's content/, templates/
// and i18n/ gone: it reads no Markdown.
func TestOpenRendersAsTheBuild(t *testing.T) {
	fixture, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	sample := func(t *testing.T) *sitetest.Site {
		// The repository's own site: 15 languages, a privacy page (the
		// footer links it), topics to filter by.
		dir := t.TempDir()
		for _, d := range []string{"content", "templates", "i18n"} {
			if err := sitetest.CopyDir(filepath.Join(sitetest.Root(), d), filepath.Join(dir, d)); err != nil {
				t.Fatal(err)
			}
		}
		return sitetest.BuildDir(t, dir, true)
	}
	tests := []struct {
		name  string
		build func(t *testing.T) *sitetest.Site
		urls  []string
	}{
		{"fixture", func(t *testing.T) *sitetest.Site { return sitetest.Build(t, string(fixture), true) }, []string{
			"/fr/search/", "/fr/search/?q=aide+medicale", "/fr/search/?q=urgnete", "/fr/search/?q=aide&topic=access",
			"/en/search/?q=CPAS", "/en/search/?q=urgent+medical+xyzzy", "/ar/search/", "/ar/search/?q=%D8%A7%D9%84%D8%B1%D8%B9%D8%A7%D9%8A%D8%A9",
			"/fr/search/?q=" + strings.Repeat("a+", 300), "/api/search?q=aide&lang=fr", "/api/search?q=aide&lang=zz",
			"/nope", "/ar/nope/", "/fr/fiches/aide-medicale-urgente/", "/ar/fiches/only-fr/",
		}},
		{"sample site", sample, []string{
			"/fr/search/", "/fr/search/?q=aide+medicale+urgente", "/fr/search/?q=soins&topic=access-to-care", "/fr/search/?q=soins&page=2",
			"/nl/search/?q=OCMW", "/ar/search/", "/ar/search/?q=%D8%B9%D9%84%D8%A7%D8%AC", "/ti/search/?q=CPAS",
			"/api/search?q=cpas&lang=nl", "/uk/nope/", "/nope",
			// Not-available pages no page links to: not written, rendered.
			"/ar/news/2024-02-08-winter-care/", "/ti/news/2024-03-21-training-cpas-social-workers/",
		}},
	}
	notWritten := map[string]bool{"/ar/fiches/only-fr/": true, "/ar/news/2024-02-08-winter-care/": true, "/ti/news/2024-03-21-training-cpas-social-workers/": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.build(t)
			built, err := serve.NewState(s.Result.Generation, s.Result.Renderer)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []string{"content", "templates", "i18n"} {
				if err := os.RemoveAll(filepath.Join(s.Dir, d)); err != nil {
					t.Fatal(err)
				}
			}
			opened, err := serve.Open(s.Result.Generation)
			if err != nil {
				t.Fatal(err)
			}
			want, got := &serve.Server{}, &serve.Server{}
			want.Swap(built)
			got.Swap(opened)
			t.Cleanup(func() { built.Close(); opened.Close() })
			for _, u := range tt.urls {
				w, g := record(want, u), record(got, u)
				if g.Code != w.Code || g.Header().Get("Content-Type") != w.Header().Get("Content-Type") || g.Body.String() != w.Body.String() {
					t.Errorf("%s: from the generation %d %s, from the build %d %s\n%s", u, g.Code, g.Header().Get("Content-Type"), w.Code, w.Header().Get("Content-Type"), diffAt(g.Body.String(), w.Body.String()))
				}
				if notWritten[u] && (g.Code != http.StatusOK || s.Exists(strings.TrimPrefix(u, "/")+"index.html")) {
					t.Errorf("%s: %d, written %v; want a not-available page, not written", u, g.Code, s.Exists(strings.TrimPrefix(u, "/")+"index.html"))
				}
				if strings.Contains(u, "search/?q=") && !strings.Contains(u, "a+a+") && g.Code == http.StatusOK && !strings.Contains(g.Body.String(), "<mark>") && !strings.Contains(u, "xyzzy") {
					t.Errorf("%s: no result; the comparison proves little:\n%.400s", u, g.Body.String())
				}
			}
		})
	}
}

func record(h http.Handler, u string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
	return rec
}

// diffAt shows where two texts part.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "…" + a[from:min(len(a), i+200)] + "\n--- instead of ---\n…" + b[from:min(len(b), i+200)]
}
