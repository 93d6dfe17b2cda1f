package render

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"text/template/parse"

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

// A template may link to a page group by its URL, written out in its text
// (href="/{{.L.Code}}/about/privacy/") or in a string of an action
// ({{printf "/%s/about/privacy/" .L.Code}}), or name it to the site
// ({{.Site.Group "about" "privacy"}}). namedGroups walks the templates
// (walk.go) from each page kind's root for these: what a page's drawing
// cannot reach (a template nothing calls, a template comment {{/* */}}, an
// HTML comment, which html/template leaves out of the page) names nothing.
// What it cannot see is a URL put together while the page is drawn
// (printf "/%s/%s/" .L.Code $key, a string from site.toml): a page missed
// so is not written by the build, though kb serve still answers it.
// What the templates name that is not a group is left out when the site is
// known; a false one costs nothing.
var (
	urlSection = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	urlKey     = regexp.MustCompile(`^[^/"'{}<>%\s]+$`)
)

// namedGroups returns the group ids ("section/key") the templates name,
// sorted.
func (t *Templates) namedGroups() []string {
	r := &namedReader{ids: map[string]bool{}, hidden: map[*parse.Tree][]span{}}
	for _, k := range Kinds {
		if set := t.kinds[k]; set != nil {
			walk(set, "base.html", struct{}{}, r)
		}
	}
	if t.redirect != nil {
		walk(t.redirect, "redirect.html", struct{}{}, r)
	}
	return r.sorted()
}

// namedReader is the walk's reader for namedGroups. Its values say nothing:
// it reads the words themselves.
type namedReader struct {
	ids    map[string]bool
	hidden map[*parse.Tree][]span // the HTML comments of each tree
}

// span is a part of a template file, [start, end).
type span struct{ start, end int }

func (r *namedReader) fields(*parse.Tree, parse.Node, struct{}, []string) struct{} {
	return struct{}{}
}
func (r *namedReader) word(parse.Node) struct{}            { return struct{}{} }
func (r *namedReader) elems(struct{}) (key, elem struct{}) { return struct{}{}, struct{}{} }
func (r *namedReader) sorted() []string                    { return slices.Sorted(maps.Keys(r.ids)) }

func (r *namedReader) in(tr *parse.Tree, pos parse.Pos) bool {
	for _, s := range r.comments(tr) {
		if s.start <= int(pos) && int(pos) < s.end {
			return true
		}
	}
	return false
}

// text reads what of t is outside the comments.
func (r *namedReader) text(tr *parse.Tree, t *parse.TextNode) {
	at, end := int(t.Pos), int(t.Pos)+len(t.Text)
	pos := at
	for _, s := range r.comments(tr) {
		if s.end <= pos || s.start >= end {
			continue
		}
		if s.start > pos {
			r.read(string(t.Text[pos-at : s.start-at]))
		}
		pos = min(s.end, end)
	}
	if pos < end {
		r.read(string(t.Text[pos-at:]))
	}
}

func (r *namedReader) command(tr *parse.Tree, c *parse.CommandNode) {
	if r.in(tr, c.Pos) {
		return
	}
	for _, a := range c.Args {
		if s, ok := a.(*parse.StringNode); ok {
			r.read(s.Text)
		}
	}
	// .Site.Group "section" "key", or a variable's or a chain's .Group.
	if len(c.Args) != 3 {
		return
	}
	var names []string
	switch f := c.Args[0].(type) {
	case *parse.FieldNode:
		names = f.Ident
	case *parse.VariableNode:
		names = f.Ident
	case *parse.ChainNode:
		names = f.Field
	}
	sec, ok1 := c.Args[1].(*parse.StringNode)
	key, ok2 := c.Args[2].(*parse.StringNode)
	if len(names) > 0 && names[len(names)-1] == "Group" && ok1 && ok2 && slices.Contains(source.Sections, sec.Text) {
		r.ids[sec.Text+"/"+key.Text] = true
	}
}

// read adds the groups whose URLs are in s: /{section's URL}/{key}/,
// after whatever comes before (/{{.L.Code}}, /fr, a base URL).
func (r *namedReader) read(s string) {
	for i := strings.IndexByte(s, '/'); i >= 0; {
		rest := s[i+1:]
		sec, after, ok := strings.Cut(rest, "/")
		if ok && urlSection.MatchString(sec) {
			if key, _, ok := strings.Cut(after, "/"); ok && urlKey.MatchString(key) {
				for _, name := range source.Sections {
					if site.URLSection(name) == sec {
						r.ids[name+"/"+key] = true
					}
				}
			}
		}
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			break
		}
		i += 1 + j
	}
}

// comments returns the HTML comments of a tree: what is between <!-- and
// --> in its text, in the order of the file, across the actions between.
func (r *namedReader) comments(tr *parse.Tree) []span {
	if s, ok := r.hidden[tr]; ok {
		return s
	}
	var texts []*parse.TextNode
	var collect func(n parse.Node)
	collect = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, m := range n.Nodes {
					collect(m)
				}
			}
		case *parse.TextNode:
			texts = append(texts, n)
		case *parse.IfNode:
			collect(n.List)
			collect(n.ElseList)
		case *parse.WithNode:
			collect(n.List)
			collect(n.ElseList)
		case *parse.RangeNode:
			collect(n.List)
			collect(n.ElseList)
		}
	}
	collect(tr.Root)
	spans := []span{}
	open := -1
	for _, t := range texts {
		text, at := string(t.Text), int(t.Pos)
		for i := 0; i < len(text); {
			if open < 0 {
				j := strings.Index(text[i:], "<!--")
				if j < 0 {
					break
				}
				open, i = at+i+j, i+j+4
				continue
			}
			j := strings.Index(text[i:], "-->")
			if j < 0 {
				break
			}
			spans = append(spans, span{open, at + i + j + 3})
			open, i = -1, i+j+3
		}
	}
	if open >= 0 {
		spans = append(spans, span{open, math.MaxInt})
	}
	r.hidden[tr] = spans
	return spans
}
