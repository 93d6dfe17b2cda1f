package deploytest

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kb/internal/generation"
)

// TestNginx serves the included site through deploy/nginx/kb.conf with kb
// serve as upstream, checks everything a reader and a crawler can reach,
// rebuilds with both running, and checks again.
func TestNginx(t *testing.T) {
	dir := site(t)
	addr, _, stopServe := kbServe(t, dir)
	base, reload := nginx(t, dir, addr)
	checkSite(t, base, "http://"+addr, dir)

	// A build under the running servers: a new title, a new stylesheet (so
	// a new CSP hash) and two new aliases.
	page := "/fr/fiches/care-for-asylum-seekers/"
	edit(t, dir, "content/fiches/care-for-asylum-seekers/fr.md", func(s string) string {
		return strings.Replace(s, "---\ntitle: ", "---\naliases: [\"/old/asile.html\", \"/spip.php?article9999\"]\ntitle: Nouveau titre, ", 1)
	})
	edit(t, dir, "templates/static/style.css", func(s string) string { return s + "\nmain{outline:0}\n" })
	kbBuild(t, dir)
	// Without a reload: the pages, search and query-string aliases.
	waitFor(t, base, page, "Nouveau titre")
	waitFor(t, base, "/fr/search/?q=nouveau+titre", "Nouveau titre")
	if r := get(t, base, "/spip.php?article9999"); r.status != 301 || r.header.Get("Location") != page {
		t.Errorf("new query-string alias before reload: %d %q", r.status, r.header.Get("Location"))
	}
	// The map and the headers nginx read at start: after nginx -s reload.
	// Old workers finish the connections they hold; new connections reach
	// the new configuration.
	reload()
	meta, err := generation.ReadMeta(genDir(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	csp := generation.SecurityHeaders(meta.CSPStyle)[0][1]
	for range 400 {
		client.CloseIdleConnections()
		if get(t, base, "/fr/").header.Get("Content-Security-Policy") == csp {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r := get(t, base, "/old/asile.html"); r.status != 301 || r.header.Get("Location") != page {
		t.Errorf("new alias after reload: %d %q", r.status, r.header.Get("Location"))
	}
	checkSite(t, base, "http://"+addr, dir)

	// Without kb serve, nginx falls back on the files: the chooser at /, the
	// built search page (which says search is unavailable) with 503, the 404
	// page for what is not a file.
	stopServe()
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/", 200, `href="/ar/"`},
		{"/fr/search/?q=aide", 503, `<p class="notice" role="status">`},
		{"/spip.php?breve12", 404, `<html lang="fr"`},
		{"/ar/no-such-page", 404, `<html lang="ar"`},
		{"/ar/news/2024-02-08-winter-care/", 404, `<html lang="ar"`}, // not-available, not written
		{"/fr/", 200, `<html lang="fr"`},
	} {
		if r := get(t, base, c.path); r.status != c.status || !strings.Contains(r.body, c.want) {
			t.Errorf("without kb serve, %s: %d, want %d with %q", c.path, r.status, c.status, c.want)
		}
	}
}

// TestTwoUpstreams runs two kb serve processes behind one nginx upstream and
// builds three times while requests (pages and search) keep coming: every
// request answers 200, and both processes move to each new generation.
func TestTwoUpstreams(t *testing.T) {
	dir := site(t)
	a, loggedA, _ := kbServe(t, dir)
	b, loggedB, _ := kbServe(t, dir)
	base, _ := nginx(t, dir, a, b)

	paths := []string{"/fr/search/?q=aide+medicale", "/fr/fiches/care-for-asylum-seekers/", "/api/search?q=asile&lang=fr", "/ar/", "/nl/search/?q=ziekenhuis", "/spip.php?breve12"}
	var total, ok atomic.Int64
	var mu sync.Mutex
	var failures []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				p := paths[n%len(paths)]
				r, err := tryGet(base, p)
				total.Add(1)
				want := 200
				if strings.HasPrefix(p, "/spip.php") {
					want = 301
				}
				if err == nil && r.status == want {
					ok.Add(1)
					continue
				}
				mu.Lock()
				if len(failures) < 10 {
					failures = append(failures, p+": "+errString(err, r.status))
				}
				mu.Unlock()
			}
		})
	}
	for i := 1; i <= 3; i++ {
		title := "Version " + strings.Repeat("I", i) + " des soins"
		edit(t, dir, "content/fiches/care-for-asylum-seekers/fr.md", func(s string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(s, "title: "+title)
		})
		kbBuild(t, dir)
		for _, up := range []string{a, b} {
			waitFor(t, "http://"+up, "/fr/fiches/care-for-asylum-seekers/", title)
			waitFor(t, "http://"+up, "/fr/search/?q=version+des+soins", title)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("through nginx during 3 builds: %d requests, %d as expected; kb serve A logged %d, B %d", total.Load(), ok.Load(), loggedA(), loggedB())
	if ok.Load() != total.Load() || total.Load() < 50 {
		t.Errorf("%d of %d requests answered as expected; first failures:\n%s", ok.Load(), total.Load(), strings.Join(failures, "\n"))
	}
	if loggedA() == 0 || loggedB() == 0 {
		t.Errorf("nginx did not spread the load: A logged %d requests, B %d", loggedA(), loggedB())
	}
	// .kb also holds the servers' counts (stats/): count the generations.
	entries, _ := os.ReadDir(filepath.Join(dir, ".kb"))
	gens := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "public-") {
			gens++
		}
	}
	if gens > 3 {
		t.Errorf(".kb holds %d generations after the servers moved on, want at most 3", gens)
	}
}

func errString(err error, status int) string {
	if err != nil {
		return err.Error()
	}
	return "status " + strconv.Itoa(status)
}

func edit(t *testing.T, dir, name string, f func(string) string) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(f(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkSite checks, through nginx at base, the current build of dir, with
// kb serve at direct for the headers it sends itself.
func checkSite(t *testing.T, base, direct, dir string) {
	t.Helper()
	gen := genDir(t, dir)
	meta, err := generation.ReadMeta(gen)
	if err != nil {
		t.Fatal(err)
	}
	security := generation.SecurityHeaders(meta.CSPStyle)
	headers := func(what string, r resp) {
		t.Helper()
		for _, kv := range security {
			if got := r.header.Values(kv[0]); len(got) != 1 || got[0] != kv[1] {
				t.Errorf("%s: %s = %q, want %q", what, kv[0], got, kv[1])
			}
		}
	}
	own := get(t, direct, "/fr/")
	headers("kb serve /fr/", own)

	// Every page of the sitemap, with kb serve's headers.
	sm := get(t, base, "/sitemap.xml")
	if sm.status != 200 || !strings.HasPrefix(sm.header.Get("Content-Type"), "text/xml") {
		t.Fatalf("/sitemap.xml: %d %s", sm.status, sm.header.Get("Content-Type"))
	}
	if !strings.Contains(sm.body, `hreflang="x-default"`) {
		t.Error("the sitemap has no x-default alternate")
	}
	locs := regexp.MustCompile(`<loc>([^<]+)</loc>`).FindAllStringSubmatch(sm.body, -1)
	if len(locs) < 100 {
		t.Fatalf("sitemap lists %d pages", len(locs))
	}
	for _, m := range locs {
		u, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		r := get(t, base, u.EscapedPath())
		if r.status != 200 {
			t.Errorf("%s: %d", u.Path, r.status)
			continue
		}
		headers(u.Path, r)
	}
	// Precompressed files.
	if r := get(t, base, "/fr/", "Accept-Encoding", "gzip"); r.header.Get("Content-Encoding") != "gzip" || r.header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("/fr/ with gzip: Content-Encoding %q, Vary %q", r.header.Get("Content-Encoding"), r.header.Get("Vary"))
	}
	// A 404 in each language, with the status.
	for _, l := range meta.Languages {
		p := "/" + l.Code + "/no-such-page/"
		r := get(t, base, p)
		if r.status != 404 || !strings.Contains(r.body, `<html lang="`+l.Tag+`"`) {
			t.Errorf("%s: %d, want 404 in %s: %.120s", p, r.status, l.Tag, r.body)
		}
		headers(p, r)
	}
	// A page's URL in a language it lacks that no page links to: not a
	// file, so nginx asks kb serve, which renders the not-available page;
	// gzip when asked, as nginx serves files. Without the slash, the
	// folder's redirect.
	na := "/ar/news/2024-02-08-winter-care/"
	if _, err := os.Stat(filepath.Join(gen, "site", na, "index.html")); err == nil {
		t.Errorf("%s is written: no page links to it", na)
	}
	if r := get(t, base, na); r.status != 200 || !strings.Contains(r.body, `<html lang="ar"`) || !strings.Contains(r.body, `href="/fr/news/2024-02-08-winter-care/"`) {
		t.Errorf("%s: %d, want 200, the Arabic not-available page: %.200s", na, r.status, r.body)
	} else {
		headers(na, r)
	}
	if r := get(t, base, na, "Accept-Encoding", "gzip"); r.status != 200 || r.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("%s with gzip: %d, Content-Encoding %q", na, r.status, r.header.Get("Content-Encoding"))
	}
	if r := get(t, base, strings.TrimSuffix(na, "/")); r.status != 301 || r.header.Get("Location") != na {
		t.Errorf("%s without its slash: %d %q", na, r.status, r.header.Get("Location"))
	}
	if r := get(t, base, "/no-such-page"); r.status != 404 || !strings.Contains(r.body, `<html lang="`+meta.DefaultLanguage) {
		t.Errorf("/no-such-page: %d %.120s", r.status, r.body)
	}
	// Every alias of redirects.map: 301 to a page that exists.
	rm, err := os.ReadFile(filepath.Join(gen, "site", "redirects.map"))
	if err != nil {
		t.Fatal(err)
	}
	entries := regexp.MustCompile(`(?m)^"([^"]+)" "([^"]+)";$`).FindAllStringSubmatch(string(rm), -1)
	if len(entries) == 0 {
		t.Error("redirects.map has no alias")
	}
	for _, e := range entries {
		r := get(t, base, e[1])
		if r.status != 301 || r.header.Get("Location") != e[2] {
			t.Errorf("%s: %d %q, want 301 to %s", e[1], r.status, r.header.Get("Location"), e[2])
		}
		headers(e[1], r)
		if to := get(t, base, e[2]); to.status != 200 {
			t.Errorf("%s redirects to %s: %d", e[1], e[2], to.status)
		}
	}
	// Query-string aliases: kb serve answers them through nginx.
	n := 0
	for from, to := range meta.Redirects {
		if !strings.Contains(from, "?") {
			continue
		}
		n++
		if r := get(t, base, from); r.status != 301 || r.header.Get("Location") != to {
			t.Errorf("%s: %d %q, want 301 to %s", from, r.status, r.header.Get("Location"), to)
		}
	}
	if n == 0 {
		t.Error("the site has no query-string alias to try")
	}
	// Search, through the proxy.
	if r := get(t, base, "/fr/search/?q=aide+medicale"); r.status != 200 || !strings.Contains(r.body, "<mark>") {
		t.Errorf("search page: %d %.200s", r.status, r.body)
	} else {
		headers("search page", r)
	}
	var api struct {
		Hits []struct{ URL string } `json:"hits"`
	}
	r := get(t, base, "/api/search?q=asile&lang=fr")
	if err := json.Unmarshal([]byte(r.body), &api); r.status != 200 || err != nil || len(api.Hits) == 0 {
		t.Errorf("api: %d %v %.200s", r.status, err, r.body)
	}
	// Language negotiation at /, through kb serve; the chooser without it.
	if r := get(t, base, "/", "Accept-Language", "ar, fr;q=0.5"); r.status != 302 || r.header.Get("Location") != "/ar/" {
		t.Errorf("/ with Accept-Language ar: %d %q", r.status, r.header.Get("Location"))
	}
	if r := get(t, base, "/"); r.status != 200 {
		t.Errorf("/: %d", r.status)
	}
	// Feeds are Atom.
	if r := get(t, base, "/fr/feed.xml"); r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") {
		t.Errorf("/fr/feed.xml: %d %q", r.status, r.header.Get("Content-Type"))
	}
	// The built search page (what a host without kb serve shows) says, in
	// each language, that search is not available, and links onwards.
	for _, l := range meta.Languages {
		data, err := os.ReadFile(filepath.Join(gen, "site", l.Code, "search", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		page := string(data)
		if !strings.Contains(page, `<p class="notice" role="status">`) || strings.Contains(page, "search_unavailable") ||
			!strings.Contains(page, `href="/`+l.Code+`/a-z/"`) || !strings.Contains(page, `href="/`+l.Code+`/topics/"`) {
			t.Errorf("%s/search/index.html: no notice in %s, or no link to the A–Z list and topics", l.Code, l.Tag)
		}
	}
	// Nothing that is not for readers: dot-files (one planted in the
	// generation), kb's folder beside the site, the editors' page, the files
	// written for servers.
	for _, p := range []string{".secret", "fr/.secret"} {
		if err := os.WriteFile(filepath.Join(gen, "site", p), []byte("SECRET-KB-TEST"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"/.secret", "/fr/.secret", "/.kb/", "/../.kb/", "/fr/../../.kb/" + filepath.Base(gen) + "/kb.json",
		"/%2e%2e/.kb/", "/_editors/translations.html", "/redirects.map", "/_redirects", "/_headers", "/kb-headers.conf"} {
		r := get(t, base, p)
		if (r.status != 404 && r.status != 400) || strings.Contains(r.body, "SECRET-KB-TEST") || strings.Contains(r.body, "default_language") {
			t.Errorf("%s: %d %.100s", p, r.status, r.body)
		}
	}
}
