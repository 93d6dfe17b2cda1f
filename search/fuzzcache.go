package search

import (
	"context"
	"sync"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// The typo retry's cost is mostly bleve building a Levenshtein automaton
// for every fuzzy word and field, each time (bleve keeps none). An index is
// never written while it is open, so the terms a fuzzy word finds in a
// field never change: fuzzCache keeps them, by language, field, word,
// fuzziness and prefix, and a word typed again (in the same search's later
// step, or in another search) costs a map lookup. Same candidates, same
// edit distances, same order: the searcher bleve builds from them, and so
// the scores, are the same.
type fuzzCache struct {
	mu sync.Mutex
	m  map[fuzzKey][]index.DictEntry
}

type fuzzKey struct {
	lang, field, term, prefix string
	fuzziness                 int
}

// maxFuzzEntries bounds the cache: a few MB at most (a word finds a few
// dozen terms); when full it starts again, which is cheaper to get right
// than an LRU and costs one automaton per word to refill.
const maxFuzzEntries = 8192

func newFuzzCache() *fuzzCache { return &fuzzCache{m: map[fuzzKey][]index.DictEntry{}} }

func (c *fuzzCache) get(k fuzzKey) ([]index.DictEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	return e, ok
}

func (c *fuzzCache) put(k fuzzKey, e []index.DictEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxFuzzEntries {
		clear(c.m)
	}
	c.m[k] = e
}

// cachedFuzzyQuery is a FuzzyQuery whose candidate terms come from the
// cache. It runs only against the index of lang (the typo retry searches
// the reader's own language only). excerpt.go's marker needs the plain
// *query.FuzzyQuery, so plan builds that for the snippets.
type cachedFuzzyQuery struct {
	*query.FuzzyQuery
	cache *fuzzCache
	lang  string
}

func (q *cachedFuzzyQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	field := q.FieldVal
	if field == "" {
		field = m.DefaultSearchField()
	}
	if _, ok := i.(index.IndexReaderFuzzy); !ok || q.cache == nil {
		return q.FuzzyQuery.Searcher(ctx, i, m, options) // not scorch: bleve's own way
	}
	r := &fuzzReader{IndexReader: i, cache: q.cache, lang: q.lang}
	return searcher.NewFuzzySearcher(ctx, r, q.Term, q.Prefix, q.Fuzziness, field, q.BoostVal.Value(), options)
}

// fuzzReader is the index reader with cached fuzzy dictionaries; all else
// goes to the index's own reader.
type fuzzReader struct {
	index.IndexReader
	cache *fuzzCache
	lang  string
}

// FieldCardinality keeps the reader a BM25Reader when the index's is one,
// as bleve's term searcher asks.
func (r *fuzzReader) FieldCardinality(field string) (int, error) {
	if b, ok := r.IndexReader.(index.BM25Reader); ok {
		return b.FieldCardinality(field)
	}
	return 0, nil
}

func (r *fuzzReader) FieldDictFuzzy(field, term string, fuzziness int, prefix string) (index.FieldDict, error) {
	d, _, err := r.FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	return d, err
}

// FieldDictFuzzyAutomaton returns no automaton on a cache hit: bleve uses it
// only for its own synonym sources, which kb does not use.
func (r *fuzzReader) FieldDictFuzzyAutomaton(field, term string, fuzziness int, prefix string) (index.FieldDict, index.FuzzyAutomaton, error) {
	k := fuzzKey{lang: r.lang, field: field, term: term, prefix: prefix, fuzziness: fuzziness}
	if e, ok := r.cache.get(k); ok {
		return &sliceDict{entries: e}, nil, nil
	}
	d, a, err := r.IndexReader.(index.IndexReaderFuzzy).FieldDictFuzzyAutomaton(field, term, fuzziness, prefix)
	if err != nil {
		return nil, nil, err
	}
	var e []index.DictEntry
	for {
		de, err := d.Next()
		if err != nil {
			d.Close()
			return nil, nil, err
		}
		if de == nil {
			break
		}
		e = append(e, index.DictEntry{Term: de.Term, EditDistance: de.EditDistance})
	}
	if err := d.Close(); err != nil {
		return nil, nil, err
	}
	if len(e) <= maxTermSearchers { // more fails the search: not kept
		r.cache.put(k, e)
	}
	return &sliceDict{entries: e}, a, nil
}

// sliceDict is a FieldDict over cached entries.
type sliceDict struct {
	entries []index.DictEntry
	next    int
	cur     index.DictEntry
}

func (d *sliceDict) Next() (*index.DictEntry, error) {
	if d.next >= len(d.entries) {
		return nil, nil
	}
	d.cur = d.entries[d.next]
	d.next++
	return &d.cur, nil
}

func (d *sliceDict) Close() error      { return nil }
func (d *sliceDict) Cardinality() int  { return len(d.entries) }
func (d *sliceDict) BytesRead() uint64 { return 0 }
