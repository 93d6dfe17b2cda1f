package markdown

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/bidi"
)

// Left-to-right runs in right-to-left pages. An Arabic or Persian page
// often names a Belgian institution or quotes a French term: «aide
// médicale urgente» (AMU). Without help the browser's bidi algorithm joins
// the guillemets and the parenthesis to the Latin run, and the reader sees
// them in the wrong places. Each run of left-to-right text, from its first
// strong left-to-right letter to its last, is isolated in a <bdi>: inside
// it the run keeps its own order, and the punctuation around it follows
// the page. A run goes across emphasis and links (isolating each text node
// alone would reverse the words of "aide *médicale* urgente"); an inline
// element holding both directions is a boundary, and its inside is
// isolated the same way.

// KindIsolate is the inline node of an isolated left-to-right run.
var KindIsolate = ast.NewNodeKind("Isolate")

type isolateNode struct{ ast.BaseInline }

func (n *isolateNode) Kind() ast.NodeKind { return KindIsolate }
func (n *isolateNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

type isolateRenderer struct{}

func (isolateRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindIsolate, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<bdi>")
		} else {
			_, _ = w.WriteString("</bdi>")
		}
		return ast.WalkContinue, nil
	})
}

// dirs says which strong directions a piece of text holds, and whether it
// holds a bracket or a quote (strong).
type dirs struct{ ltr, rtl, brk bool }

func (d dirs) add(e dirs) dirs { return dirs{d.ltr || e.ltr, d.rtl || e.rtl, d.brk || e.brk} }

func textDirs(b []byte) dirs {
	var d dirs
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		switch strong(r) {
		case 1:
			d.ltr = true
		case -1:
			d.rtl = true
		case 2:
			d.brk = true
		}
	}
	return d
}

// strong is 1 for a strong left-to-right rune, -1 for a strong
// right-to-left one, 2 for a bracket or double quote, 0 for the others
// (digits, other punctuation, spaces). A bracket or quote ends a run: it
// belongs to the page's direction, around the run («aide médicale»).
func strong(r rune) int {
	switch r {
	case '(', ')', '[', ']', '{', '}', '«', '»', '‹', '›', '“', '”', '„', '"':
		return 2
	}
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.L:
		return 1
	case bidi.R, bidi.AL:
		return -1
	}
	return 0
}

// nodeDirs is what n's text holds, code and link text included.
func nodeDirs(n ast.Node, src []byte) dirs {
	var d dirs
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			d = d.add(textDirs(c.Segment.Value(src)))
		case *ast.String:
			d = d.add(textDirs(c.Value))
		case *ast.AutoLink:
			d = d.add(textDirs(c.Label(src)))
		case *ast.Image:
			return ast.WalkSkipChildren, nil // its alt text is not shown
		}
		return ast.WalkContinue, nil
	})
	return d
}

// isolateLTR isolates the left-to-right runs of every block of doc.
func isolateLTR(doc ast.Node, src []byte) {
	var blocks []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Type() == ast.TypeBlock && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline {
			blocks = append(blocks, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, b := range blocks {
		isolateRuns(b, src)
	}
}

// isolateRuns isolates the runs among the inline children of parent.
func isolateRuns(parent ast.Node, src []byte) {
	// Text nodes are cut where the direction changes, so that a run can
	// start and end inside one.
	for c := parent.FirstChild(); c != nil; {
		next := c.NextSibling()
		if t, ok := c.(*ast.Text); ok {
			splitText(parent, t, src)
		}
		c = next
	}
	var kids []ast.Node
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		kids = append(kids, c)
	}
	first, last := -1, -1
	wrap := func() {
		if first >= 0 {
			iso := &isolateNode{}
			parent.InsertBefore(parent, kids[first], iso)
			for _, k := range kids[first : last+1] {
				parent.RemoveChild(parent, k)
				iso.AppendChild(iso, k)
			}
		}
		first, last = -1, -1
	}
	for i, k := range kids {
		var d dirs
		switch k.(type) {
		case *ast.Image, *ast.RawHTML:
		default:
			d = nodeDirs(k, src)
		}
		switch {
		case d.ltr && d.rtl:
			// Both inside: a boundary here, and its own runs inside.
			wrap()
			if k.FirstChild() != nil && k.FirstChild().Type() == ast.TypeInline {
				isolateRuns(k, src)
			}
		case d.rtl, d.brk && !d.ltr:
			wrap()
		case d.ltr:
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	wrap()
}

// splitText cuts t into pieces so that each run of left-to-right text, from
// a strong left-to-right rune to the last one before right-to-left text, a
// bracket, a quote or the end, is a piece of its own: the spaces and
// punctuation around a run stay outside it.
func splitText(parent ast.Node, t *ast.Text, src []byte) {
	seg := t.Segment
	b := seg.Value(src)
	cuts := ltrRuns(b)
	if len(cuts) == 0 || len(cuts) == 2 && cuts[0] == 0 && cuts[1] == len(b) {
		return // no run, or one run that is the whole text
	}
	from := 0
	var pieces []*ast.Text
	for _, c := range append(cuts, len(b)) {
		if c <= from {
			continue
		}
		p := ast.NewTextSegment(text.NewSegment(seg.Start+from, seg.Start+c))
		p.SetRaw(t.IsRaw())
		pieces = append(pieces, p)
		from = c
	}
	last := pieces[len(pieces)-1]
	last.SetSoftLineBreak(t.SoftLineBreak())
	last.SetHardLineBreak(t.HardLineBreak())
	for _, p := range pieces {
		parent.InsertBefore(parent, t, p)
	}
	parent.RemoveChild(parent, t)
}

// ltrRuns returns the start and end offsets in b of each run of
// left-to-right text: from a strong left-to-right rune to the last one
// before right-to-left text, a bracket, a quote or the end. A number
// written against the run's first or last letter, with no space between
// (9ter, COVID-19), belongs to it: the browser keeps such a number with its
// letters, and a <bdi> between them would show "ter9".
func ltrRuns(b []byte) []int {
	var cuts []int
	start, lastL := -1, -1
	end := func() {
		if start >= 0 {
			cuts = append(cuts, start, lastL+numberAt(b[lastL:]))
		}
		start = -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch strong(r) {
		case 1:
			if start < 0 {
				from := 0
				if len(cuts) > 0 {
					from = cuts[len(cuts)-1]
				}
				start = i - numberBefore(b[from:i])
			}
			lastL = i + n
		case -1, 2:
			end()
		}
		i += n
	}
	end()
	return cuts
}

// numberAt is the length of the number b starts with: digits, and a
// separator (1.5, 19-20) only between two digits.
func numberAt(b []byte) int {
	n := 0
	for n < len(b) {
		r, k := utf8.DecodeRune(b[n:])
		switch class(r) {
		case bidi.EN:
			n += k
			continue
		case bidi.ES, bidi.CS:
			if n == 0 && len(b) > k {
				// A joiner right after the letters (COVID-19).
				if r2, _ := utf8.DecodeRune(b[k:]); class(r2) == bidi.EN {
					n += k
					continue
				}
			} else if n > 0 && n+k < len(b) {
				if r2, _ := utf8.DecodeRune(b[n+k:]); class(r2) == bidi.EN {
					n += k
					continue
				}
			}
		}
		break
	}
	return n
}

// numberBefore is the length of the number b ends with, digits written
// right against the letters that follow (9ter, 1.5mg).
func numberBefore(b []byte) int {
	n := len(b)
	for n > 0 {
		r, k := utf8.DecodeLastRune(b[:n])
		switch class(r) {
		case bidi.EN:
			n -= k
			continue
		case bidi.ES, bidi.CS:
			if n < len(b) && n-k > 0 {
				if r2, _ := utf8.DecodeLastRune(b[:n-k]); class(r2) == bidi.EN {
					n -= k
					continue
				}
			}
		}
		break
	}
	return len(b) - n
}

func class(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// IsolateText writes plain text (a title, a summary) of a right-to-left
// page as HTML, each left-to-right run in a <bdi> as in a body. The rest
// is escaped as html/template escapes text, so that text without a run
// comes out as the template would write it. It is for the text of an
// element only: markup is wrong in <title>, an attribute, JSON or a feed.
func IsolateText(s string) string {
	cuts := ltrRuns([]byte(s))
	if len(cuts) == 0 {
		return EscapeText(s)
	}
	var w strings.Builder
	from := 0
	for i := 0; i < len(cuts); i += 2 {
		w.WriteString(textEscaper.Replace(s[from:cuts[i]]))
		w.WriteString("<bdi>")
		w.WriteString(textEscaper.Replace(s[cuts[i]:cuts[i+1]]))
		w.WriteString("</bdi>")
		from = cuts[i+1]
	}
	w.WriteString(textEscaper.Replace(s[from:]))
	return w.String()
}

// EscapeText escapes s as html/template escapes a string in text.
func EscapeText(s string) string { return textEscaper.Replace(s) }

var textEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")
