package render

import (
	"regexp"
	"slices"
	"strings"

	"kb/internal/lang"
	"kb/internal/site"
	"kb/internal/source"
)

// Not-available pages. The URL of a page in a language its group lacks
// (site.MissingURL) shows a short page that says so and links the
// languages the page exists in. The build writes it only where an output
// links to it (linkedMissing): at 10,000 pages in 15 languages there would
// otherwise be two of them for every real page. kb serve and the preview
// render any other on request (NotAvailable), with the same bytes.

// missingKey names the page of a group in a language that lacks it.
type missingKey struct {
	code string
	g    *site.Group
}

// linkedMissing lists the not-available pages an output links to:
//   - the targets of body links to a group without a page in the linking
//     page's language (site.Resolve). Every page is an output that shows
//     its body, so p.Links covers the bodies wherever else they appear
//     (feed, newsletter, PDFs);
//   - the topics and residence statuses a page shows (links) that lack
//     its language;
//   - the groups the templates name (Templates.named), in every language:
//     the footer's link to /{lang}/about/privacy/.
func (r *Renderer) linkedMissing() map[missingKey]bool {
	s := r.Site
	out := map[missingKey]bool{}
	mark := func(code, section, key string) {
		if g := s.Group(section, key); g != nil && g.Pages[code] == nil {
			out[missingKey{code, g}] = true
		}
	}
	for _, g := range s.Groups {
		sec := source.Sec(g.Section)
		for code, p := range g.Pages {
			for _, id := range p.Links {
				section, key, _ := strings.Cut(id, "/")
				mark(code, section, key)
			}
			if sec.Taxonomy || sec.Name == source.Newsletters {
				continue // not drawn by r.page: no topic or residence links
			}
			for _, k := range p.Meta.Topics {
				mark(code, source.Topics, k)
			}
			for _, k := range p.Meta.Residence {
				mark(code, source.Residence, k)
			}
		}
	}
	if r.T != nil {
		for _, id := range r.T.named {
			section, key, _ := strings.Cut(id, "/")
			for _, l := range s.Langs.List {
				mark(l.Code, section, key)
			}
		}
	}
	return out
}

// notAvailableOutput is the not-available page of g in l.
func (r *Renderer) notAvailableOutput(g *site.Group, l *lang.Language) Output {
	return Output{Path: strings.TrimPrefix(site.MissingURL(l.Code, g), "/") + "index.html",
		Deps:   []string{g.Section + "/" + g.Key},
		Render: func() ([]byte, error) { return r.notAvailable(g, l) }}
}

// NotAvailable returns the output of the not-available page at name, a
// path as Outputs gives them (fr/fiches/key/index.html), whether Outputs
// lists it or not: a page of a language that its group lacks.
func (r *Renderer) NotAvailable(name string) (Output, bool) {
	parts := strings.Split(name, "/")
	if len(parts) != 4 || parts[3] != "index.html" {
		return Output{}, false
	}
	l := r.Site.Langs.Get(parts[0])
	if l == nil {
		return Output{}, false
	}
	for _, sec := range source.Sections {
		if site.URLSection(sec) != parts[1] {
			continue
		}
		if g := r.Site.Group(sec, parts[2]); g != nil && g.Pages[l.Code] == nil {
			return r.notAvailableOutput(g, l), true
		}
	}
	return Output{}, false
}

// A template may link to a page group by its URL, written out
// (href="/{{.L.Code}}/about/privacy/"), or test it by name (.Site.Group
// "about" "privacy"). The words of the templates are read for both; what
// they name that is not a group is left out when the site is known.
var (
	urlWords   = regexp.MustCompile(`/([a-z][a-z0-9-]*)/([^/"'{}<>\s]+)/`)
	groupWords = regexp.MustCompile(`"([a-z][a-z0-9-]*)"\s+"([^"]+)"`)
)

// namedGroups returns the group ids ("section/key") the templates' texts
// may name, sorted. A false one costs nothing; one missed, a not-available
// page that the build does not write (kb serve still answers it).
func namedGroups(texts map[string]string) []string {
	var out []string
	for _, text := range texts {
		for _, m := range urlWords.FindAllStringSubmatch(text, -1) {
			for _, sec := range source.Sections {
				if site.URLSection(sec) == m[1] {
					out = append(out, sec+"/"+m[2])
				}
			}
		}
		for _, m := range groupWords.FindAllStringSubmatch(text, -1) {
			if slices.Contains(source.Sections, m[1]) {
				out = append(out, m[1]+"/"+m[2])
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
