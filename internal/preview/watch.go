package preview

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watched are the folders of the site a preview watches, recursively.
var Watched = []string{"content", "templates", "i18n"}

// watcher watches the site's folders and sends the paths that changed,
// site-relative and slash-separated, in batches: a batch goes out once no
// event came for quiet (editors save in bursts: a temporary file, a rename,
// a chmod), or after at most maxWait.
type watcher struct {
	root    string
	fw      *fsnotify.Watcher
	quiet   time.Duration
	maxWait time.Duration
	batches chan []string
	errs    chan error
}

// everything is the path that stands for "read everything again" (the
// kernel dropped events): i18n/ decides what all the rest means.
const everything = "i18n"

func newWatcher(root string, quiet time.Duration) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{root: root, fw: fw, quiet: quiet, maxWait: 10 * quiet, batches: make(chan []string), errs: make(chan error, 1)}
	// The site folder itself, to see one of the watched folders appear.
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, top := range Watched {
		if err := w.addTree(top, nil); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

// addTree watches a folder and every folder under it; found, when not nil,
// gets every file in them (files created before the watch began).
func (w *watcher) addTree(rel string, found func(string)) error {
	return filepath.WalkDir(filepath.Join(w.root, filepath.FromSlash(rel)), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r := w.rel(p)
		if r != rel && ignored(r) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return w.fw.Add(p)
		}
		if found != nil {
			found(r)
		}
		return nil
	})
}

func (w *watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(r)
}

// run watches until ctx ends.
func (w *watcher) run(ctx context.Context) {
	defer w.fw.Close()
	// The paths that changed; true for those created in this batch, which
	// are left out if they are gone again (temporary files: sed -i, a save
	// by rename).
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var first time.Time
	var out chan []string // not nil when a batch is ready to go
	var batch []string
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fw.Events:
			if !ok {
				return
			}
			r := w.rel(ev.Name)
			if !inScope(r) || ignored(r) || ev.Op == fsnotify.Chmod {
				continue
			}
			_, seen := pending[r]
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					w.addTree(r, func(f string) { pending[f] = false })
				}
			}
			if ev.Has(fsnotify.Rename) {
				w.fw.Remove(ev.Name) // a folder moved away keeps its watch otherwise
			}
			if !seen {
				pending[r] = ev.Has(fsnotify.Create)
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending[everything] = false
				continue
			}
			select {
			case w.errs <- err:
			default:
			}
			continue
		case <-timer.C:
			batch = nil
			for p, created := range pending {
				if _, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(p))); created && err != nil {
					continue
				}
				batch = append(batch, p)
			}
			slices.Sort(batch)
			if len(batch) == 0 {
				pending = map[string]bool{}
				first = time.Time{}
				continue
			}
			out = w.batches
			continue
		case out <- batch:
			out, batch, pending = nil, nil, map[string]bool{}
			first = time.Time{}
			continue
		}
		// An event came: wait for quiet again, but not for ever.
		out, batch = nil, nil
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		wait := min(w.quiet, max(0, first.Add(w.maxWait).Sub(now)))
		timer.Reset(wait)
	}
}

// inScope reports whether a site-relative path is in a watched folder (or
// is one).
func inScope(r string) bool {
	top, _, _ := strings.Cut(r, "/")
	return slices.Contains(Watched, top)
}

// ignored reports whether a path is hidden (source.Load skips those) or an
// editor's temporary file: .#x and #x# (Emacs), x~ (backups), .x.swp (Vim,
// which also probes with a file named 4913), x.tmp, x.kate-swp.
func ignored(r string) bool {
	for _, seg := range strings.Split(r, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	base := path.Base(r)
	switch {
	case strings.HasPrefix(base, "#"), strings.HasSuffix(base, "~"), base == "4913":
		return true
	}
	switch path.Ext(base) {
	case ".swp", ".swx", ".swo", ".tmp", ".kate-swp", ".crswap":
		return true
	}
	return false
}
