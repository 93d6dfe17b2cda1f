package check

import (
	"fmt"

	"kb/internal/diag"
	"kb/internal/markdown"
	"kb/internal/source"
)

// glossary warns about a term defined in the default language that another
// language lacks although one of its pages uses the term's words (CPAS,
// 9ter and AMU are written in Latin letters in every language): readers of
// that page get no definition.
func (c *checker) glossary() {
	def := c.site.Settings.DefaultLanguage
	for _, g := range c.site.SectionGroups(source.Glossary) {
		src := g.Pages[def]
		if src == nil {
			continue
		}
		words := append([]string{src.Meta.Title}, src.Meta.Terms...)
		for _, l := range c.site.Langs.List {
			if g.Pages[l.Code] != nil {
				continue
			}
		pages:
			for _, p := range c.site.Pages(l.Code, "") {
				if p.Section == source.Glossary {
					continue
				}
				for _, w := range words {
					if markdown.HasWord(p.Text, w) {
						c.list.Add(diag.Problem{Path: src.Path, Line: src.Meta.Line("title"), Level: diag.Warning,
							Msg:  fmt.Sprintf("glossary term %s has no %s entry, but %s uses it", src.Meta.Title, l.Code, p.Path),
							Hint: fmt.Sprintf("add content/glossary/%s/%s.md: title (the term in %s) and summary (one plain sentence)", g.Key, l.Code, l.Name)})
						break pages
					}
				}
			}
		}
	}
}
