// Package markdown renders page bodies with one configured goldmark per
// language and returns the HTML, the plain text for search, the headings and
// the problems found (broken links), each with its line in the body.
//
// # Rules
//
//   - GFM (tables, strikethrough, autolinks, task lists) and footnotes.
//   - Raw HTML is shown as text, never rendered: editors write Markdown only.
//   - Heading ids are made from the heading text, keeping letters of every
//     script (Arabic, Cyrillic, Ge'ez), so they stay readable; repeats get
//     -1, -2. An editor can set one, so that translations share an anchor:
//     "## Compétence territoriale {#territorial-competence}".
//   - Quotes become the language's typographic quotes when its i18n file
//     sets them; otherwise straight quotes are kept.
//   - Every link and image destination goes through the caller's Resolve:
//     that is where kb turns /section/key into a URL and reports broken links.
//     External links get rel="noreferrer".
//   - javascript:, vbscript:, file: and data: destinations are removed, with
//     a warning at their line.
//   - A body over the limits of Limits (nesting, table columns, links) is
//     refused before parsing, since goldmark's time grows faster than its
//     size on such input.
//   - Glossary terms (RenderTerms): the first occurrence of each term in
//     the running text becomes a link to its definition, which the page
//     shows after the body; once per page, never in a heading, a link or
//     code (terms.go).
package markdown

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer renders Markdown for one language. It is safe for concurrent use.
type Renderer struct {
	md  goldmark.Markdown
	rtl bool // isolate left-to-right runs (bidi.go)
}

// RightToLeft returns a Renderer like r for a language written right to
// left: the runs of left-to-right text in its pages are isolated.
func (r *Renderer) RightToLeft() *Renderer { return &Renderer{md: r.md, rtl: true} }

// New returns a Renderer. quotes, when not empty, holds the opening and
// closing double and single quotes of the language.
func New(quotes []string) *Renderer {
	exts := []goldmark.Extender{extension.GFM, extension.Footnote}
	if len(quotes) == 4 {
		exts = append(exts, extension.NewTypographer(extension.WithTypographicSubstitutions(
			extension.TypographicSubstitutions{
				extension.LeftDoubleQuote:  []byte(quotes[0]),
				extension.RightDoubleQuote: []byte(quotes[1]),
				extension.LeftSingleQuote:  []byte(quotes[2]),
				extension.RightSingleQuote: []byte("’"), // also the apostrophe
				extension.EnDash:           []byte("–"),
				extension.EmDash:           []byte("—"),
				extension.Ellipsis:         []byte("…"),
				extension.LeftAngleQuote:   nil,
				extension.RightAngleQuote:  nil,
				extension.Apostrophe:       []byte("’"),
			})))
	}
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithHeadingAttribute()),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(escapeHTML{}, 10), util.Prioritized(termRenderer{}, 10), util.Prioritized(isolateRenderer{}, 10)),
		),
	)
	return &Renderer{md: md}
}

// Heading is a heading of the body.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Image is an image of the body, for editorial checks.
type Image struct {
	Line int
	Dest string
	Alt  string
}

// Problem is something wrong at a line of the body (1 = first body line).
type Problem struct {
	Line int
	Msg  string
	Hint string
	Warn bool // a warning: the page is still built
}

// Result is a rendered body.
type Result struct {
	HTML     []byte
	Text     string // plain text, for search
	Headings []Heading
	Images   []Image
	Problems []Problem
	Terms    []TermUse // glossary terms marked, in the order of the text
	// Paragraphs are the running text, for the plain-language checks.
	Paragraphs []Paragraph
}

// Resolve maps a link or image destination, written at a body line, to the
// URL to write. It returns an error message (and the destination is kept)
// when it cannot.
type Resolve func(dest string, line int) (url string, problem string)

// Render renders src. A body over the limits (see Limits) is not parsed:
// the result holds the problems only.
func (r *Renderer) Render(src []byte, resolve Resolve) Result {
	return r.RenderTerms(src, resolve, nil)
}

// RenderTerms renders src, marking the first occurrence of each term.
func (r *Renderer) RenderTerms(src []byte, resolve Resolve, terms []Term) Result {
	var res Result
	if res.Problems = Limits(src); len(res.Problems) > 0 {
		return res
	}
	ctx := parser.NewContext(parser.WithIDs(&ids{seen: map[string]int{}}))
	doc := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	lines := newLineIndex(src)
	lineAt := func(n ast.Node) int { return lineOf(lines, n) }
	cursor := 0 // offset of the last text walked
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			cursor = n.Segment.Start
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			res.Headings = append(res.Headings, Heading{Level: n.Level, ID: string(idb), Text: plain(n, src)})
		case *ast.Link:
			n.Destination = r.link(n.Destination, n, lineAt, resolve, &res)
		case *ast.Image:
			res.Images = append(res.Images, Image{Line: lineAt(n), Dest: string(n.Destination), Alt: plain(n, src)})
			n.Destination = r.link(n.Destination, n, lineAt, resolve, &res)
		case *ast.AutoLink:
			n.SetAttributeString("rel", []byte("noreferrer"))
			if dropped(n.URL(src)) {
				// An autolink has no position: find its text after the
				// last text seen, which comes before it in the page.
				line := lineAt(n)
				if i := bytes.Index(src[cursor:], n.Label(src)); i >= 0 {
					line = lines.line(cursor + i)
				}
				res.Problems = append(res.Problems, droppedProblem(n.URL(src), line))
			}
		}
		return ast.WalkContinue, nil
	})
	res.Terms = markTerms(doc, src, terms)
	if r.rtl {
		isolateLTR(doc, src)
	}
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, src, doc); err != nil {
		res.Problems = append(res.Problems, Problem{Line: 1, Msg: "cannot render: " + err.Error()})
	}
	res.HTML = buf.Bytes()
	res.Text = plain(doc, src)
	res.Paragraphs = paragraphs(doc, src)
	return res
}

func (r *Renderer) link(dest []byte, n ast.Node, lineAt func(ast.Node) int, resolve Resolve, res *Result) []byte {
	d := string(dest)
	if dropped(dest) {
		res.Problems = append(res.Problems, droppedProblem(dest, lineAt(n)))
		return nil
	}
	if isExternal(d) {
		if _, ok := n.(*ast.Link); ok {
			n.SetAttributeString("rel", []byte("noreferrer"))
		}
		return dest
	}
	if strings.HasPrefix(d, "#") || resolve == nil {
		return dest
	}
	line := lineAt(n)
	url, problem := resolve(d, line)
	if problem != "" {
		res.Problems = append(res.Problems, Problem{Line: line, Msg: problem})
		return dest
	}
	return []byte(url)
}

// isExternal reports whether d starts with a URL scheme (https:, mailto:).
func isExternal(d string) bool {
	for i, r := range d {
		switch {
		case r == ':':
			return i > 0
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && ('0' <= r && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return false
}

// dropped reports whether goldmark's renderer would empty a destination
// (javascript:, vbscript:, file:, data:), or kb does (data: images too:
// every image of a page is a file of its folder).
func dropped(dest []byte) bool {
	return html.IsDangerousURL(dest) || len(dest) >= 5 && strings.EqualFold(string(dest[:5]), "data:")
}

func droppedProblem(dest []byte, line int) Problem {
	scheme, _, _ := strings.Cut(string(dest), ":")
	return Problem{Line: line, Warn: true, Msg: "link " + strings.ToLower(scheme) + ": removed: a page carries no scripts or embedded data",
		Hint: "link a page (/fiches/key), a web address (https://…) or a file of the page's folder"}
}

// lineIndex maps a byte offset to its line in O(log n), so that finding the
// lines of every link stays linear in the size of the page.
type lineIndex []int // offsets of the newlines

func newLineIndex(src []byte) lineIndex {
	var idx lineIndex
	for i, c := range src {
		if c == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

func (idx lineIndex) line(off int) int {
	n, _ := slices.BinarySearch(idx, off)
	return n + 1
}

// lineOf returns the body line of an inline or block node.
func lineOf(idx lineIndex, n ast.Node) int {
	for c := n; c != nil; c = c.Parent() {
		if t := firstText(c); t != nil {
			return idx.line(t.Segment.Start)
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return idx.line(c.Lines().At(0).Start)
		}
	}
	return 1
}

func firstText(n ast.Node) *ast.Text {
	if t, ok := n.(*ast.Text); ok {
		return t
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t := firstText(c); t != nil {
			return t
		}
	}
	return nil
}

// plain returns the text of n, with blocks separated by newlines.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		switch c := c.(type) {
		case *ast.Text:
			if entering {
				b.Write(c.Segment.Value(src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(c.Value)
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if entering {
				for i := 0; i < c.Lines().Len(); i++ {
					seg := c.Lines().At(i)
					b.Write(seg.Value(src))
				}
			}
		case *ast.RawHTML:
			if entering {
				for i := 0; i < c.Segments.Len(); i++ {
					seg := c.Segments.At(i)
					b.Write(seg.Value(src))
				}
			}
		default:
			if c.Type() == ast.TypeBlock && !entering && b.Len() > 0 {
				b.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// ids makes heading ids that keep the letters of every script.
type ids struct {
	seen map[string]int
}

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range string(value) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	if n, ok := s.seen[id]; ok {
		s.seen[id] = n + 1
		id = id + "-" + strconv.Itoa(n+1)
	} else {
		s.seen[id] = 0
	}
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.seen[string(value)] = 0 }

// escapeHTML renders raw HTML as text: editors write Markdown, and a page
// must never carry markup or script that did not come from the templates.
type escapeHTML struct{}

func (escapeHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	// The writes' errors are ignored, as in goldmark's own renderers: w is a
	// bufio.Writer whose error sticks and is returned when Render flushes it.
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				s := segs.At(i)
				_, _ = w.Write(util.EscapeHTML(s.Value(src)))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			b := n.(*ast.HTMLBlock)
			_, _ = w.WriteString("<p>")
			for i := 0; i < b.Lines().Len(); i++ {
				s := b.Lines().At(i)
				_, _ = w.Write(util.EscapeHTML(s.Value(src)))
			}
			if b.HasClosure() {
				_, _ = w.Write(util.EscapeHTML(b.ClosureLine.Value(src)))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
