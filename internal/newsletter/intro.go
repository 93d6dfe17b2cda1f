package newsletter

import (
	"bytes"
	"html/template"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Inline styles of the intro's elements: many mail clients drop <style>.
var introStyles = map[atom.Atom]string{
	atom.P:          "margin:0 0 12px 0;",
	atom.H2:         "margin:16px 0 8px 0;font-size:20px;line-height:1.3;",
	atom.H3:         "margin:12px 0 6px 0;font-size:18px;line-height:1.3;",
	atom.Ul:         "margin:0 0 12px 0;padding:0 0 0 24px;",
	atom.Ol:         "margin:0 0 12px 0;padding:0 0 0 24px;",
	atom.Li:         "margin:0 0 4px 0;",
	atom.Blockquote: "margin:0 0 12px 0;padding:0 12px;border-left:3px solid #d0d0d0;",
	atom.A:          "color:#0b4f8a;",
}

// rtlStyles mirrors introStyles for a right-to-left edition, where lists
// and quotes start on the right.
var rtlStyles = strings.NewReplacer("padding:0 0 0 24px;", "padding:0 24px 0 0;", "border-left:", "border-right:")

// block is a paragraph of the plain text: a kind and inline segments.
type block struct {
	kind string // p, h, li, quote
	segs []segment
}

// segment is text, or the text of a link and its URL.
type segment struct{ text, url string }

// convertIntro rewrites the rendered intro for e-mail: links absolute and
// tagged, inline styles, images replaced by their text. It also returns the
// intro as plain-text blocks. dir is the edition's direction (ltr, rtl).
func convertIntro(body, base, key, dir string) (template.HTML, []block) {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(body), root)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(body)), nil
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	rewrite(root, base, key, dir == "rtl")
	var buf bytes.Buffer
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		html.Render(&buf, c)
	}
	var blocks []block
	collect(root, "p", &blocks)
	// The HTML was made by kb's Markdown renderer and only rewritten here.
	return template.HTML(buf.String()), blocks
}

func rewrite(n *html.Node, base, key string, rtl bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Iframe, atom.Script, atom.Style, atom.Link, atom.Object, atom.Embed:
				// No remote content in an e-mail: keep the words only.
				if alt := attr(c, "alt"); alt != "" {
					n.InsertBefore(&html.Node{Type: html.TextNode, Data: alt}, c)
				}
				n.RemoveChild(c)
				c = next
				continue
			case atom.A:
				setAttr(c, "href", absURL(attr(c, "href"), base, key))
			}
			if st, ok := introStyles[c.DataAtom]; ok {
				if rtl {
					st = rtlStyles.Replace(st)
				}
				setAttr(c, "style", st)
			}
			rewrite(c, base, key, rtl)
		}
		c = next
	}
}

// absURL makes a root-relative link absolute and tags links to the site.
func absURL(u, base, key string) string {
	if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
		u = base + u
	}
	if onSite(u, base) {
		return Tag(u, key)
	}
	return u
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, name, val string) {
	for i, a := range n.Attr {
		if a.Key == name {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: name, Val: val})
}

// collect turns block elements into plain-text blocks.
func collect(n *html.Node, kind string, out *[]block) {
	var cur *block
	flush := func() {
		if cur != nil && strings.TrimSpace(joinText(cur.segs)) != "" {
			*out = append(*out, *cur)
		}
		cur = nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		k := ""
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.P, atom.Div, atom.Table, atom.Tr, atom.Td, atom.Th, atom.Pre:
				k = kind
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				k = "h"
			case atom.Li:
				k = "li"
			case atom.Blockquote:
				k = "quote"
			case atom.Ul, atom.Ol, atom.Dl:
				k = kind
			}
		}
		if k != "" {
			flush()
			if hasBlocks(c) {
				collect(c, k, out)
			} else {
				b := block{kind: k}
				inline(c, &b.segs)
				cur = &b
				flush()
			}
			continue
		}
		if cur == nil {
			cur = &block{kind: kind}
		}
		inline(c, &cur.segs)
	}
	flush()
}

func hasBlocks(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.P, atom.Ul, atom.Ol, atom.Li, atom.Blockquote, atom.Div, atom.Table, atom.Tr, atom.Td, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Pre:
				return true
			}
		}
	}
	return false
}

func inline(n *html.Node, segs *[]segment) {
	switch {
	case n.Type == html.TextNode:
		*segs = append(*segs, segment{text: n.Data})
	case n.Type == html.ElementNode && n.DataAtom == atom.Br:
		*segs = append(*segs, segment{text: "\n"})
	case n.Type == html.ElementNode && n.DataAtom == atom.A:
		var inner []segment
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inline(c, &inner)
		}
		*segs = append(*segs, segment{text: joinText(inner), url: attr(n, "href")})
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inline(c, segs)
		}
	}
}

func joinText(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.text)
	}
	return b.String()
}
