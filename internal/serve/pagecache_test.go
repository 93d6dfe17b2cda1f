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
	page := gunzip(t, second.body)
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

// TestZippedResultsPage: a results page drawn with the language's shell
// (render.SearchShell) and compressed gives the page a client without gzip
// gets, byte for byte, in several languages, for queries with the
// characters the escaper changes, with or without results, and for pages
// the shell does not draw (no query, an overlong one).
func TestZippedResultsPage(t *testing.T) {
	ts := server(t)
	for _, path := range []string{
		"/fr/search/?q=aide+medicale", "/fr/search/?q=medicale+urgnete", "/ar/search/?q=%D8%A7%D9%84%D8%A7%D8%AF%D9%88%D9%8A%D8%A9",
		"/en/search/?q=%22card%22+%26+%3Cb%3E%27%2B%27", "/nl/search/?q=zzzqqq", "/fr/search/?q=aide&section=fiches&page=2",
		"/fr/search/", "/fr/search/?q=" + strings.Repeat("mot+", 300),
	} {
		t.Run(path[:min(len(path), 40)], func(t *testing.T) {
			zipped := get(t, ts, "GET", path, "Accept-Encoding", "gzip")
			plain := get(t, ts, "GET", path)
			if zipped.header.Get("Content-Encoding") != "gzip" || plain.header.Get("Content-Encoding") != "" {
				t.Fatalf("encodings %q and %q", zipped.header.Get("Content-Encoding"), plain.header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(strings.NewReader(zipped.body))
			if err != nil {
				t.Fatal(err)
			}
			page, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if string(page) != plain.body || zipped.status != plain.status {
				t.Errorf("status %d and %d; the pages differ:\n%s\n---\n%s", zipped.status, plain.status, page, plain.body)
			}
		})
	}
}
