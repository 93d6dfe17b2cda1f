package serve_test

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// FuzzServe sends any path, query and Accept-Language to the server of
// the fixture site: no 500, every HTML or JSON answer valid UTF-8, every
// redirect a path of the site, one log line per request.
func FuzzServe(f *testing.F) {
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		f.Fatal(err)
	}
	site := sitetest.Build(f, string(data), true)
	st, err := serve.NewState(site.Result.Generation, site.Result.Renderer)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	var logs bytes.Buffer
	srv := &serve.Server{Log: log.New(&logs, "", 0)}
	srv.Swap(st)

	for _, s := range [][3]string{
		{"/", "", "ar-MA,fr;q=0.5"}, {"//fr", "", ""}, {"/fr", "x=1", ""}, {"/fr/search/", "q=aide+medicale", ""},
		{"/fr/search/", "q=" + strings.Repeat("ab+", 17) + "%ff", ""}, {"/api/search", "lang=ar&q=%D8%A7", ""},
		{"/fr/search/", "q=aide&section=%ff&page=2", ""}, {"/spip.php", "article12&lang=fr", ""},
		{"/fr\n/x\x1b[2J", "", ""}, {"/aide-medicale.html", "", ""}, {"/", "", ";;;q=x,*"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, p, rawQuery, acceptLanguage string) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		r := &http.Request{Method: "GET", URL: &url.URL{Path: p, RawQuery: rawQuery}, Header: http.Header{}, Host: "kb.test"}
		r = r.WithContext(t.Context())
		if acceptLanguage != "" {
			r.Header.Set("Accept-Language", acceptLanguage)
		}
		logs.Reset()
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("GET %q ?%q: %d\n%s", p, rawQuery, w.Code, w.Body)
		}
		ct := w.Header().Get("Content-Type")
		if (strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/json")) && !utf8.Valid(w.Body.Bytes()) {
			t.Fatalf("GET %q ?%q: %s not valid UTF-8", p, rawQuery, ct)
		}
		if loc := w.Header().Get("Location"); loc != "" {
			u, err := url.Parse(loc)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Fatalf("GET %q ?%q: Location %q leaves the site", p, rawQuery, loc)
			}
		}
		if n := strings.Count(logs.String(), "\n"); n != 1 {
			t.Fatalf("GET %q: %d log lines: %q", p, n, logs.String())
		}
	})
}
