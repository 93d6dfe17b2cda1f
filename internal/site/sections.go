package site

import "kb/internal/source"

// listMap maps the name of a list page in a link (/news) to its folder
// under /{lang}/: every section's, and the A–Z list and search page.
func listMap() map[string]string {
	m := map[string]string{"": "", "a-z": "a-z/", "search": "search/"}
	for _, sec := range source.AllSections() {
		m[sec.Name] = sec.URL + "/"
	}
	return m
}
