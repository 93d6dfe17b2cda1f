package search

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestLoadHitsSameFields: the fields and summary fragments kb reads for a
// page of hits are the ones bleve loads and highlights.
func TestLoadHitsSameFields(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	own := ix.idx["fr"]
	var qs []query.Query
	for _, w := range []string{"aide", "médicale", "cpas", "pharmacie"} {
		var fields []query.Query
		for _, f := range textFields {
			m := query.NewMatchQuery(w)
			m.SetField(f.name)
			fields = append(fields, m)
		}
		qs = append(qs, query.NewDisjunctionQuery(fields))
	}
	summaries := 0
	for _, q := range qs {
		want := bleve.NewSearchRequest(q)
		want.Fields = hitFields
		want.SortBy([]string{"-_score", "_id"})
		want.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
		want.Highlight.AddField(fSummary)
		wres, err := own.Search(want)
		if err != nil {
			t.Fatal(err)
		}
		got := bleve.NewSearchRequest(q)
		got.SortBy([]string{"-_score", "_id"})
		got.IncludeLocations = true
		gres, err := own.Search(got)
		if err != nil {
			t.Fatal(err)
		}
		if len(gres.Hits) == 0 || len(gres.Hits) != len(wres.Hits) {
			t.Fatalf("%d hits, want %d (and some)", len(gres.Hits), len(wres.Hits))
		}
		if !loadHits(own, gres.Hits) {
			t.Fatal("loadHits could not read the hits")
		}
		for i, g := range gres.Hits {
			w := wres.Hits[i]
			if g.ID != w.ID || !reflect.DeepEqual(g.Fields, w.Fields) {
				t.Errorf("hit %d: %s %v, want %s %v", i, g.ID, g.Fields, w.ID, w.Fields)
			}
			summaryFragments(g)
			if !reflect.DeepEqual(g.Fragments, w.Fragments) {
				t.Errorf("hit %s: fragments %q, want %q", g.ID, g.Fragments, w.Fragments)
			}
			if fs := w.Fragments[fSummary]; len(fs) > 0 && marked(fs[0]) {
				summaries++
			}
		}
	}
	if summaries == 0 {
		t.Error("no summary fragment with a match: the test proves little")
	}
}
