package site

import (
	"bytes"
	"crypto/sha256"
	"html/template"
	"io"
	"strings"
	"sync"
)

// Spilling bodies. A build of many pages cannot hold every page's HTML
// until its page is written: with Spill, the body phase writes each HTML
// to a file as soon as the body is rendered and keeps only where it is.
// A build then takes a page's HTML back (Hold) for the outputs that show
// it, and lets it go again (Release). What else a body has stays in
// memory: the plain text (the search index reads it while the pages are
// written), and what other pages and the checks need (headings, links,
// files, terms, problems).
//
// Only a caller that knows who shows a body may spill: a template that
// shows another page's body would find it empty (render.Templates.
// OwnBodies says when none does), and so would code that reads bodies of
// other pages (the news feed: keep tells which pages stay in memory).

// spill is where the bodies of a BodyCache go (BodyCache.Spill).
type spill struct {
	f    io.ReaderAt
	w    io.WriterAt
	keep func(*Site) []*Page
	kept map[*Page]bool // keep's answer for the site of the body phase

	mu   sync.Mutex
	end  int64
	held map[*Page]int // Hold counts
}

// spilled is where a body's HTML is in the spill file, its plain text
// right after it.
type spilled struct {
	off int64
	n   int // bytes of HTML
	tn  int // bytes of text
}

// Spill makes the body phase write the HTML of every page of its site but
// those keep returns to f, from its current end, instead of keeping it. f
// must be kept open while the cache is used; it is the caller's to remove.
func (c *BodyCache) Spill(f interface {
	io.ReaderAt
	io.WriterAt
}, keep func(*Site) []*Page) {
	c.spill = &spill{f: f, w: f, keep: keep, held: map[*Page]int{}}
}

// spillBody writes b's HTML to the spill, if any and if p's may go. It
// leaves b as it is when the write fails: the body stays in memory.
func (c *BodyCache) spillBody(p *Page, b *Body) {
	sp := c.spill
	if sp == nil || b.at != nil || sp.kept[p] {
		return
	}
	n, tn := len(b.html), len(b.res.Text)
	sp.mu.Lock()
	off := sp.end
	sp.end += int64(n + tn)
	sp.mu.Unlock()
	buf := make([]byte, 0, n+tn)
	buf = append(append(buf, b.html...), b.res.Text...)
	if _, err := sp.w.WriteAt(buf, off); err != nil {
		return
	}
	b.at = &spilled{off: off, n: n, tn: tn}
	b.html, b.res.Text = "", ""
	p.Body, p.Text = "", ""
	// The Markdown goes too, once hashed: nothing reads it again in a
	// build that spills (SourceSum keys its cache), except the check of
	// a folder's file whose name a link cannot hold as it is (bareLink).
	if !bareNames(p.Group) {
		if b.srcSum == ([32]byte{}) {
			b.srcSum = sha256.Sum256(b.src)
		}
		b.src = nil
		p.File.Body = nil
	}
}

// bareNames reports whether a file of g has a name bareLink looks for in
// the Markdown of g's pages.
func bareNames(g *Group) bool {
	for _, r := range g.Resources {
		if strings.ContainsAny(r.Name, bareChars) {
			return true
		}
	}
	return false
}

// SourceSum is the SHA-256 of p's Markdown, known even once the Markdown
// is let go.
func (b *Bodies) SourceSum(p *Page) [32]byte {
	if b != nil {
		if body := b.cache.bodies[p.Path]; body != nil && (body.src == nil || bytes.Equal(body.src, p.File.Body)) {
			if body.srcSum == ([32]byte{}) {
				body.srcSum = sha256.Sum256(body.src)
			}
			return body.srcSum
		}
	}
	return sha256.Sum256(p.File.Body)
}

// htmlOf returns b's HTML, from the spill file if it is there.
func (c *BodyCache) htmlOf(b *Body) (template.HTML, error) {
	if b.at == nil {
		return b.html, nil
	}
	buf := make([]byte, b.at.n)
	if _, err := c.spill.f.ReadAt(buf, b.at.off); err != nil {
		return "", err
	}
	return template.HTML(buf), nil
}

// prepare asks keep which pages of s stay in memory, before the body
// phase.
func (sp *spill) prepare(s *Site) {
	if sp == nil {
		return
	}
	sp.kept = map[*Page]bool{}
	for _, p := range sp.keep(s) {
		sp.kept[p] = true
	}
}

// textOf returns b's plain text, from the spill file if it is there.
func (c *BodyCache) textOf(b *Body) (string, error) {
	if b.at == nil {
		return b.res.Text, nil
	}
	buf := make([]byte, b.at.tn)
	if _, err := c.spill.f.ReadAt(buf, b.at.off+int64(b.at.n)); err != nil {
		return "", err
	}
	return string(buf), nil
}

// Text returns p's plain text: p.Text, or, when the body is spilled, a
// copy read back from the spill, which the caller lets go when done.
func (b *Bodies) Text(p *Page) (string, error) {
	if b == nil {
		return p.Text, nil
	}
	body := b.cache.bodies[p.Path]
	if b.cache.spill == nil || body == nil || body.at == nil {
		return p.Text, nil
	}
	return b.cache.textOf(body)
}

// TextLen is the length of p's plain text, without reading it back.
func (b *Bodies) TextLen(p *Page) int {
	if b != nil {
		if body := b.cache.bodies[p.Path]; b.cache.spill != nil && body != nil && body.at != nil {
			return body.at.tn
		}
	}
	return len(p.Text)
}

// KeepBodies undoes Spill before the body phase: every body stays in
// memory (the templates show bodies of other pages).
func (c *BodyCache) KeepBodies() { c.spill = nil }

// Hold gives p its body's HTML back from the spill, until as many
// Releases. It does nothing to a body that is in memory.
func (b *Bodies) Hold(p *Page) error {
	if b == nil {
		return nil
	}
	c := b.cache
	body := c.bodies[p.Path]
	if c.spill == nil || body == nil || body.at == nil {
		return nil
	}
	c.spill.mu.Lock()
	defer c.spill.mu.Unlock()
	if c.spill.held[p] == 0 {
		html, err := c.htmlOf(body)
		if err != nil {
			return err
		}
		p.Body = html
	}
	c.spill.held[p]++
	return nil
}

// Release lets go of the HTML Hold gave p, once every Hold is released.
func (b *Bodies) Release(p *Page) {
	if b == nil {
		return
	}
	c := b.cache
	body := c.bodies[p.Path]
	if c.spill == nil || body == nil || body.at == nil {
		return
	}
	c.spill.mu.Lock()
	defer c.spill.mu.Unlock()
	if c.spill.held[p]--; c.spill.held[p] <= 0 {
		delete(c.spill.held, p)
		p.Body = ""
	}
}

// DropSources lets go of every page's Markdown, in a build that spills:
// once the build has hashed it (the keys of its cache), nothing reads it
// again, since no template names a File (render.Templates.OwnBodies). A
// body keeps the Markdown's SHA-256 to be saved and compared by.
func (b *Bodies) DropSources() {
	if b == nil || b.cache.spill == nil {
		return
	}
	for _, g := range b.s.Groups {
		for _, p := range g.Pages {
			if body := b.cache.bodies[p.Path]; body != nil && body.src != nil {
				if body.srcSum == ([32]byte{}) {
					body.srcSum = sha256.Sum256(body.src)
				}
				body.src = nil
			}
			p.File.Body = nil
		}
	}
}
