package search

import (
	"context"
	"encoding/binary"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
)

// Facets of a search in one language's index are counted from a table of
// each document's facet terms, read once per index from its doc values,
// instead of by bleve, which reads (and decompresses) every matching
// document's doc values again for every search: about a tenth of an
// uncached exact search's CPU at 10,000 pages. The counts, the order and
// the cut to a facet's size are bleve's (TermsFacetBuilder), so the
// answers are the same; searches of several indexes (the other languages)
// still ask bleve.

// facetFields are the facets every search with facets asks for, with
// their sizes (the most frequent terms kept).
var facetFields = []struct {
	name string
	size int
}{{fSection, 10}, {fTopics, 50}, {fAudience, 5}}

// facetTable holds, for each document number of one index snapshot, the
// facet terms of its doc values.
type facetTable struct {
	reader index.IndexReader // the snapshot the numbers belong to
	terms  [][]string        // per field of facetFields: its distinct terms
	// doc n's terms are vals[start[n]:start[n+1]], each a field's index
	// in facetFields (high 8 bits) and the term's index in terms[field].
	start []uint32
	vals  []uint32
}

// facetTables makes each language's table once, at its first search.
type facetTables struct {
	mu  sync.Mutex
	by  map[string]*facetOnce
	off bool // bleve counts every search's facets (tests compare)
}

type facetOnce struct {
	once sync.Once
	t    *facetTable // nil: the index cannot give one; bleve counts
}

func (ft *facetTables) get(lang string, bi bleve.Index) *facetTable {
	if ft.off {
		return nil
	}
	ft.mu.Lock()
	if ft.by == nil {
		ft.by = map[string]*facetOnce{}
	}
	o := ft.by[lang]
	if o == nil {
		o = &facetOnce{}
		ft.by[lang] = o
	}
	ft.mu.Unlock()
	o.once.Do(func() { o.t = newFacetTable(bi) })
	return o.t
}

// newFacetTable reads every document's facet terms; nil if the index is
// not one whose document numbers it understands.
func newFacetTable(bi bleve.Index) *facetTable {
	r, err := reader(bi)
	if err != nil {
		return nil
	}
	defer r.Close()
	names := make([]string, len(facetFields))
	for i, f := range facetFields {
		names[i] = f.name
	}
	dv, err := r.DocValueReader(names)
	if err != nil {
		return nil
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil
	}
	defer ids.Close()
	t := &facetTable{reader: r, terms: make([][]string, len(facetFields))}
	lookup := make([]map[string]uint32, len(facetFields))
	for i := range lookup {
		lookup[i] = map[string]uint32{}
	}
	type docVals struct {
		n    uint64
		vals []uint32
	}
	var docs []docVals
	maxN := uint64(0)
	for {
		id, err := ids.Next()
		if err != nil {
			return nil
		}
		if id == nil {
			break
		}
		n, ok := docNumber(id)
		if !ok {
			return nil
		}
		var vals []uint32
		err = dv.VisitDocValues(id, func(field string, term []byte) {
			for fi, f := range facetFields {
				if f.name != field {
					continue
				}
				ti, ok := lookup[fi][string(term)]
				if !ok {
					ti = uint32(len(t.terms[fi]))
					t.terms[fi] = append(t.terms[fi], string(term))
					lookup[fi][string(term)] = ti
				}
				vals = append(vals, uint32(fi)<<24|ti)
			}
		})
		if err != nil {
			return nil
		}
		docs = append(docs, docVals{n, vals})
		maxN = max(maxN, n)
	}
	if uint64(len(docs)) > 0 && maxN > 4*uint64(len(docs))+1024 {
		return nil // numbers far beyond the documents: not worth a table
	}
	per := make([][]uint32, maxN+1)
	for _, d := range docs {
		per[d.n] = d.vals
	}
	t.start = make([]uint32, len(per)+1)
	for n, v := range per {
		t.start[n] = uint32(len(t.vals))
		t.vals = append(t.vals, v...)
	}
	t.start[len(per)] = uint32(len(t.vals))
	return t
}

// docNumber reads a scorch document number (8 bytes, big-endian).
func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// facetCount counts one search's facets.
type facetCount struct {
	t      *facetTable
	counts [][]int // per field, per term
	total  []int   // per field: terms seen (bleve's FacetResult.Total)
	miss   []int   // per field: documents without a term
	bad    bool    // a document the table does not know: ask bleve
}

func newFacetCount(t *facetTable) *facetCount {
	c := &facetCount{t: t, counts: make([][]int, len(t.terms)), total: make([]int, len(t.terms)), miss: make([]int, len(t.terms))}
	for i, ts := range t.terms {
		c.counts[i] = make([]int, len(ts))
	}
	return c
}

// context returns ctx with a document match handler that counts each
// matching document's facets, then hands it to bleve's own handler.
func (c *facetCount) context(ctx context.Context) context.Context {
	mk := bsearch.MakeDocumentMatchHandler(func(sc *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sc)
		if err != nil || next == nil {
			return next, loadID, err
		}
		if sc.IndexReader != c.t.reader {
			c.bad = true
		}
		return func(d *bsearch.DocumentMatch) error {
			if d != nil && !c.bad {
				c.add(d.IndexInternalID)
			}
			return next(d)
		}, loadID, nil
	})
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, mk)
}

func (c *facetCount) add(id index.IndexInternalID) {
	n, ok := docNumber(id)
	if !ok || n+1 >= uint64(len(c.t.start)) {
		c.bad = true
		return
	}
	var seen [8]bool // per field: bleve's sawValue
	for _, v := range c.t.vals[c.t.start[n]:c.t.start[n+1]] {
		fi, ti := v>>24, v&(1<<24-1)
		c.counts[fi][ti]++
		c.total[fi]++
		seen[fi] = true
	}
	for fi := range c.miss {
		if !seen[fi] {
			c.miss[fi]++
		}
	}
}

// results are the facets as bleve's TermsFacetBuilder gives them: terms by
// count, then term, cut to the facet's size.
func (c *facetCount) results() bsearch.FacetResults {
	out := bsearch.FacetResults{}
	for fi, f := range facetFields {
		rv := &bsearch.FacetResult{Field: f.name, Total: c.total[fi], Missing: c.miss[fi], Terms: &bsearch.TermFacets{}}
		for ti, n := range c.counts[fi] {
			if n > 0 {
				rv.Terms.Add(&bsearch.TermFacet{Term: c.t.terms[fi][ti], Count: n})
			}
		}
		sort.Sort(rv.Terms)
		rv.Terms.TrimToTopN(min(f.size, rv.Terms.Len()))
		notOther := 0
		for _, tf := range rv.Terms.Terms() {
			notOther += tf.Count
		}
		rv.Other = rv.Total - notOther
		out[f.name] = rv
	}
	return out
}
