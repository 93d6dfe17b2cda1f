package serve_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// server builds the fixture site, with its index, and serves it on a
// loopback listener.
func server(t *testing.T) *httptest.Server {
	t.Helper()
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fixture := sitetest.Build(t, string(data), true)
	st, err := serve.NewState(fixture.Result.Generation, fixture.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveState(t, st)
	return ts
}

type resp struct {
	status int
	header http.Header
	body   string
}

// serveState serves st on loopback until the test ends, then closes both.
func serveState(t testing.TB, st *serve.State) *httptest.Server {
	t.Helper()
	srv := &serve.Server{}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); st.Close() })
	return ts
}

func get(t *testing.T, ts *httptest.Server, method, path string, headers ...string) resp {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, q, _ := strings.Cut(path, "?")
	req.URL.Opaque, req.URL.RawQuery = p, q // send the path as written, ".." included
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Transport: &http.Transport{DisableCompression: true}}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}
}

func TestRoutes(t *testing.T) {
	ts := server(t)
	tests := []struct {
		name     string
		method   string
		path     string
		headers  []string
		status   int
		location string
		body     []string
	}{
		{"chooser without header", "GET", "/", nil, 200, "", []string{`lang="ar"`, "العربية"}},
		{"chooser always reachable", "GET", "/index.html", []string{"Accept-Language", "ar"}, 200, "", []string{"العربية", "Français"}},
		{"negotiate ar", "GET", "/", []string{"Accept-Language", "ar-MA,fr;q=0.5"}, 302, "/ar/", nil},
		{"negotiate en-GB", "GET", "/", []string{"Accept-Language", "en-GB,en;q=0.9"}, 302, "/en/", nil},
		{"negotiate unknown", "GET", "/", []string{"Accept-Language", "de-DE"}, 302, "/fr/", nil},
		{"negotiate garbage", "GET", "/", []string{"Accept-Language", ";;;q=x,"}, 302, "/fr/", nil},
		{"page", "GET", "/fr/fiches/aide-medicale-urgente/", nil, 200, "", []string{"<h1>Aide médicale urgente</h1>"}},
		{"head", "HEAD", "/fr/", nil, 200, "", nil},
		{"missing slash", "GET", "/fr/fiches/aide-medicale-urgente", nil, 301, "/fr/fiches/aide-medicale-urgente/", nil},
		{"alias with query", "GET", "/spip.php?article12", nil, 301, "/fr/fiches/aide-medicale-urgente/", nil},
		{"alias with lang", "GET", "/spip.php?article12&lang=fr", nil, 301, "/fr/fiches/aide-medicale-urgente/", nil},
		{"alias path", "GET", "/aide-medicale.html", nil, 301, "/fr/fiches/aide-medicale-urgente/", nil},
		{"not found", "GET", "/nope", nil, 404, "", []string{`<html lang="fr"`}},
		{"not found ar", "GET", "/ar/nope/", nil, 404, "", []string{`<html lang="ar" dir="rtl"`}},
		{"traversal", "GET", "/../../../../etc/passwd", nil, 404, "", []string{"! root:"}},
		{"encoded traversal", "GET", "/%2e%2e/%2e%2e/content/site.toml", nil, 404, "", []string{"! base_url"}},
		{"encoded slash traversal", "GET", "/fr/..%2f..%2f..%2fcontent%2fsite.toml", nil, 404, "", []string{"! base_url"}},
		{"dot file", "GET", "/.kb/", nil, 404, "", nil},
		{"backslash", "GET", "/fr\\..\\..\\content\\site.toml", nil, 404, "", []string{"! base_url"}},
		{"post", "POST", "/fr/", nil, 405, "", nil},
		{"search page", "GET", "/fr/search/?q=aide+medicale", nil, 200, "", []string{"Aide médicale urgente", "<mark>", "résultat"}},
		{"search empty", "GET", "/fr/search/", nil, 200, "", []string{`name="q"`, "! <mark>"}},
		{"search syntax", "GET", "/fr/search/?q=title%3Ax+%2F.*%2F+*e*+%2Ba+-b", nil, 200, "", nil},
		{"search overlong", "GET", "/fr/search/?q=" + strings.Repeat("a+", 3000), nil, 200, "", []string{"search_too_long"}},
		{"search invalid utf8", "GET", "/fr/search/?q=%ff%fe", nil, 200, "", nil},
		{"search unknown lang", "GET", "/zz/search/?q=x", nil, 404, "", nil},
		{"search page param", "GET", "/fr/search/?q=aide&page=-3", nil, 200, "", nil},
		{"api", "GET", "/api/search?q=aide&lang=fr", nil, 200, "", []string{`"lang":"fr"`, `"url":"/fr/fiches/aide-medicale-urgente/"`}},
		{"api bad lang", "GET", "/api/search?q=aide&lang=zz", nil, 400, "", []string{`"error":"unknown language \"zz\""`}},
		{"api no q", "GET", "/api/search?lang=fr", nil, 400, "", []string{`"error":"missing q"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, ts, tt.method, tt.path, tt.headers...)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d; body:\n%.300s", r.status, tt.status, r.body)
			}
			if tt.location != "" && r.header.Get("Location") != tt.location {
				t.Errorf("Location = %q, want %q", r.header.Get("Location"), tt.location)
			}
			for _, w := range tt.body {
				if neg, ok := strings.CutPrefix(w, "! "); ok {
					if strings.Contains(r.body, neg) {
						t.Errorf("body contains %q", neg)
					}
				} else if !strings.Contains(r.body, w) {
					t.Errorf("body lacks %q:\n%.500s", w, r.body)
				}
			}
			// Headers every response carries; none sets a cookie.
			if r.header.Get("Set-Cookie") != "" {
				t.Error("a cookie was set")
			}
			if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
			if got := r.header.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy = %q", got)
			}
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "script-src") {
				t.Errorf("CSP = %q", csp)
			}
		})
	}
}

func TestSearchBehaviour(t *testing.T) {
	ts := server(t)
	// A typo is retried with fuzziness and the page says so.
	r := get(t, ts, "GET", "/fr/search/?q=urgnete")
	if !strings.Contains(r.body, "Aide médicale urgente") || !strings.Contains(r.body, "search_fuzzy") {
		t.Errorf("typo search:\n%s", r.body)
	}
	// Arabic has only one page: an English query for an Arabic-only word falls back.
	r = get(t, ts, "GET", "/api/search?q=%D8%A7%D9%84%D8%B1%D8%B9%D8%A7%D9%8A%D8%A9&lang=en")
	var out struct {
		Fallback bool
		Hits     []struct{ Lang, URL string }
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	if !out.Fallback || len(out.Hits) == 0 || out.Hits[0].Lang != "ar" {
		t.Errorf("fallback = %+v", out)
	}
	r = get(t, ts, "GET", "/en/search/?q=%D8%A7%D9%84%D8%B1%D8%B9%D8%A7%D9%8A%D8%A9")
	if !strings.Contains(r.body, `lang="ar" dir="rtl"`) {
		t.Errorf("a result in another language is not labelled with it:\n%s", r.body)
	}
}

func TestConditionalAndCompressed(t *testing.T) {
	ts := server(t)
	r := get(t, ts, "GET", "/fr/fiches/aide-medicale-urgente/")
	etag := r.header.Get("ETag")
	if etag == "" || r.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("ETag %q, Cache-Control %q", etag, r.header.Get("Cache-Control"))
	}
	if r2 := get(t, ts, "GET", "/fr/fiches/aide-medicale-urgente/", "If-None-Match", etag); r2.status != 304 {
		t.Errorf("If-None-Match: status %d", r2.status)
	}
	gz := get(t, ts, "GET", "/fr/fiches/aide-medicale-urgente/", "Accept-Encoding", "gzip, br")
	if gz.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", gz.header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(gz.body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != r.body {
		t.Error("the gzip body differs from the plain one")
	}
	if gz.header.Get("ETag") == "" || gz.header.Get("ETag") == etag || !strings.Contains(gz.header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("gzip headers: %v", gz.header)
	}
	sr := get(t, ts, "GET", "/fr/search/?q=aide", "Accept-Encoding", "gzip")
	if sr.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("search page not compressed: %v", sr.header)
	} else if zr, err := gzip.NewReader(strings.NewReader(sr.body)); err != nil {
		t.Error(err)
	} else if b, _ := io.ReadAll(zr); !strings.Contains(string(b), "Aide médicale urgente") {
		t.Error("compressed search page lacks the result")
	}
	if len(gz.body) > 14*1024 {
		t.Errorf("a fiche is %d bytes compressed, over the 14 KB budget", len(gz.body))
	}
}

// TestSearchWeakAnswerLabels: results added after a weak answer are listed
// under their label on the page and carry their step in the JSON API.
func TestSearchWeakAnswerLabels(t *testing.T) {
	ts := server(t)
	type apiOut struct {
		Total   int
		Partial bool
		Hits    []struct{ Lang, Step string }
	}
	api := func(q string) apiOut {
		t.Helper()
		var out apiOut
		if err := json.Unmarshal([]byte(get(t, ts, "GET", "/api/search?lang=en&q="+q).body), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// Two English pages: the others follow, under their label.
	out := api("CPAS")
	var steps []string
	for _, h := range out.Hits {
		steps = append(steps, h.Lang+":"+h.Step)
	}
	if len(steps) < 3 || steps[0] != "en:exact" || steps[1] != "en:exact" || !strings.HasSuffix(steps[2], ":other-language") || steps[2] == "en:other-language" {
		t.Errorf("CPAS: hits %v, want 2 English exact, then other languages", steps)
	}
	page := get(t, ts, "GET", "/en/search/?q=CPAS").body
	i := strings.Index(page, "</ol>\n<h2>Results in other languages</h2>\n<ol class=\"cards\">")
	if i < 0 || strings.Count(page[strings.Index(page, "<h1>"):i], "<li><a href=\"/en/") != 2 || !strings.Contains(page[i:], "hreflang=\"fr\"><bdi lang=\"fr\"") {
		t.Errorf("CPAS: the other languages' results are not after the English ones under their label:\n%s", page)
	}
	// No page has every word: the pages with some of them, labelled.
	out = api("urgent+medical+xyzzy")
	if !out.Partial || len(out.Hits) == 0 || out.Hits[0].Step != "partial" {
		t.Errorf("urgent medical xyzzy: %+v, want partial hits", out)
	}
	page = get(t, ts, "GET", "/en/search/?q=urgent+medical+xyzzy").body
	if !strings.Contains(page, "<h2>Pages that match only some of your words</h2>\n<ol class=\"cards\">") || strings.Count(page, "<ol") != strings.Count(page, "</ol>") {
		t.Errorf("urgent medical xyzzy: no partial label, or lists not closed:\n%s", page)
	}
}

// TestRange: a file answers byte ranges, as nginx does (Safari plays an
// <audio> recording only from a server that does; PDF viewers use them).
func TestRange(t *testing.T) {
	ts := server(t)
	full := get(t, ts, "GET", "/fr/feed.xml")
	r := get(t, ts, "GET", "/fr/feed.xml", "Range", "bytes=0-9")
	if r.status != http.StatusPartialContent || r.body != full.body[:10] {
		t.Fatalf("Range bytes=0-9: %d %q, want 206 %q", r.status, r.body, full.body[:10])
	}
	if got, want := r.header.Get("Content-Range"), fmt.Sprintf("bytes 0-9/%d", len(full.body)); got != want {
		t.Errorf("Content-Range = %q, want %q", got, want)
	}
	if r := get(t, ts, "GET", "/fr/feed.xml", "If-None-Match", full.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", r.status)
	}
	if r := get(t, ts, "GET", "/fr/no-such-page", "Range", "bytes=0-9"); r.status != http.StatusNotFound {
		t.Errorf("a 404 page with Range: %d, want 404", r.status)
	}
}
