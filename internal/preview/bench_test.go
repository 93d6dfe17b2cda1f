package preview

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"kb/internal/build"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// The benchmarks measure the time from saving one file to the updated page
// served (rendered by the preview's handler), on generated sites
// (gencorpus.py, beside the project, as in BENCHMARKS.md) with the
// project's templates, languages and content, or on KB_BENCH_CORPUS/<n>/kb-site
// when that is set (a copy: the benchmarks edit a page and a template, and
// put them back). They are skipped when there is no corpus.
//
//	go test ./internal/preview -run '^$' -bench Save -benchtime 20x
//
// BenchmarkSave changes a page's Markdown body (the body is rendered again
// in place); BenchmarkSaveWatched adds the watcher (inotify and the 50 ms
// wait for quiet); BenchmarkSaveTitle changes the title, which the page
// also takes in place; BenchmarkSaveAssemble adds a frontmatter line,
// which assembles the site again; BenchmarkSaveTemplate changes a
// template. Each ends with the page served, rendered on request.

var benchSizes = []int{1000, 10000}

func BenchmarkSave(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			bs := benchSite(b, n)
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				bs.saveBody(b, i)
				bs.p.rebuild(context.Background(), []string{bs.file})
				if line := <-bs.lines; !strings.Contains(line, "1 page updated") {
					b.Fatalf("rebuild: %s", line)
				}
				bs.show(b, fmt.Sprintf("Edit %d.", i))
			}
			report(b, cpu)
		})
	}
}

func BenchmarkSaveWatched(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			bs := benchSite(b, n)
			cpu := cpuTime()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				bs.p.Run(ctx)
				close(done)
			}()
			defer func() {
				cancel()
				<-done
			}()
			time.Sleep(100 * time.Millisecond) // the watcher starts
			for i := 0; b.Loop(); i++ {
				bs.saveBody(b, i)
				select {
				case line := <-bs.lines:
					if !strings.Contains(line, "1 page updated") {
						b.Fatalf("rebuild: %s", line)
					}
				case <-time.After(30 * time.Second):
					b.Fatal("no rebuild")
				}
				bs.show(b, fmt.Sprintf("Edit %d.", i))
			}
			report(b, cpu)
		})
	}
}

func BenchmarkSaveTitle(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			bs := benchSite(b, n)
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				bs.saveTitle(b, i)
				bs.p.rebuild(context.Background(), []string{bs.file})
				if line := <-bs.lines; !strings.Contains(line, "1 page updated") {
					b.Fatalf("rebuild: %s", line)
				}
				bs.show(b, fmt.Sprintf("Edit %d ", i))
			}
			report(b, cpu)
		})
	}
}

// BenchmarkSaveAssemble adds or removes a frontmatter line (weight), which
// moves the lines of the keys below it: the site is assembled again.
func BenchmarkSaveAssemble(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			bs := benchSite(b, n)
			cpu := cpuTime()
			for i := 0; b.Loop(); i++ {
				extra := "" // every other save has the line
				if i%2 == 0 {
					extra = "weight: 1\n"
				}
				bs.save(b, strings.Replace(bs.orig, "title: \"", fmt.Sprintf("%stitle: \"Edit %d ", extra, i), 1))
				bs.p.rebuild(context.Background(), []string{bs.file})
				if line := <-bs.lines; !strings.Contains(line, "assembled") {
					b.Fatalf("rebuild: %s", line)
				}
				bs.show(b, fmt.Sprintf("Edit %d ", i))
			}
			report(b, cpu)
		})
	}
}

func BenchmarkSaveTemplate(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			bs := benchSite(b, n)
			cpu := cpuTime()
			tmpl := filepath.Join(bs.dir, "templates/page.html")
			orig, err := os.ReadFile(tmpl)
			if err != nil {
				b.Fatal(err)
			}
			defer os.WriteFile(tmpl, orig, 0o644)
			for i := 0; b.Loop(); i++ {
				mark := fmt.Sprintf(`<p class="template-%d"></p>`, i)
				os.WriteFile(tmpl, bytes.Replace(orig, []byte(`{{define "main"}}`), []byte(`{{define "main"}}`+mark), 1), 0o644)
				bs.p.rebuild(context.Background(), []string{"templates/page.html"})
				if line := <-bs.lines; !strings.Contains(line, "templates updated") {
					b.Fatalf("rebuild: %s", line)
				}
				bs.show(b, mark)
			}
			report(b, cpu)
		})
	}
}

type benchPreview struct {
	dir   string
	p     *Preview
	file  string // the page edited
	url   string // and its URL
	orig  string
	lines chan string
}

var (
	benchMu    sync.Mutex
	benchSites = map[int]string{} // generated sites, kept for the process
)

// benchSite generates (once per process) a site of n pages and starts a
// preview of it.
func benchSite(b *testing.B, n int) *benchPreview {
	b.Helper()
	dir := corpus(b, n)
	os.RemoveAll(filepath.Join(dir, "public"))
	os.RemoveAll(filepath.Join(dir, ".kb"))
	out := newLines()
	p := New(build.Options{Site: dir, NoIndex: true}, &serve.Server{}, out, io.Discard)
	start := time.Now()
	if err := p.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	line := <-out.ch
	if !strings.HasPrefix(line, "kb: built") {
		b.Fatalf("first build: %s", line)
	}
	b.Logf("%s (first build %s)", line, time.Since(start).Round(time.Millisecond))
	bs := &benchPreview{dir: dir, p: p, file: "content/fiches/fiche-00010/fr.md", url: "/fr/fiches/fiche-00010/", lines: out.ch}
	data, err := os.ReadFile(filepath.Join(dir, bs.file))
	if err != nil {
		b.Fatal(err)
	}
	bs.orig = string(data)
	b.Cleanup(func() { os.WriteFile(filepath.Join(dir, bs.file), data, 0o644) })
	return bs
}

func (bs *benchPreview) save(b *testing.B, data string) {
	if err := os.WriteFile(filepath.Join(bs.dir, bs.file), []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
}

// saveBody saves the page with one more word at the end of its body.
func (bs *benchPreview) saveBody(b *testing.B, i int) {
	bs.save(b, bs.orig+fmt.Sprintf("\nEdit %d.\n", i))
}

// saveTitle saves the page with another title.
func (bs *benchPreview) saveTitle(b *testing.B, i int) {
	bs.save(b, strings.Replace(bs.orig, "title: \"", fmt.Sprintf("title: \"Edit %d ", i), 1))
}

// show gets the page edited, as a browser would after the reload, and
// makes sure it shows want.
func (bs *benchPreview) show(b *testing.B, want string) {
	rec := httptest.NewRecorder()
	bs.p.Handler().ServeHTTP(rec, httptest.NewRequest("GET", bs.url, nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
		b.Fatalf("GET %s = %d, without %q", bs.url, rec.Code, want)
	}
}

// corpus returns a site of n generated pages beside the project's
// templates, languages and content (as committed, so that work in progress
// does not break it), made once per process.
func corpus(b *testing.B, n int) string {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if dir := benchSites[n]; dir != "" {
		return dir
	}
	if c := os.Getenv("KB_BENCH_CORPUS"); c != "" {
		dir := filepath.Join(c, fmt.Sprint(n), "kb-site")
		if _, err := os.Stat(dir); err != nil {
			b.Skipf("no corpus of %d pages: %v", n, err)
		}
		return dir // not removed: it is the caller's
	}
	gen := os.Getenv("KB_GENCORPUS")
	if gen == "" {
		gen = filepath.Join(sitetest.Root(), "..", "shared", "bench", "gencorpus.py")
	}
	if _, err := os.Stat(gen); err != nil {
		b.Skipf("no corpus generator: %v", err)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		b.Skip("no python3")
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("kb-preview-bench-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	root := sitetest.Root()
	archive := exec.Command("sh", "-c", `git -C "$0" archive HEAD content templates i18n | tar -x -C "$1"`, root, dir)
	if out, err := archive.CombinedOutput(); err != nil {
		b.Logf("git archive: %v %s; copying the working tree", err, out)
		for _, d := range []string{"content", "templates", "i18n"} {
			if err := sitetest.CopyDir(filepath.Join(root, d), filepath.Join(dir, d)); err != nil {
				b.Fatal(err)
			}
		}
	}
	keys := func(section string) string {
		entries, _ := os.ReadDir(filepath.Join(dir, "content", section))
		var out []string
		for _, e := range entries {
			if e.IsDir() {
				out = append(out, e.Name())
			}
		}
		return strings.Join(out, ",")
	}
	cmd := exec.Command("python3", gen, dir, fmt.Sprint(n), "--topics", keys("topics"), "--residence", keys("residence"))
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", gen, err, out)
	}
	benchSites[n] = dir
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range benchSites {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// report gives the wall and processor time per save; since is cpuTime()
// before the loop.
func report(b *testing.B, since time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/save")
	b.ReportMetric(float64((cpuTime()-since).Microseconds())/float64(b.N)/1000, "cpu-ms/save")
}
