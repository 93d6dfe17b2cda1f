package build_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/sitetest"
)

// TestStaticRedirects: _redirects works on Netlify (a forced rule first for
// every alias, since a redirect page sits at the same path) and on
// Cloudflare Pages (which skips "301!" lines and needs a plain 301 rule),
// and names no query-string alias (neither host can match one).
func TestStaticRedirects(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	lines := strings.Split(strings.TrimSpace(s.Read(t, "_redirects")), "\n")
	first := map[string]string{}      // Netlify: the first rule for a path wins
	cloudflare := map[string]string{} // Cloudflare: the first valid rule
	for _, line := range lines {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			t.Fatalf("%q: want source, destination and status", line)
		}
		if f[2] == "404" {
			if !strings.HasSuffix(f[0], "/*") || f[1] != strings.TrimSuffix(f[0], "*")+"404.html" || !s.Exists(strings.TrimPrefix(f[1], "/")) {
				t.Errorf("%q: want /{lang}/* /{lang}/404.html 404, to a page that exists", line)
			}
			continue
		}
		if strings.Contains(f[0], "?") {
			t.Errorf("%q: a query-string alias in _redirects", line)
		}
		if _, ok := first[f[0]]; !ok {
			first[f[0]] = f[2]
		}
		if _, ok := cloudflare[f[0]]; !ok && f[2] == "301" {
			cloudflare[f[0]] = f[1]
		}
	}
	want := map[string]string{"/aide-medicale.html": "/fr/fiches/aide-medicale-urgente/"}
	for from, to := range want {
		if first[from] != "301!" {
			t.Errorf("%s: Netlify's first rule is %q, want 301!", from, first[from])
		}
		if cloudflare[from] != to {
			t.Errorf("%s: Cloudflare redirects to %q, want %s", from, cloudflare[from], to)
		}
		if !s.Exists(strings.TrimPrefix(from, "/")) {
			t.Errorf("%s: no redirect page for hosts without _redirects", from)
		}
	}
	if len(first) != len(cloudflare) {
		t.Errorf("%d paths for Netlify, %d for Cloudflare", len(first), len(cloudflare))
	}
}

// TestStaticSearchPage: on a host that only serves files, the search page
// says that search is not available and links to the topics and the A–Z
// list, whatever the query.
func TestStaticSearchPage(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	ts := httptest.NewServer(http.FileServer(http.Dir(s.Public)))
	defer ts.Close()
	res, err := http.Get(ts.URL + "/fr/search/?q=aide")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`class="notice" role="status">search_unavailable`, `href="/fr/topics/"`, `href="/fr/a-z/"`, `name="q"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("static search page lacks %q", want)
		}
	}
}

// TestEmptyFeedDate: a language without news still has a valid feed, dated
// by its newest page (ar: reviewed 2026-03-01), not by a made-up date.
func TestEmptyFeedDate(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	ar := s.Read(t, "ar/feed.xml")
	if strings.Contains(ar, "<entry>") || !strings.Contains(ar, "<updated>2026-03-01T00:00:00Z</updated>") {
		t.Errorf("ar/feed.xml:\n%s", ar)
	}
	if en := s.Read(t, "en/feed.xml"); !strings.Contains(en, "<updated>2025-01-02T00:00:00Z</updated>") {
		t.Errorf("en/feed.xml is not dated by its newest entry:\n%.400s", en)
	}
}

// TestEditorsNotPublished: the translation status is written beside the
// published site, not in it.
func TestEditorsNotPublished(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	if s.Exists("_editors/translations.html") || s.Exists("_editors") {
		t.Error("_editors/ is in the published site")
	}
	data, err := os.ReadFile(filepath.Join(s.Result.Generation, "editors", "translations.html"))
	if err != nil || !strings.Contains(string(data), "<html") {
		t.Errorf("editors/translations.html: %v", err)
	}
}
