package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"

	"kb/internal/diag"
	"kb/internal/markdown"
	"kb/internal/source"
)

// The body phase. Assemble gives a site its structure; RenderBodies then
// renders every page's Markdown with its links resolved, and reports what
// is wrong in the bodies: broken links, links to drafts, #fragments that
// name no heading of their page, files of a page folder no page links to.
// kb build, kb check and the preview run the same two phases in this order.
//
// What a page keeps of its body is of two kinds: what other pages need
// (heading ids, the groups and files it links to, its glossary terms), kept
// for the life of the site; and the HTML and plain text, which only its own
// outputs (its page, its search document, a feed) use. A caller that has
// used those may let them go (Page.DropBody).

// Body is a page's Markdown rendered, with every link as it resolved. A body
// is a pure function of the Markdown, the renderer (the language's quotes),
// the glossary and those resolutions, so a BodyCache can keep it across
// runs of the phase while they are the same.
type Body struct {
	src      []byte   // nil in a body read back (bodystore.go): srcSum then
	srcSum   [32]byte // SHA-256 of src, once known
	md       *markdown.Renderer
	res      markdown.Result
	links    []resolvedLink // in the order the renderer saw them
	terms    string         // the glossary it was marked with (termsKey)
	anchors  idSet
	html     template.HTML
	resolved [32]byte // the links' targets when links were last found right (linkTargets)
	// Made once from links, for each run of the phase that reuses b:
	groups   []string // the groups ("section/key") linked, in link order
	files    []string // the URLs of the files of the page's folder linked
	anchorTo []string // the groups whose headings b links to
	at       *spilled // where html is, when spilled (spill.go): html is empty then
}

type resolvedLink struct {
	dest     string
	line     int // in the body
	url, msg string
	warn     bool
}

// BodyCache keeps bodies between runs of the body phase, by page path, and
// a Markdown renderer per set of quotes. The preview keeps one; a build
// needs none. Only one phase may use it at a time.
type BodyCache struct {
	bodies map[string]*Body
	md     map[string]*markdown.Renderer
	spill  *spill // nil: every body stays in memory
}

// NewBodyCache returns an empty cache.
func NewBodyCache() *BodyCache {
	return &BodyCache{bodies: map[string]*Body{}, md: map[string]*markdown.Renderer{}}
}

func (c *BodyCache) renderer(quotes []string, rtl bool) *markdown.Renderer {
	k := strings.Join(quotes, "\x00")
	if rtl {
		k = rtlKey + k
	}
	if c.md[k] == nil {
		md := markdown.New(quotes)
		if rtl {
			md = md.RightToLeft()
		}
		c.md[k] = md
	}
	return c.md[k]
}

// rtlKey starts the key of a renderer for a right-to-left language.
const rtlKey = "rtl\x01"

// Bodies is what the body phase found: each page's body and its problems,
// kept so that a page can be rendered again alone (Update).
type Bodies struct {
	s     *Site
	cache *BodyCache
	probs map[*Page][]diag.Problem
	// anchorsTo holds the pages that link to a heading of a group, by
	// group id: their problems change with its headings.
	anchorsTo map[string]map[*Page]bool
	unlinked  []diag.Problem
	rendered  int
}

// Rendered is the number of bodies the phase rendered, the others coming
// from the cache.
func (b *Bodies) Rendered() int { return b.rendered }

// RenderBodies is the body phase: it gives every page its body, rendered in
// parallel, or taken from cache (nil: none) when still right, and checks
// the links across pages once every page has its heading ids.
func (s *Site) RenderBodies(cache *BodyCache) *Bodies {
	if cache == nil {
		cache = NewBodyCache()
	}
	for _, l := range s.Langs.List {
		cache.renderer(l.Quotes, l.RTL()) // made here: the workers only read the map
	}
	var pages []*Page
	for _, g := range s.Groups {
		for _, code := range sortedCodes(g) {
			pages = append(pages, g.Pages[code])
		}
	}
	s.targets = s.linkTargets()
	cache.spill.prepare(s)
	// The kept bodies are checked (a hash of each page's Markdown) and
	// applied on every core too, as the others are rendered below.
	kept := make([]bool, len(pages))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pages)) {
		wg.Go(func() {
			for i := range work {
				p := pages[i]
				if b := cache.bodies[p.Path]; s.valid(p, cache.renderer(p.Language.Quotes, p.Language.RTL()), b) {
					s.applyBody(p, b)
					cache.spillBody(p, b)
					kept[i] = true
				}
			}
		})
	}
	for i := range pages {
		work <- i
	}
	close(work)
	wg.Wait()
	var todo []*Page
	for i, p := range pages {
		if !kept[i] {
			todo = append(todo, p)
		}
	}
	out := make([]*Body, len(todo))
	work = make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range work {
				p := todo[i]
				out[i] = s.renderBody(p, cache.renderer(p.Language.Quotes, p.Language.RTL()))
				s.applyBody(p, out[i])
				cache.spillBody(p, out[i])
			}
		})
	}
	for i := range todo {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, p := range todo {
		cache.bodies[p.Path] = out[i]
	}
	live := make(map[string]bool, len(pages))
	for _, p := range pages {
		live[p.Path] = true
	}
	for path := range cache.bodies {
		if !live[path] {
			delete(cache.bodies, path)
		}
	}
	b := &Bodies{s: s, cache: cache, probs: map[*Page][]diag.Problem{}, anchorsTo: map[string]map[*Page]bool{}, rendered: len(todo)}
	for _, p := range pages {
		b.linkAnchors(p, true)
		b.check(p)
	}
	b.checkFiles()
	return b
}

// Problems adds every problem the phase found.
func (b *Bodies) Problems(l *diag.List) {
	for _, ps := range b.probs {
		for _, p := range ps {
			l.Add(p)
		}
	}
	for _, p := range b.unlinked {
		l.Add(p)
	}
}

// Update gives p the file f and renders its body again, and checks again
// p's links, the links to p's headings and the files of p's folder. f is a
// reading of p's file that differs from p.File in nothing the structure of
// the site depends on: the Markdown body, or what the outputs read when
// they are rendered (a title). It changes p in place: the caller makes sure
// nothing reads the site meanwhile.
func (b *Bodies) Update(p *Page, f *source.File) {
	b.linkAnchors(p, false)
	p.File = f
	md := b.cache.renderer(p.Language.Quotes, p.Language.RTL())
	body := b.cache.bodies[p.Path]
	if !b.s.valid(p, md, body) {
		body = b.s.renderBody(p, md)
		b.cache.bodies[p.Path] = body
	}
	b.s.applyBody(p, body)
	b.linkAnchors(p, true)
	b.check(p)
	for q := range b.anchorsTo[p.Section+"/"+p.Key] {
		b.check(q)
	}
	b.checkFiles()
}

func (b *Bodies) check(p *Page) {
	var l diag.List
	b.s.bodyProblems(p, b.cache.bodies[p.Path], &l)
	if probs := l.Problems(); len(probs) > 0 {
		b.probs[p] = probs
	} else {
		delete(b.probs, p)
	}
}

func (b *Bodies) checkFiles() {
	var l diag.List
	b.s.unlinkedFiles(&l)
	b.unlinked = l.Problems()
}

// linkAnchors records (or forgets) the groups whose headings p links to.
func (b *Bodies) linkAnchors(p *Page, add bool) {
	body := b.cache.bodies[p.Path]
	if body == nil {
		return
	}
	for _, id := range body.anchorTo {
		if add {
			if b.anchorsTo[id] == nil {
				b.anchorsTo[id] = map[*Page]bool{}
			}
			b.anchorsTo[id][p] = true
		} else {
			delete(b.anchorsTo[id], p)
		}
	}
}

// DropBody lets go of the page's HTML and plain text, once its outputs are
// made: what other pages need of its body (headings, links, files, terms)
// stays. A template that shows another page's body needs that page's.
func (p *Page) DropBody() { p.Body, p.Text = "", "" }

// renderBody renders p's Markdown with md, resolving its links in s.
func (s *Site) renderBody(p *Page, md *markdown.Renderer) *Body {
	terms := s.pageTerms(p)
	b := &Body{src: p.File.Body, md: md, terms: s.pageTermsKey(p)}
	b.res = md.RenderTerms(p.File.Body, func(dest string, line int) (string, string) {
		u, msg, warn := s.Resolve(p, dest)
		b.links = append(b.links, resolvedLink{dest: dest, line: line, url: u, msg: msg, warn: warn})
		if warn {
			return u, ""
		}
		return u, msg
	}, terms)
	// The HTML is kept once, as the string templates take: the bytes and
	// the paragraphs (only kb check's plain-language checks read them, from
	// their own rendering) would double what every page holds until its
	// outputs are made. The text is cloned to its length: its builder grew
	// by doubling.
	b.html = template.HTML(b.res.HTML)
	b.res.HTML, b.res.Paragraphs = nil, nil
	b.res.Text = strings.Clone(b.res.Text)
	// So are the headings and links, which every page keeps.
	b.res.Headings = slices.Clone(b.res.Headings)
	b.links = slices.Clone(b.links)
	b.resolved = s.targets
	b.anchors = bodyIDs(string(b.html))
	for _, l := range b.links {
		id := linkGroup(l.dest)
		if id != "" && !slices.Contains(b.groups, id) {
			b.groups = append(b.groups, id)
		}
		if _, frag, ok := strings.Cut(l.dest, "#"); ok && frag != "" && id != "" && !slices.Contains(b.anchorTo, id) {
			b.anchorTo = append(b.anchorTo, id)
		}
		if l.msg == "" && !strings.HasPrefix(l.dest, "/") {
			b.files = append(b.files, l.url)
		}
	}
	return b
}

// valid reports whether b is still p's body in s when rendered with md.
func (s *Site) valid(p *Page, md *markdown.Renderer, b *Body) bool {
	if b == nil || b.md != md || !b.sameSrc(p.File.Body) || b.terms != s.pageTermsKey(p) {
		return false
	}
	if b.resolved == s.targets {
		return true // every link resolves as it did
	}
	for _, l := range b.links {
		if u, msg, warn := s.Resolve(p, l.dest); u != l.url || msg != l.msg || warn != l.warn {
			return false
		}
	}
	b.resolved = s.targets
	return true
}

// sameSrc reports whether b was rendered from src.
func (b *Body) sameSrc(src []byte) bool {
	if b.src != nil || b.srcSum == ([32]byte{}) {
		return bytes.Equal(b.src, src)
	}
	if sha256.Sum256(src) != b.srcSum {
		return false
	}
	b.src = src
	return true
}

// linkTargets sums up what links resolve against (Resolve): the groups,
// the URL of each page, the drafts, the files of each folder. Two sites
// with the same sum resolve every link the same way.
func (s *Site) linkTargets() [32]byte {
	h := sha256.New()
	for _, g := range s.Groups {
		fmt.Fprintf(h, "%s/%s\x00", g.Section, g.Key)
		for _, code := range sortedCodes(g) {
			fmt.Fprintf(h, "%s %s\x00", code, g.Pages[code].URL)
		}
		for _, r := range g.Resources {
			fmt.Fprintf(h, "%s\x00", r.Name)
		}
		h.Write([]byte{1})
	}
	for _, d := range slices.Sorted(maps.Keys(s.drafts)) {
		fmt.Fprintf(h, "%s\x00", d)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// applyBody gives p its rendered body and the groups it links to.
func (s *Site) applyBody(p *Page, b *Body) {
	p.Body = b.html
	p.Text, p.Headings, p.Images = b.res.Text, b.res.Headings, b.res.Images
	p.anchors = b.anchors
	p.Links, p.Files = nil, nil
	for _, id := range b.groups {
		if s.byKey[id] != nil {
			p.Links = append(p.Links, id)
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
	if len(b.files) > 0 {
		for _, r := range p.Group.Resources {
			if slices.Contains(b.files, ResourceURL(r)) {
				p.Files = append(p.Files, r)
			}
		}
	}
}

// bodyProblems reports what is wrong in p's body: broken links, links to
// drafts, and #fragments that name no heading of their page. Call it once
// every page has its body, since fragments are looked up in other pages.
func (s *Site) bodyProblems(p *Page, b *Body, problems *diag.List) {
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
