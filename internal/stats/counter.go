package stats

import (
	"context"
	"sync"
	"time"
)

// Interval is how often a Counter writes its counts to the store.
const Interval = 10 * time.Second

// Batch is counts in memory: day (YYYY-MM-DD) -> Key -> count.
type Batch map[string]map[Key]uint64

// Add adds n to a counter of a day.
func (b Batch) Add(day string, k Key, n uint64) {
	m := b[day]
	if m == nil {
		m = map[Key]uint64{}
		b[day] = m
	}
	m[k] += n
}

// Counter batches counts in memory and writes them to a Store.
type Counter struct {
	store *Store
	now   func() time.Time

	mu      sync.Mutex
	pending Batch
	day     string
	dayEnd  time.Time
}

// NewCounter returns a counter that writes to st. now gives the time (nil:
// time.Now); only its day, in its location, is kept.
func NewCounter(st *Store, now func() time.Time) *Counter {
	if now == nil {
		now = time.Now
	}
	return &Counter{store: st, now: now, pending: Batch{}}
}

// Add counts one event today.
func (c *Counter) Add(k Key) {
	t := c.now()
	c.mu.Lock()
	if c.day == "" || !t.Before(c.dayEnd) || t.Before(c.dayEnd.AddDate(0, 0, -1)) {
		c.day = t.Format(time.DateOnly)
		y, m, d := t.Date()
		c.dayEnd = time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
	}
	c.pending.Add(c.day, k, 1)
	c.mu.Unlock()
}

// Flush writes the pending counts to the store. On error they are kept
// for the next try.
func (c *Counter) Flush() error {
	c.mu.Lock()
	b := c.pending
	c.pending = Batch{}
	c.mu.Unlock()
	if len(b) == 0 {
		return nil
	}
	if err := c.store.Write(b, nil); err != nil {
		c.mu.Lock()
		for day, m := range b {
			for k, n := range m {
				c.pending.Add(day, k, n)
			}
		}
		c.mu.Unlock()
		return err
	}
	return nil
}

// Run flushes every interval until ctx ends, then flushes once more.
// Errors go to report (which may be nil).
func (c *Counter) Run(ctx context.Context, interval time.Duration, report func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := c.Flush(); err != nil && report != nil {
				report(err)
			}
		case <-ctx.Done():
			if err := c.Flush(); err != nil && report != nil {
				report(err)
			}
			return
		}
	}
}
