package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Index is a set of per-language indexes opened read-only. It is safe for
// concurrent use.
type Index struct {
	langs     []string
	idx       map[string]bleve.Index
	others    map[string]bleve.IndexAlias // every language but the key
	all       bleve.IndexAlias
	syn       map[string]*synMatcher
	fillers   map[string]map[string]bool   // lang -> analyzed question words
	analyzers map[string]analysis.Analyzer // by name
	fuzz      *fuzzCache                   // fuzzy candidates, see fuzzcache.go
	facets    facetTables                  // facet terms per document, see facets.go
	fieldAn   *fieldAnalyzers              // each index's analyzer per field, see query.go
}

// Open opens the indexes Build wrote in dir, read-only: any number of
// processes may open the same dir at once, and nothing in it changes. An
// index being written by another process makes Open fail after a second
// instead of waiting for ever.
func Open(dir string) (_ *Index, err error) {
	b, err := os.ReadFile(filepath.Join(dir, synonymsFile))
	if err != nil {
		return nil, fmt.Errorf("search: open %s: not a search index built by kb: %w", dir, err)
	}
	var syn Synonyms
	if err := json.Unmarshal(b, &syn); err != nil {
		return nil, fmt.Errorf("search: open %s: %w", filepath.Join(dir, synonymsFile), err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("search: open: %w", err)
	}
	ix := &Index{
		idx:       map[string]bleve.Index{},
		others:    map[string]bleve.IndexAlias{},
		syn:       map[string]*synMatcher{},
		analyzers: map[string]analysis.Analyzer{},
		fuzz:      newFuzzCache(),
		fieldAn:   &fieldAnalyzers{m: map[fieldAnalyzerKey]fieldAnalyzer{}},
	}
	defer func() {
		if err != nil {
			ix.Close()
		}
	}()
	for _, e := range entries {
		lang, ok := strings.CutSuffix(e.Name(), indexExt)
		if !ok || !e.IsDir() || !validLang(lang) {
			continue
		}
		bi, err := bleve.OpenUsing(filepath.Join(dir, e.Name()), map[string]interface{}{
			"read_only":    true,
			"bolt_timeout": "1s",
		})
		if err != nil {
			return nil, fmt.Errorf("search: open %s: %w", filepath.Join(dir, e.Name()), err)
		}
		ix.idx[lang] = bi
		ix.langs = append(ix.langs, lang)
	}
	slices.Sort(ix.langs)
	all := make([]bleve.Index, 0, len(ix.langs))
	for _, l := range ix.langs {
		all = append(all, ix.idx[l])
	}
	ix.all = bleve.NewIndexAlias(all...)
	for i, l := range ix.langs {
		ix.others[l] = bleve.NewIndexAlias(append(slices.Clone(all[:i]), all[i+1:]...)...)
	}
	c := registry.NewCache()
	for name := range analyzerDefs {
		a, err := c.AnalyzerNamed(name)
		if err != nil {
			return nil, fmt.Errorf("search: analyzer %s: %w", name, err)
		}
		ix.analyzers[name] = a
	}
	for l, groups := range syn {
		ix.syn[l] = newSynMatcher(groups)
	}
	ix.fillers = ix.fillerTerms()
	return ix, nil
}

// Close closes every language's index.
func (ix *Index) Close() error {
	var errs []error
	for _, l := range ix.langs {
		errs = append(errs, ix.idx[l].Close())
	}
	return errors.Join(errs...)
}

// Languages returns the codes of the languages that have an index, sorted.
func (ix *Index) Languages() []string {
	return slices.Clone(ix.langs)
}

// analyzer returns lang's analyzer, also for a language with no index, to
// analyze query words as that language's index would.
func (ix *Index) analyzer(lang string) analysis.Analyzer {
	return ix.analyzers[analyzerFor(lang)]
}
