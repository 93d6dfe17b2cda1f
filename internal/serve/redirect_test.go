package serve_test

import (
	"bufio"
	"bytes"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// rawGet sends the request line as written (a path that starts with // is
// not a host here, as it would be for net/http's client).
func rawGet(t *testing.T, ts *httptest.Server, target string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: kb.test\r\nConnection: close\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// TestNoOpenRedirect: no redirect leaves the site, whatever the path
// (issue 12, item 3: GET //fr answered Location: //fr/, and with an alias
// folder named like a host, //evil.example went off-site).
func TestNoOpenRedirect(t *testing.T) {
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fixture := strings.Replace(string(data), `aliases: ["/spip.php?article12", "/aide-medicale.html"]`,
		`aliases: ["/spip.php?article12", "/aide-medicale.html", "/evil.example/", "/evil.example/x"]`, 1)
	site := sitetest.Build(t, fixture, false)
	st, err := serve.NewState(site.Result.Generation, site.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveState(t, st)

	tests := []struct {
		name, target, location string // location "" : any local one
	}{
		{"double slash", "//fr", "/fr/"},
		{"double slash with query", "//fr?q=1", "/fr/?q=1"},
		{"raw bytes in the query", "/fr?q=\xb0\xc3", "/fr/?q=%B0%C3"},
		{"triple slash", "///fr", "/fr/"},
		{"host-like alias folder", "//evil.example", ""},
		{"host-like alias folder, triple", "///evil.example", ""},
		{"host-like alias page", "//evil.example/x", ""},
		{"encoded slash", "/%2fevil.example", ""},
		{"encoded double slash", "/%2f%2fevil.example", ""},
		{"slash then backslash", "/%5cevil.example", ""},
		{"inner double slash", "/fr//fiches", "/fr/fiches/"},
		{"plain folder", "/fr", "/fr/"},
		{"alias", "/aide-medicale.html", "/fr/fiches/aide-medicale-urgente/"},
		{"host-like alias", "/evil.example/", "/fr/fiches/aide-medicale-urgente/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := rawGet(t, ts, tc.target)
			loc := res.Header.Get("Location")
			if loc == "" {
				if tc.location != "" {
					t.Fatalf("status %d, no Location, want %q", res.StatusCode, tc.location)
				}
				return
			}
			u, err := url.Parse(loc)
			if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(loc, "/") ||
				strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Fatalf("Location %q leaves the site", loc)
			}
			if tc.location != "" && loc != tc.location {
				t.Errorf("Location = %q, want %q", loc, tc.location)
			}
		})
	}
}

// TestLogInjection: a path with encoded newlines, carriage returns and
// escape sequences gives one log line, escaped (issue 12, item 11).
func TestLogInjection(t *testing.T) {
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := sitetest.Build(t, string(data), false)
	st, err := serve.NewState(site.Result.Generation, site.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	srv := &serve.Server{Log: log.New(&buf, "", 0)}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); st.Close() })

	res := rawGet(t, ts, "/fr%0aGET%20/admin%20200%200s%0d%0a%1b[2J%1b]0;title%07%e2%80%ae")
	if res.StatusCode != 404 {
		t.Errorf("status %d", res.StatusCode)
	}
	ts.Close() // the log line is written when the handler returns
	got := buf.String()
	if strings.Count(got, "\n") != 1 || strings.ContainsAny(got, "\r\x1b\x07") || strings.Contains(got, "\u202e") {
		t.Fatalf("log:\n%q", got)
	}
	if want := "GET /fr%0AGET /admin 200 0s%0D%0A%1B[2J%1B]0;title%07%E2%80%AE 404 "; !strings.HasPrefix(got, want) {
		t.Errorf("log = %q, want it to start with %q", got, want)
	}
}
