package serve_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestNotAvailable: kb serve, opening a generation as the build wrote it
// (serve.Open), answers the not-available pages the build did not write
// (no page links to them) with the bytes the build writes for one a page
// links to, status 200, and the headers of a file.
func TestNotAvailable(t *testing.T) {
	fixture := fixture(t)
	// The fixture: no page links to only-fr in Arabic. In linked, the
	// Arabic urgent-care page does, and the build writes that page.
	linkedSrc := strings.Replace(fixture, "(OCMW/CPAS).", "(OCMW/CPAS). [x](/fiches/only-fr)", 1)
	if linkedSrc == fixture {
		t.Fatal("the fixture changed: no Arabic sentence to add a link to")
	}
	linked := sitetest.Build(t, linkedSrc, false)
	s := sitetest.Build(t, fixture, false)
	const page = "ar/fiches/only-fr/index.html"
	if s.Exists(page) || !linked.Exists(page) {
		t.Fatalf("%s: written without a link %v, with one %v; want false, true", page, s.Exists(page), linked.Exists(page))
	}
	want := linked.Read(t, page)
	// en/fiches/only-fr is linked: taken out of the generation, the
	// server renders it as the build wrote it.
	enWant := s.Read(t, "en/fiches/only-fr/index.html")
	for _, f := range []string{"en/fiches/only-fr/index.html", "en/fiches/only-fr/index.html.gz"} {
		if err := os.Remove(filepath.Join(s.Public, f)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := serve.Open(s.Result.Generation)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveState(t, st)

	for _, c := range []struct{ path, want string }{
		{"/ar/fiches/only-fr/", want},
		{"/ar/fiches/only-fr/index.html", want},
		{"/en/fiches/only-fr/", enWant},
	} {
		r := get(t, ts, "GET", c.path)
		if r.status != 200 || r.body != c.want {
			t.Errorf("%s: %d, want 200 with the build's bytes\n%s", c.path, r.status, diffAt(r.body, c.want))
		}
		for k, v := range map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache", "Vary": "Accept-Encoding", "Referrer-Policy": "no-referrer"} {
			if got := r.header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", c.path, k, got, v)
			}
		}
		if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: CSP %q", c.path, r.header.Get("Content-Security-Policy"))
		}
		etag := r.header.Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", c.path)
		}
		if r := get(t, ts, "GET", c.path, "If-None-Match", etag); r.status != 304 {
			t.Errorf("%s with its ETag: %d, want 304", c.path, r.status)
		}
		z := get(t, ts, "GET", c.path, "Accept-Encoding", "gzip")
		if z.status != 200 || z.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s with gzip: %d, Content-Encoding %q", c.path, z.status, z.header.Get("Content-Encoding"))
		} else if got := gunzip(t, z.body); got != c.want {
			t.Errorf("%s with gzip: other bytes\n%s", c.path, diffAt(got, c.want))
		}
		// Each encoding has its own tag, and a 304 only on its own.
		ztag := z.header.Get("ETag")
		if ztag == "" || ztag == etag {
			t.Errorf("%s with gzip: ETag %q, want one of its own (plain %q)", c.path, ztag, etag)
		}
		for _, m := range []struct {
			enc, tag string
			want     int
		}{{"gzip", ztag, 304}, {"gzip", etag, 200}, {"", ztag, 200}} {
			if r := get(t, ts, "GET", c.path, "Accept-Encoding", m.enc, "If-None-Match", m.tag); r.status != m.want {
				t.Errorf("%s, Accept-Encoding %q, If-None-Match %s: %d, want %d", c.path, m.enc, m.tag, r.status, m.want)
			}
		}
		if h := get(t, ts, "HEAD", c.path); h.status != 200 || h.body != "" {
			t.Errorf("HEAD %s: %d, %d bytes", c.path, h.status, len(h.body))
		}
	}
	// The written ones as the build wrote them; the others as 404s.
	for _, c := range []struct {
		path     string
		status   int
		location string
		body     string
	}{
		{"/ar/fiches/only-fr", 301, "/ar/fiches/only-fr/", ""},
		{"/ar/fiches/only-fr?nl=2025-03", 301, "/ar/fiches/only-fr/?nl=2025-03", ""},
		{"/fr/glossary/urgent-medical-aid/", 200, "", `href="/ar/glossary/urgent-medical-aid/"`},
		{"/fr/fiches/only-fr/", 200, "", "Éviter les urgences"},
		{"/ar/fiches/no-such-key/", 404, "", `<html lang="ar"`},
		{"/de/fiches/only-fr/", 404, "", `<html lang="fr"`},
		{"/ar/nope/only-fr/", 404, "", `<html lang="ar"`},
		{"/ar/fiches/only-fr/x/", 404, "", `<html lang="ar"`},
		{"/ar/fiches/only-fr/other.html", 404, "", `<html lang="ar"`},
	} {
		r := get(t, ts, "GET", c.path)
		if r.status != c.status || r.header.Get("Location") != c.location || !strings.Contains(r.body, c.body) {
			t.Errorf("%s: %d %q, want %d %q with %q: %.200s", c.path, r.status, r.header.Get("Location"), c.status, c.location, c.body, r.body)
		}
	}
}

func gunzip(t *testing.T, data string) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader([]byte(data)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
