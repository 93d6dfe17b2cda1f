package build_test

import (
	"strings"
	"testing"

	"kb/internal/sitetest"
)

// TestKeyHints: the build's key checks suggest the key source.Key makes,
// the one kb new and kb import spip would have made.
func TestKeyHints(t *testing.T) {
	tests := []struct {
		name  string
		files string
		want  string
	}{
		{"folder", "-- content/fiches/Aide médicale/en.md --\n---\ntitle: A\n---\n",
			"content/fiches/Aide médicale: invalid folder name Aide médicale (use lower-case letters a-z, digits and hyphens, e.g. aide-medicale)"},
		{"news folder", "-- content/news/Pharmacy/en.md --\n---\ntitle: A\ndate: 2024-01-01\n---\n",
			"content/news/Pharmacy: invalid folder name Pharmacy (news folders are named YYYY-MM-DD-key, e.g. 2024-06-12-pharmacy-payments)"},
		{"topic written as a title", "-- content/fiches/a/en.md --\n---\ntitle: A\ntopics: [Care]\n---\n",
			`content/fiches/a/en.md:3: unknown topic key "Care" (write care, the key of content/topics/care/)`},
		{"unknown topic", "-- content/fiches/a/en.md --\n---\ntitle: A\ntopics: [cure]\n---\n",
			`content/fiches/a/en.md:3: unknown topic key "cure" (known: care)`},
		{"topic page with topics", "-- content/topics/b/en.md --\n---\ntitle: B\ntopics: [care]\n---\n",
			"content/topics/b/en.md:3: a topic page has no topics: remove the line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sitetest.BuildErr(t, base+tt.files)
			for _, g := range got {
				if g == tt.want {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant %q", strings.Join(got, "\n"), tt.want)
		})
	}
}
