package search

import (
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"

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

// TestFragment: the window with the most matches, marked and escaped, cut
// with "…"; no match gives the start of the text.
func TestFragment(t *testing.T) {
	long := strings.Repeat("mot ", 60)
	tests := []struct {
		name  string
		text  string
		spans []span
		want  string
	}{
		{"short, escaped", "a <b> c", []span{{0, 1}}, "<mark>a</mark> &lt;b&gt; c"},
		{"no match", "x & y", nil, "x &amp; y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fragment(tc.text, tc.spans); got != tc.want {
				t.Errorf("fragment:\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
	// Two matches side by side beat one alone; the window is centred on
	// them and cut on both sides.
	text := long + "aa bb " + long + "aa"
	got := fragment(text, []span{{240, 242}, {243, 245}, {len(text) - 2, len(text)}})
	plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
	before, after, ok := strings.Cut(got, "<mark>aa</mark> <mark>bb</mark>")
	switch {
	case !ok || strings.Count(got, "<mark>") != 2:
		t.Errorf("most matches: %q", got)
	case !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…"):
		t.Errorf("no … where the text is cut: %q", got)
	case utf8.RuneCountInString(plain) != fragmentRunes+2:
		t.Errorf("%d runes, want %d: %q", utf8.RuneCountInString(plain), fragmentRunes+2, got)
	case len(before) < 80 || len(after) < 80:
		t.Errorf("not centred: %q", got)
	}
}

// TestWithinEdits: Levenshtein in runes, a swap counting one.
func TestWithinEdits(t *testing.T) {
	tests := []struct {
		a, b string
		k    int
		want bool
	}{
		{"urgnete", "urgente", 1, true},
		{"pharmacei", "pharmacie", 1, true},
		{"hopital", "hopitaux", 1, false},
		{"hopital", "hopitaux", 2, true},
		{"ሆስፒታል", "ሆስፒታላት", 2, true},
		{"abc", "abcdef", 2, false},
	}
	for _, tc := range tests {
		if got := withinEdits([]rune(tc.a), []rune(tc.b), tc.k); got != tc.want {
			t.Errorf("withinEdits(%q, %q, %d) = %v", tc.a, tc.b, tc.k, got)
		}
	}
}

// TestExcerpt: at most excerptBytes, cut between words, never inside a
// letter; a short body is kept whole.
func TestExcerpt(t *testing.T) {
	for _, word := range []string{"santé ", "ሆስፒታል ", "المستشفى "} {
		body := strings.Repeat(word, 1000)
		e := excerpt(body)
		if len(e) > excerptBytes || len(e) < excerptBytes-len(word) || !utf8.ValidString(e) || !strings.HasPrefix(body, e) || !strings.HasSuffix(e+" ", word) {
			t.Errorf("%q: excerpt of %d bytes ends %q", word, len(e), e[max(0, len(e)-20):])
		}
	}
	if e := excerpt("court"); e != "court" {
		t.Errorf("short body: %q", e)
	}
}
