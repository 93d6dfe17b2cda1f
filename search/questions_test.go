package search

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestMinShouldMatch(t *testing.T) {
	tests := []struct{ n, typed, want int }{
		{0, 0, 0}, {1, 1, 1}, {2, 2, 2}, {3, 3, 3}, // short queries: every word, as before
		{1, 5, 1}, {2, 8, 2}, // a question reduced to one or two words: all of them
		{3, 6, 2}, {4, 4, 3}, {5, 7, 3}, {6, 9, 4}, {7, 7, 5}, {8, 10, 5}, {10, 12, 6}, {16, 16, 10},
	}
	for _, tc := range tests {
		if got := MinShouldMatch(tc.n, tc.typed); got != tc.want {
			t.Errorf("MinShouldMatch(%d, %d) = %d, want %d", tc.n, tc.typed, got, tc.want)
		}
	}
	for n := 5; n <= MaxQueryWords; n++ {
		if m := MinShouldMatch(n, n); m < 2 || m >= n || m < MinShouldMatch(n-1, n-1) {
			t.Errorf("MinShouldMatch(%d, %d) = %d: want 2 ≤ m < n, growing with n", n, n, m)
		}
	}
}

func TestQuestionWordsDropped(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct {
		name, lang, query string
		want              []string // the words searched for, as typed
	}{
		{"fr question", "fr", "Comment avoir l'aide médicale urgente", []string{"avoir", "l'aide", "médicale", "urgente"}},
		{"fr synonym span kept whole", "fr", "pourquoi aide médicale urgente", []string{"aide médicale urgente"}},
		{"fr elision", "fr", "qu'est ce que l'AMU", []string{"l'AMU"}},
		{"nl", "nl", "hoe kan ik DMH krijgen", []string{"DMH", "krijgen"}},
		{"ar with and without hamza", "ar", "أين اين المستشفى", []string{"المستشفى"}},
		{"ru", "ru", "Где аптека", []string{"аптека"}},
		{"tr dotless", "tr", "nasil ilac", []string{"ilac"}},
		{"only question words are kept", "fr", "comment pourquoi", []string{"comment", "pourquoi"}},
		{"no list for the language", "xx", "how hospital", []string{"how", "hospital"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := CleanQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			p := plan{ix: ix, lang: tc.lang}
			for _, u := range ix.dropFillers(tc.lang, ix.syn[tc.lang].units(strings.Fields(q))) {
				if uq, _ := p.unitQuery(u, false); uq != nil { // stop words aside
					got = append(got, strings.Join(u.words, " "))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("units %q, want %q", got, tc.want)
			}
		})
	}
	for _, l := range []string{"fr", "nl", "en", "ar", "es", "pt", "tr", "ru", "uk", "ro", "sq", "fa", "prs", "ps", "ti"} {
		if len(QuestionWords(l)) == 0 {
			t.Errorf("no question words for %s", l)
		}
	}
}

// TestWeakAnswer: after a main answer of fewer than three pages, pages
// matching some of the words and pages in other languages follow, each hit
// marked with its step, and paging walks the merged list.
func TestWeakAnswer(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	steps := func(r *Response) []Step {
		var out []Step
		for _, h := range r.Hits {
			out = append(out, h.Step)
		}
		return out
	}
	tests := []struct {
		name      string
		req       Request
		steps     []Step // of the hits, in order
		parts     []Part
		firstLang []string // Lang of the hits, in order, if set
		fallback  bool
	}{
		{
			name:  "one page has both words: the pages with one follow",
			req:   Request{Lang: "fr", Query: "enquête hôpital"},
			steps: []Step{StepExact, StepPartial},
			parts: []Part{{StepExact, 1}, {StepPartial, 1}},
		},
		{
			name:      "few pages: other languages follow",
			req:       Request{Lang: "en", Query: "OCMW"},
			steps:     []Step{StepExact, StepOtherLanguage, StepOtherLanguage},
			parts:     []Part{{StepExact, 1}, {StepOtherLanguage, 2}},
			firstLang: []string{"en", "fr", "nl"}, // CPAS (a synonym), OCMW
		},
		{
			name:      "nothing in the reader's language: other languages only",
			req:       Request{Lang: "en", Query: "ziekenhuis"},
			steps:     []Step{StepOtherLanguage},
			parts:     []Part{{StepOtherLanguage, 1}},
			firstLang: []string{"nl"},
			fallback:  true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := steps(r); !slices.Equal(got, tc.steps) {
				t.Errorf("steps %v, want %v (hits %v)", got, tc.steps, ids(r))
			}
			if !slices.Equal(r.Parts, tc.parts) {
				t.Errorf("parts %v, want %v", r.Parts, tc.parts)
			}
			total := 0
			for _, p := range tc.parts {
				total += p.Total
			}
			if r.Total != total {
				t.Errorf("Total %d, want %d", r.Total, total)
			}
			if tc.firstLang != nil {
				var langs []string
				for _, h := range r.Hits {
					langs = append(langs, h.Lang)
				}
				if !slices.Equal(langs, tc.firstLang) {
					t.Errorf("languages %v, want %v", langs, tc.firstLang)
				}
			}
			if r.Fallback != tc.fallback {
				t.Errorf("Fallback %v, want %v", r.Fallback, tc.fallback)
			}
			// One hit per page walks the same merged list.
			var paged []string
			var pagedSteps []Step
			for page := 1; page <= r.Total+1; page++ {
				rp, err := ix.Search(context.Background(), Request{Lang: tc.req.Lang, Query: tc.req.Query, Page: page, Size: 1})
				if err != nil {
					t.Fatal(err)
				}
				if rp.Total != r.Total {
					t.Errorf("page %d: Total %d, want %d", page, rp.Total, r.Total)
				}
				paged = append(paged, ids(rp)...)
				pagedSteps = append(pagedSteps, steps(rp)...)
			}
			if !slices.Equal(paged, ids(r)) || !slices.Equal(pagedSteps, steps(r)) {
				t.Errorf("paged one by one: %v %v, want %v %v", paged, pagedSteps, ids(r), steps(r))
			}
		})
	}
}

// TestQuestionWordsSearched: Search drops the question words, so that a
// short question finds the page that has the other words, as an exact match.
func TestQuestionWordsSearched(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct {
		lang, query, want string
	}{
		{"nl", "waar is het ziekenhuis", "nl:fiches/dringende-medische-hulp"},
		{"fr", "pourquoi régularisation", "fr:fiches/regularisation-medicale"},
		{"ar", "أين المستشفى", "ar:fiches/urgent-medical-aid"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			r, err := ix.Search(context.Background(), Request{Lang: tc.lang, Query: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Hits) == 0 || r.Hits[0].ID != tc.want || r.Hits[0].Step != StepExact || r.Fuzzy || r.Partial {
				t.Errorf("%q: hits %v, parts %v, want %s first, exact", tc.query, ids(r), r.Parts, tc.want)
			}
		})
	}
}
