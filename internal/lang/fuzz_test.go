package lang

import (
	"testing"

	"kb/internal/diag"
)

// FuzzMatch checks that any Accept-Language header gives a language of the site.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"", "fr", "ar-MA,fr;q=0.5", "*", "zz;q=x", "en-GB,en;q=0.9,de;q=0.8", ";;;,,,"} {
		f.Add(s)
	}
	var problems diag.List
	set := Load(testFS, "i18n", &problems)
	f.Fuzz(func(t *testing.T, header string) {
		if got := set.Match(header, "fr"); set.Get(got) == nil {
			t.Fatalf("Match(%q) = %q, not a language of the site", header, got)
		}
	})
}
