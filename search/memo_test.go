package search

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// siteTexts returns the Markdown files under root/content by language (the
// file name without .md), whole: frontmatter, marks and all, which the
// analyzers must handle as well as the text.
func siteTexts(t *testing.T, root string) map[string][]string {
	t.Helper()
	texts := map[string][]string{}
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := os.ReadFile(p)
		lang := strings.TrimSuffix(filepath.Base(p), ".md")
		texts[lang] = append(texts[lang], string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

func tokenDump(ts analysis.TokenStream) string {
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "%q %d-%d @%d t%d k%v\n", t.Term, t.Start, t.End, t.Position, t.Type, t.KeyWord)
	}
	return b.String()
}

// TestMemoAnalyzerSameTokens checks that every analyzer gives the tokens of
// its chain run as bleve's DefaultAnalyzer runs it, term, offsets, position
// and type, on the sample site's pages in their own language and in all
// the others (and on a generated site's, KB_BENCH_SITE, in their own). Each text is
// analyzed twice, so the second time comes from the memo.
func TestMemoAnalyzerSameTokens(t *testing.T) {
	texts := siteTexts(t, "..") // the project root, with the sample site
	var bench map[string][]string
	if site := os.Getenv("KB_BENCH_SITE"); site != "" {
		bench = siteTexts(t, site)
	}
	extra := []string{"", " ", "İstanbul'da İLAÇ", "L’HÔPITAL l'hôpital", "می\u200cخواهم", "ﻻ ﷺ ① ｆｕｌｌ", "3.14 1,000 _x_ a.b"}
	c := registry.NewCache()
	for name := range analyzerDefs {
		t.Run(name, func(t *testing.T) {
			a, err := c.AnalyzerNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			ma, ok := a.(*memoAnalyzer)
			if !ok {
				t.Fatalf("%s is a %T", name, a)
			}
			// Every analyzer reads the sample site in all languages; a
			// generated site's pages only in their own language.
			all := slices.Clone(extra)
			for _, ts := range texts {
				all = append(all, ts...)
			}
			for l, ts := range bench {
				if analyzerFor(l) == name {
					all = append(all, ts...)
				}
			}
			n := 0
			for pass := range 2 {
				for _, s := range all {
					got, want := tokenDump(ma.Analyze([]byte(s))), tokenDump(ma.a.Analyze([]byte(s)))
					if got != want {
						t.Fatalf("pass %d, text %.80q:\nmemo:\n%.2000s\nchain:\n%.2000s", pass, s, got, want)
					}
					n++
				}
			}
			if len(ma.m) == 0 {
				t.Error("nothing remembered")
			}
			t.Logf("%d texts, %d words remembered", n, len(ma.m))
		})
	}
}
