package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeNoBuildReadsNoSite: kb serve --no-build serves what the build
// wrote and reads nothing of the site folder. With content/ corrupt and
// templates/ and i18n/ gone, the search page (fr, ar), the API and the
// 404 pages answer byte for byte as before, and nothing warns about the
// site's problems (it would, had the server loaded the Markdown).
func TestServeNoBuildReadsNoSite(t *testing.T) {
	dir := fixture(t)
	var out, errb bytes.Buffer
	if code := run([]string{"build", "--site", dir}, &out, &errb); code != 0 {
		t.Fatalf("kb build: exit %d\n%s", code, errb.String())
	}
	urls := []string{
		"/fr/search/", "/fr/search/?q=aide+medicale", "/fr/search/?q=aide&topic=access",
		"/ar/search/?q=%D8%A7%D9%84%D8%B1%D8%B9%D8%A7%D9%8A%D8%A9", "/ar/search/",
		"/api/search?q=aide&lang=fr", "/nope", "/ar/nope/",
	}
	fetch := func(base string) map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, u := range urls {
			res, err := http.Get(strings.TrimSuffix(base, "/") + u)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			got[u] = res.Status + "\n" + string(b)
		}
		return got
	}
	serveOnce := func() (map[string]string, string) {
		cmd, base, stderr := kbProcess(t, "serve", "--site", dir, "--addr", "127.0.0.1:0", "--quiet", "--no-build", "--no-stats")
		got := fetch(base)
		cmd.Process.Signal(syscall.SIGTERM)
		wait(t, cmd)
		return got, stderr.String()
	}
	before, _ := serveOnce()
	if !strings.Contains(before["/fr/search/?q=aide+medicale"], "<mark>") || !strings.HasPrefix(before["/nope"], "404") {
		t.Fatalf("the intact site does not answer as expected:\n%v", before)
	}

	for _, d := range []string{"templates", "i18n"} {
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	broken := "---\ntitle: [unclosed\nfrobnicate: 1\n---\n\xff\n"
	if err := os.WriteFile(filepath.Join(dir, "content", "fiches", "urgent-care", "fr.md"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	after, stderr := serveOnce()
	for _, u := range urls {
		if after[u] != before[u] {
			t.Errorf("%s: after the site folder broke:\n%.600s\nbefore:\n%.600s", u, after[u], before[u])
		}
	}
	if strings.Contains(stderr, "warning") || strings.Contains(stderr, "fr.md") {
		t.Errorf("kb serve --no-build read the site folder:\n%s", stderr)
	}
}
