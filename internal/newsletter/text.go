package newsletter

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Width is the plain text's line width.
const Width = 72

// text writes the plain-text edition: the same content as the HTML, each
// link numbered in the text and listed at the end.
func (c *content) text() []byte {
	d := c.html
	var b strings.Builder
	c.links = nil
	para := func(s, first, rest string) {
		b.WriteString(wrap(s, first, rest))
		b.WriteString("\n")
	}
	heading := func(s string, under rune) {
		para(s, "", "")
		n := min(utf8.RuneCountInString(s), Width)
		b.WriteString(strings.Repeat(string(under), max(n, 3)) + "\n\n")
	}
	heading(d.Title, '=')
	para(d.Date, "", "")
	b.WriteString("\n")
	if d.Sample != "" {
		para(d.Sample, "", "")
		b.WriteString("\n")
	}
	for _, bl := range c.intro {
		s := c.inlineText(bl.segs)
		switch bl.kind {
		case "h":
			heading(s, '-')
			continue
		case "li":
			para(s, "* ", "  ")
		case "quote":
			para(s, "> ", "> ")
		default:
			para(s, "", "")
		}
		b.WriteString("\n")
	}
	for _, t := range d.Topics {
		heading(t.Title, '-')
		for _, it := range t.Items {
			para(it.Title, "* ", "  ")
			para(it.Date, "  ", "  ")
			if it.Summary != "" {
				para(it.Summary, "  ", "  ")
			}
			para(fmt.Sprintf("%s [%d]", d.ReadMore, c.link(it.URL)), "  ", "  ")
			b.WriteString("\n")
		}
	}
	b.WriteString("-- \n")
	for _, e := range d.Emergency {
		para(e.Number+" "+e.Label, "", "  ")
	}
	if d.OnlineURL != "" {
		para(fmt.Sprintf("%s [%d]", d.Online, c.link(d.OnlineURL)), "", "")
	}
	para(d.Why, "", "")
	if d.UnsubscribeURL != "" {
		para(fmt.Sprintf("%s [%d]", d.Unsubscribe, c.link(d.UnsubscribeURL)), "", "")
	}
	b.WriteString("\n")
	for i, u := range c.links {
		fmt.Fprintf(&b, "[%d] %s\n", i+1, u)
	}
	return []byte(b.String())
}

// link returns the number of a URL in the list at the end.
func (c *content) link(u string) int {
	for i, l := range c.links {
		if l == u {
			return i + 1
		}
	}
	c.links = append(c.links, u)
	return len(c.links)
}

func (c *content) inlineText(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.text)
		if s.url != "" && !strings.HasPrefix(s.url, "#") {
			fmt.Fprintf(&b, " [%d]", c.link(s.url))
		}
	}
	return b.String()
}

// wrap breaks s into lines of at most Width characters (a longer word, such
// as a URL, gets a line of its own), the first line starting with first and
// the others with rest. Spaces, tabs and newlines separate words; a
// no-break space does not.
func wrap(s, first, rest string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' })
	var b strings.Builder
	line, n := first, utf8.RuneCountInString(first)
	empty := true
	for _, w := range words {
		wn := utf8.RuneCountInString(w)
		if !empty && n+1+wn > Width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line, n, empty = rest, utf8.RuneCountInString(rest), true
		}
		if !empty {
			line += " "
			n++
		}
		line += w
		n += wn
		empty = false
	}
	b.WriteString(strings.TrimRight(line, " "))
	return b.String()
}
