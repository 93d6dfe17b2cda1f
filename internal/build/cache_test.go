package build_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"kb/internal/build"
	"kb/internal/sitetest"
	"kb/search"
)

// The build cache (cache.go): a build that takes .gz files and indexes
// from .kb/cache gives the same site, byte for byte, and the same search
// results as a cold build of the same input; also after builds killed
// mid-way and with torn entries; and a kb of another identity uses nothing
// of it.

func buildSite(t *testing.T, siteDir, out string) *build.Result {
	t.Helper()
	res, err := build.Build(context.Background(), build.Options{Site: siteDir, Out: out})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// snapshot reads every file of a generation but its search index.
func snapshot(t *testing.T, gen string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(gen, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(gen, p)
		if rel == "search" {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameSite compares two generations file by file.
func sameSite(t *testing.T, got, want string) {
	t.Helper()
	g, w := snapshot(t, got), snapshot(t, want)
	gz := 0
	for p, data := range w {
		if strings.HasSuffix(p, ".gz") {
			gz++
		}
		if g[p] != data {
			t.Errorf("%s differs from the cold build's (%d bytes, want %d)", p, len(g[p]), len(data))
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			t.Errorf("%s is not in the cold build", p)
		}
	}
	if gz == 0 {
		t.Error("the cold build has no .gz: the test compares nothing of the cache")
	}
	if a, b := results(t, got), results(t, want); a != b {
		t.Errorf("search results differ:\n%s\nwant (cold build):\n%s", a, b)
	}
}

// queries cover every language of the fixture, the typo retry and the
// fallback to other languages.
var queries = []search.Request{
	{Lang: "fr", Query: "aide médicale urgente"},
	{Lang: "fr", Query: "CPAS"},
	{Lang: "fr", Query: "procedure etapes"},
	{Lang: "en", Query: "urgent medical aid"},
	{Lang: "en", Query: "urgnet care"},
	{Lang: "en", Query: "training"},
	// The typo retry expands words from the index's terms: an updated
	// index must hold no word of an old version of a page.
	{Lang: "en", Query: "helpp"},
	{Lang: "en", Query: "aidd"},
	{Lang: "fr", Query: "vitte aidee"},
	{Lang: "ar", Query: "المساعدة الطبية"},
	{Lang: "es", Query: "CPAS"},
	{Query: "pharmacy"},
}

// results runs the queries on a generation's index, in a stable text form.
func results(t *testing.T, gen string) string {
	t.Helper()
	ix, err := search.Open(filepath.Join(gen, "search"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var b strings.Builder
	hits := 0
	for _, q := range queries {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("%q: %v", q.Query, err)
		}
		fmt.Fprintf(&b, "%s %q: total %d fuzzy %v fallback %v\n", q.Lang, q.Query, res.Total, res.Fuzzy, res.Fallback)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "  %s %.6f %s %s\n", h.ID, h.Score, h.Title, h.Snippet)
			hits++
		}
	}
	if hits == 0 {
		t.Fatal("no query found anything: the comparison would prove nothing")
	}
	return b.String()
}

// edits change the fixture, each in a way that reaches files other than
// the changed page's own: a reused file that should have changed shows as a
// difference with the cold build.
var edits = []struct {
	name, file, old, new string // old "": new is the whole new file; new "": remove
}{
	{"body", "content/fiches/urgent-care/fr.md", "Demandez l'aide au CPAS.", "Demandez vite l'aide au CPAS."},
	{"title", "content/fiches/urgent-care/en.md", "title: Urgent medical aid", "title: Urgent medical help"},
	{"linked page's slug", "content/procedures/amu-steps/fr.md", "title: AMU étape par étape", "title: AMU étape par étape\nslug: amu-etapes"},
	{"topic title", "content/topics/access/fr.md", "title: Accès aux soins", "title: Accès aux soins de santé"},
	{"glossary definition", "content/glossary/cpas/fr.md", "Le service social public de la commune.", "Le centre public d'action sociale."},
	{"new glossary term", "content/glossary/demande/fr.md", "", "---\ntitle: Demande\nsummary: Ce que l'on demande au CPAS.\n---\n"},
	{"new page", "content/fiches/new-one/fr.md", "", "---\ntitle: Nouvelle fiche\ntopics: [access]\n---\nTexte neuf.\n"},
	// The build writes a not-available page only where a page links to it.
	{"link to a missing page added", "content/fiches/urgent-care/ar.md", "(OCMW/CPAS).", "(OCMW/CPAS). [x](/fiches/only-fr)"},
	{"link to a missing page removed", "content/fiches/urgent-care/en.md", "See [the only French page](/fiches/only-fr) and the", "See the"},
	{"status missing in the language", "content/fiches/urgent-care/ar.md", "topics: [access]", "topics: [access]\nresidence: [undocumented]"},
	{"removed translation", "content/news/2025-01-02-training/en.md", "", ""},
	{"settings", "content/site.toml", `base_url = "https://kb.example"`, `base_url = "https://kb2.example"`},
	{"interface string", "i18n/fr.toml", `home = "Accueil"`, `home = "Page d'accueil"`},
	{"template", "templates/base.html", "</body>", "<span></span></body>"},
}

func edit(t *testing.T, siteDir, file, old, new string) {
	t.Helper()
	p := filepath.Join(siteDir, file)
	switch {
	case old == "" && new == "":
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		return
	case old == "":
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(new), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// notAvailable are the not-available pages the edits above make linked or
// unlinked: written or not.
var notAvailable = map[string]struct {
	path    string
	written bool
}{
	"link to a missing page added":   {"ar/fiches/only-fr/index.html", true},
	"link to a missing page removed": {"en/fiches/only-fr/index.html", false},
	"status missing in the language": {"ar/residence/undocumented/index.html", true},
}

// inPlace are the edits that change the documents of one language by a
// page: its index is updated, not built. ("removed translation" leaves 4
// English documents: one in 4 is more than the fifth an update may differ
// by; search.TestUpdate covers removals.)
var inPlace = map[string]bool{"body": true, "title": true, "new page": true}

func TestCachedRebuild(t *testing.T) {
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			if testing.Short() && e.name != "body" && e.name != "title" {
				t.Skip("-short: the body and title edits only")
			}
			dir := sitetest.Write(t, fixture(t))
			out := filepath.Join(dir, "public")
			first := buildSite(t, dir, out)
			// Files with the same bytes share an entry: hits in a first
			// build are those.
			if c := first.Cache; c.GzMisses == 0 || c.OutHits != 0 || c.IndexHits != 0 || c.IndexMisses == 0 {
				t.Fatalf("first build: %v (hits/misses)", c)
			}
			if c := first.Cache; c.BodyHits != 0 || c.BodyMisses == 0 || c.PageHits != 0 || c.PageMisses == 0 {
				t.Fatalf("first build: %v, want every body rendered and every page parsed", c)
			}
			edit(t, dir, e.file, e.old, e.new)
			again := buildSite(t, dir, out)
			if c := again.Cache; c.OutMisses == 0 {
				t.Errorf("rebuild after a change: %v (hits/misses), rendered nothing", c)
			}
			t.Logf("rebuild: %v (hits/misses)", again.Cache)
			if c := again.Cache; (e.name == "body" || e.name == "title") && (c.OutHits == 0 || c.IndexHits == 0 || c.IndexMisses != 1) {
				t.Errorf("one page changed: %v, want rendered files and indexes from the cache, one index built", c)
			}
			// One page of a language changed, added or removed: its index
			// is updated from the cached one (search.Update), and the
			// comparison with the cold build below covers that path.
			if c := again.Cache; inPlace[e.name] && c.IndexUpdates != 1 {
				t.Errorf("one page changed: %v, want the changed language's index updated in place", c)
			}
			// The bodies the first build saved (bodies.go) serve every
			// page whose body is still right: all but the edited one for
			// a body edit, all for a title.
			if c := again.Cache; c.BodyHits == 0 || e.name == "body" && c.BodyMisses != 1 || e.name == "title" && c.BodyMisses != 0 {
				t.Errorf("rebuild: %v, want the saved bodies reused", c)
			}
			// The parsed pages (parsed.go): all but the edited one.
			if c := again.Cache; c.PageHits == 0 || strings.HasSuffix(e.file, ".md") && e.new != "" && c.PageMisses != 1 {
				t.Errorf("rebuild: %v, want the saved pages reused, the edited one parsed", c)
			}
			cold := buildSite(t, dir, filepath.Join(t.TempDir(), "public"))
			sameSite(t, again.Generation, cold.Generation)
			if na, ok := notAvailable[e.name]; ok {
				if _, err := os.Stat(filepath.Join(again.Generation, "site", na.path)); (err == nil) != na.written {
					t.Errorf("%s written: %v, want %v", na.path, err == nil, na.written)
				}
			}

			// Nothing changed: everything comes from the cache.
			third := buildSite(t, dir, out)
			if c := third.Cache; c.OutMisses != 0 || c.GzMisses != 0 || c.IndexMisses != 0 || c.BodyMisses != 0 || c.PageMisses != 0 {
				t.Errorf("rebuild of the same site: %v, want no misses", c)
			}
			sameSite(t, third.Generation, cold.Generation)
		})
	}
}

// TestCacheChild is not a test: the tests below run it in a child process
// that builds KB_TEST_CACHE_SITE and prints what it took from the cache.
func TestCacheChild(t *testing.T) {
	dir := os.Getenv("KB_TEST_CACHE_SITE")
	if dir == "" {
		t.Skip("helper process of the cache tests")
	}
	res := buildSite(t, dir, filepath.Join(dir, "public"))
	json.NewEncoder(os.Stdout).Encode(res.Cache)
}

func child(exe, dir string) *exec.Cmd {
	cmd := exec.Command(exe, "-test.run=^TestCacheChild$")
	cmd.Env = append(os.Environ(), "KB_TEST_CACHE_SITE="+dir)
	return cmd
}

// TestCacheKilledBuild: builds killed with SIGKILL at various points, and
// entries torn by hand, leave a cache whose next build equals a cold one.
func TestCacheKilledBuild(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	out := filepath.Join(dir, "public")
	buildSite(t, dir, out)
	edit(t, dir, edits[0].file, edits[0].old, edits[0].new)
	gens := filepath.Join(dir, ".kb")
	before := countEntries(t, gens)

	// Kill children sooner and later in their build. A kill after the
	// child's own swap is no harm either: the point is the ones before it.
	for _, delay := range []time.Duration{0, 20, 50, 100, 200, 400, 800} {
		cmd := child(os.Args[0], dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	t.Logf("cache entries: %d before, %d after the killed builds", before, countEntries(t, gens))

	// Torn entries, as a crash might leave them: files cut short. The next
	// build must not use them. (The entries are hard links: the old
	// generations' files are cut too, which nothing here reads.) A rendered
	// file without a .gz (under 512 bytes) has nothing to be checked
	// against: those are left whole.
	gzs, _ := filepath.Glob(filepath.Join(gens, "cache", "gz", "*", "*"))
	idx, _ := filepath.Glob(filepath.Join(gens, "cache", "index", "*", "*", "index", "store", "*"))
	lists, _ := filepath.Glob(filepath.Join(gens, "cache", "index", "*", "*", "docs"))
	outs, _ := filepath.Glob(filepath.Join(gens, "cache", "out", "*", "*"))
	var tear []string
	whole := 0
	for _, p := range outs {
		_, err := os.Stat(strings.TrimSuffix(p, ".gz") + ".gz")
		switch {
		case err == nil:
			tear = append(tear, p) // the file and its .gz
		case !strings.HasSuffix(p, ".gz"):
			whole++
		}
	}
	if len(tear) == 0 || len(idx) == 0 || len(lists) == 0 {
		t.Fatalf("no entries to tear: %d rendered files, %d index files, %d document lists", len(tear), len(idx), len(lists))
	}
	bodies := filepath.Join(gens, "cache", "bodies", "bodies")
	pages := filepath.Join(gens, "cache", "parsed", "pages")
	for _, p := range []string{bodies, pages} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("no saved bodies or pages to tear: %v", err)
		}
	}
	for _, p := range append(append(append(append(tear, gzs...), idx...), lists...), bodies, pages) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(p, fi.Size()/2); err != nil {
			t.Fatal(err)
		}
	}

	res := buildSite(t, dir, out)
	cold := buildSite(t, dir, filepath.Join(t.TempDir(), "public"))
	if c := res.Cache; c.OutHits > whole || c.IndexHits != 0 || c.IndexUpdates != 0 || c.BodyHits != 0 || c.PageHits != 0 {
		t.Errorf("the build used torn entries: %v, with %d whole rendered files", c, whole)
	}
	sameSite(t, res.Generation, cold.Generation)
	left, _ := filepath.Glob(filepath.Join(gens, "public-tmp-*"))
	if len(left) != 0 {
		t.Errorf("staging folders left: %v", left)
	}
	// And the cache it made again serves the next build.
	res = buildSite(t, dir, out)
	if c := res.Cache; c.OutMisses != 0 || c.GzMisses != 0 || c.IndexMisses != 0 || c.BodyMisses != 0 || c.PageMisses != 0 {
		t.Errorf("after the repair: %v, want no misses", c)
	}
	sameSite(t, res.Generation, cold.Generation)
}

// TestCacheStaleTemporaries: a build killed while saving its bodies or
// parsed pages leaves a temporary file (the bodies' as large as the site's
// HTML). The next save removes those older than an hour, and leaves a
// recent one, which may be another build's save in progress.
func TestCacheStaleTemporaries(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	out := filepath.Join(dir, "public")
	buildSite(t, dir, out)
	gens := filepath.Join(dir, ".kb")
	var stale, recent []string
	for _, kind := range []string{"bodies", "parsed"} {
		for _, age := range []time.Duration{2 * time.Hour, time.Minute} {
			f, err := os.CreateTemp(filepath.Join(gens, "cache", kind), "tmp-")
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("half a save")
			f.Close()
			when := time.Now().Add(-age)
			if err := os.Chtimes(f.Name(), when, when); err != nil {
				t.Fatal(err)
			}
			if age > time.Hour {
				stale = append(stale, f.Name())
			} else {
				recent = append(recent, f.Name())
			}
		}
	}
	// An edit: both the bodies and the parsed pages are saved again.
	edit(t, dir, edits[0].file, edits[0].old, edits[0].new)
	buildSite(t, dir, out)
	for _, p := range stale {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: a killed build's temporary file is still there (%v)", p, err)
		}
	}
	for _, p := range recent {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: a recent temporary file was removed (%v)", p, err)
		}
	}
}

func countEntries(t *testing.T, gens string) int {
	t.Helper()
	gz, _ := filepath.Glob(filepath.Join(gens, "cache", "gz", "*", "*"))
	idx, _ := filepath.Glob(filepath.Join(gens, "cache", "index", "*", "*"))
	out, _ := filepath.Glob(filepath.Join(gens, "cache", "out", "*", "*"))
	return len(gz) + len(idx) + len(out)
}

// TestCacheIdentity: a kb whose executable differs (here the test binary
// with one byte more) takes nothing from the cache of another.
func TestCacheIdentity(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	out := filepath.Join(dir, "public")
	first := buildSite(t, dir, out)

	other := filepath.Join(t.TempDir(), "kb-other")
	copyExe(t, os.Args[0], other)
	run := func(exe string) build.CacheStats {
		t.Helper()
		var stdout bytes.Buffer
		cmd := child(exe, dir)
		cmd.Stdout = &stdout
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", exe, err, stdout.String())
		}
		var c build.CacheStats
		line := stdout.String()
		if i := strings.Index(line, "{"); i >= 0 {
			line = line[i:]
		}
		if err := json.NewDecoder(strings.NewReader(line)).Decode(&c); err != nil {
			t.Fatalf("child's output %q: %v", stdout.String(), err)
		}
		return c
	}
	if c := run(os.Args[0]); c.OutHits == 0 || c.IndexHits == 0 {
		t.Fatalf("the same kb took nothing from the cache: %v", c)
	}
	// Files with the same bytes share an entry: a cold build's hits are
	// those.
	if c, want := run(other), first.Cache; c != want {
		t.Errorf("another kb took from the cache: %v, want %v as a cold build", c, want)
	}
	// The two kbs' builds take turns; each keeps the other's last entries.
	if c := run(os.Args[0]); c.OutMisses != 0 || c.GzMisses != 0 || c.IndexMisses != 0 {
		t.Errorf("back to the first kb: %v, want no misses", c)
	}
}

// copyExe copies an executable and appends a byte: it runs the same and
// hashes differently.
func copyExe(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write([]byte{0}); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCacheTornDocList: an index entry whose document list is torn (its
// index whole) is never the base of an update: the changed language is
// built, and the site equals a cold build's.
func TestCacheTornDocList(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	out := filepath.Join(dir, "public")
	buildSite(t, dir, out)
	lists, _ := filepath.Glob(filepath.Join(dir, ".kb", "cache", "index", "*", "*", "docs"))
	if len(lists) == 0 {
		t.Fatal("no document lists in the cache")
	}
	for _, p := range lists {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Cut at a line's end: what is left reads as a shorter list but
		// for its checksum.
		cut := bytes.LastIndexByte(data[:len(data)-1], '\n') + 1
		if err := os.WriteFile(p, data[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(t, dir, edits[0].file, edits[0].old, edits[0].new)
	res := buildSite(t, dir, out)
	if c := res.Cache; c.IndexUpdates != 0 || c.IndexMisses != 1 {
		t.Errorf("rebuild with torn document lists: %v, want the changed language built", c)
	}
	cold := buildSite(t, dir, filepath.Join(t.TempDir(), "public"))
	sameSite(t, res.Generation, cold.Generation)
}

// A body changed in one language: the lists of the others are taken from
// the cache (their files are the entries the first build made), those of
// its own language are rendered again; all of them when a template shows
// what a body gives outside its own page (here the A–Z, its pages'
// headings).
func TestCachedListsOfOtherLanguages(t *testing.T) {
	tests := []struct {
		name   string
		az     [2]string // an edit of templates/az.html
		others bool      // the other languages' lists are kept
	}{
		{"the site's templates", [2]string{}, true},
		{"a list shows its pages' headings", [2]string{"{{bidi .Language .Meta.Title}}</a>", "{{bidi .Language .Meta.Title}}</a>{{len .Headings}}"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sitetest.Write(t, fixture(t))
			if tt.az[0] != "" {
				edit(t, dir, "templates/az.html", tt.az[0], tt.az[1])
			}
			out := filepath.Join(dir, "public")
			first := buildSite(t, dir, out)
			lists := map[string]bool{"en/index.html": tt.others, "en/a-z/index.html": tt.others, "ar/fiches/index.html": tt.others, "fr/a-z/index.html": false}
			held := map[string]*os.File{}
			for p := range lists {
				f, err := os.Open(filepath.Join(first.Generation, "site", p))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close() // held open, so that no new file takes its inode
				held[p] = f
			}
			edit(t, dir, "content/fiches/urgent-care/fr.md", "Demandez l'aide au CPAS.", "Demandez vite l'aide au CPAS.")
			again := buildSite(t, dir, out)
			for p, kept := range lists {
				was, err := held[p].Stat()
				if err != nil {
					t.Fatal(err)
				}
				now, err := os.Stat(filepath.Join(again.Generation, "site", p))
				if err != nil {
					t.Fatal(err)
				}
				if os.SameFile(was, now) != kept {
					t.Errorf("%s taken from the cache: %v, want %v", p, !kept, kept)
				}
			}
			sameSite(t, again.Generation, buildSite(t, dir, filepath.Join(t.TempDir(), "public")).Generation)
		})
	}
}
