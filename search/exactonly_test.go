package search

import (
	"context"
	"testing"
)

// TestExactOnly: a request that may not retry with typos answers with the
// exact results only, and says that it skipped the retry.
func TestExactOnly(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct {
		name, query    string
		exactOnly      bool
		fuzzy, skipped bool
		hits           bool
	}{
		{"typo, retry allowed", "pharmacei", false, true, false, true},
		{"typo, exact only", "pharmacei", true, false, true, false},
		{"exact matches kept, exact only", "hôpital", true, false, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), Request{Lang: "fr", Query: tc.query, ExactOnly: tc.exactOnly})
			if err != nil {
				t.Fatal(err)
			}
			if r.Fuzzy != tc.fuzzy || r.TyposSkipped != tc.skipped || (len(r.Hits) > 0) != tc.hits {
				t.Errorf("fuzzy %v, skipped %v, %d hits; want %v, %v, hits %v", r.Fuzzy, r.TyposSkipped, len(r.Hits), tc.fuzzy, tc.skipped, tc.hits)
			}
		})
	}
}
