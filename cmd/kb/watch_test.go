package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"kb/internal/build"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// syncBuffer is a buffer that the server and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the output matches re and returns the match.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp) []string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
	}
	t.Fatalf("no %q in the output:\n%s", re, out)
	return nil
}

func TestServeWatch(t *testing.T) {
	data, err := os.ReadFile("../../internal/build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.Write(t, string(data))
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() {
		code <- watchAndServe(ctx, &serve.Server{}, build.Options{Site: dir, NoIndex: true}, false, "127.0.0.1:0", &stdout, &stderr)
	}()
	addr := waitFor(t, &stdout, regexp.MustCompile(`serving .* on (http://[^/]+)/`))[1]
	get := func(path string) string {
		t.Helper()
		res, err := http.Get(addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	if body := get("/en/fiches/urgent-care/"); !strings.Contains(body, `<script src="/_kb/reload.js" defer></script>`) {
		t.Errorf("page lacks the reload script:\n%s", body)
	}
	p := filepath.Join(dir, "content/fiches/urgent-care/en.md")
	src, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(src), "Ask the", "Kindly ask the", 1)), 0o644)
	waitFor(t, &stdout, regexp.MustCompile(`content/fiches/urgent-care/en.md: 1 page updated`))
	if body := get("/en/fiches/urgent-care/"); !strings.Contains(body, "Kindly ask the") {
		t.Error("the change is not served")
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit code %d\n%s", c, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("kb serve --watch did not stop")
	}
	// A normal build has no reload script.
	if _, err := build.Build(context.Background(), build.Options{Site: dir, NoIndex: true}); err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "public/en/fiches/urgent-care/index.html"))
	if strings.Contains(string(html), "reload.js") {
		t.Error("a normal build has the reload script")
	}
}
