package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Paragraph is the running text of a paragraph (in a list item or a quote
// too; not headings, tables or code), for the plain-language checks.
type Paragraph struct {
	Line  int    // body line of its first line
	Text  string // soft line breaks as newlines
	Lines []int  // byte offsets in Text where each next body line starts
}

// LineAt returns the body line of a byte offset of Text.
func (p Paragraph) LineAt(off int) int {
	n := 0
	for _, o := range p.Lines {
		if o <= off {
			n++
		}
	}
	return p.Line + n
}

func paragraphs(doc ast.Node, src []byte) []Paragraph {
	var out []Paragraph
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock:
		case ast.KindHeading, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		default:
			return ast.WalkContinue, nil
		}
		if n.Lines().Len() == 0 {
			return ast.WalkSkipChildren, nil
		}
		first := n.Lines().At(0).Start
		p := Paragraph{Line: bytes.Count(src[:first], []byte("\n")) + 1}
		var b strings.Builder
		line := p.Line
		ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering {
				return ast.WalkContinue, nil
			}
			switch c := c.(type) {
			case *ast.Text:
				if l := bytes.Count(src[:c.Segment.Start], []byte("\n")) + 1; l > line {
					for ; line < l; line++ {
						p.Lines = append(p.Lines, b.Len())
					}
				}
				b.Write(c.Segment.Value(src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte('\n')
				}
			case *ast.String:
				b.Write(c.Value)
			}
			return ast.WalkContinue, nil
		})
		p.Text = b.String()
		out = append(out, p)
		return ast.WalkSkipChildren, nil
	})
	return out
}
