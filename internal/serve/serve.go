// Package serve answers HTTP for a built site: its files, the search page and
// API from the prebuilt index, language negotiation at /, and redirects of
// old URLs.
//
// # Routes
//
//	GET /                     302 to /{lang}/ chosen from Accept-Language
//	                          (golang.org/x/text/language Matcher); the static
//	                          chooser when the request names no language. Pages
//	                          link the chooser as /index.html, which is never
//	                          redirected, so a reader can always change language.
//	GET /{lang}/search/?q=    results rendered with the site's templates
//	GET /api/search?q=&lang=  the same results as JSON
//	GET any alias             301 to its page, query-string aliases included
//	                          (spip.php?article12, ?lang=nl)
//	GET anything else         the file under public/, precompressed .gz when
//	                          the client accepts gzip, with an ETag; byte
//	                          ranges and conditional requests as nginx
//	                          answers them (http.ServeContent); a page's URL
//	                          in a language it lacks that the build did not
//	                          write, rendered (missing.go)
//
// The first three are http.ServeMux patterns (Server.routes), tried after
// the safety checks and the aliases.
//
// # Safety and privacy
//
// Only GET and HEAD. Paths with "..", backslashes, NUL or dot-files are
// refused; files are read through an fs.FS rooted at the site, so nothing
// outside public/ is served. A redirect's Location is always a path of the
// site (never "//host"). Every response carries a Content-Security-Policy
// without inline script, nosniff and Referrer-Policy: no-referrer. No
// cookies. The log line of a request holds its method, path (never the query:
// searches say things about the reader), status and duration, and no IP;
// control and format characters in the path are percent-encoded, so that a
// request cannot forge a log line.
// A panic in a handler gives a 500 page and the server goes on.
package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"kb/internal/generation"
	"kb/internal/lang"
	"kb/internal/render"
	"kb/search"
)

// State is one generation of the site as the server sees it.
type State struct {
	Gen      string // generation folder
	Files    fs.FS  // the static site
	Meta     *generation.Meta
	Index    *search.Index    // nil when the build has no index
	Renderer *render.Renderer // draws the search page; its Site has no bodies (Open)
	Langs    *lang.Set
	// Editors holds the pages for editors (/_editors/), kept out of the
	// published site; nil (404) but in the preview.
	Editors fs.FS

	etags  sync.Map // path -> etag
	shells sync.Map // language code -> *render.SearchShell, nil: none (search.go)

	hold   *os.File     // keeps builds from removing the generation
	mu     sync.RWMutex // read-held by each request using the state
	closed bool
}

// Server is an http.Handler over the current State; Swap replaces it.
type Server struct {
	state atomic.Pointer[State]
	Log   *log.Logger // nil: no request log
	// ExtraCSP is added to the Content-Security-Policy (the preview's script).
	ExtraCSP string
	// Hook, when set, is tried before everything else (the preview's routes).
	Hook http.Handler
	// Follow, when set, moves the server to each new generation a build
	// links (see Follow).
	Follow *Follow

	budgetOnce sync.Once
	budget     *budget // bounds the searches' work: budget.go
	muxOnce    sync.Once
	mux        *http.ServeMux // routes
	pages      pageCache      // recent results pages, compressed: search.go
}

// Open opens a generation as the build wrote it: its files, meta, search
// index, and the templates and site data the search page is rendered with
// (generation.Renderer). No Markdown is read.
func Open(gen string) (*State, error) {
	if _, err := os.Stat(filepath.Join(gen, generation.MetaFile)); err != nil {
		return nil, fmt.Errorf("not a kb build (%w): run kb build first", err)
	}
	r, err := generation.Renderer(gen)
	if err != nil {
		return nil, err
	}
	return NewState(gen, r)
}

// NewState opens a generation: its files, meta and search index. r renders
// the search page: the generation's own (Open), or the preview's, which
// keeps its site in memory.
func NewState(gen string, r *render.Renderer) (*State, error) {
	meta, err := generation.ReadMeta(gen)
	if err != nil {
		return nil, fmt.Errorf("not a kb build (%w): run kb build first", err)
	}
	hold, err := generation.Hold(gen)
	if err != nil {
		return nil, err
	}
	st := &State{Gen: gen, Files: os.DirFS(filepath.Join(gen, generation.SiteDir)), Meta: meta, Renderer: r, Langs: r.Site.Langs, hold: hold}
	if _, err := os.Stat(filepath.Join(gen, generation.SearchDir)); err == nil {
		ix, err := search.Open(filepath.Join(gen, generation.SearchDir))
		if err != nil {
			hold.Close()
			return nil, err
		}
		st.Index = ix
	}
	return st, nil
}

// Close closes the state's index and lets builds remove its generation.
func (st *State) Close() error {
	var err error
	if st.Index != nil {
		err = st.Index.Close()
	}
	if st.hold != nil {
		st.hold.Close()
	}
	return err
}

// acquire returns the current state, read-locked so that it stays open
// until release, or nil.
func (s *Server) acquire() *State {
	for {
		st := s.state.Load()
		if st == nil {
			return nil
		}
		st.mu.RLock()
		if !st.closed {
			return st
		}
		// Retired between Load and RLock: the current one is newer.
		st.mu.RUnlock()
	}
}

func (st *State) release() {
	if st != nil {
		st.mu.RUnlock()
	}
}

// retire closes a replaced state once the requests using it are done.
func retire(st *State) {
	if st == nil {
		return
	}
	go func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		st.closed = true
		st.Close()
	}()
}

// Swap makes st the current state and returns the previous one (to close
// once in-flight requests are done).
func (s *Server) Swap(st *State) *State { return s.state.Swap(st) }

// Current returns the current state.
func (s *Server) Current() *State { return s.state.Load() }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (the preview's
// event stream lifts the write deadline through it).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			if s.Log != nil {
				s.Log.Printf("panic serving %s: %v", logPath(r.URL.Path), v)
			}
			if sw.status == 0 {
				http.Error(sw, "internal error", http.StatusInternalServerError)
			}
		}
		if s.Log != nil {
			// No IP address, no query string: both say something about the reader.
			s.Log.Printf("%s %s %d %s", r.Method, logPath(r.URL.Path), sw.status, time.Since(start).Round(time.Microsecond))
		}
	}()
	if s.Follow != nil {
		s.Follow.check(s)
	}
	st := s.acquire()
	defer st.release()
	s.serve(sw, r, st)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, st *State) {
	h := w.Header()
	// The same headers go to nginx and static hosts (generation.SecurityHeaders).
	style := ""
	if st != nil {
		style = st.Meta.CSPStyle
	}
	for _, kv := range generation.SecurityHeaders(style) {
		h.Set(kv[0], kv[1])
	}
	if s.ExtraCSP != "" {
		h.Set("Content-Security-Policy", h.Get("Content-Security-Policy")+"; "+s.ExtraCSP)
	}
	if s.Hook != nil && strings.HasPrefix(r.URL.Path, "/_kb/") {
		s.Hook.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if st == nil {
		http.Error(w, "the site is being built; try again in a moment", http.StatusServiceUnavailable)
		return
	}
	p := r.URL.Path
	if !safePath(p) {
		s.notFound(w, r, st)
		return
	}
	if to, ok := st.redirect(r.URL); ok {
		http.Redirect(w, r, sitePath(to), http.StatusMovedPermanently)
		return
	}
	if name, ok := strings.CutPrefix(p, "/_editors/"); ok {
		// Not a pattern: /{lang}/search/ would overlap it.
		s.editors(w, r, st, name)
		return
	}
	if strings.Contains(p, "//") {
		// ServeMux would redirect to the path cleaned; a file answers it
		// as nginx does, a folder with a redirect of its own (see file).
		s.file(w, r, st, p)
		return
	}
	s.routes().ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
}

// stateKey carries the request's State to the routes.
type stateKey struct{}

func stateOf(r *http.Request) *State { return r.Context().Value(stateKey{}).(*State) }

// routes are the server's own answers; the rest is files. Each pattern
// also answers HEAD; other methods never get here.
func (s *Server) routes() *http.ServeMux {
	s.muxOnce.Do(func() {
		m := http.NewServeMux()
		m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { s.root(w, r, stateOf(r)) })
		m.HandleFunc("GET /api/search", func(w http.ResponseWriter, r *http.Request) { s.apiSearch(w, r, stateOf(r)) })
		m.HandleFunc("GET /{lang}/search/{$}", func(w http.ResponseWriter, r *http.Request) {
			st := stateOf(r)
			if l := st.Langs.Get(r.PathValue("lang")); l != nil {
				s.searchPage(w, r, st, l)
				return
			}
			s.file(w, r, st, r.URL.Path)
		})
		m.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { s.file(w, r, stateOf(r), r.URL.Path) })
		s.mux = m
	})
	return s.mux
}

// root sends a reader whose browser names languages to the best one;
// without Accept-Language (a crawler, a reader who chose) it is the
// language chooser.
func (s *Server) root(w http.ResponseWriter, r *http.Request, st *State) {
	h := w.Header()
	h.Set("Vary", "Accept-Language")
	if al := r.Header.Get("Accept-Language"); al != "" {
		h.Set("Cache-Control", "no-cache")
		code := st.Langs.Match(al, st.Meta.DefaultLanguage)
		http.Redirect(w, r, "/"+code+"/", http.StatusFound)
		return
	}
	s.file(w, r, st, "/")
}

// editors serves a page for editors from the preview's generation.
func (s *Server) editors(w http.ResponseWriter, r *http.Request, st *State, name string) {
	if st.Editors == nil || name == "" {
		s.notFound(w, r, st)
		return
	}
	data, err := fs.ReadFile(st.Editors, path.Clean(name))
	if err != nil {
		s.notFound(w, r, st)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// safePath refuses what could escape the site or reach hidden files.
func safePath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || (strings.HasPrefix(seg, ".") && seg != "") {
			return false
		}
	}
	return true
}

// redirect finds an alias for the URL: the path with its query exactly, with
// its parameters sorted, without a lang parameter, then the path alone.
func (st *State) redirect(u *url.URL) (string, bool) {
	m := st.Meta.Redirects
	if len(m) == 0 {
		return "", false
	}
	p := u.EscapedPath()
	if dec, err := url.PathUnescape(p); err == nil {
		p = dec
	}
	if u.RawQuery != "" {
		if to, ok := m[p+"?"+u.RawQuery]; ok {
			return to, true
		}
		q := u.Query()
		if to, ok := m[p+"?"+sortedQuery(q)]; ok {
			return to, true
		}
		// A ?lang=xx the site added to every URL; each translation's own
		// aliases carry it when it matters (kb import spip writes them).
		q.Del("lang")
		if len(q) > 0 {
			if to, ok := m[p+"?"+sortedQuery(q)]; ok {
				return to, true
			}
		}
	}
	to, ok := m[p]
	if !ok && strings.HasSuffix(p, "/") && p != "/" {
		to, ok = m[strings.TrimSuffix(p, "/")]
	} else if !ok {
		to, ok = m[p+"/"]
	}
	return to, ok
}

// sortedQuery encodes q with keys sorted; bare keys (?article12) stay bare.
func sortedQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			if v == "" {
				parts = append(parts, url.QueryEscape(k))
			} else {
				parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
			}
		}
	}
	return strings.Join(parts, "&")
}

func (s *Server) file(w http.ResponseWriter, r *http.Request, st *State, p string) {
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "" {
		name = "."
	}
	fi, err := fs.Stat(st.Files, name)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(p, "/") {
			folderRedirect(w, r, name)
			return
		}
		name = path.Join(name, "index.html")
		fi, err = fs.Stat(st.Files, name)
	}
	if err != nil || fi.IsDir() {
		if !s.notAvailable(w, r, st, p, name) { // missing.go
			s.notFound(w, r, st)
		}
		return
	}
	s.sendFile(w, r, st, name, http.StatusOK)
}

// folderRedirect sends a request for a folder without its slash to the
// folder, as nginx does.
func folderRedirect(w http.ResponseWriter, r *http.Request, name string) {
	// From the cleaned name: the path may start with "//", which a browser
	// reads as another host.
	target := sitePath((&url.URL{Path: "/" + name + "/"}).EscapedPath())
	if r.URL.RawQuery != "" {
		target += "?" + queryPart(r.URL.RawQuery)
	}
	http.Redirect(w, r, target, http.StatusMovedPermanently)
}

func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, st *State, name string, status int) {
	h := w.Header()
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Base(name) {
	case "_redirects", "redirects.map", "_headers", "kb-headers.conf":
		ctype = "text/plain; charset=utf-8"
	case "feed.xml":
		ctype = "application/atom+xml; charset=utf-8"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if strings.HasPrefix(ctype, "text/") && !strings.Contains(ctype, "charset") {
		ctype += "; charset=utf-8"
	}
	h.Set("Content-Type", ctype)
	if strings.HasPrefix(name, "files/") {
		h.Set("Cache-Control", "public, max-age=86400")
	} else {
		// Pages change with every build: revalidate, cheaply, with the ETag.
		h.Set("Cache-Control", "no-cache")
	}
	h.Add("Vary", "Accept-Encoding") // after Accept-Language at /
	body := name
	if acceptsGzip(r) {
		if _, err := fs.Stat(st.Files, name+".gz"); err == nil {
			body = name + ".gz"
		}
	}
	if status == http.StatusOK {
		// Each encoding is its own representation with its own strong
		// validator, as nginx's gzip_static gives the .gz file's.
		if etag := st.etag(body); etag != "" {
			h.Set("ETag", etag)
		}
	}
	f, err := st.Files.Open(body)
	if err != nil {
		http.Error(w, "cannot read the file", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok || status != http.StatusOK {
		data, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, "cannot read the file", http.StatusInternalServerError)
			return
		}
		rs = bytes.NewReader(data)
	}
	if status != http.StatusOK {
		// A 404 page: no ranges, no validators.
		if body != name {
			h.Set("Content-Encoding", "gzip")
		}
		size, _ := rs.Seek(0, io.SeekEnd)
		rs.Seek(0, io.SeekStart)
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			io.Copy(w, rs)
		}
		return
	}
	if body != name {
		// nginx's gzip_static answers a range of a precompressed file with
		// the whole of it; so does kb serve, so that both behave alike.
		// Ranges matter for PDFs and recordings, which are not compressed.
		if r.Header.Get("Range") != "" {
			r = r.Clone(r.Context())
			r.Header.Del("Range")
		}
		w = gzipped{w}
	}
	// If-None-Match, Range (audio players and PDF viewers ask for ranges)
	// and HEAD, as nginx answers them, straight from the file.
	http.ServeContent(w, r, name, time.Time{}, rs)
}

// gzipped says Content-Encoding: gzip when a response with a body starts:
// http.ServeContent leaves out the Content-Length of a body it is told is
// encoded, and nginx sends it.
type gzipped struct{ http.ResponseWriter }

func (g gzipped) WriteHeader(code int) {
	if code == http.StatusOK {
		g.Header().Set("Content-Encoding", "gzip")
		g.Header().Del("Accept-Ranges")
	}
	g.ResponseWriter.WriteHeader(code)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// etag is a strong validator from the file's bytes, computed once.
func (st *State) etag(name string) string {
	if v, ok := st.etags.Load(name); ok {
		return v.(string)
	}
	f, err := st.Files.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	tag := `"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
	st.etags.Store(name, tag)
	return tag
}

// notFound serves the 404 page of the language the path starts with.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, st *State) {
	name := "404.html"
	if parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2); len(parts) > 0 && st.Langs.Get(parts[0]) != nil {
		if _, err := fs.Stat(st.Files, parts[0]+"/404.html"); err == nil {
			name = parts[0] + "/404.html"
		}
	}
	if _, err := fs.Stat(st.Files, name); err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	w.Header().Del("ETag")
	s.sendFile(w, r, st, name, http.StatusNotFound)
}

// ListenAndServe serves h on addr until ctx ends, then shuts down
// gracefully. ready, when not nil, gets the address once listening.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, ready func(addr string)) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
