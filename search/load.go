package search

import (
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	index "github.com/blevesearch/bleve_index_api"
)

// A page of results from one language's index reads its hits' stored
// fields here rather than in bleve: bleve finds each hit's document again
// by its ID (a term lookup), builds a whole document, walks it once per
// field asked for, and highlights the summary of every hit; kb reads the
// fields straight from the hit's document number, and highlights a
// summary only when the snippet needs it (no match in the body's
// excerpt: fill). The fields and fragments are bleve's, so the answers are
// the same; anything unexpected falls back to bleve's way.

// hitFields are the stored fields a page of results shows.
var hitFields = []string{fTitle, fSummary, fURL, fSection, fLang, fReviewed, fDate, fExcerpt}

// loadHits fills the hits' Fields, as bleve's LoadAndHighlightFields does
// for hitFields, from bi's current snapshot. False: it could not (not a
// scorch index, or a document that is not the hit's); the caller asks
// bleve.
func loadHits(bi bleve.Index, hits bsearch.DocumentMatchCollection) bool {
	r, err := reader(bi)
	if err != nil {
		return false
	}
	defer r.Close()
	is, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return false
	}
	segs := is.Segments()
	offsets := make([]uint64, len(segs))
	var running uint64
	for i, s := range segs {
		offsets[i] = running
		running += s.Segment().Count()
	}
	type value struct {
		name string
		text string
	}
	var vals []value
	for _, hit := range hits {
		n, ok := docNumber(hit.IndexInternalID)
		if !ok || hit.Fields != nil {
			return false
		}
		si := sort.Search(len(offsets), func(x int) bool { return offsets[x] > n }) - 1
		if si < 0 {
			return false
		}
		vals = vals[:0]
		same := false
		err := segs[si].VisitDocument(n-offsets[si], func(name string, typ byte, val []byte, pos []uint64) bool {
			if name == "_id" {
				same = string(val) == hit.ID
				return same
			}
			if typ != 't' || len(pos) > 0 {
				same = false // not a field kb stores: bleve knows
				return false
			}
			vals = append(vals, value{name, string(val)})
			return true
		})
		if err != nil || !same {
			return false
		}
		// bleve adds the fields asked for in the order asked, each in the
		// document's order.
		for _, f := range hitFields {
			for _, v := range vals {
				if v.name == f {
					hit.AddFieldValue(f, v.text)
				}
			}
		}
	}
	return true
}

// summaryFragments highlights a hit's summary as bleve's html highlighter
// does for a hit of a search with Highlight on fSummary.
func summaryFragments(hit *bsearch.DocumentMatch) {
	h, err := bleve.Config.Cache.HighlighterNamed(htmlhl.Name)
	if err != nil || h == nil {
		return
	}
	summaryFragmentsWith(h, hit)
}

func summaryFragmentsWith(h highlight.Highlighter, hit *bsearch.DocumentMatch) {
	s, _ := hit.Fields[fSummary].(string)
	doc := document.NewDocument(hit.ID)
	if s != "" {
		doc.AddField(document.NewTextField(fSummary, nil, []byte(s)))
	}
	h.BestFragmentsInField(hit, doc, fSummary, 1)
}

// reader opens bi's current snapshot, whose document numbers the facet
// table and loadHits read by.
func reader(bi bleve.Index) (index.IndexReader, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}
