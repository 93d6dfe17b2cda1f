package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kb/internal/build"
	"kb/internal/generation"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// follower serves a built site as kb serve --no-build does: it follows the
// output link and opens each new generation with the site's templates.
func follower(t *testing.T, s *sitetest.Site) *httptest.Server {
	t.Helper()
	open := func(gen string) (*serve.State, error) {
		res, err := build.Load(s.Dir, false)
		if err != nil {
			return nil, err
		}
		return serve.NewState(gen, res.Renderer)
	}
	gen, err := generation.Generation(s.Public)
	if err != nil {
		t.Fatal(err)
	}
	st, err := open(gen)
	if err != nil {
		t.Fatal(err)
	}
	srv := &serve.Server{Follow: &serve.Follow{Link: s.Public, Open: open, Every: time.Millisecond}}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Current().Close() })
	return ts
}

func fetchURL(c *http.Client, url string) (int, string, error) {
	res, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

func rebuild(t *testing.T, s *sitetest.Site, title string) {
	t.Helper()
	p := filepath.Join(s.Dir, "content/fiches/urgent-care/fr.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(data), "\n", 3)
	lines[1] = "title: " + title
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build.Build(context.Background(), build.Options{Site: s.Dir, Out: s.Public}); err != nil {
		t.Fatal(err)
	}
}

// TestFollowsBuilds: two servers on one output link, requests running all
// the time, three builds: every request answers 200 (pages and search) and
// both servers move to each new generation without a restart.
func TestFollowsBuilds(t *testing.T) {
	s := sitetest.Build(t, fixture(t), true)
	servers := []*httptest.Server{follower(t, s), follower(t, s)}
	paths := []string{"/fr/fiches/aide-medicale-urgente/", "/fr/search/?q=aide", "/api/search?q=aide&lang=fr", "/en/", "/fr/feed.xml"}

	var total, ok atomic.Int64
	var mu sync.Mutex
	var failures []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{}
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				u := servers[n%2].URL + paths[n%len(paths)]
				code, _, err := fetchURL(c, u)
				total.Add(1)
				if code == 200 {
					ok.Add(1)
					continue
				}
				mu.Lock()
				if len(failures) < 10 {
					failures = append(failures, fmt.Sprintf("%s: %d %v", u, code, err))
				}
				mu.Unlock()
			}
		}()
	}
	for i := 1; i <= 3; i++ {
		title := fmt.Sprintf("Aide médicale urgente, version %d", i)
		rebuild(t, s, title)
		for _, ts := range servers {
			waitFor(t, ts.URL+"/fr/fiches/aide-medicale-urgente/", "<h1>"+title+"</h1>")
			waitFor(t, ts.URL+"/fr/search/?q=version", title)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d requests during 3 builds, %d answered 200", total.Load(), ok.Load())
	if total.Load() < 20 || ok.Load() != total.Load() {
		t.Errorf("%d of %d requests answered 200; first failures:\n%s", ok.Load(), total.Load(), strings.Join(failures, "\n"))
	}
	// The generations the servers left are removed by the next builds.
	rebuild(t, s, "Aide médicale urgente")
	for _, gen := range []string{"public-1", "public-2"} {
		if _, err := os.Stat(filepath.Join(s.Dir, ".kb", gen)); err == nil {
			t.Errorf("%s is still there after the servers moved on", gen)
		}
	}
}

// TestHeldGeneration is the case: a server that saw no request
// during two builds still answers from the generation it holds, then moves.
func TestHeldGeneration(t *testing.T) {
	s := sitetest.Build(t, fixture(t), true)
	ts := follower(t, s)
	rebuild(t, s, "Version un")
	rebuild(t, s, "Version deux")
	if _, err := os.Stat(filepath.Join(s.Dir, ".kb", "public-1")); err != nil {
		t.Fatalf("the generation a server holds was removed: %v", err)
	}
	for _, p := range []string{"/fr/fiches/aide-medicale-urgente/", "/fr/search/?q=aide", "/fr/"} {
		if code, _, err := fetchURL(http.DefaultClient, ts.URL+p); code != 200 {
			t.Errorf("%s: %d %v", p, code, err)
		}
	}
	waitFor(t, ts.URL+"/fr/fiches/aide-medicale-urgente/", "<h1>Version deux</h1>")
}

// waitFor asks for url until its body contains want: a server moves to a
// new generation at a request after the build, in the background.
func waitFor(t *testing.T, url, want string) {
	t.Helper()
	var body string
	for range 600 {
		var code int
		code, body, _ = fetchURL(http.DefaultClient, url)
		if code == 200 && strings.Contains(body, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never showed %q; last body:\n%.400s", url, want, body)
}

func fixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestFollowBrokenGeneration: a generation that fails to open is tried
// once, not at every request (each try loads the whole site), and the
// server goes on answering from the one it has until the next build.
func TestFollowBrokenGeneration(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	gen, err := generation.Generation(s.Public)
	if err != nil {
		t.Fatal(err)
	}
	st, err := serve.NewState(gen, s.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	var opens atomic.Int64
	broken := func(string) (*serve.State, error) {
		opens.Add(1)
		return nil, fmt.Errorf("permission denied")
	}
	srv := &serve.Server{Follow: &serve.Follow{Link: s.Public, Open: broken, Every: time.Millisecond}}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Current().Close() })

	rebuild(t, s, "Version un")
	for range 50 {
		if code, _, err := fetchURL(http.DefaultClient, ts.URL+"/fr/"); code != 200 {
			t.Fatalf("/fr/: %d %v", code, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n := opens.Load(); n != 1 {
		t.Errorf("the broken generation was opened %d times, want 1", n)
	}
	rebuild(t, s, "Version deux")
	for range 50 {
		fetchURL(http.DefaultClient, ts.URL+"/fr/")
		time.Sleep(5 * time.Millisecond)
	}
	if n := opens.Load(); n != 2 {
		t.Errorf("after the next build: %d opens, want 2", n)
	}
}
