package serve_test

import (
	"encoding/json"
	"io/fs"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"kb/internal/serve"
	"kb/internal/sitetest"
	"kb/search"
)

// includedSite builds the repository's own site (content/, i18n/,
// templates/: 15 languages) with its index and serves it on loopback.
func includedSite(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"content", "i18n", "templates"} {
		if err := sitetest.CopyDir(filepath.Join(sitetest.Root(), d), filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	site := sitetest.BuildDir(t, dir, true)
	st, err := serve.NewState(site.Result.Generation, site.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveState(t, st)
	return ts, dir
}

var titleLine = regexp.MustCompile(`(?m)^title:\s*["']?(.+?)["']?\s*$`)

// siteQueries returns, for each language, words of the titles of its pages
// (the words readers search for and the pages' bodies repeat).
func siteQueries(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	seen := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		code := strings.TrimSuffix(d.Name(), ".md")
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m := titleLine.FindSubmatch(data)
		if m == nil {
			return nil
		}
		clean, _ := search.CleanQuery(string(m[1]))
		for _, w := range strings.Fields(clean) {
			if utf8.RuneCountInString(w) >= 4 && !seen[code+" "+w] && len(out[code]) < 25 {
				seen[code+" "+w] = true
				out[code] = append(out[code], w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var markRun = regexp.MustCompile(`(?s)<mark>(.*?)</mark>`)

// checkMarks reports a snippet that is not valid UTF-8, holds a replacement
// character, or has a <mark> that is unbalanced or encloses no whole
// character.
func checkMarks(t *testing.T, where, s string) int {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: not valid UTF-8: %q", where, s)
		return 0
	}
	if strings.ContainsRune(s, utf8.RuneError) {
		t.Errorf("%s: holds U+FFFD: %q", where, s)
	}
	if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
		t.Errorf("%s: unbalanced marks: %q", where, s)
	}
	marks := markRun.FindAllStringSubmatch(s, -1)
	for _, m := range marks {
		if m[1] == "" || strings.Contains(m[1], "<") || !utf8.ValidString(m[1]) {
			t.Errorf("%s: mark encloses %q", where, m[1])
		}
	}
	return len(marks)
}

// TestSearchUTF8AllLanguages: every search page and JSON answer of the
// included site, in its 15 languages, is valid UTF-8 and every <mark>
// encloses whole characters (issue 12, item 9: the Persian zero-width
// non-joiner shifted highlight offsets into the middle of letters).
func TestSearchUTF8AllLanguages(t *testing.T) {
	ts, dir := includedSite(t)
	queries := siteQueries(t, dir)
	queries["fa"] = append(queries["fa"], "بیمه")
	queries["prs"] = append(queries["prs"], "داکتر")
	if len(queries) != 15 {
		t.Fatalf("queries for %d languages, want 15: %v", len(queries), queries)
	}
	for code, words := range queries {
		t.Run(code, func(t *testing.T) {
			marks := 0
			for _, w := range words {
				q := url.QueryEscape(w)
				page := get(t, ts, "GET", "/"+code+"/search/?q="+q)
				if page.status != 200 {
					t.Errorf("%s: status %d", w, page.status)
				}
				marks += checkMarks(t, "page "+w, page.body)

				api := get(t, ts, "GET", "/api/search?lang="+code+"&q="+q)
				if !utf8.ValidString(api.body) {
					t.Errorf("api %s: not valid UTF-8", w)
				}
				var out struct {
					Hits []struct{ Snippet, Title string }
				}
				if err := json.Unmarshal([]byte(api.body), &out); err != nil {
					t.Fatalf("api %s: %v", w, err)
				}
				for _, h := range out.Hits {
					marks += checkMarks(t, "api "+w+" "+h.Title, h.Snippet)
				}
			}
			// Invalid UTF-8 in the query or a filter is never echoed.
			for _, raw := range []string{
				"q=%ff%c3", "q=" + strings.Repeat("ab+", 17) + "%ff%c3", "q=aide&section=%ff&topic=%c3&audience=%e2%80",
			} {
				page := get(t, ts, "GET", "/"+code+"/search/?"+raw)
				if !utf8.ValidString(page.body) {
					t.Errorf("page ?%s: not valid UTF-8", raw)
				}
				api := get(t, ts, "GET", "/api/search?lang="+code+"&"+raw)
				if !utf8.ValidString(api.body) {
					t.Errorf("api ?%s: not valid UTF-8", raw)
				}
			}
			if marks == 0 {
				t.Errorf("no highlighted match in %d queries %q: the test proves nothing", len(words), words)
			}
		})
	}
}
