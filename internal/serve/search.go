package serve

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"

	"kb/internal/lang"
	"kb/internal/render"
	"kb/search"
)

// searchTimeout bounds one search; bleve also gets a bound on term expansion.
const searchTimeout = 2 * time.Second

// maxQueryParam bounds the raw parameter before it is even cleaned.
const maxQueryParam = 1024

// params reads the search parameters; invalid UTF-8 becomes U+FFFD, so
// that what the page echoes (the query in the box, a filter's name) is
// always valid.
func params(r *http.Request) (q string, req search.Request) {
	v := r.URL.Query()
	for _, vs := range v {
		for i := range vs {
			vs[i] = strings.ToValidUTF8(vs[i], "\uFFFD")
		}
	}
	q = v.Get("q")
	page, _ := strconv.Atoi(v.Get("page"))
	if page < 1 || page > 100 {
		page = 1
	}
	req = search.Request{Query: q, Section: v.Get("section"), Topic: v.Get("topic"), Audience: v.Get("audience"), Page: page}
	return q, req
}

// run searches, within the server's budget; msg is a message for the
// reader when there are no results to show because of the query or the
// server.
func (s *Server) run(ctx context.Context, st *State, l *lang.Language, req search.Request) (*search.Response, string, int) {
	if len(req.Query) > maxQueryParam {
		return nil, l.T("search_too_long"), http.StatusOK
	}
	if _, err := search.CleanQuery(req.Query); errors.Is(err, search.ErrQueryTooLong) {
		return nil, l.T("search_too_long"), http.StatusOK
	}
	if st.Index == nil {
		return nil, l.T("search_help"), http.StatusServiceUnavailable
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	req.Lang = l.Code
	res, err := s.limits().search(ctx, st, req)
	switch {
	case errors.Is(err, search.ErrQueryTooLong):
		return nil, l.T("search_too_long"), http.StatusOK
	case errors.As(err, new(errBusy)):
		return nil, l.T("search_overloaded"), http.StatusServiceUnavailable
	case err != nil:
		return nil, l.T("search_help"), http.StatusOK
	}
	return res, "", http.StatusOK
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, st *State, l *lang.Language) {
	q, req := params(r)
	data := &render.SearchData{Query: q}
	status := http.StatusOK
	gz := acceptsGzip(r)
	var pageKey string // set when the page may be kept: a full answer
	if q != "" {
		res, msg, code := s.run(r.Context(), st, l, req)
		status = code
		noteSearch(r, l.Code, req, res)
		if msg == "" && gz && !res.TyposSkipped {
			pageKey = l.Code + "?" + r.URL.RawQuery
			if page, ok := s.pages.get(st, pageKey); ok {
				writePage(w, r, page, status, true)
				return
			}
		}
		if msg != "" {
			data.Message = msg
			if len(q) > 200 {
				data.Query = ""
			}
		} else {
			fill(data, res, st, l, r.URL)
		}
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	html, err := resultsPage(st, l, data, buf)
	if err != nil {
		http.Error(w, "cannot render the search page", http.StatusInternalServerError)
		return
	}
	// A results page is about 15 KB, 5 KB compressed: worth it on a slow,
	// prepaid connection.
	zipped := false
	if gz {
		if z, err := compress(html); err == nil {
			html, zipped = z, true
			if pageKey != "" && status == http.StatusOK {
				s.pages.put(st, pageKey, html)
			}
		}
	}
	writePage(w, r, html, status, zipped)
}

// pageBuffers hold results pages while they are compressed and written:
// about 20 KB per search otherwise allocated and collected.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 256<<10 {
		return // a rare huge page: let it go
	}
	b.Reset()
	pageBuffers.Put(b)
}

// resultsPage renders the search page for data, with the language's shell
// (render.SearchShell) when the templates allow one: made at the first
// search in the language, kept with the generation. The page is in buf
// (or a new slice): it must not be kept after buf goes back to the pool.
func resultsPage(st *State, l *lang.Language, data *render.SearchData, buf *bytes.Buffer) ([]byte, error) {
	v, ok := st.shells.Load(l.Code)
	if !ok {
		sh, ok := st.Renderer.SearchShell(l)
		if !ok {
			sh = nil
		}
		v, _ = st.shells.LoadOrStore(l.Code, sh)
	}
	if sh := v.(*render.SearchShell); sh != nil {
		if err := sh.RenderTo(buf, data); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return st.Renderer.SearchPage(l, data, "")
}

func writePage(w http.ResponseWriter, r *http.Request, html []byte, status int, zipped bool) {
	h := w.Header()
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "2")
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	if zipped {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(html)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(html)
	}
}

// pageCache keeps the last pageCacheSize results pages, gzip-compressed,
// for cacheTTL, by generation, language and raw query string. Rendering
// and compressing a page costs several times a search answered from the
// cache of answers (budget.go), so a repeated search reuses the bytes. Only
// full answers are kept (not the ones that skipped the typo retry), and
// the page of a query is the same for every reader: nothing personal is
// in it. The zero value is ready; it is emptied with every new generation.
type pageCache struct {
	mu    sync.Mutex
	st    *State
	order *list.List // of *pageEntry, most recent first
	byKey map[string]*list.Element
}

type pageEntry struct {
	key  string
	page []byte
	when time.Time
}

const pageCacheSize = 256 // about 1.5 MB of compressed pages

func (c *pageCache) reset(st *State) {
	if c.order == nil || c.st != st {
		c.st = st
		c.order = list.New()
		c.byKey = map[string]*list.Element{}
	}
}

func (c *pageCache) get(st *State, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(st)
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*pageEntry)
	if time.Since(e.when) > cacheTTL {
		c.order.Remove(el)
		delete(c.byKey, key)
		return nil, false
	}
	c.order.MoveToFront(el)
	return e.page, true
}

func (c *pageCache) put(st *State, key string, page []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(st)
	if el, ok := c.byKey[key]; ok {
		c.order.Remove(el)
	}
	c.byKey[key] = c.order.PushFront(&pageEntry{key, page, time.Now()})
	for c.order.Len() > pageCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*pageEntry).key)
	}
}

// gzipPool: klauspost/compress at its default level (6). On the included
// site's results pages (16.6 KB) it writes 5,545 B in about 0.14 ms where
// the standard library's level 6 writes 5,435 B in 0.32 ms: 110 bytes more
// per page (2 %) for less than half the CPU (BENCHMARKS.md, issue 16 goal 4).
var gzipPool = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

func compress(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data)/2 + 64)
	zw := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(zw)
	zw.Reset(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fill turns a search response into what the template shows.
func fill(d *render.SearchData, res *search.Response, st *State, l *lang.Language, u *url.URL) {
	d.Query = res.Query
	d.Total = res.Total
	d.Fuzzy = res.Fuzzy
	d.Fallback = res.Fallback
	prev := search.StepExact
	if res.TyposSkipped {
		d.Notice = l.T("search_busy")
	}
	for _, h := range res.Hits {
		hit := render.SearchHit{URL: h.URL, Title: h.Title, Section: l.T("section_" + h.Section), Snippet: h.Snippet}
		// A step after the main answer starts a list under its label.
		if h.Step != prev && h.Step != search.StepFuzzy {
			hit.Heading = stepLabel(l, h.Step)
		}
		prev = h.Step
		if t, err := time.Parse("2006-01-02", h.Reviewed); err == nil {
			hit.Reviewed = l.FormatDate(t)
		}
		if h.Lang != l.Code {
			if hl := st.Langs.Get(h.Lang); hl != nil {
				hit.Lang, hit.Tag, hit.Dir, hit.LangName = hl.Code, hl.TagString(), hl.Dir, hl.Name
			}
		}
		d.Hits = append(d.Hits, hit)
	}
	size := res.Size
	if size <= 0 {
		size = search.DefaultSize
	}
	pages := (res.Total + size - 1) / size
	if pages > 1 {
		d.Pager = &render.Pager{Page: res.Page, Pages: pages}
		if res.Page > 1 {
			d.Pager.Newer = withParam(u, "page", strconv.Itoa(res.Page-1))
		}
		if res.Page < pages {
			d.Pager.Older = withParam(u, "page", strconv.Itoa(res.Page+1))
		}
	}
	if res.Fallback {
		return // filters apply to the reader's language
	}
	d.Filters = filters(res, st, l, u)
}

// stepLabel is the heading of the results a step added after the main
// answer.
func stepLabel(l *lang.Language, s search.Step) string {
	switch s {
	case search.StepPartial:
		return l.T("search_partial")
	case search.StepOtherLanguage:
		return l.T("search_other_languages")
	}
	return ""
}

func filters(res *search.Response, st *State, l *lang.Language, u *url.URL) []render.Filter {
	q := u.Query()
	var out []render.Filter
	for _, f := range []struct{ param, facet, label string }{
		{"section", "section", "filter_section"},
		{"topic", "topics", "filter_topic"},
		{"audience", "audience", "filter_audience"},
	} {
		facets := res.Facets[f.facet]
		cur := q.Get(f.param)
		if len(facets) < 2 && cur == "" {
			continue
		}
		row := render.Filter{Label: l.T(f.label)}
		row.Options = append(row.Options, render.FilterOption{Label: l.T("filter_all"), URL: withParamOf(u.Path, q, f.param, ""), Current: cur == ""})
		for _, fc := range facets {
			row.Options = append(row.Options, render.FilterOption{Label: facetLabel(st, l, f.param, fc.Term), URL: withParamOf(u.Path, q, f.param, fc.Term), Count: fc.Count, Current: cur == fc.Term})
		}
		out = append(out, row)
	}
	return out
}

func facetLabel(st *State, l *lang.Language, param, term string) string {
	switch param {
	case "section":
		return l.T("section_" + term)
	case "audience":
		return l.T("for_" + term)
	case "topic":
		if g := st.Renderer.Site.Group("topics", term); g != nil {
			if p := g.Pages[l.Code]; p != nil {
				return p.Meta.Title
			}
		}
	}
	return term
}

// withParam returns the URL's path and query with one parameter set (or
// removed when v is ""), and the page reset unless it is the one set.
func withParam(u *url.URL, k, v string) string {
	return withParamOf(u.Path, u.Query(), k, v)
}

// withParamOf is withParam over the query parsed once (q is not changed).
func withParamOf(path string, q0 url.Values, k, v string) string {
	q := maps.Clone(q0)
	if k != "page" {
		q.Del("page")
	}
	if v == "" {
		q.Del(k)
	} else {
		q.Set(k, v)
	}
	return path + "?" + q.Encode()
}

type apiHit struct {
	URL      string        `json:"url"`
	Title    string        `json:"title"`
	Lang     string        `json:"lang"`
	Section  string        `json:"section"`
	Summary  string        `json:"summary,omitempty"`
	Snippet  template.HTML `json:"snippet"`
	Reviewed string        `json:"reviewed,omitempty"`
	Date     string        `json:"date,omitempty"`
	// Step is the search step that found the hit: exact, fuzzy, partial
	// (some of the words) or other-language.
	Step search.Step `json:"step"`
}

type apiFacet struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

type apiResponse struct {
	Query    string                `json:"query"`
	Lang     string                `json:"lang"`
	Total    int                   `json:"total"`
	Page     int                   `json:"page"`
	Fuzzy    bool                  `json:"fuzzy"`
	Fallback bool                  `json:"fallback"`
	Partial  bool                  `json:"partial"` // some hits match only some of the words
	Hits     []apiHit              `json:"hits"`
	Facets   map[string][]apiFacet `json:"facets,omitempty"`
	Error    string                `json:"error,omitempty"`

	// TyposSkipped: the server was busy and did not retry with typos.
	TyposSkipped bool `json:"typos_skipped,omitempty"`
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, st *State) {
	code := r.URL.Query().Get("lang")
	if code == "" {
		code = st.Meta.DefaultLanguage
	}
	out := apiResponse{Lang: code, Hits: []apiHit{}}
	status := http.StatusOK
	l := st.Langs.Get(code)
	q, req := params(r)
	switch {
	case l == nil:
		status, out.Error = http.StatusBadRequest, fmt.Sprintf("unknown language %q", code)
	case q == "":
		status, out.Error = http.StatusBadRequest, "missing q"
	default:
		res, msg, c := s.run(r.Context(), st, l, req)
		noteSearch(r, l.Code, req, res)
		if msg != "" {
			status, out.Error = c, msg
			if c == http.StatusOK {
				status = http.StatusBadRequest
			}
			break
		}
		out.Query, out.Total, out.Page, out.Fuzzy, out.Fallback, out.Partial = res.Query, res.Total, res.Page, res.Fuzzy, res.Fallback, res.Partial
		out.TyposSkipped = res.TyposSkipped
		for _, h := range res.Hits {
			out.Hits = append(out.Hits, apiHit{URL: h.URL, Title: h.Title, Lang: h.Lang, Section: h.Section, Summary: h.Summary, Snippet: h.Snippet, Reviewed: h.Reviewed, Date: h.Date, Step: h.Step})
		}
		out.Facets = map[string][]apiFacet{}
		for k, fs := range res.Facets {
			for _, f := range fs {
				out.Facets[k] = append(out.Facets[k], apiFacet{f.Term, f.Count})
			}
		}
	}
	h := w.Header()
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "2")
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(out)
	}
}
