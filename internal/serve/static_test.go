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
