package browsertest

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kb/internal/build"
	"kb/internal/preview"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestPreviewReload: kb serve --watch in a real browser. The page open
// reloads by itself once its file is saved (reload.js, server-sent events,
// the preview's Content-Security-Policy) and shows the new text, rendered
// from memory.
func TestPreviewReload(t *testing.T) {
	e := need(t)
	data, err := os.ReadFile(filepath.Join("..", "build", "testdata", "site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.Write(t, string(data))
	ctx, cancel := context.WithCancel(context.Background())
	p := preview.New(build.Options{Site: dir, NoIndex: true}, &serve.Server{}, io.Discard, io.Discard)
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		p.Run(ctx)
		close(done)
	}()
	srv := httptest.NewServer(p.Handler())
	t.Cleanup(func() {
		srv.Close()
		cancel()
		<-done
	})

	tab := e.tab(t)
	if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/en/fiches/urgent-care/")); err != nil {
		t.Fatal(err)
	}
	// A reload loses this mark.
	if _, err := eval[bool](tab, "window.kbMark = true"); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "content", "fiches", "urgent-care", "en.md")
	md, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, []byte(strings.Replace(string(md), "Ask the", "Kindly ask the", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The page connects to /_kb/events with the version it was served
	// with: a save before it connected reloads it as well.
	deadline := time.Now().Add(15 * time.Second)
	for {
		text, err := eval[string](tab, `(window.kbMark ? "old: " : "") + document.querySelector("main").innerText`)
		if err == nil && !strings.HasPrefix(text, "old: ") && strings.Contains(text, "Kindly ask the") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page did not reload with the save (%v):\n%.300s", err, text)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, problems := e.drain(); len(problems) > 0 {
		t.Errorf("console: %v", problems)
	}
}
