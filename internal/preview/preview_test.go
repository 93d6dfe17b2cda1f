package preview

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kb/internal/build"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

func fixture(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// lines collects what a preview prints, a line at a time.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
	ch  chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 100)} }

func (l *lines) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(b)
	for {
		line, err := l.buf.ReadString('\n')
		if err != nil {
			l.buf.WriteString(line)
			return len(b), nil
		}
		l.ch <- strings.TrimSuffix(line, "\n")
	}
}

// next waits for the next line printed.
func (l *lines) next(t *testing.T) string {
	t.Helper()
	select {
	case line := <-l.ch:
		return line
	case <-time.After(10 * time.Second):
		t.Fatal("no rebuild within 10 s")
		return ""
	}
}

type harness struct {
	t      *testing.T
	dir    string
	p      *Preview
	out    *lines
	stderr *lines
	http   *httptest.Server
}

// watch starts a preview of the fixture, with its watcher, and serves it.
func watch(t *testing.T) *harness { return watchIndex(t, false) }

func watchIndex(t *testing.T, index bool) *harness {
	t.Helper()
	dir := sitetest.Write(t, fixture(t))
	return watchSite(t, dir, index, "kb: built ")
}

// watchSite starts a preview of the site in dir, which first prints a line
// starting with first.
func watchSite(t *testing.T, dir string, index bool, first string) *harness {
	return watchWith(t, dir, index, first, nil)
}

// watchWith is watchSite with set called on the preview before it starts.
func watchWith(t *testing.T, dir string, index bool, first string, set func(*Preview)) *harness {
	t.Helper()
	h := &harness{t: t, dir: dir, out: newLines(), stderr: newLines()}
	h.p = New(build.Options{Site: dir, NoIndex: !index}, &serve.Server{}, h.out, h.stderr)
	h.p.Quiet = 20 * time.Millisecond
	if set != nil {
		set(h.p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := h.p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if line := h.out.next(t); !strings.HasPrefix(line, first) {
		t.Fatalf("first line = %q, want %q…", line, first)
	}
	done := make(chan struct{})
	go func() {
		h.p.Run(ctx)
		close(done)
	}()
	h.http = httptest.NewServer(h.p.Handler())
	t.Cleanup(func() {
		h.http.Close()
		cancel()
		<-done
	})
	return h
}

func (h *harness) write(name, data string) {
	h.t.Helper()
	p := filepath.Join(h.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) read(name string) string {
	h.t.Helper()
	data, err := os.ReadFile(filepath.Join(h.dir, filepath.FromSlash(name)))
	if err != nil {
		h.t.Fatal(err)
	}
	return string(data)
}

func (h *harness) edit(name, old, new string) {
	h.t.Helper()
	data := h.read(name)
	if !strings.Contains(data, old) {
		h.t.Fatalf("%s lacks %q", name, old)
	}
	h.write(name, strings.Replace(data, old, new, 1))
}

func (h *harness) get(path string) (int, string) {
	h.t.Helper()
	res, err := http.Get(h.http.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// snapshot is every file the preview serves, rendered.
type snapshot map[string]string

func (h *harness) snapshot() snapshot {
	h.t.Helper()
	return snapshot(servedFiles(h.t, h.p))
}

// diff returns the files added, changed and removed.
func (a snapshot) diff(b snapshot) (added, changed, removed []string) {
	for p, x := range b {
		y, ok := a[p]
		switch {
		case !ok:
			added = append(added, p)
		case x != y:
			changed = append(changed, p)
		}
	}
	for p := range a {
		if _, ok := b[p]; !ok {
			removed = append(removed, p)
		}
	}
	return sortStrings(added), sortStrings(changed), sortStrings(removed)
}

// nothingWritten fails when the preview wrote public/.
func (h *harness) nothingWritten() {
	h.t.Helper()
	if _, err := os.Lstat(filepath.Join(h.dir, "public")); err == nil {
		h.t.Error("the preview wrote public/")
	}
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestWatchBodyEdit(t *testing.T) {
	h := watch(t)
	before := h.snapshot()
	h.edit("content/fiches/urgent-care/en.md", "Ask the OCMW/CPAS.", "Ask the OCMW/CPAS of your commune.")
	line := h.out.next(t)
	if !strings.Contains(line, "content/fiches/urgent-care/en.md: 1 page updated") {
		t.Errorf("line = %q", line)
	}
	after := h.snapshot()
	added, changed, removed := before.diff(after)
	if len(added)+len(removed) > 0 || len(changed) != 1 || changed[0] != "en/fiches/urgent-care/index.html" {
		t.Errorf("added %v, changed %v, removed %v; want only en/fiches/urgent-care/index.html changed", added, changed, removed)
	}
	h.nothingWritten()
	if !strings.Contains(after["en/fiches/urgent-care/index.html"], "of your commune") {
		t.Error("the page does not show the edit")
	}
	if code, body := h.get("/en/fiches/urgent-care/"); code != 200 || !strings.Contains(body, "of your commune") {
		t.Errorf("GET = %d, edit shown: %v", code, strings.Contains(body, "of your commune"))
	}
}

func TestWatchTitleEdit(t *testing.T) {
	h := watch(t)
	before := h.snapshot()
	h.edit("content/fiches/urgent-care/en.md", "title: Urgent medical aid", "title: Urgent medical help")
	line := h.out.next(t)
	if !strings.Contains(line, "1 page updated") {
		t.Errorf("line = %q", line)
	}
	after := h.snapshot()
	_, changed, _ := before.diff(after)
	for _, want := range []string{
		"en/fiches/urgent-care/index.html",                           // the page
		"en/a-z/index.html", "en/index.html", "en/fiches/index.html", // lists of its language
		"en/topics/access/index.html",
	} {
		if !has(changed, want) {
			t.Errorf("%s not changed", want)
		}
	}
	// The same (the switcher names languages, not titles): lists of other
	// languages, sitewide files.
	for _, not := range []string{
		"fr/fiches/aide-medicale-urgente/index.html", "ar/fiches/urgent-care/index.html",
		"fr/a-z/index.html", "fr/topics/access/index.html", "en/news/index.html", "en/feed.xml",
		"sitemap.xml", "fr/news/2025-01-02-training/index.html", "files/fiches/urgent-care/card.png",
	} {
		if has(changed, not) {
			t.Errorf("%s changed", not)
		}
	}
	if !strings.Contains(after["en/a-z/index.html"], "Urgent medical help") {
		t.Error("A–Z lacks the new title")
	}
}

func TestWatchSlugEdit(t *testing.T) {
	h := watch(t)
	before := h.snapshot()
	h.edit("content/fiches/only-fr/fr.md", "title: Éviter les urgences", "title: Éviter les urgences\nslug: eviter-les-urgences")
	line := h.out.next(t)
	if !strings.Contains(line, "assembled") {
		t.Errorf("line = %q", line)
	}
	added, changed, removed := before.diff(h.snapshot())
	for _, want := range []string{"fr/fiches/eviter-les-urgences/index.html", "fr/fiches/only-fr/index.html"} {
		if !has(added, want) && !has(changed, want) {
			t.Errorf("%s not written", want) // the page, and a redirect at its key
		}
	}
	for _, want := range []string{
		"fr/fiches/aide-medicale-urgente/index.html", // links to it
		"en/fiches/only-fr/index.html",               // not available in English: links to it
		"fr/a-z/index.html", "sitemap.xml",
	} {
		if !has(changed, want) {
			t.Errorf("%s not changed", want)
		}
	}
	if len(removed) != 0 {
		t.Errorf("removed %v", removed)
	}
	if _, body := h.get("/fr/fiches/aide-medicale-urgente/"); !strings.Contains(body, `<a href="/fr/fiches/eviter-les-urgences/">`) {
		t.Error("the link to the page does not follow its slug")
	}
}

func TestWatchErrorAndRecovery(t *testing.T) {
	h := watch(t)
	before := h.snapshot()
	// An unknown frontmatter key, on line 3.
	h.edit("content/fiches/urgent-care/en.md", "summary:", "sumary:")
	if line := h.out.next(t); !strings.Contains(line, "1 error") {
		t.Fatalf("line = %q", line)
	}
	if e := h.stderr.next(t); !strings.Contains(e, "content/fiches/urgent-care/en.md:3:") {
		t.Errorf("stderr = %q", e)
	}
	for _, path := range []string{"/en/fiches/urgent-care/", "/fr/", "/ar/a-z/"} {
		code, body := h.get(path)
		if code != http.StatusInternalServerError || !strings.Contains(body, "content/fiches/urgent-care/en.md:3: ") || !strings.Contains(body, "sumary") {
			t.Errorf("GET %s = %d, want the error page naming en.md:3:\n%s", path, code, body)
		}
		if !strings.Contains(body, Script) {
			t.Errorf("GET %s: error page lacks the reload script", path)
		}
	}
	if code, body := h.get("/files/fiches/urgent-care/card.png"); code != 200 || body != "not really a png\n" {
		t.Errorf("GET a file while broken = %d %q", code, body)
	}
	if _, changed, _ := before.diff(h.snapshot()); len(changed) > 0 {
		t.Errorf("files changed while broken: %v", changed)
	}

	// Another edit while broken, then the fix: both are written.
	h.edit("content/fiches/urgent-care/fr.md", "Demandez l'aide au CPAS.", "Demandez l'aide au CPAS de votre commune.")
	if line := h.out.next(t); !strings.Contains(line, "1 error") {
		t.Fatalf("line = %q", line)
	}
	h.edit("content/fiches/urgent-care/en.md", "sumary:", "summary:")
	if line := h.out.next(t); !strings.Contains(line, "assembled") {
		t.Fatalf("line = %q", line)
	}
	if code, body := h.get("/en/fiches/urgent-care/"); code != 200 || strings.Contains(body, "Build errors") {
		t.Errorf("GET after the fix = %d\n%s", code, body)
	}
	if _, body := h.get("/fr/fiches/aide-medicale-urgente/"); !strings.Contains(body, "de votre commune") {
		t.Error("the edit made while broken was not written")
	}
}

// TestWatchStartsBroken: a preview started on a site that already has an
// error shows it, goes on through saves while broken, and writes the site
// once it is fixed. (It used to panic on the first save: issue 11.)
func TestWatchStartsBroken(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	en := filepath.Join(dir, "content", "fiches", "urgent-care", "en.md")
	data, err := os.ReadFile(en)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(en, bytes.Replace(data, []byte("summary:"), []byte("sumary:"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	h := watchSite(t, dir, false, "kb: 1 error")
	if e := h.stderr.next(t); !strings.Contains(e, "content/fiches/urgent-care/en.md:3:") {
		t.Errorf("stderr = %q", e)
	}
	h.edit("content/fiches/urgent-care/fr.md", "Demandez l'aide au CPAS.", "Demandez l'aide au CPAS de votre commune.")
	if line := h.out.next(t); !strings.Contains(line, "1 error") {
		t.Fatalf("after a save while broken: %q", line)
	}
	if code, body := h.get("/fr/"); code != http.StatusInternalServerError || !strings.Contains(body, "sumary") {
		t.Errorf("GET /fr/ while broken = %d, want the error page", code)
	}
	// Nothing was served before: the fix serves the whole site.
	h.edit("content/fiches/urgent-care/en.md", "sumary:", "summary:")
	if line := h.out.next(t); !strings.Contains(line, ": assembled 17 pages") {
		t.Fatalf("after the fix: %q", line)
	}
	if code, body := h.get("/fr/fiches/aide-medicale-urgente/"); code != 200 || !strings.Contains(body, "de votre commune") {
		t.Errorf("GET after the fix = %d; the edit made while broken is missing:\n%s", code, body)
	}
}

func TestWatchTemplateRebuildsAll(t *testing.T) {
	h := watch(t)
	h.edit("templates/page.html", `{{define "main"}}`, `{{define "main"}}<p class="changed-template"></p>`)
	if line := h.out.next(t); !strings.Contains(line, "templates/page.html: templates updated") {
		t.Fatalf("line = %q", line)
	}
	h.nothingWritten()
	for _, path := range []string{"/fr/fiches/aide-medicale-urgente/", "/en/news/2025-01-02-training/"} {
		if _, body := h.get(path); !strings.Contains(body, `<p class="changed-template"></p>`) {
			t.Errorf("%s lacks the template change", path)
		}
	}
	// A template error is shown like any other.
	h.edit("templates/page.html", `<p class="changed-template"></p>`, `{{.Nope`)
	if line := h.out.next(t); !strings.Contains(line, "error") {
		t.Fatalf("line = %q", line)
	}
	if code, body := h.get("/fr/"); code != 500 || !strings.Contains(body, "templates/page.html:") {
		t.Errorf("GET = %d\n%s", code, body)
	}
}

func TestWatchAddRemovePage(t *testing.T) {
	h := watch(t)
	h.write("content/fiches/new-page/en.md", "---\ntitle: A new page\n---\nNew text.\n")
	line := h.out.next(t)
	if strings.Contains(line, "new-page: no change") {
		line = h.out.next(t) // the folder came in a batch before its file
	}
	if !strings.Contains(line, "assembled 18 pages (1 rendered)") {
		t.Fatalf("line = %q", line)
	}
	if _, body := h.get("/en/fiches/new-page/"); !strings.Contains(body, "New text.") {
		t.Error("new page not served")
	}
	if _, body := h.get("/fr/fiches/new-page/"); !strings.Contains(body, `href="/en/fiches/new-page/"`) {
		t.Error("no not-available page in French")
	}
	if _, body := h.get("/en/a-z/"); !strings.Contains(body, "A new page") {
		t.Error("A–Z lacks the new page")
	}
	if err := os.RemoveAll(filepath.Join(h.dir, "content/fiches/new-page")); err != nil {
		t.Fatal(err)
	}
	if line := h.out.next(t); !strings.Contains(line, "assembled 17 pages") {
		t.Fatalf("line = %q", line)
	}
	if code, _ := h.get("/en/fiches/new-page/"); code != 404 {
		t.Errorf("removed page: GET = %d", code)
	}
}

func TestWatchIgnoresTemporaryFiles(t *testing.T) {
	h := watch(t)
	for _, name := range []string{".#en.md", "en.md~", ".en.md.swp", "4913", "#en.md#"} {
		h.write("content/fiches/urgent-care/"+name, "junk")
	}
	h.edit("content/fiches/urgent-care/en.md", "Ask", "Please ask")
	line := h.out.next(t)
	if !strings.HasPrefix(line, "kb: content/fiches/urgent-care/en.md: ") {
		t.Errorf("line = %q, want a rebuild for en.md alone", line)
	}
	// A save by rename (sed -i, many editors): the temporary file is not a
	// resource of the page.
	data := strings.Replace(h.read("content/fiches/urgent-care/en.md"), "Please ask", "Ask", 1)
	h.write("content/fiches/urgent-care/sedAb12Cd", data)
	if err := os.Rename(filepath.Join(h.dir, "content/fiches/urgent-care/sedAb12Cd"), filepath.Join(h.dir, "content/fiches/urgent-care/en.md")); err != nil {
		t.Fatal(err)
	}
	line = h.out.next(t)
	if !strings.HasPrefix(line, "kb: content/fiches/urgent-care/en.md: 1 page updated") {
		t.Errorf("line = %q, want a rebuild for en.md alone", line)
	}
}

func TestEvents(t *testing.T) {
	h := watch(t)
	code, js := h.get("/_kb/reload.js")
	if code != 200 || !strings.Contains(js, "new EventSource(") {
		t.Fatalf("reload.js = %d\n%s", code, js)
	}
	v := h.p.events.version()
	if !strings.Contains(js, v) {
		t.Errorf("reload.js lacks the version %s", v)
	}
	res, err := http.Get(h.http.URL + "/_kb/events?v=" + v)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q", ct)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	got := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			got <- sc.Text()
		}
		close(got)
	}()
	if first := <-got; first != "retry: 500" {
		t.Errorf("first line = %q", first)
	}
	h.edit("content/fiches/urgent-care/en.md", "Ask", "Please ask")
	h.out.next(t)
	timeout := time.After(5 * time.Second)
	for {
		select {
		case line, ok := <-got:
			if !ok {
				t.Fatal("stream ended without an event")
			}
			if line == "event: reload" {
				// A page that connects with an old version reloads at once.
				res2, err := http.Get(h.http.URL + "/_kb/events?v=" + v)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res2.Body)
				res2.Body.Close()
				if !strings.Contains(string(body), "event: reload") {
					t.Errorf("stale page not told to reload:\n%s", body)
				}
				return
			}
		case <-timeout:
			t.Fatal("no reload event")
		}
	}
}

func TestPagesHaveScript(t *testing.T) {
	h := watch(t)
	_, body := h.get("/fr/fiches/aide-medicale-urgente/")
	if !strings.Contains(body, Script) {
		t.Error("page lacks the reload script")
	}
	res, err := http.Get(h.http.URL + "/fr/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestWatchSearchIndex(t *testing.T) {
	h := watchIndex(t, true)
	if line := h.out.next(t); !strings.HasPrefix(line, "kb: search index ready (fr, en, ar)") {
		t.Fatalf("line = %q", line)
	}
	if _, body := h.get("/api/search?q=formation&lang=fr"); !strings.Contains(body, "/fr/news/2025-01-02-training/") {
		t.Fatalf("search before the change:\n%s", body)
	}
	h.edit("content/fiches/only-fr/fr.md", "Texte.", "Texte sur la kinésithérapie.")
	if line := h.out.next(t); !strings.Contains(line, "1 page updated") {
		t.Fatalf("line = %q", line)
	}
	// The index follows in the background.
	deadline := time.Now().Add(15 * time.Second)
	for {
		_, body := h.get("/api/search?q=kinesitherapie&lang=fr")
		if strings.Contains(body, "/fr/fiches/only-fr/") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new word is not found:\n%s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The other languages are still there.
	if _, body := h.get("/api/search?q=training&lang=en"); !strings.Contains(body, "/en/news/2025-01-02-training/") {
		t.Errorf("English search after the change:\n%s", body)
	}
}

// TestWatchWrite: with Write, every good state is also written to public/
// as kb build writes it.
func TestWatchWrite(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	h := watchWith(t, dir, false, "kb: built 17 pages, ", func(p *Preview) { p.Write = true })
	h.edit("content/fiches/urgent-care/en.md", "Ask the OCMW/CPAS.", "Ask the OCMW/CPAS of your commune.")
	if line := h.out.next(t); !strings.Contains(line, "1 page updated, ") || !strings.Contains(line, "files written to ") {
		t.Fatalf("line = %q", line)
	}
	html, err := os.ReadFile(filepath.Join(dir, "public/en/fiches/urgent-care/index.html"))
	if err != nil || !strings.Contains(string(html), "of your commune") || !strings.Contains(string(html), Script) {
		t.Errorf("public/ lacks the edit (%v)", err)
	}
}

// TestEventsPerPage: a page is told to reload when its own output changed,
// not when another page did.
func TestEventsPerPage(t *testing.T) {
	h := watch(t)
	open := func(path string) <-chan string {
		t.Helper()
		h.get(path) // the page as the browser has it
		res, err := http.Get(h.http.URL + "/_kb/events?v=" + h.p.events.version() + "&p=" + url.QueryEscape(path))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		events := make(chan string, 10)
		go func() {
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
					events <- v
				}
			}
		}()
		return events
	}
	en := open("/en/fiches/urgent-care/")
	fr := open("/fr/fiches/aide-medicale-urgente/")
	h.edit("content/fiches/urgent-care/en.md", "Ask", "Please ask")
	h.out.next(t)
	first := h.p.events.version()
	h.edit("content/fiches/urgent-care/fr.md", "Demandez", "Demandez vite")
	h.out.next(t)
	second := h.p.events.version()
	wait := func(ch <-chan string) string {
		t.Helper()
		select {
		case v := <-ch:
			return v
		case <-time.After(10 * time.Second):
			t.Fatal("no reload event")
			return ""
		}
	}
	if v := wait(en); v != first {
		t.Errorf("English page reloaded at %s, want %s (its own change)", v, first)
	}
	if v := wait(fr); v != second {
		t.Errorf("French page reloaded at %s, want %s: it did not change before", v, second)
	}
}

// TestNotAvailableOnRequest: the preview answers the not-available pages no
// page links to, which a build does not write, with the bytes a build
// writes where a page links to them; a folder without its slash is
// redirected; what is not a group's missing language stays a 404.
func TestNotAvailableOnRequest(t *testing.T) {
	h := watch(t)
	// A build of the same site where an Arabic page links to only-fr.
	ref := sitetest.Write(t, fixture(t))
	p := filepath.Join(ref, "content/fiches/urgent-care/ar.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte("(OCMW/CPAS)."), []byte("(OCMW/CPAS). [x](/fiches/only-fr)"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := build.Build(context.Background(), build.Options{Site: ref, Out: filepath.Join(t.TempDir(), "public"), NoIndex: true, Script: Script})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(res.Generation, "site", "ar/fiches/only-fr/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/ar/fiches/only-fr/", "/ar/fiches/only-fr", "/ar/fiches/only-fr/index.html"} {
		code, body := h.get(path) // follows the redirect
		if code != 200 || body != string(want) {
			t.Errorf("%s: %d, want 200 with the build's bytes:\n%.300s", path, code, body)
		}
	}
	if code, body := h.get("/fr/glossary/urgent-medical-aid/"); code != 200 || !strings.Contains(body, `href="/ar/glossary/urgent-medical-aid/"`) || !strings.Contains(body, Script) {
		t.Errorf("/fr/glossary/urgent-medical-aid/: %d %.300s", code, body)
	}
	for _, path := range []string{"/ar/fiches/no-such-key/", "/de/fiches/only-fr/", "/ar/nope/only-fr/", "/ar/fiches/only-fr/x/"} {
		if code, _ := h.get(path); code != 404 {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
}
