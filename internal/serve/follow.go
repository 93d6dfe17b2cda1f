package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Follow keeps a running server on the generation the output link points
// to, so that kb build (or CI) can publish while kb serve runs, with no
// restart and no failed request:
//
//   - Before a request, at most once per Every, the server reads the link
//     (one readlink(2)). When it names another generation, that generation
//     is opened in the background (Open: its files, index and renderer)
//     while requests go on being answered from the current one.
//   - Then the new state is swapped in; the old one is closed once the
//     requests using it are done, which releases its hold.
//   - A generation that fails to open (unreadable, say) is not tried again:
//     the server stays on the current one until a build links another.
//   - A state holds its generation (generation.Hold): a build removes
//     no generation a server still holds, so the site a server answers from
//     never disappears under it, however many builds run in between.
//
// Several servers can follow the same link: each opens the index read-only.
type Follow struct {
	Link  string                           // the output link, e.g. public
	Open  func(gen string) (*State, error) // opens a generation: Open, mostly
	Every time.Duration                    // 0: 100ms
	// Logf, when set, reports each switch and each failure to open.
	Logf func(format string, args ...any)

	last    atomic.Int64 // unix nanoseconds of the last read of the link
	loading atomic.Bool
	mu      sync.Mutex // serialises opening
	target  string     // the link's target the current state came from
}

// check reads the link when it is due and starts opening a new generation.
func (f *Follow) check(s *Server) {
	every := f.Every
	if every <= 0 {
		every = 100 * time.Millisecond
	}
	now := time.Now().UnixNano()
	last := f.last.Load()
	if now-last < int64(every) || !f.last.CompareAndSwap(last, now) {
		return
	}
	target, err := os.Readlink(f.Link)
	if err != nil || !f.loading.CompareAndSwap(false, true) {
		return
	}
	f.mu.Lock()
	same := target == f.target
	f.mu.Unlock()
	if same {
		f.loading.Store(false)
		return
	}
	go func() {
		defer f.loading.Store(false)
		if err := f.Sync(s); err != nil && f.Logf != nil {
			f.Logf("kb serve: staying on the current generation: %v", err)
		}
	}()
}

// Sync moves s to the generation the link names now, if it is not there
// already, and returns when it has.
func (f *Follow) Sync(s *Server) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	target, err := os.Readlink(f.Link)
	if err != nil {
		return err
	}
	if target == f.target {
		return nil
	}
	site := target
	if !filepath.IsAbs(site) {
		site = filepath.Join(filepath.Dir(f.Link), site)
	}
	gen := filepath.Dir(site)
	if cur := s.state.Load(); cur != nil && sameFile(cur.Gen, gen) {
		f.target = target
		return nil
	}
	// Tried once: a generation does not change once built, so a failure
	// waits for the next build.
	f.target = target
	st, err := f.Open(gen)
	if err != nil {
		return fmt.Errorf("opening %s (tried again after the next build): %w", gen, err)
	}
	retire(s.Swap(st))
	if f.Logf != nil {
		f.Logf("kb serve: now serving %s", gen)
	}
	return nil
}

func sameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
