package search

import (
	"context"
	"slices"
	"strings"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum/levenshtein"

	"github.com/blevesearch/bleve/v2/index/scorch"
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
// the scores, are the same. A word not kept yet costs one automaton for
// all fields (candidates), not one per field.
type fuzzCache struct {
	mu   sync.Mutex
	m    map[fuzzKey][]index.DictEntry
	dfas map[dfaKey]*levenshtein.DFA // the last few words' automata
}

type fuzzKey struct {
	lang, field, term, prefix string
	fuzziness                 int
}

// maxFuzzEntries bounds the cache: a few MB at most (a word finds a few
// dozen terms); when full it starts again, which is cheaper to get right
// than an LRU and costs one automaton per word to refill.
const maxFuzzEntries = 8192

func newFuzzCache() *fuzzCache {
	return &fuzzCache{m: map[fuzzKey][]index.DictEntry{}, dfas: map[dfaKey]*levenshtein.DFA{}}
}

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
	e, a, err := r.candidates(field, term, fuzziness, prefix)
	if err != nil {
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

// candidates are the field's terms within fuzziness of term, in term order,
// as bleve's fuzzy dictionary gives them: every segment's dictionary walked
// with the Levenshtein automaton, duplicates merged. Walking the segments
// here lets the automaton, the costly part, be built once per word for all
// fields (dfaCache) instead of once per field. A reader that is not
// scorch's gets bleve's own way.
func (r *fuzzReader) candidates(field, term string, fuzziness int, prefix string) ([]index.DictEntry, index.FuzzyAutomaton, error) {
	is, ok := r.IndexReader.(*scorch.IndexSnapshot)
	if !ok || prefix != "" || fuzziness < 1 || fuzziness > 2 {
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
		return e, a, d.Close()
	}
	a, err := r.cache.dfa(term, fuzziness)
	if err != nil {
		return nil, nil, err
	}
	var e []index.DictEntry
	seen := map[string]bool{}
	for _, ss := range is.Segments() {
		d, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, nil, err
		}
		// The count of each term's postings is not needed: skip reading
		// them where the segment allows, as bleve's own fuzzy search does.
		var it segment.DictionaryIterator
		if oc, ok := d.(interface {
			AutomatonIteratorOmitCount(segment.Automaton, []byte, []byte) segment.DictionaryIterator
		}); ok {
			it = oc.AutomatonIteratorOmitCount(a, nil, nil)
		} else {
			it = d.AutomatonIterator(a, nil, nil)
		}
		for {
			de, err := it.Next()
			if err != nil {
				return nil, nil, err
			}
			if de == nil {
				break
			}
			if !seen[de.Term] {
				seen[de.Term] = true
				e = append(e, index.DictEntry{Term: de.Term, EditDistance: de.EditDistance})
			}
		}
	}
	slices.SortFunc(e, func(x, y index.DictEntry) int { return strings.Compare(x.Term, y.Term) })
	return e, a, nil
}

// The automaton builders, as bleve's: with transpositions (a swap is one
// edit).
var lev1, lev2 = mustLev(1), mustLev(2)

func mustLev(n uint8) *levenshtein.LevenshteinAutomatonBuilder {
	b, err := levenshtein.NewLevenshteinAutomatonBuilder(n, true)
	if err != nil {
		panic(err) // only for a distance over the builder's maximum
	}
	return b
}

// maxDFAs bounds the automata kept: one search needs its fuzzy words' for a
// moment (up to about 200 KB each for an Arabic-script word).
const maxDFAs = 64

type dfaKey struct {
	term      string
	fuzziness int
}

// dfa builds (or finds) the automaton for term; a DFA is read-only once
// built, so searches share it.
func (c *fuzzCache) dfa(term string, fuzziness int) (*levenshtein.DFA, error) {
	k := dfaKey{term, fuzziness}
	c.mu.Lock()
	a := c.dfas[k]
	c.mu.Unlock()
	if a != nil {
		return a, nil
	}
	b := lev1
	if fuzziness == 2 {
		b = lev2
	}
	a, err := b.BuildDfa(term, uint8(fuzziness))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.dfas) >= maxDFAs {
		clear(c.dfas)
	}
	c.dfas[k] = a
	c.mu.Unlock()
	return a, nil
}
