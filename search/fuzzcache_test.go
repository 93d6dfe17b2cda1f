package search

import (
	"context"
	"reflect"
	"testing"
)

// TestFuzzCacheSameAnswers: a typo search answers the same, hits, scores,
// snippets and all, with the fuzzy candidates computed by bleve, taken
// from the cache, and in a second search from the cache filled by the first.
func TestFuzzCacheSameAnswers(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct{ name, lang, query string }{
		{"one word", "fr", "pharmacei"},
		{"two words", "fr", "aide medicael"},
		{"two typos", "fr", "medciale urgetne"},
		{"partial with a typo", "fr", "pharmacei inconnu mot"},
		{"English", "en", "hopsital"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Query: tc.query, Lang: tc.lang}
			fuzz := ix.fuzz
			ix.fuzz = nil
			want, err := ix.Search(context.Background(), req)
			ix.fuzz = fuzz
			if err != nil {
				t.Fatal(err)
			}
			if !want.Fuzzy && !want.Partial {
				t.Fatalf("%q: no typo retry (%+v): the test proves nothing", tc.query, want)
			}
			for _, round := range []string{"fills the cache", "from the cache"} {
				got, err := ix.Search(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got\n%+v\nwant\n%+v", round, got, want)
				}
			}
		})
	}
	if len(ix.fuzz.m) == 0 {
		t.Error("the cache is empty after the typo searches")
	}
}
