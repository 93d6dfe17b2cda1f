package site

import (
	"kb/internal/lang"
	"kb/internal/source"
)

// Restore makes a site from groups a build wrote down (package
// generation): pages with their frontmatter and URLs but no bodies, enough
// to render a page's frame and lists (the search page) and to find a group
// by its key. It sets each page's Group and Language, and orders langs as
// the settings say, as Assemble does.
func Restore(settings source.Settings, langs *lang.Set, groups []*Group) *Site {
	langs.Order(settings.LanguageOrder)
	s := &Site{Settings: settings, Langs: langs, Groups: groups, byKey: map[string]*Group{}}
	for _, g := range groups {
		s.byKey[g.Section+"/"+g.Key] = g
		for code, p := range g.Pages {
			p.Group, p.Language = g, langs.Get(code)
		}
	}
	return s
}
