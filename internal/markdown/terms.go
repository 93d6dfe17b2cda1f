package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Term is a glossary entry of the page's language: the words that name it
// (the title first, then other forms such as an abbreviation) and the id of
// its definition in the page.
type Term struct {
	Key   string   // the glossary key, e.g. "cpas"
	Words []string // e.g. "CPAS", "OCMW", "centre public d'action sociale"
}

// TermUse is a term marked in the body.
type TermUse struct {
	Key  string
	Line int
}

// TermID is the id of a term's definition in a page; the mark links to it.
func TermID(key string) string { return "def-" + key }

// KindTerm is the inline node of a marked term.
var KindTerm = ast.NewNodeKind("Term")

type termNode struct {
	ast.BaseInline
	key string
}

func (n *termNode) Kind() ast.NodeKind { return KindTerm }

func (n *termNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Key": n.key}, nil)
}

// termRenderer writes a marked term as a link to its definition, which the
// page shows after the body (a footnote that needs no script); a screen
// reader reads the definition as the link's description.
type termRenderer struct{}

func (termRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	// The writes' errors are ignored, as in goldmark's own renderers: w is a
	// bufio.Writer whose error sticks and is returned when Render flushes it.
	reg.Register(KindTerm, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		id := TermID(n.(*termNode).key)
		if entering {
			_, _ = w.WriteString(`<a class="term" href="#` + id + `" aria-describedby="` + id + `">`)
		} else {
			_, _ = w.WriteString("</a>")
		}
		return ast.WalkContinue, nil
	})
}

// markTerms marks the first occurrence of each term in the running text:
// once per page, never in a heading, a link, an image or code. Words match
// whole (no letter or digit on either side); an all-capitals word (CPAS)
// matches its case, others match in any case.
func markTerms(doc ast.Node, src []byte, terms []Term) []TermUse {
	if len(terms) == 0 {
		return nil
	}
	var texts []*ast.Text
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading, *ast.Link, *ast.AutoLink, *ast.Image, *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			// The parser splits running text at characters that may start
			// an inline (a space, for autolinks): join what is contiguous.
			if prev, ok := n.PreviousSibling().(*ast.Text); ok && len(texts) > 0 && texts[len(texts)-1] == prev &&
				prev.Segment.Stop == n.Segment.Start && !prev.SoftLineBreak() && !prev.HardLineBreak() && !prev.IsRaw() && !n.IsRaw() {
				prev.Segment = text.NewSegment(prev.Segment.Start, n.Segment.Stop)
				prev.SetSoftLineBreak(n.SoftLineBreak())
				prev.SetHardLineBreak(n.HardLineBreak())
				n.Segment = text.NewSegment(n.Segment.Stop, n.Segment.Stop)
				n.SetSoftLineBreak(false)
				n.SetHardLineBreak(false)
				return ast.WalkContinue, nil
			}
			texts = append(texts, n)
		}
		return ast.WalkContinue, nil
	})
	done := make([]bool, len(terms))
	var uses []TermUse
	idx := newLineIndex(src)
	for _, t := range texts {
		for t != nil {
			value := t.Segment.Value(src)
			best, at, size := -1, len(value), 0
			for i, term := range terms {
				if done[i] {
					continue
				}
				for _, w := range term.Words {
					if p := findWord(value, w); p >= 0 && (p < at || p == at && len(w) > size) {
						best, at, size = i, p, len(w)
					}
				}
			}
			if best < 0 {
				break
			}
			done[best] = true
			uses = append(uses, TermUse{Key: terms[best].Key, Line: lineOf(idx, t)})
			t = splitTerm(t, at, size, terms[best].Key)
		}
	}
	return uses
}

// splitTerm replaces the bytes [at, at+size) of t's segment by a term node
// and returns the text after it (nil when empty).
func splitTerm(t *ast.Text, at, size int, key string) *ast.Text {
	parent := t.Parent()
	seg := t.Segment
	mid := ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Start+at+size))
	node := &termNode{key: key}
	node.AppendChild(node, mid)
	// The text after the term keeps the line break (it may be empty).
	after := ast.NewTextSegment(text.NewSegment(seg.Start+at+size, seg.Stop))
	after.SetSoftLineBreak(t.SoftLineBreak())
	after.SetHardLineBreak(t.HardLineBreak())
	if at > 0 {
		t.Segment = text.NewSegment(seg.Start, seg.Start+at)
		t.SetSoftLineBreak(false)
		t.SetHardLineBreak(false)
		parent.InsertAfter(parent, t, node)
	} else {
		parent.ReplaceChild(parent, t, node)
	}
	parent.InsertAfter(parent, node, after)
	if after.Segment.Len() == 0 {
		return nil
	}
	return after
}

// findWord returns the byte offset of the first whole-word occurrence of w
// in s, or -1. It allocates nothing: it runs for every term on every text.
func findWord(s []byte, w string) int {
	if w == "" {
		return -1
	}
	if strings.ToUpper(w) == w {
		// An acronym (or a word without case, e.g. Arabic): exact bytes.
		for off := 0; ; {
			i := bytes.Index(s[off:], []byte(w))
			if i < 0 {
				return -1
			}
			i += off
			if boundaryBefore(s, i) && boundaryAfter(s, i+len(w)) {
				return i
			}
			_, n := utf8.DecodeRune(s[i:])
			off = i + n
		}
	}
	first, _ := utf8.DecodeRuneInString(w)
	lf, uf := unicode.ToLower(first), unicode.ToUpper(first)
	for i := 0; i+len(w) <= len(s); {
		r, n := utf8.DecodeRune(s[i:])
		if (r == lf || r == uf || r == first) && bytes.EqualFold(s[i:i+len(w)], []byte(w)) && boundaryBefore(s, i) && boundaryAfter(s, i+len(w)) {
			return i
		}
		i += n
	}
	return -1
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

func boundaryBefore(s []byte, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRune(s[:i])
	return !wordRune(r)
}

func boundaryAfter(s []byte, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRune(s[i:])
	return !wordRune(r)
}

// HasWord reports whether s holds w as a whole word, matched as terms are.
func HasWord(s, w string) bool { return findWord([]byte(s), w) >= 0 }
