package search

import (
	"context"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestFacetTableSameAnswers: facets counted from the per-index table give
// the same responses, facets, hits and all, as bleve's own facet counting.
func TestFacetTableSameAnswers(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct {
		name string
		req  Request
	}{
		{"one word", Request{Lang: "fr", Query: "aide"}},
		{"two words", Request{Lang: "fr", Query: "aide médicale"}},
		{"filtered", Request{Lang: "fr", Query: "aide", Section: "fiches"}},
		{"topic filter", Request{Lang: "fr", Query: "cpas", Topic: "access-to-care"}},
		{"page 2", Request{Lang: "fr", Query: "médicale", Page: 2, Size: 1}},
		{"beyond the window", Request{Lang: "fr", Query: "médicale", Page: 200, Size: 10}},
		{"typo", Request{Lang: "fr", Query: "pharmacei"}},
		{"partial", Request{Lang: "fr", Query: "pharmacie inconnu mot"}},
		{"other languages only", Request{Lang: "fr", Query: "ziekenhuis"}},
		{"English", Request{Lang: "en", Query: "medical aid"}},
		{"nothing", Request{Lang: "fr", Query: "zzzqqq"}},
	}
	withFacets := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix.facets.off = true
			want, err := ix.Search(context.Background(), tc.req)
			ix.facets.off = false
			if err != nil {
				t.Fatal(err)
			}
			got, err := ix.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
			}
			if len(want.Facets[fTopics]) > 1 {
				withFacets++
			}
		})
	}
	if withFacets < 3 {
		t.Errorf("%d answers with facets: the test proves little", withFacets)
	}
}

// TestFacetTableCounts: a search of one index counts its facets from the
// table (not falling back to bleve), with bleve's totals, missing and
// other counts.
func TestFacetTableCounts(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	own := ix.idx["fr"]
	tab := ix.facets.get("fr", own)
	if tab == nil {
		t.Fatal("no facet table for fr")
	}
	fiches := query.NewTermQuery("fiches")
	fiches.SetField(fSection)
	for _, q := range []query.Query{query.NewMatchAllQuery(), fiches} {
		sr := bleve.NewSearchRequest(q)
		c := newFacetCount(tab)
		res, err := own.SearchInContext(c.context(context.Background()), sr)
		if err != nil {
			t.Fatal(err)
		}
		if c.bad {
			t.Fatal("the table did not know the search's documents")
		}
		if res.Total == 0 {
			t.Fatal("no hits: the test proves nothing")
		}
		for _, f := range facetFields {
			sr.AddFacet(f.name, bleve.NewFacetRequest(f.name, f.size))
		}
		want, err := own.Search(sr)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.results(); !reflect.DeepEqual(got, want.Facets) {
			t.Errorf("got %+v, want %+v", got, want.Facets)
		}
	}
}
