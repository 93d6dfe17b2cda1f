package site

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"kb/internal/diag"
	"kb/internal/markdown"
)

// Body is a page's Markdown rendered, with every link as it resolved. A body
// is a pure function of the Markdown, the renderer (the language's quotes)
// and those resolutions, so a preview can keep it across rebuilds while
// Valid says so.
type Body struct {
	src   []byte
	md    *markdown.Renderer
	res   markdown.Result
	links []resolvedLink // in the order the renderer saw them
	terms string         // the glossary it was marked with (termsKey)
}

type resolvedLink struct {
	dest     string
	line     int // in the body
	url, msg string
	warn     bool
}

// RenderBody renders p's Markdown with md, resolving its links in s.
func (s *Site) RenderBody(p *Page, md *markdown.Renderer) *Body {
	terms := s.pageTerms(p)
	b := &Body{src: p.File.Body, md: md, terms: termsKey(terms)}
	b.res = md.RenderTerms(p.File.Body, func(dest string, line int) (string, string) {
		u, msg, warn := s.Resolve(p, dest)
		b.links = append(b.links, resolvedLink{dest: dest, line: line, url: u, msg: msg, warn: warn})
		if warn {
			return u, ""
		}
		return u, msg
	}, terms)
	return b
}

// Valid reports whether b is still p's body in s when rendered with md.
func (s *Site) Valid(p *Page, md *markdown.Renderer, b *Body) bool {
	if b == nil || b.md != md || !bytes.Equal(b.src, p.File.Body) || b.terms != termsKey(s.pageTerms(p)) {
		return false
	}
	for _, l := range b.links {
		if u, msg, warn := s.Resolve(p, l.dest); u != l.url || msg != l.msg || warn != l.warn {
			return false
		}
	}
	return true
}

// ApplyBody gives p its rendered body and the groups it links to.
func (s *Site) ApplyBody(p *Page, b *Body) {
	p.Body = template.HTML(b.res.HTML)
	p.Text, p.Headings, p.Images = b.res.Text, b.res.Headings, b.res.Images
	p.anchors = bodyIDs(string(b.res.HTML))
	p.Links, p.Files = nil, nil
	groups := map[string]bool{}
	files := map[string]bool{}
	for _, l := range b.links {
		if id := linkGroup(l.dest); id != "" && s.byKey[id] != nil && !groups[id] {
			groups[id] = true
			p.Links = append(p.Links, id)
		}
		if l.msg == "" && !strings.HasPrefix(l.dest, "/") {
			files[l.url] = true
		}
	}
	p.Terms = nil
	for _, u := range b.res.Terms {
		if g := s.byKey["glossary/"+u.Key]; g != nil && g.Pages[p.Lang] != nil {
			p.Terms = append(p.Terms, g.Pages[p.Lang])
			if id := "glossary/" + u.Key; !slices.Contains(p.Links, id) {
				p.Links = append(p.Links, id)
			}
		}
	}
	slices.Sort(p.Links)
	for _, r := range p.Group.Resources {
		if files[ResourceURL(r)] {
			p.Files = append(p.Files, r)
		}
	}
}

// BodyProblems reports what is wrong in p's body: broken links, links to
// drafts, and #fragments that name no heading of their page. Call it once
// every page has its body, since fragments are looked up in other pages.
func (s *Site) BodyProblems(p *Page, b *Body, problems *diag.List) {
	for _, pr := range b.res.Problems {
		level := diag.Error
		if pr.Warn {
			level = diag.Warning
		}
		problems.Add(diag.Problem{Path: p.Path, Line: p.BodyLine + pr.Line - 1, Level: level, Msg: pr.Msg, Hint: pr.Hint})
	}
	for _, l := range b.links {
		if l.warn { // a link to a draft
			problems.Add(diag.Problem{Path: p.Path, Line: p.BodyLine + l.line - 1, Level: diag.Warning, Msg: l.msg,
				Hint: "publish it by removing draft: true in content/" + linkGroup(l.dest) + "/, or remove the link"})
		}
		if l.msg != "" {
			continue
		}
		if target, frag, ok := s.anchorTarget(p, l.dest); ok && !target.HasAnchor(frag) {
			problems.Add(diag.Problem{Path: p.Path, Line: p.BodyLine + l.line - 1, Msg: fmt.Sprintf("link %s: %s has no heading #%s", l.dest, target.Path, frag),
				Hint: "link to an existing heading, or give the heading an id: ## Title {#" + frag + "}"})
		}
	}
}

// Anchored returns the groups ("section/key") whose headings b links to.
func (b *Body) Anchored() []string {
	var out []string
	for _, l := range b.links {
		if _, frag, ok := strings.Cut(l.dest, "#"); ok && frag != "" {
			if id := linkGroup(l.dest); id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// anchorTarget returns the page and fragment of an internal link with a
// fragment, when the target exists in the page's language.
func (s *Site) anchorTarget(p *Page, dest string) (*Page, string, bool) {
	target, frag, ok := strings.Cut(dest, "#")
	if !ok || frag == "" || !strings.HasPrefix(target, "/") {
		return nil, "", false
	}
	parts := strings.Split(strings.Trim(target, "/"), "/")
	if len(parts) != 2 {
		return nil, "", false
	}
	g := s.byKey[parts[0]+"/"+parts[1]]
	if g == nil || g.Pages[p.Lang] == nil {
		return nil, "", false
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	return g.Pages[p.Lang], frag, true
}
