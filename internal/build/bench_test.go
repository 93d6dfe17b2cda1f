package build_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"kb/internal/build"
	"kb/internal/sitetest"
)

// Corpus writes (once, cached in the temp folder) a generated site of about
// n pages with ../shared/bench/gencorpus.py, beside this project's
// templates, i18n, topics, residence statuses and settings.
func Corpus(tb testing.TB, n int) string {
	tb.Helper()
	gen := filepath.Join(sitetest.Root(), "..", "shared", "bench", "gencorpus.py")
	if _, err := os.Stat(gen); err != nil {
		tb.Skip("no corpus generator at", gen)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		tb.Skip("no python3")
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("kb-corpus-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	root := sitetest.Root()
	topics, residence := keys(tb, filepath.Join(root, "content/topics")), keys(tb, filepath.Join(root, "content/residence"))
	cmd := exec.Command("python3", gen, dir, fmt.Sprint(n), "--topics", topics, "--residence", residence)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("gencorpus: %v\n%s", err, out)
	}
	for _, d := range []string{"templates", "i18n", "content/synonyms"} {
		if err := sitetest.CopyDir(filepath.Join(root, d), filepath.Join(dir, d)); err != nil {
			tb.Fatal(err)
		}
	}
	// Topic and status pages without the included site's links to its fiches.
	langs, _ := filepath.Glob(filepath.Join(root, "i18n", "*.toml"))
	for section, list := range map[string]string{"topics": topics, "residence": residence} {
		for _, key := range strings.Split(list, ",") {
			for _, l := range langs {
				code := strings.TrimSuffix(filepath.Base(l), ".toml")
				p := filepath.Join(dir, "content", section, key, code+".md")
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte("---\ntitle: "+key+"\nsummary: "+key+"\n---\nIntroduction.\n"), 0o644)
			}
		}
	}
	data, _ := os.ReadFile(filepath.Join(root, "content/site.toml"))
	os.WriteFile(filepath.Join(dir, "content/site.toml"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "done"), nil, 0o644)
	return dir
}

func keys(tb testing.TB, dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return strings.Join(out, ",")
}

// BenchmarkBuild builds generated sites of 1,000 and 10,000 pages, with and
// without the search index, and reports pages per second and the peak
// resident memory of the process so far (run one size at a time, with
// -bench 'Build/pages=10000', for a peak that belongs to that size alone).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, index := range []bool{false, true} {
			b.Run(fmt.Sprintf("pages=%d/index=%v", n, index), func(b *testing.B) {
				site := Corpus(b, n)
				out := filepath.Join(b.TempDir(), "public")
				var pages int
				b.ResetTimer()
				for range b.N {
					res, err := build.Build(context.Background(), build.Options{Site: site, Out: out, NoIndex: !index})
					if err != nil {
						b.Fatal(err)
					}
					pages = 0
					for _, c := range res.Pages {
						pages += c
					}
				}
				b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
				var ru syscall.Rusage
				syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MB")
			})
		}
	}
}
