package render

import "kb/internal/source"

// listSuffixes are the list pages of a language, after /{lang}/, for the
// sitemap: the home page, each section's list, the A–Z list.
func listSuffixes() []string {
	out := []string{""}
	for _, s := range source.AllSections() {
		out = append(out, s.URL+"/")
	}
	return append(out, "a-z/")
}
