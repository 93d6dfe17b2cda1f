package serve

import (
	"context"
	"net/http"
	"sync/atomic"

	"kb/internal/site"
	"kb/internal/stats"
	"kb/search"
)

// Count wraps the server so that every GET is counted after its response,
// as package stats says: a page visit, a search with its outcome, or an
// event apart (bot, redirect, not found, error). Nothing about the reader
// is kept: the User-Agent is matched against bot patterns and forgotten,
// the address is never looked at.
func Count(srv *Server, c *stats.Counter) http.Handler {
	return &counting{srv: srv, c: c}
}

type counting struct {
	srv   *Server
	c     *stats.Counter
	paths atomic.Pointer[sitePaths]
}

// sitePaths caches the path index of the current site (a new generation
// or a preview rebuild brings a new one).
type sitePaths struct {
	site  *site.Site
	paths *stats.Paths
}

type countKey struct{}

// searchNote is how a search handler tells the counter what happened.
type searchNote struct {
	done  bool // a search handler ran: not a page visit
	count bool // and it is a search to count (not page 2)
	key   stats.Key
}

func (h *counting) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		h.srv.ServeHTTP(w, r) // HEAD and the rest are not counted
		return
	}
	bot := stats.IsBot(r.UserAgent())
	note := &searchNote{}
	r = r.WithContext(context.WithValue(r.Context(), countKey{}, note))
	sw := &statusWriter{ResponseWriter: w}
	h.srv.ServeHTTP(sw, r)
	status := sw.status
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case bot:
		h.c.Add(stats.Key{Kind: stats.Other, Class: stats.Bot})
		return
	case note.done:
		if note.count {
			h.c.Add(note.key)
		}
		return
	}
	paths := h.pathsOf(h.srv.Current())
	if paths == nil {
		return
	}
	pg, other, ok := paths.Classify(r.URL.Path, status)
	switch {
	case ok:
		h.c.Add(stats.Key{Kind: stats.Visit, Lang: pg.Lang, Class: pg.Kind, Item: pg.Item})
		if r.URL.RawQuery != "" {
			if ed := stats.Edition(r.URL.Query().Get("nl")); ed != "" {
				h.c.Add(stats.Key{Kind: stats.NL, Lang: pg.Lang, Class: ed, Item: pg.Item})
			}
		}
	case other != "":
		h.c.Add(stats.Key{Kind: stats.Other, Class: other})
	}
}

func (h *counting) pathsOf(st *State) *stats.Paths {
	if st == nil || st.Renderer == nil || st.Renderer.Site == nil {
		return nil
	}
	if p := h.paths.Load(); p != nil && p.site == st.Renderer.Site {
		return p.paths
	}
	p := &sitePaths{site: st.Renderer.Site, paths: stats.NewPaths(st.Renderer.Site)}
	h.paths.Store(p)
	return p.paths
}

// noteSearch tells the counter, if any, about a search: its language, its
// masked query and its outcome. Only the first page of results counts.
func noteSearch(r *http.Request, lang string, req search.Request, res *search.Response) {
	note, _ := r.Context().Value(countKey{}).(*searchNote)
	if note == nil {
		return
	}
	note.done = true
	if res == nil || req.Page > 1 {
		return
	}
	outcome := stats.Exact
	switch {
	case res.Total == 0:
		outcome = stats.None
	case res.Fallback:
		outcome = stats.OtherLanguage
	case res.Fuzzy:
		outcome = stats.Fuzzy
	}
	note.count = true
	note.key = stats.Key{Kind: stats.Search, Lang: lang, Class: outcome, Item: stats.NormalizeQuery(req.Query)}
}
