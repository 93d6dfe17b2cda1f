package search

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkBuildSite measures Build of the documents of a generated site's
// content folder (KB_BENCH_SITE, e.g. /tmp/kb-vs-hugo/10000/kb-site), read
// as readCorpus does: the index build of kb build alone, to profile with
// -cpuprofile.
func BenchmarkBuildSite(b *testing.B) {
	site := os.Getenv("KB_BENCH_SITE")
	if site == "" {
		b.Skip("KB_BENCH_SITE is not set")
	}
	docs := readCorpus(b, filepath.Join(site, "content"))
	out := os.Getenv("KB_BENCH_OUT")
	if out == "" {
		out = b.TempDir()
	}
	for b.Loop() {
		dir, err := os.MkdirTemp(out, "idx")
		if err != nil {
			b.Fatal(err)
		}
		if err := Build(dir, docs, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(len(docs)), "docs")
}
