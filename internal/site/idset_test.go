package site

import (
	"slices"
	"testing"
)

// TestBodyIDs: the ids of a body are found whole, none other, and survive
// the body store (list, makeIDSet).
func TestBodyIDs(t *testing.T) {
	tests := []struct {
		name string
		body string
		has  []string
		not  []string
	}{
		{"none", `<p>no ids</p>`, nil, []string{"", "p"}},
		{"headings", `<h2 id="care">Care</h2><p id="note-1">x</p><h2 id="care">again</h2>`, []string{"care", "note-1"}, []string{"car", "are", "note", "", "care note-1"}},
		{"empty id", `<span id="">x</span><b id="b">`, []string{"", "b"}, []string{"x"}},
		{"unterminated", `<a id="a">x</a><b id="oops`, []string{"a"}, []string{"oops"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bodyIDs(tt.body)
			again := makeIDSet(s.list())
			for _, set := range []idSet{s, again} {
				for _, id := range tt.has {
					if !set.has(id) {
						t.Errorf("%q: has(%q) = false", set, id)
					}
				}
				for _, id := range tt.not {
					if set.has(id) {
						t.Errorf("%q: has(%q) = true", set, id)
					}
				}
			}
			if l := s.list(); !slices.IsSorted(l) || len(slices.Compact(slices.Clone(l))) != len(l) || len(l) != len(tt.has) {
				t.Errorf("list() = %q, want %d ids, sorted, each once", l, len(tt.has))
			}
		})
	}
}
