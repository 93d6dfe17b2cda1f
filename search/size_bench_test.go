package search

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

// BenchmarkIndexBytes reports the index's bytes per document with the
// mapping as it is, and with one thing added back or taken away, so that
// what each stored field, term vector and doc value costs can be read off:
//
//	go test ./search -run '^$' -bench IndexBytes -benchtime 1x
//
// The corpus is benchCorpus's 1,000 pages, or the content/ folder named by
// KB_SIZE_CONTENT (e.g. /tmp/kb-vs-hugo/10000/kb-site/content), restricted
// to the languages in KB_SIZE_LANGS, separated by colons (default fr:ar:ti:
// Latin, Arabic and Ethiopic scripts).
func BenchmarkIndexBytes(b *testing.B) {
	var docs []Doc
	if dir := os.Getenv("KB_SIZE_CONTENT"); dir != "" {
		docs = readCorpus(b, dir)
	} else {
		docs = benchCorpus(b, 1000)
	}
	langs := map[string]bool{"fr": true, "ar": true, "ti": true}
	if l := os.Getenv("KB_SIZE_LANGS"); l != "" {
		langs = map[string]bool{}
		for _, c := range filepath.SplitList(l) {
			langs[c] = true
		}
	}
	byLang := map[string][]Doc{}
	for _, d := range docs {
		if langs[d.Lang] {
			byLang[d.Lang] = append(byLang[d.Lang], d)
		}
	}
	field := func(m *mapping.DocumentMapping, f string) *mapping.FieldMapping { return m.Properties[f].Fields[0] }
	for _, v := range []struct {
		name   string
		change func(m *mapping.DocumentMapping)
	}{
		{"as-is", func(m *mapping.DocumentMapping) {}},
		{"+body-stored", func(m *mapping.DocumentMapping) { field(m, fBody).Store = true }},
		{"+body-vectors", func(m *mapping.DocumentMapping) { field(m, fBody).IncludeTermVectors = true }},
		{"-excerpt", func(m *mapping.DocumentMapping) { field(m, fExcerpt).Store = false }},
		{"-headings-vectors", func(m *mapping.DocumentMapping) { field(m, fHeadings).IncludeTermVectors = false }},
		{"-title-summary-vectors", func(m *mapping.DocumentMapping) {
			field(m, fTitle).IncludeTermVectors = false
			field(m, fSummary).IncludeTermVectors = false
		}},
		{"-doc-values", func(m *mapping.DocumentMapping) {
			for _, f := range []string{fSection, fTopics, fAudience} {
				field(m, f).DocValues = false
			}
		}},
	} {
		b.Run(v.name, func(b *testing.B) {
			var size, n int64
			for b.Loop() {
				dir := b.TempDir()
				size, n = 0, 0
				for lang, ds := range byLang {
					m := newMapping(lang)
					v.change(m.DefaultMapping)
					path := filepath.Join(dir, lang+indexExt)
					bl, err := bleve.NewBuilder(path, m, map[string]interface{}{"batchSize": batchSize, "buildPathPrefix": dir})
					if err != nil {
						b.Fatal(err)
					}
					for _, d := range ds {
						if err := bl.Index(d.ID, docFields(d)); err != nil {
							b.Fatal(err)
						}
						n++
					}
					if err := bl.Close(); err != nil {
						b.Fatal(err)
					}
					size += treeBytes(b, path)
				}
			}
			b.ReportMetric(float64(size)/float64(n), "bytes/doc")
			b.ReportMetric(float64(n), "docs")
		})
	}
}

func treeBytes(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
