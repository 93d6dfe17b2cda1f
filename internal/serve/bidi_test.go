package serve_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestBidiTitles: an Arabic title or summary with a Latin abbreviation in
// brackets and guillemets has its left-to-right runs isolated wherever it is
// the text of an element (the page's h1, cards, lists, the glossary terms,
// search results), and nowhere markup is wrong: <title>, the meta
// description, the feed, the search index and the search API's JSON.
func TestBidiTitles(t *testing.T) {
	const (
		title    = "المساعدة الطبية «aide médicale urgente» (AMU)"
		isolated = "المساعدة الطبية «<bdi>aide médicale urgente</bdi>» (<bdi>AMU</bdi>)"
		summary  = "تدفعها بلدية المريض (CPAS)."
		sumIso   = "تدفعها بلدية المريض (<bdi>CPAS</bdi>)."
		news     = "تدريب «CPAS»"
		newsIso  = "تدريب «<bdi>CPAS</bdi>»"
	)
	src := strings.Replace(fixture(t), "title: المساعدة الطبية العاجلة\n", "title: "+title+"\nsummary: "+summary+"\n", 1)
	if src == fixture(t) {
		t.Fatal("the fixture changed: no Arabic title to replace")
	}
	src += "-- content/news/2025-01-02-training/ar.md --\n---\ntitle: " + news + "\ndate: 2025-01-02\nreviewed: 2025-01-02\n---\nنص الخبر.\n"
	s := sitetest.Build(t, src, true)

	s.Contains(t, "ar/fiches/urgent-care/index.html",
		"<h1>"+isolated+"</h1>", `<p class="summary">`+sumIso+"</p>",
		"<title>"+title+" · ", `<meta name="description" content="`+summary+`">`)
	s.Contains(t, "ar/fiches/index.html", ">"+isolated+"</a><p>"+sumIso+"</p>")
	s.Contains(t, "ar/a-z/index.html", ">"+isolated+"</a>")
	s.Contains(t, "ar/news/index.html", ">"+newsIso+"</a>")
	s.Contains(t, "ar/feed.xml", news, "! bdi>")
	// French pages are as they were.
	s.Contains(t, "fr/fiches/index.html", "! <bdi>")

	st, err := serve.Open(s.Result.Generation)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveState(t, st)
	q := url.QueryEscape("AMU")
	r := get(t, ts, "GET", "/ar/search/?q="+q)
	if r.status != 200 || !strings.Contains(r.body, ">"+isolated+"</a>") {
		t.Errorf("search page: %d, no isolated title in\n%s", r.status, r.body)
	}
	r = get(t, ts, "GET", "/api/search?lang=ar&q="+q)
	if r.status != 200 || strings.Contains(r.body, "bdi>") {
		t.Fatalf("search API: %d\n%s", r.status, r.body)
	}
	var api struct {
		Hits []struct{ Title, Summary string }
	}
	if err := json.Unmarshal([]byte(r.body), &api); err != nil {
		t.Fatal(err)
	}
	if len(api.Hits) == 0 || api.Hits[0].Title != title || api.Hits[0].Summary != summary {
		t.Errorf("search API hits %+v, want the title and summary as written", api.Hits)
	}
}
