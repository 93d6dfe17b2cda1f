package search

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestSharedMatchSameHits: a word's match queries sharing their analysis
// find the same hits with the same scores as bleve's MatchQuery, in one
// index and in an alias of indexes with other analyzers.
func TestSharedMatchSameHits(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	targets := map[string]bleve.Index{"fr": ix.idx["fr"], "all": ix.all}
	found := 0
	for _, w := range []string{"aide", "médicales", "CPAS", "hôpital", "ziekenhuis", "medical", "le", "d'action"} {
		var plain, shared []query.Query
		an := &wordAnalysis{}
		for _, f := range textFields {
			m := query.NewMatchQuery(w)
			m.SetField(f.name)
			m.SetBoost(f.boost)
			plain = append(plain, m)
			m2 := *m
			shared = append(shared, &sharedMatchQuery{MatchQuery: &m2, an: an})
		}
		for name, target := range targets {
			var res [2]*bleve.SearchResult
			for i, qs := range [][]query.Query{plain, shared} {
				sr := bleve.NewSearchRequest(query.NewDisjunctionQuery(qs))
				sr.SortBy([]string{"-_score", "_id"})
				r, err := target.Search(sr)
				if err != nil {
					t.Fatal(err)
				}
				res[i] = r
			}
			if res[0].Total != res[1].Total || len(res[0].Hits) != len(res[1].Hits) {
				t.Fatalf("%s in %s: %d hits, want %d", w, name, res[1].Total, res[0].Total)
			}
			for i, h := range res[0].Hits {
				g := res[1].Hits[i]
				if g.ID != h.ID || g.Score != h.Score || !reflect.DeepEqual(g.Sort, h.Sort) {
					t.Errorf("%s in %s, hit %d: %s %v, want %s %v", w, name, i, g.ID, g.Score, h.ID, h.Score)
				}
			}
			found += len(res[0].Hits)
		}
	}
	if found == 0 {
		t.Error("no hits: the test proves nothing")
	}
}
