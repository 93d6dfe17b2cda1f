package site

import (
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"html/template"
	"io"
	"strings"

	"kb/internal/markdown"
)

// Keeping a BodyCache across processes (kb build saves it in .kb/cache/):
// Save writes its bodies, LoadBodyCache reads them back. A body read back
// is used only where valid finds it still right, exactly as one kept in
// memory: its Markdown (by SHA-256), its quotes, its glossary and its links' targets are
// saved with it. What is not in them, the code of kb (the renderer's
// output for given Markdown), the caller must key the file by. The
// paragraphs of a body (markdown.Result.Paragraphs) are not saved: nothing
// reads them from a body (kb check renders them itself).

// bodyFormat names the encoding; change it with storedBody.
const bodyFormat = "kb-bodies-2"

type storedBody struct {
	Path     string
	Quotes   string   // the renderer's key (BodyCache.renderer)
	SrcSum   [32]byte // SHA-256 of the Markdown: it is in content/ already
	HTML     []byte
	Text     string
	Headings []markdown.Heading
	Images   []markdown.Image
	Problems []markdown.Problem
	Terms    []markdown.TermUse
	Links    []storedLink
	TermsKey string
	Anchors  []string
	Resolved [32]byte
	Groups   []string
	Files    []string
	AnchorTo []string
}

type storedLink struct {
	Dest     string
	Line     int
	URL, Msg string
	Warn     bool
}

// Len is the number of bodies the cache holds.
func (c *BodyCache) Len() int { return len(c.bodies) }

// Save writes the cache's bodies to w, prefixed by id (what the caller keys
// them by: LoadBodyCache returns an empty cache for another id).
func (c *BodyCache) Save(w io.Writer, id []byte) error {
	keys := map[*markdown.Renderer]string{}
	for k, md := range c.md {
		keys[md] = k
	}
	enc := gob.NewEncoder(w)
	if err := enc.Encode(bodyFormat); err != nil {
		return err
	}
	if err := enc.Encode(id); err != nil {
		return err
	}
	if err := enc.Encode(len(c.bodies)); err != nil {
		return err
	}
	for path, b := range c.bodies {
		q, ok := keys[b.md]
		if !ok {
			continue // not one of this cache's renderers: cannot be named
		}
		if b.srcSum == ([32]byte{}) {
			b.srcSum = sha256.Sum256(b.src)
		}
		html, err := c.htmlOf(b)
		if err != nil {
			return err
		}
		text, err := c.textOf(b)
		if err != nil {
			return err
		}
		sb := storedBody{Path: path, Quotes: q, SrcSum: b.srcSum, HTML: []byte(html), Text: text,
			Headings: b.res.Headings, Images: b.res.Images, Problems: b.res.Problems, Terms: b.res.Terms,
			TermsKey: b.terms, Resolved: b.resolved, Groups: b.groups, Files: b.files, AnchorTo: b.anchorTo}
		for _, l := range b.links {
			sb.Links = append(sb.Links, storedLink{Dest: l.dest, Line: l.line, URL: l.url, Msg: l.msg, Warn: l.warn})
		}
		sb.Anchors = b.anchors.list()
		if err := enc.Encode(&sb); err != nil {
			return err
		}
	}
	return enc.Encode("end")
}

// LoadBodyCache reads a cache Save wrote with the same id. A file written
// with another id, of another format, torn or otherwise unreadable gives an
// empty cache and the error: the bodies are then rendered again.
func LoadBodyCache(r io.Reader, id []byte) (*BodyCache, error) {
	c := NewBodyCache()
	dec := gob.NewDecoder(r)
	var format string
	if err := dec.Decode(&format); err != nil {
		return c, err
	}
	if format != bodyFormat {
		return c, errors.New("bodies: format " + format)
	}
	var fileID []byte
	if err := dec.Decode(&fileID); err != nil {
		return c, err
	}
	if string(fileID) != string(id) {
		return c, errors.New("bodies: made by another kb")
	}
	var n int
	if err := dec.Decode(&n); err != nil {
		return c, err
	}
	bodies := make(map[string]*Body, n)
	for range n {
		var sb storedBody
		if err := dec.Decode(&sb); err != nil {
			return c, err
		}
		b := &Body{srcSum: sb.SrcSum, md: c.storedRenderer(sb.Quotes), terms: sb.TermsKey, resolved: sb.Resolved,
			groups: sb.Groups, files: sb.Files, anchorTo: sb.AnchorTo, anchors: makeIDSet(sb.Anchors)}
		b.res = markdown.Result{Text: sb.Text, Headings: sb.Headings, Images: sb.Images, Problems: sb.Problems, Terms: sb.Terms}
		b.html = template.HTML(sb.HTML) // kept once, as renderBody keeps it
		for _, l := range sb.Links {
			b.links = append(b.links, resolvedLink{dest: l.Dest, line: l.Line, url: l.URL, msg: l.Msg, warn: l.Warn})
		}
		bodies[sb.Path] = b
	}
	var end string
	if err := dec.Decode(&end); err != nil || end != "end" {
		return c, errors.New("bodies: torn file")
	}
	c.bodies = bodies
	return c, nil
}

// storedRenderer returns the renderer of a saved key: the one renderer
// would make for the quotes it was made from.
func (c *BodyCache) storedRenderer(k string) *markdown.Renderer {
	k, rtl := strings.CutPrefix(k, rtlKey)
	if k == "" {
		return c.renderer(nil, rtl)
	}
	return c.renderer(strings.Split(k, "\x00"), rtl)
}
