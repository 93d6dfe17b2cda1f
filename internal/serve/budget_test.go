package serve

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"kb/internal/sitetest"
)

// budgetServer serves the fixture site with a search budget of one slot
// per lane, one typo-retry slot and room for waiting searches.
func budgetServer(t *testing.T, waiting int) (*Server, *httptest.Server) {
	t.Helper()
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := sitetest.Build(t, string(data), true)
	st, err := NewState(site.Result.Generation, site.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{budget: &budget{
		short: newLane(1, waiting, time.Minute), long: newLane(1, waiting, time.Minute),
		fuzzy: make(chan struct{}, 1), cache: newQueryCache(cacheSize, cacheTTL),
	}}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); st.Close() })
	return srv, ts
}

func fetch(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// TestSearchBudget: a long query waits for the long lane only; with the
// typo-retry slot taken, a misspelt search
// answers at once with exact results and a notice; with every slot taken
// and no room to wait, it says the search is busy (503); a repeated search
// comes from the cache, which a new generation empties (issue 12, item 7).
func TestSearchBudget(t *testing.T) {
	srv, ts := budgetServer(t, 0)
	b := srv.limits()

	// The typo retry is free: the misspelling is corrected.
	code, _, body := fetch(t, ts.URL+"/fr/search/?q=urgnete")
	if code != 200 || !strings.Contains(body, "Aide médicale urgente") || !strings.Contains(body, "search_fuzzy") {
		t.Fatalf("typo search with the budget free: %d\n%s", code, body)
	}

	// Long queries have their own lane: when it is full, short ones still run.
	b.long.slots <- struct{}{}
	if code, _, _ := fetch(t, ts.URL+"/fr/search/?q=aide+medicale+urgente+au+cpas"); code != 503 {
		t.Errorf("long query with its lane full: %d", code)
	}
	if code, _, _ := fetch(t, ts.URL+"/fr/search/?q=cpas"); code != 200 {
		t.Errorf("short query with the long lane full: %d", code)
	}
	b.long.release()

	b.fuzzy <- struct{}{} // another search holds the typo retry
	code, _, body = fetch(t, ts.URL+"/fr/search/?q=medicale+urgnete")
	if code != 200 || !strings.Contains(body, "search_busy") || strings.Contains(body, "search_fuzzy") {
		t.Errorf("typo search without the retry: %d\n%s", code, body)
	}
	code, _, body = fetch(t, ts.URL+"/api/search?lang=fr&q=medicale+urgnete")
	var out struct {
		TyposSkipped bool `json:"typos_skipped"`
		Fuzzy        bool
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || code != 200 || !out.TyposSkipped || out.Fuzzy {
		t.Errorf("api without the retry: %d %+v %v\n%s", code, out, err, body)
	}
	b.releaseFuzzy()

	b.short.slots <- struct{}{} // every slot taken, nowhere to wait
	code, h, body := fetch(t, ts.URL+"/fr/search/?q=pharmacie")
	if code != 503 || h.Get("Retry-After") == "" || !strings.Contains(body, "search_overloaded") {
		t.Errorf("search with the budget spent: %d %v\n%s", code, h, body)
	}
	if code, _, _ := fetch(t, ts.URL+"/api/search?lang=fr&q=pharmacie"); code != 503 {
		t.Errorf("api with the budget spent: %d", code)
	}
	// Answers already given come from the cache; pages are not searches.
	hits := b.cache.hits
	if code, _, body := fetch(t, ts.URL+"/fr/search/?q=urgnete"); code != 200 || !strings.Contains(body, "Aide médicale urgente") {
		t.Errorf("cached search: %d\n%s", code, body)
	}
	if b.cache.hits != hits+1 {
		t.Errorf("cache hits %d, want %d", b.cache.hits, hits+1)
	}
	if code, _, _ := fetch(t, ts.URL+"/fr/fiches/aide-medicale-urgente/"); code != 200 {
		t.Errorf("page with the search budget spent: %d", code)
	}
	// A degraded answer was not kept.
	if code, _, _ := fetch(t, ts.URL+"/fr/search/?q=medicale+urgnete"); code != 503 {
		t.Errorf("degraded answer served from the cache: %d", code)
	}
	// A new generation empties the cache.
	st2, err := NewState(srv.Current().Gen, srv.Current().Renderer)
	if err != nil {
		t.Fatal(err)
	}
	srv.Swap(st2)
	t.Cleanup(func() { st2.Close() })
	if code, _, _ := fetch(t, ts.URL+"/fr/search/?q=urgnete"); code != 503 {
		t.Errorf("new generation answered from the old one's cache: %d", code)
	}
	b.short.release()
}

// TestSearchAfterWait: a search that waited for its turn runs exact only.
func TestSearchAfterWait(t *testing.T) {
	srv, ts := budgetServer(t, 1)
	b := srv.limits()
	b.short.slots <- struct{}{}
	type answer struct {
		code int
		body string
	}
	got := make(chan answer)
	go func() {
		code, _, body := fetch(t, ts.URL+"/fr/search/?q=urgnete")
		got <- answer{code, body}
	}()
	for len(b.short.waiting) == 0 {
		time.Sleep(time.Millisecond) // until the search waits
	}
	b.short.release()
	a := <-got
	if a.code != 200 || !strings.Contains(a.body, "search_busy") || strings.Contains(a.body, "search_fuzzy") {
		t.Errorf("search after a wait: %d\n%s", a.code, a.body)
	}
	// The lane is free again: the full search runs.
	if code, _, body := fetch(t, ts.URL+"/fr/search/?q=urgnete"); code != 200 || !strings.Contains(body, "search_fuzzy") {
		t.Errorf("search with the lane free: %d\n%s", code, body)
	}
}

// TestBudgetWait: a search waits for a slot while its request lasts.
func TestBudgetWait(t *testing.T) {
	b := newLane(1, 2, time.Hour)
	if ok, waited := b.acquire(context.Background()); !ok || waited {
		t.Fatalf("first acquire: %v, waited %v", ok, waited)
	}
	got := make(chan [2]bool)
	go func() { ok, waited := b.acquire(context.Background()); got <- [2]bool{ok, waited} }()
	for len(b.waiting) == 0 {
		time.Sleep(time.Millisecond) // until it waits
	}
	// A search whose reader has gone does not take the slot.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if ok, _ := b.acquire(ctx); ok {
		t.Error("acquire with a cancelled context and no free slot succeeded")
	}
	b.release()
	if r := <-got; !r[0] || !r[1] {
		t.Errorf("the waiting search: got the freed slot %v, waited %v", r[0], r[1])
	}
	b.release()

	// A search waits at most maxWait.
	b = newLane(1, 1, time.Millisecond)
	b.acquire(context.Background())
	if ok, _ := b.acquire(context.Background()); ok {
		t.Error("a second search got the only slot")
	}
}
