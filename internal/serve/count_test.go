package serve_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"kb/internal/serve"
	"kb/internal/sitetest"
	"kb/internal/stats"
)

const browserUA = "Mozilla/5.0 (Linux; Android 10; K) Chrome/120.0 Mobile Safari/537.36 UniqueAgent7f3a"

// countingServer serves the fixture site, with its index, counting into a
// store of its own on a fixed day.
func countingServer(t *testing.T) (*httptest.Server, *stats.Counter, *stats.Store) {
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
	srv := &serve.Server{}
	srv.Swap(st)
	store, err := stats.OpenServer(stats.Dir(fixture.Public))
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 3, 12, 15, 4, 5, 0, time.UTC)
	c := stats.NewCounter(store, func() time.Time { return day })
	ts := httptest.NewServer(serve.Count(srv, c))
	t.Cleanup(func() { ts.Close(); st.Close(); store.Close() })
	return ts, c, store
}

func fetch(t *testing.T, ts *httptest.Server, method, path, ua string) int {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", ua)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func TestCount(t *testing.T) {
	ts, c, store := countingServer(t)
	const bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	for _, r := range []struct{ method, path, ua string }{
		{"GET", "/fr/fiches/aide-medicale-urgente/", browserUA},
		{"GET", "/fr/fiches/aide-medicale-urgente/index.html", browserUA},
		{"GET", "/fr/fiches/aide-medicale-urgente/?nl=2025-03", browserUA},
		{"GET", "/fr/fiches/aide-medicale-urgente/?nl=not-an-edition", browserUA},
		{"GET", "/ar/fiches/urgent-care/", browserUA},
		{"GET", "/ar/procedures/amu-steps/", browserUA}, // no Arabic translation, no link to it: rendered
		{"GET", "/en/", browserUA},
		{"GET", "/en/news/", browserUA},
		{"GET", "/fr/a-z/", browserUA},
		{"GET", "/fr/search/", browserUA},
		{"GET", "/fr/search/?q=aide", browserUA},
		{"GET", "/fr/search/?q=aide&page=2", browserUA},
		{"GET", "/fr/search/?q=urgnete", browserUA},
		{"GET", "/api/search?q=%D8%A7%D9%84%D8%B1%D8%B9%D8%A7%D9%8A%D8%A9&lang=en", browserUA},
		{"GET", "/fr/search/?q=xyzzy+0470+12+34+56", browserUA},
		{"GET", "/fr/fiches/aide-medicale-urgente/", bot},
		{"GET", "/fr/search/?q=aide", bot},
		{"HEAD", "/fr/", browserUA},
		{"GET", "/fr/fiches/nothing/", browserUA},
		{"GET", "/fr/fiches/aide-medicale-urgente", browserUA}, // 301 to the slash
		{"GET", "/", browserUA},
		{"GET", "/fr/feed.xml", browserUA},
		{"GET", "/sitemap.xml", browserUA},
		{"GET", "/files/fiches/urgent-care/card.png", browserUA},
	} {
		fetch(t, ts, r.method, r.path, r.ua)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := stats.Merge([]string{store.Path}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	fiche := stats.Key{Kind: stats.Visit, Lang: "fr", Class: "fiches", Item: "fiches/urgent-care"}
	want := stats.Batch{"2025-03-12": {
		fiche: 4,
		{Kind: stats.NL, Lang: "fr", Class: "2025-03", Item: "fiches/urgent-care"}:      1,
		{Kind: stats.Visit, Lang: "ar", Class: "fiches", Item: "fiches/urgent-care"}:    1,
		{Kind: stats.Visit, Lang: "ar", Class: "missing", Item: "procedures/amu-steps"}: 1,
		{Kind: stats.Visit, Lang: "en", Class: "home", Item: "home"}:                    1,
		{Kind: stats.Visit, Lang: "en", Class: "list", Item: "news"}:                    1,
		{Kind: stats.Visit, Lang: "fr", Class: "list", Item: "a-z"}:                     1,
		{Kind: stats.Visit, Lang: "fr", Class: "list", Item: "search"}:                  1,
		{Kind: stats.Search, Lang: "fr", Class: stats.Exact, Item: "aide"}:              1,
		{Kind: stats.Search, Lang: "fr", Class: stats.Fuzzy, Item: "urgnete"}:           1,
		{Kind: stats.Search, Lang: "en", Class: stats.OtherLanguage, Item: "الرعاية"}:   1,
		{Kind: stats.Search, Lang: "fr", Class: stats.None, Item: "xyzzy #"}:            1,
		{Kind: stats.Other, Class: stats.Bot}:                                           2,
		{Kind: stats.Other, Class: stats.NotFound}:                                      1,
		{Kind: stats.Other, Class: stats.Redirect}:                                      1,
		{Kind: stats.Other, Class: stats.Chooser}:                                       1,
		{Kind: stats.Other, Class: stats.Feed}:                                          1,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestCountConcurrent(t *testing.T) {
	ts, c, store := countingServer(t)
	const workers, each = 50, 20
	paths := []string{"/fr/fiches/aide-medicale-urgente/", "/en/", "/fr/search/?q=aide", "/fr/nope/"}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	flushed := make(chan error, 1)
	go func() { // flushes while requests come in
		var err error
		for {
			select {
			case <-stop:
				flushed <- err
				return
			default:
				if e := c.Flush(); e != nil {
					err = e
				}
			}
		}
	}()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				req, _ := http.NewRequest("GET", ts.URL+paths[(w+i)%len(paths)], nil)
				req.Header.Set("User-Agent", browserUA)
				res, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	c.Flush()
	got, _ := stats.Merge([]string{store.Path}, "", "")
	var total uint64
	for _, n := range got["2025-03-12"] {
		total += n
	}
	if total != workers*each {
		t.Errorf("counted %d requests, want %d: %v", total, workers*each, got)
	}
}

// TestCountPrivacy sends requests that carry what must never be stored and
// scans the store file for it.
func TestCountPrivacy(t *testing.T) {
	ts, c, store := countingServer(t)
	queries := []string{
		"0470123456",
		"mutuelle 0470 12 34 56",
		"rijksregister 85.07.30-033.61",
		"dossier 9876543/2024",
		"jan.peeters@example.org ocmw",
		"+32 2 555 12 12",
	}
	for _, q := range queries {
		for _, p := range []string{"/fr/search/?q=", "/api/search?lang=en&q="} {
			req, _ := http.NewRequest("GET", ts.URL+p+strings.ReplaceAll(q, " ", "+"), nil)
			req.Header.Set("User-Agent", browserUA)
			req.Header.Set("Referer", "https://referrer.example/page")
			req.Header.Set("X-Forwarded-For", "198.51.100.23")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
		}
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(store.Path)
	if err != nil {
		t.Fatal(err)
	}
	never := []string{"127.0.0.1", "198.51.100.23", "UniqueAgent7f3a", "Android", "referrer.example", "example.org", "jan.peeters"}
	for _, q := range queries {
		never = append(never, regexp.MustCompile(`[0-9][0-9 ./-]*[0-9]`).FindAllString(q, -1)...)
	}
	for _, s := range never {
		if len(s) >= 2 && bytes.Contains(data, []byte(s)) {
			t.Errorf("the store holds %q", s)
		}
	}
	// And what is stored, decoded, has no two digits in a row but the day.
	got, _ := stats.Merge([]string{store.Path}, "", "")
	digits := regexp.MustCompile(`[0-9]{2}`)
	n := 0
	for _, m := range got {
		for k := range m {
			n++
			if digits.MatchString(k.Item) {
				t.Errorf("stored query %q keeps digits", k.Item)
			}
		}
	}
	if n == 0 {
		t.Error("nothing counted")
	}
	entries, _ := os.ReadDir(filepath.Dir(store.Path))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "serve-") {
			t.Errorf("unexpected file %s", e.Name())
		}
	}
}

// BenchmarkCount measures what counting adds to serving a fiche and a
// search, in process (no network), so that it holds on a busy machine.
func BenchmarkCount(b *testing.B) {
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		b.Fatal(err)
	}
	fixture := sitetest.Build(b, string(data), true)
	st, err := serve.NewState(fixture.Result.Generation, fixture.Result.Renderer)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv := &serve.Server{}
	srv.Swap(st)
	store, _ := stats.OpenServer(stats.Dir(fixture.Public))
	defer store.Close()
	c := stats.NewCounter(store, nil)
	for _, h := range []struct {
		name string
		h    http.Handler
	}{{"plain", srv}, {"counted", serve.Count(srv, c)}} {
		for _, path := range []string{"/fr/fiches/aide-medicale-urgente/", "/fr/search/?q=aide"} {
			b.Run(h.name+path, func(b *testing.B) {
				req := httptest.NewRequest("GET", path, nil)
				req.Header.Set("User-Agent", browserUA)
				req.Header.Set("Accept-Encoding", "gzip")
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						h.h.ServeHTTP(httptest.NewRecorder(), req)
					}
				})
			})
		}
	}
	c.Flush()
}
