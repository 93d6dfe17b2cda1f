package serve

import (
	"container/list"
	"context"
	"runtime"
	"strings"
	"sync"
	"time"

	"kb/search"
)

// The search budget. A search costs from a fraction of a millisecond (a
// few exact words) to a second (sixteen misspelt words, each tried
// fuzzily in every text field); a page costs microseconds. Unbounded, a
// hundred connections sending long misspelt queries take every core, and
// pages and ordinary searches wait seconds behind them (issue 12). So:
//
//   - Searches run in two lanes, by their number of words once cleaned:
//     up to shortWords (what readers type) in one, more in the other. The
//     short lane runs one search per core, the long lane one search: long
//     queries cannot hold up short ones.
//   - A search that finds its lane full waits its turn, without using a
//     core (in order, at most maxWaiting per lane, each at most maxWait).
//     Beyond that the reader is told that the search is busy (503,
//     Retry-After). Waiting is cheap, and it slows a flood down: a refusal
//     at once would invite the next request at once.
//   - The typo retry is for searches that did not wait, at most one per two
//     cores at a time. A search that had to wait, or finds the retry taken,
//     runs exact only, and the page says so (search_busy): under load the
//     cheap answer now is better than the full one later, and the queue
//     drains faster.
//   - The last cacheSize answers, for cacheTTL, are kept by generation and
//     cleaned query, so that a repeated search costs nothing. Answers that
//     skipped the typo retry are not kept. The cache is in memory only and
//     is emptied with every new generation; a query is never logged.
type budget struct {
	short, long lane
	fuzzy       chan struct{} // running searches allowed the typo retry
	cache       *queryCache
}

// lane bounds the searches that run and wait.
type lane struct {
	slots   chan struct{} // running searches
	waiting chan struct{} // searches waiting for a slot
	maxWait time.Duration
}

const (
	shortWords = 4
	maxWaiting = 256
	maxWait    = 1500 * time.Millisecond // under searchTimeout
	cacheSize  = 512
	cacheTTL   = 5 * time.Minute
)

func newLane(slots, waiting int, wait time.Duration) lane {
	return lane{slots: make(chan struct{}, slots), waiting: make(chan struct{}, waiting), maxWait: wait}
}

func defaultBudget() *budget {
	n := runtime.GOMAXPROCS(0)
	return &budget{
		short: newLane(n, maxWaiting, maxWait),
		long:  newLane(1, maxWaiting, maxWait),
		fuzzy: make(chan struct{}, max(1, n/2)),
		cache: newQueryCache(cacheSize, cacheTTL),
	}
}

// limits returns the server's budget, made on first use.
func (s *Server) limits() *budget {
	s.budgetOnce.Do(func() {
		if s.budget == nil {
			s.budget = defaultBudget()
		}
	})
	return s.budget
}

// acquire waits for a running slot; ok is false when too many wait
// already, the wait is over maxWait, or the request is gone. waited says
// the lane was full.
func (l *lane) acquire(ctx context.Context) (ok, waited bool) {
	select {
	case l.slots <- struct{}{}:
		return true, false
	default:
	}
	select {
	case l.waiting <- struct{}{}:
	default:
		return false, true
	}
	defer func() { <-l.waiting }()
	t := time.NewTimer(l.maxWait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true, true
	case <-t.C:
	case <-ctx.Done():
	}
	return false, true
}

func (l *lane) release() { <-l.slots }

// tryFuzzy takes a typo-retry slot if one is free, without waiting.
func (b *budget) tryFuzzy() bool {
	select {
	case b.fuzzy <- struct{}{}:
		return true
	default:
		return false
	}
}

func (b *budget) releaseFuzzy() { <-b.fuzzy }

// errBusy: the search budget is spent; the reader should try again soon.
type errBusy struct{}

func (errBusy) Error() string { return "search busy" }

// search runs req within the budget; it returns errBusy when no slot came
// in time.
func (b *budget) search(ctx context.Context, st *State, req search.Request) (*search.Response, error) {
	clean, err := search.CleanQuery(req.Query)
	if err != nil {
		return nil, err
	}
	key := cacheKey{lang: req.Lang, query: clean, section: req.Section, topic: req.Topic, audience: req.Audience, page: req.Page, size: req.Size}
	if res, ok := b.cache.get(st, key); ok {
		return res, nil
	}
	l := &b.short
	if len(strings.Fields(clean)) > shortWords {
		l = &b.long
	}
	ok, waited := l.acquire(ctx)
	if !ok {
		return nil, errBusy{}
	}
	defer l.release()
	// A search that had to wait is behind others: the budget is spent, and
	// the cheap answer now beats the full one later.
	if !waited && b.tryFuzzy() {
		defer b.releaseFuzzy()
	} else {
		req.ExactOnly = true
	}
	res, err := st.Index.Search(ctx, req)
	if err == nil && !res.TyposSkipped {
		b.cache.put(st, key, res)
	}
	return res, err
}

type cacheKey struct {
	lang, query, section, topic, audience string
	page, size                            int
}

type cacheEntry struct {
	key  cacheKey
	res  *search.Response
	when time.Time
}

// queryCache keeps recent answers of one generation, least recently used
// out first.
type queryCache struct {
	mu    sync.Mutex
	st    *State // the generation the entries belong to
	size  int
	ttl   time.Duration
	order *list.List // of *cacheEntry, most recent first
	byKey map[cacheKey]*list.Element
	hits  int // for tests
}

func newQueryCache(size int, ttl time.Duration) *queryCache {
	return &queryCache{size: size, ttl: ttl, order: list.New(), byKey: map[cacheKey]*list.Element{}}
}

// reset empties the cache when st is not its generation.
func (c *queryCache) reset(st *State) {
	if c.st != st {
		c.st = st
		c.order.Init()
		clear(c.byKey)
	}
}

func (c *queryCache) get(st *State, k cacheKey) (*search.Response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(st)
	el, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if time.Since(e.when) > c.ttl {
		c.order.Remove(el)
		delete(c.byKey, k)
		return nil, false
	}
	c.order.MoveToFront(el)
	c.hits++
	return e.res, true
}

func (c *queryCache) put(st *State, k cacheKey, res *search.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(st)
	if el, ok := c.byKey[k]; ok {
		el.Value = &cacheEntry{k, res, time.Now()}
		c.order.MoveToFront(el)
		return
	}
	c.byKey[k] = c.order.PushFront(&cacheEntry{k, res, time.Now()})
	for c.order.Len() > c.size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}
