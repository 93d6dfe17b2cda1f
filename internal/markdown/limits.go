package markdown

import (
	"bytes"
	"fmt"
)

// Limits on a body, checked before parsing: goldmark's time grows with the
// square of the nesting depth and of a table's columns times rows, so a
// hostile or broken page could take minutes. They are far above any real
// page; CONTENT.md documents them.
const (
	MaxNesting      = 32   // lists and quotes inside each other, on one line
	MaxTableColumns = 64   // | on one line
	MaxLinks        = 2000 // links, images, footnotes and web addresses in a page
)

// Limits returns the problems of a body over the limits, at most one of
// each kind, each at its first line. It runs in one pass over src.
func Limits(src []byte) []Problem {
	var probs []Problem
	nesting, columns := false, false
	links := 0
	line := 0
	for len(src) > 0 {
		line++
		l := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if !nesting && depth(l) > MaxNesting {
			nesting = true
			probs = append(probs, Problem{Line: line, Msg: fmt.Sprintf("lists and quotes nested more than %d deep", MaxNesting),
				Hint: "a reader cannot follow that many levels: flatten the list"})
		}
		if !columns && bytes.Count(l, []byte("|")) > MaxTableColumns+1 {
			columns = true
			probs = append(probs, Problem{Line: line, Msg: fmt.Sprintf("more than %d | on one line: a table may have at most %d columns", MaxTableColumns+1, MaxTableColumns),
				Hint: "split the table"})
		}
		if links <= MaxLinks {
			links += countLinks(l)
			if links > MaxLinks {
				probs = append(probs, Problem{Line: line, Msg: fmt.Sprintf("more than %d links, images and footnotes in one page", MaxLinks),
					Hint: "split the page"})
			}
		}
	}
	return probs
}

// countLinks bounds the links of a line from above: every link, image,
// footnote and reference (even a bare [a] with its definition elsewhere)
// opens with [, and a web address has :// or www.
func countLinks(l []byte) int {
	return bytes.Count(l, []byte("[")) + bytes.Count(l, []byte("://")) + bytes.Count(l, []byte("www.")) - bytes.Count(l, []byte("://www."))
}

// depth counts the block quote and list markers that open a line, plus
// half its indentation when it has any: an upper bound of the line's
// nesting. A line with no marker (a paragraph, indented code) counts 0.
func depth(l []byte) int {
	markers, cols := 0, 0
	for i := 0; i < len(l); {
		switch c := l[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4 - cols%4
			i++
		case c == '>':
			markers++
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t'):
			markers++
			i++
		case '0' <= c && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && '0' <= l[j] && l[j] <= '9' {
				j++
			}
			if j < len(l) && (l[j] == '.' || l[j] == ')') && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t') {
				markers++
				i = j + 1
				continue
			}
			return count(markers, cols)
		default:
			return count(markers, cols)
		}
	}
	return count(markers, cols)
}

func count(markers, cols int) int {
	if markers == 0 {
		return 0
	}
	return markers + cols/2
}
