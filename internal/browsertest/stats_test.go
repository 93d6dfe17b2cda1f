package browsertest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"kb/internal/stats"
)

// TestStatsReport: the HTML report of kb stats opens with no request but
// its own, runs no script and draws its charts.
func TestStatsReport(t *testing.T) {
	e := need(t)
	b := stats.Batch{}
	for i, day := range []string{"2025-01-10", "2025-02-10", "2025-03-10"} {
		n := uint64(i + 1)
		for code, v := range map[string]uint64{"fr": 72, "nl": 27, "en": 5, "ar": 3, "ti": 2, "fa": 2, "ps": 1, "uk": 1} {
			b.Add(day, stats.Key{Kind: stats.Visit, Lang: code, Class: "home", Item: "home"}, v*n)
		}
	}
	b.Add("2025-03-10", stats.Key{Kind: stats.Search, Lang: "ti", Class: stats.None, Item: "ሕክምና"}, 4)
	rep := stats.NewReport(b, stats.Options{Since: "2025-01-01", Until: "2025-03-31", Paths: stats.NewPaths(e.res.Site)})
	var html bytes.Buffer
	if err := rep.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(html.Bytes())
	}))
	defer srv.Close()
	report := srv.URL + "/report.html"

	ctx := e.tab(t)
	var mu sync.Mutex
	var requests []string
	chromedp.Listen(ctx, func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, r.Request.URL)
			mu.Unlock()
		}
	})
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(report))
	if err != nil || resp == nil || resp.Status != 200 {
		t.Fatalf("open the report: %v", err)
	}
	scripts, err := eval[int](ctx, "document.scripts.length")
	if err != nil || scripts != 0 {
		t.Errorf("scripts: %d (%v)", scripts, err)
	}
	charts, err := eval[int](ctx, "document.querySelectorAll('svg').length")
	if err != nil || charts != 2 {
		t.Errorf("charts: %d (%v)", charts, err)
	}
	// Every bar is drawn with a size: 3 months × 8 languages (7 + other).
	bars, err := eval[int](ctx, "[...document.querySelectorAll('svg rect')].filter(r => r.getBBox().width > 0 && r.getBBox().height > 0).length")
	if err != nil || bars < 3*8 {
		t.Errorf("drawn bars: %d (%v)", bars, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(requests) != 1 || requests[0] != report {
		t.Errorf("requests: %q, want only the report", requests)
	}
}
