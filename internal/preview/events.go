package preview

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Script is what the preview adds at the end of every page: the reload
// script, as a file, so that the Content-Security-Policy needs no inline
// script.
const Script = `<script src="/_kb/reload.js" defer></script>`

// CSP is what the preview adds to the Content-Security-Policy.
const CSP = "script-src 'self'; connect-src 'self'"

// events tells open pages that the site changed, with server-sent events.
//
// Every rebuild that changes what a page shows makes a new version. The
// script carries the version current when the page was loaded and sends it
// when it connects; a page older than the current version reloads at once,
// so a rebuild that happened while it loaded, or while it was reconnecting,
// is not missed.
type events struct {
	mu    sync.Mutex
	epoch string // tells this server's versions from a previous one's
	n     int
	subs  map[chan struct{}]string // the URL path of each open page ("": unknown)
	done  chan struct{}            // closed when the preview stops: streams end
	// streamFor bounds a stream when its write deadline cannot be lifted
	// (the server's WriteTimeout would cut it mid-event).
	streamFor time.Duration
	// maxStreams bounds the open streams: each holds a connection and a
	// goroutine for as long as the page stays open.
	maxStreams int
}

// maxStreams is far more pages than an editor keeps open; beyond it a new
// page is refused (503) rather than let connections pile up.
const maxStreams = 64

func newEvents() *events {
	return &events{epoch: strconv.FormatInt(time.Now().UnixNano(), 36), subs: map[chan struct{}]string{},
		done: make(chan struct{}), streamFor: 20 * time.Second, maxStreams: maxStreams}
}

// stop ends the streams, so that the server can shut down.
func (e *events) stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	select {
	case <-e.done:
	default:
		close(e.done)
	}
}

func (e *events) version() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.epoch + "-" + strconv.Itoa(e.n)
}

// publish makes a new version and tells the open pages that changed
// (changed, nil: all of them).
func (e *events) publish(changed func(urlPath string) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.n++
	for ch, urlPath := range e.subs {
		if changed != nil && !changed(urlPath) {
			continue
		}
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// subscribe adds a stream; ok is false when maxStreams are open.
func (e *events) subscribe(urlPath string) (ch chan struct{}, unsubscribe func(), ok bool) {
	ch = make(chan struct{}, 1)
	e.mu.Lock()
	if len(e.subs) >= e.maxStreams {
		e.mu.Unlock()
		return nil, nil, false
	}
	e.subs[ch] = urlPath
	e.mu.Unlock()
	return ch, func() {
		e.mu.Lock()
		delete(e.subs, ch)
		e.mu.Unlock()
	}, true
}

// The reload script. EventSource reconnects by itself (after retry ms)
// with the same URL, so the version it sends stays the page's. It names the
// page, which is told to reload only when its own output changed.
const reloadJS = `// kb serve --watch: reload this page when the site is rebuilt.
(function () {
  var es = new EventSource("/_kb/events?v=%s&p=" + encodeURIComponent(location.pathname));
  es.addEventListener("reload", function () {
    es.close();
    location.reload();
  });
})();
`

// ServeHTTP answers /_kb/reload.js and /_kb/events.
func (e *events) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case "/_kb/reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, reloadJS, e.version())
	case "/_kb/events":
		e.stream(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (e *events) stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	limit := e.streamFor
	if http.NewResponseController(w).SetWriteDeadline(time.Time{}) == nil {
		limit = 0
	}
	ch, unsubscribe, ok := e.subscribe(r.URL.Query().Get("p"))
	if !ok {
		// EventSource does not retry after a 503: this page simply does
		// not reload by itself, and the server keeps its connections.
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many open pages", http.StatusServiceUnavailable)
		return
	}
	defer unsubscribe()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 500\n\n")
	flusher.Flush()
	if v := r.URL.Query().Get("v"); v != "" && v != e.version() {
		fmt.Fprintf(w, "event: reload\ndata: %s\n\n", e.version())
		flusher.Flush()
		return
	}
	var end <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		end = t.C
	}
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-e.done:
			return
		case <-end:
			return // the page reconnects, with its version
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
		case <-ch:
			fmt.Fprintf(w, "event: reload\ndata: %s\n\n", e.version())
		}
		flusher.Flush()
	}
}
