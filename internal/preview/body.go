package preview

import (
	"runtime"
	"strings"
	"sync"

	"kb/internal/diag"
	"kb/internal/markdown"
	"kb/internal/site"
	"kb/internal/source"
)

// The cache keeps each page file's site.Body. A body stays right while the
// Markdown and quotes are the same and every link still resolves the same
// way in the new site (site.Site.Valid); rendering, resolving and the
// messages are site's, so the preview says what a build says.

// bodyCache holds the bodies by page path, and a Markdown renderer per set
// of quotes.
type bodyCache struct {
	bodies map[string]*site.Body
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

// render gives every page its body, from the cache when it is still valid,
// rendered in parallel otherwise. It returns the pages rendered anew.
func (c *bodyCache) render(s *site.Site, pages []*site.Page) []*site.Page {
	if c.bodies == nil {
		c.bodies = map[string]*site.Body{}
	}
	var todo []*site.Page
	for _, p := range pages {
		if b := c.bodies[p.Path]; s.Valid(p, c.renderer(p.Language.Quotes), b) {
			s.ApplyBody(p, b)
			continue
		}
		todo = append(todo, p)
	}
	out := make([]*site.Body, len(todo))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range work {
				p := todo[i]
				out[i] = s.RenderBody(p, c.renderer(p.Language.Quotes))
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
		s.ApplyBody(p, out[i])
	}
	return todo
}

// update renders the body of one page, unless the cache has it.
func (c *bodyCache) update(s *site.Site, p *site.Page) (fresh bool) {
	md := c.renderer(p.Language.Quotes)
	b := c.bodies[p.Path]
	if !s.Valid(p, md, b) {
		b = s.RenderBody(p, md)
		c.bodies[p.Path] = b
		fresh = true
	}
	s.ApplyBody(p, b)
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

// problems adds the problems of rendering p, as site.Assemble reports them.
func (c *bodyCache) problems(s *site.Site, p *site.Page, l *diag.List) {
	if b := c.bodies[p.Path]; b != nil {
		s.BodyProblems(p, b, l)
	}
}

func splitID(id string) (section, key string) {
	section, key, _ = strings.Cut(id, "/")
	return section, key
}
