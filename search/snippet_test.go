package search

import (
	"html/template"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// TestSnippet: a fragment with a match, body first; never one that is not
// valid UTF-8 (offsets that cut a letter); else the summary, escaped.
func TestSnippet(t *testing.T) {
	cut := "…\xd8<mark>المستشفى</mark>"
	tests := []struct {
		name    string
		frags   bsearch.FieldFragmentMap
		summary string
		want    template.HTML
	}{
		{"body match first", bsearch.FieldFragmentMap{fBody: {"no match", "a <mark>b</mark>"}, fSummary: {"<mark>s</mark>"}}, "s", "a <mark>b</mark>"},
		{"summary match", bsearch.FieldFragmentMap{fBody: {"no match"}, fSummary: {"<mark>s</mark>"}}, "s", "<mark>s</mark>"},
		{"cut letter skipped", bsearch.FieldFragmentMap{fBody: {cut}, fSummary: {"x <mark>المستشفى</mark>"}}, "x", "x <mark>المستشفى</mark>"},
		{"cut letter, no other: summary escaped", bsearch.FieldFragmentMap{fBody: {cut}}, "a < b", "a &lt; b"},
		{"cut letter, no summary: nothing", bsearch.FieldFragmentMap{fBody: {"\xd8 text"}}, "", ""},
		{"no match, no summary: body start", bsearch.FieldFragmentMap{fBody: {"text"}}, "", "text"},
	}
	for _, tc := range tests {
		if got := snippet(tc.frags, tc.summary); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
