package source

import (
	"testing"

	"kb/internal/plain"
)

// A language's own limit replaces the default; a zero keeps it.
func TestPlainFor(t *testing.T) {
	def := plain.Limits{SentenceWords: 20, ParagraphWords: 80, LIX: 40, LongWord: 6, MinWords: 50}
	p := Plain{Limits: def, Lang: map[string]plain.Limits{
		"ar": {SentenceWords: 25, LIX: 45},
		"zh": {CharsPerWord: 1.5},
	}}
	for _, tc := range []struct {
		name, code string
		want       plain.Limits
	}{
		{"no own limits", "fr", def},
		{"some own limits", "ar", plain.Limits{SentenceWords: 25, ParagraphWords: 80, LIX: 45, LongWord: 6, MinWords: 50}},
		{"a float limit", "zh", plain.Limits{SentenceWords: 20, ParagraphWords: 80, LIX: 40, LongWord: 6, CharsPerWord: 1.5, MinWords: 50}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.For(tc.code); got != tc.want {
				t.Errorf("For(%q) = %+v, want %+v", tc.code, got, tc.want)
			}
		})
	}
}
