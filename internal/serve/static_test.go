package serve_test

import (
	"strings"
	"testing"
)

// TestSearchPageNotStatic: kb serve renders the search page itself, with
// the reader's words in the box and without the notice that the built file
// (what a static host serves) shows.
func TestSearchPageNotStatic(t *testing.T) {
	ts := server(t)
	for _, p := range []string{"/fr/search/", "/fr/search/?q=aide+urgente", "/fr/search/?q=zzzzqqq"} {
		r := get(t, ts, "GET", p)
		if r.status != 200 || strings.Contains(r.body, "search_unavailable") {
			t.Errorf("%s: %d, or the static notice", p, r.status)
		}
	}
	if r := get(t, ts, "GET", "/fr/search/?q=aide+urgente"); !strings.Contains(r.body, `value="aide urgente"`) {
		t.Error("the reader's words are not in the box")
	}
}

// TestServeContentTypes: feeds are Atom; the editors' page is not served
// (it is not in the published site), nor are the files for servers hidden.
func TestServeContentTypes(t *testing.T) {
	ts := server(t)
	if r := get(t, ts, "GET", "/fr/feed.xml"); r.status != 200 || r.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Errorf("/fr/feed.xml: %d %q", r.status, r.header.Get("Content-Type"))
	}
	if r := get(t, ts, "GET", "/sitemap.xml"); !strings.HasPrefix(r.header.Get("Content-Type"), "text/xml") {
		t.Errorf("/sitemap.xml: %q", r.header.Get("Content-Type"))
	}
	if r := get(t, ts, "GET", "/_editors/translations.html"); r.status != 404 {
		t.Errorf("/_editors/translations.html: %d", r.status)
	}
	if r := get(t, ts, "GET", "/_headers"); r.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("/_headers: %q", r.header.Get("Content-Type"))
	}
}
