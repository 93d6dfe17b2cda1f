package serve_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestSearchPageCache: a repeated search gets the same compressed page
// (kept, not rendered again), with the same headers; another query string
// (a filter, another page, another language) gets its own page; a client
// without gzip gets the same page uncompressed.
func TestSearchPageCache(t *testing.T) {
	ts := server(t)
	gunzip := func(s string) string {
		t.Helper()
		zr, err := gzip.NewReader(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const path = "/fr/search/?q=aide+medicale"
	first := get(t, ts, "GET", path, "Accept-Encoding", "gzip")
	second := get(t, ts, "GET", path, "Accept-Encoding", "gzip")
	if first.status != 200 || second.status != 200 || first.body != second.body {
		t.Fatalf("repeated search: status %d, %d; same body %v", first.status, second.status, first.body == second.body)
	}
	for _, h := range []string{"Content-Type", "Content-Encoding", "Cache-Control", "Vary", "Content-Length"} {
		if first.header.Get(h) != second.header.Get(h) || second.header.Get(h) == "" {
			t.Errorf("%s: %q then %q", h, first.header.Get(h), second.header.Get(h))
		}
	}
	page := gunzip(second.body)
	if !strings.Contains(page, "<mark>") {
		t.Errorf("the page has no results:\n%s", page)
	}
	plain := get(t, ts, "GET", path)
	if plain.header.Get("Content-Encoding") != "" || plain.body != page {
		t.Errorf("without gzip: not the same page")
	}
	head := get(t, ts, "HEAD", path, "Accept-Encoding", "gzip")
	if head.body != "" || head.header.Get("Content-Length") != second.header.Get("Content-Length") {
		t.Errorf("HEAD: body %q, length %q", head.body, head.header.Get("Content-Length"))
	}
	for _, other := range []string{path + "&section=fiches", "/en/search/?q=aide+medicale", "/fr/search/?q=urgnete"} {
		r := get(t, ts, "GET", other, "Accept-Encoding", "gzip")
		if r.status != 200 || bytes.Equal([]byte(r.body), []byte(second.body)) {
			t.Errorf("%s: status %d, the same page as %s", other, r.status, path)
		}
	}
}
