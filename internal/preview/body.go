package preview

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"

	"kb/internal/diag"
	"kb/internal/markdown"
	"kb/internal/site"
	"kb/internal/source"
)

// A page's body is a pure function of its Markdown, its language's quotes
// and what each of its links resolves to. The cache keeps, per page file,
// the rendering and the links as they resolved: the rendering stays right
// while the Markdown and quotes are the same and every link still resolves
// the same way in the new site. This is what site.Assemble does in
// renderPage, with a memory.

// body is the rendering of one page's Markdown.
type body struct {
	src    []byte
	md     *markdown.Renderer
	html   template.HTML
	text   string
	heads  []markdown.Heading
	images []markdown.Image
	probs  []markdown.Problem
	links  []resolved // in the order Resolve saw them
}

// resolved is one link of a body and what it resolved to.
type resolved struct {
	dest      string
	line      int
	url, msg  string
	warn      bool
	anchor    bool   // a /section/key#fragment link that site.Assemble checks
	frag      string // its fragment, unescaped
	anchorSec string
	anchorKey string
}

// bodyCache holds the bodies by page path, and a Markdown renderer per set
// of quotes.
type bodyCache struct {
	bodies map[string]*body
	md     map[string]*markdown.Renderer
}

func (c *bodyCache) renderer(quotes []string) *markdown.Renderer {
	if c.md == nil {
		c.md = map[string]*markdown.Renderer{}
	}
	k := strings.Join(quotes, "\x00")
	if c.md[k] == nil {
		c.md[k] = markdown.New(quotes)
	}
	return c.md[k]
}

// valid reports whether b is still the body of p in s.
func (b *body) valid(s *site.Site, p *site.Page, md *markdown.Renderer, drafts map[string]bool) bool {
	if b == nil || b.md != md || !bytes.Equal(b.src, p.File.Body) {
		return false
	}
	for _, l := range b.links {
		u, msg, warn := s.Resolve(p, l.dest, drafts)
		if u != l.url || msg != l.msg || warn != l.warn {
			return false
		}
	}
	return true
}

// render gives every page its body, from the cache when it is still valid,
// rendered in parallel otherwise. It returns the pages rendered anew.
func (c *bodyCache) render(s *site.Site, pages []*site.Page, drafts map[string]bool) []*site.Page {
	if c.bodies == nil {
		c.bodies = map[string]*body{}
	}
	var todo []*site.Page
	for _, p := range pages {
		md := c.renderer(p.Language.Quotes)
		if b := c.bodies[p.Path]; b.valid(s, p, md, drafts) {
			b.apply(s, p)
			continue
		}
		todo = append(todo, p)
	}
	out := make([]*body, len(todo))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range work {
				p := todo[i]
				out[i] = renderBody(s, p, c.renderer(p.Language.Quotes), drafts)
			}
		})
	}
	for i := range todo {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, p := range todo {
		c.bodies[p.Path] = out[i]
		out[i].apply(s, p)
	}
	return todo
}

// update renders the body of one page, unless the cache has it.
func (c *bodyCache) update(s *site.Site, p *site.Page, drafts map[string]bool) (fresh bool) {
	md := c.renderer(p.Language.Quotes)
	b := c.bodies[p.Path]
	if !b.valid(s, p, md, drafts) {
		b = renderBody(s, p, md, drafts)
		c.bodies[p.Path] = b
		fresh = true
	}
	b.apply(s, p)
	return fresh
}

// prune forgets the bodies of files that are gone.
func (c *bodyCache) prune(files map[string]*source.File) {
	for p := range c.bodies {
		if files[p] == nil {
			delete(c.bodies, p)
		}
	}
}

// renderBody renders p's Markdown as site.Assemble does.
func renderBody(s *site.Site, p *site.Page, md *markdown.Renderer, drafts map[string]bool) *body {
	b := &body{src: p.File.Body, md: md}
	res := md.Render(p.File.Body, func(dest string, line int) (string, string) {
		u, msg, warn := s.Resolve(p, dest, drafts)
		b.links = append(b.links, resolved{dest: dest, line: line, url: u, msg: msg, warn: warn})
		if warn {
			return u, ""
		}
		return u, msg
	})
	for i := range b.links {
		l := &b.links[i]
		l.anchorSec, l.anchorKey, l.frag, l.anchor = anchorRef(l.dest)
	}
	b.html = template.HTML(res.HTML)
	b.text, b.heads, b.images, b.probs = res.Text, res.Headings, res.Images, res.Problems
	return b
}

// apply sets what site.Assemble sets on a rendered page.
func (b *body) apply(s *site.Site, p *site.Page) {
	p.Body, p.Text, p.Headings, p.Images = b.html, b.text, b.heads, b.images
	p.Links = nil
	for _, l := range b.links {
		if id := linkGroup(l.dest); id != "" && s.Group(splitID(id)) != nil && !slices.Contains(p.Links, id) {
			p.Links = append(p.Links, id)
		}
	}
	slices.Sort(p.Links)
}

// problems adds the problems of rendering p, as site.Assemble reports them:
// broken links, links to drafts, and fragments that name no heading.
func (c *bodyCache) problems(s *site.Site, p *site.Page, l *diag.List) {
	b := c.bodies[p.Path]
	if b == nil {
		return
	}
	for _, pr := range b.probs {
		l.Errorf(p.Path, p.BodyLine+pr.Line-1, "%s", pr.Msg)
	}
	for _, r := range b.links {
		if r.warn {
			l.Warnf(p.Path, 0, "%s", r.msg)
		}
		if !r.anchor || r.msg != "" {
			continue
		}
		g := s.Group(r.anchorSec, r.anchorKey)
		if g == nil || g.Pages[p.Lang] == nil {
			continue
		}
		if t := g.Pages[p.Lang]; !t.HasAnchor(r.frag) {
			l.Add(diag.Problem{Path: p.Path, Line: p.BodyLine + r.line - 1, Msg: fmt.Sprintf("link %s: %s has no heading #%s", r.dest, t.Path, r.frag),
				Hint: "link to an existing heading, or give the heading an id: ## Title {#" + r.frag + "}"})
		}
	}
}

// linkGroup returns the group id of an internal link, or "".
func linkGroup(dest string) string {
	target, _, _ := strings.Cut(dest, "#")
	parts := strings.Split(strings.Trim(target, "/"), "/")
	if !strings.HasPrefix(dest, "/") || len(parts) != 2 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

func splitID(id string) (section, key string) {
	section, key, _ = strings.Cut(id, "/")
	return section, key
}

// anchorRef splits a /section/key#fragment link, as site.Assemble reads it
// to check the fragment.
func anchorRef(dest string) (section, key, frag string, ok bool) {
	target, frag, found := strings.Cut(dest, "#")
	if !found || frag == "" || !strings.HasPrefix(target, "/") {
		return "", "", "", false
	}
	parts := strings.Split(strings.Trim(target, "/"), "/")
	if len(parts) != 2 {
		return "", "", "", false
	}
	if f, err := url.PathUnescape(frag); err == nil {
		frag = f
	}
	return parts[0], parts[1], frag, true
}
