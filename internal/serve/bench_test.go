package serve_test

import (
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kb/internal/generation"
	"kb/internal/serve"
	"kb/internal/sitetest"
	"kb/search"
)

// BenchmarkSearchHandler runs the search page and the JSON API in process,
// on the included site, for a profile of what a request costs beyond the
// network (go test -bench SearchHandler -cpuprofile). The queries are the
// first two or three words of every page's title in its language, exact or
// with two letters swapped, in turn: more than the server's cache of recent
// answers holds, so every request searches; and one query repeated, which
// the cache answers.
//
// KB_BENCH_SITE=folder KB_BENCH_OUT=folder run it on a site already built
// (kb build --site folder --out folder), e.g. the 10,000-page corpus: the
// queries come from the site's content, the server opens the generation
// as kb serve --no-build does. KB_BENCH_QUERIES=file takes the exact
// queries from a file of "LANG WORDS" lines instead (e.g. the rotating list
// of scripts/loadtest.sh search).
func BenchmarkSearchHandler(b *testing.B) {
	st, dir := benchState(b)
	defer st.Close()
	exact, typo := benchQueries(b, dir)
	if f := os.Getenv("KB_BENCH_QUERIES"); f != "" {
		exact = benchQueryFile(b, f)
	}
	for _, kind := range []struct {
		name, prefix string
		queries      [][2]string
	}{
		// One query again and again: the answer comes from the cache.
		{"page/cached", "/%s/search/?q=", [][2]string{{"fr", "aide medicale"}}},
		{"api/cached", "/api/search?lang=%s&q=", [][2]string{{"fr", "aide medicale"}}},
		{"page/exact", "/%s/search/?q=", exact},
		{"page/typo", "/%s/search/?q=", typo},
		{"api/exact", "/api/search?lang=%s&q=", exact},
		{"api/typo", "/api/search?lang=%s&q=", typo},
	} {
		b.Run(kind.name, func(b *testing.B) {
			srv := &serve.Server{} // a fresh cache of answers
			srv.Swap(st)
			var urls []string
			for _, q := range kind.queries {
				urls = append(urls, strings.Replace(kind.prefix, "%s", q[0], 1)+url.QueryEscape(q[1]))
			}
			i := 0
			for b.Loop() {
				r := httptest.NewRequest("GET", urls[i%len(urls)], nil)
				r.Header.Set("Accept-Encoding", "gzip")
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("%s: %d", urls[i%len(urls)], w.Code)
				}
				i++
			}
		})
	}
}

// benchState opens the site the benchmark searches: the included one,
// built here, or KB_BENCH_SITE's build in KB_BENCH_OUT.
func benchState(b *testing.B) (*serve.State, string) {
	if dir, out := os.Getenv("KB_BENCH_SITE"), os.Getenv("KB_BENCH_OUT"); dir != "" && out != "" {
		gen, err := generation.Generation(out)
		if err != nil {
			b.Fatal(err)
		}
		st, err := serve.Open(gen)
		if err != nil {
			b.Fatal(err)
		}
		return st, dir
	}
	dir := b.TempDir()
	for _, d := range []string{"content", "i18n", "templates"} {
		if err := sitetest.CopyDir(filepath.Join(sitetest.Root(), d), filepath.Join(dir, d)); err != nil {
			b.Fatal(err)
		}
	}
	site := sitetest.BuildDir(b, dir, true)
	st, err := serve.NewState(site.Result.Generation, site.Result.Renderer)
	if err != nil {
		b.Fatal(err)
	}
	return st, dir
}

var benchTitle = regexp.MustCompile(`(?m)^title:\s*["']?(.+?)["']?\s*$`)

// benchQueries: "lang", "words" pairs, exact and with typos.
func benchQueries(b *testing.B, dir string) (exact, typo [][2]string) {
	seen := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		code := strings.TrimSuffix(filepath.Base(p), ".md")
		if _, err := os.Stat(filepath.Join(dir, "i18n", code+".toml")); err != nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m := benchTitle.FindSubmatch(data)
		if m == nil {
			return nil
		}
		clean, _ := search.CleanQuery(string(m[1]))
		ws := strings.Fields(clean)
		for _, n := range []int{2, 3} {
			if len(ws) < n {
				continue
			}
			q := strings.Join(ws[:n], " ")
			if seen[code+q] {
				continue
			}
			seen[code+q] = true
			exact = append(exact, [2]string{code, q})
			t := make([]string, n)
			changed := false
			for i, w := range ws[:n] {
				r := []rune(w)
				if len(r) >= 5 {
					k := len(r) / 2
					r[k-1], r[k] = r[k], r[k-1]
					changed = true
				}
				t[i] = string(r)
			}
			if changed {
				typo = append(typo, [2]string{code, strings.Join(t, " ")})
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(exact) < 600 || len(typo) < 600 {
		b.Fatalf("%d exact and %d typo queries: fewer than the cache holds", len(exact), len(typo))
	}
	return exact, typo
}

// benchQueryFile reads "LANG WORDS" lines.
func benchQueryFile(b *testing.B, name string) [][2]string {
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	var qs [][2]string
	for _, line := range strings.Split(string(data), "\n") {
		if code, words, ok := strings.Cut(line, " "); ok {
			qs = append(qs, [2]string{code, words})
		}
	}
	if len(qs) == 0 {
		b.Fatalf("%s: no queries", name)
	}
	return qs
}
