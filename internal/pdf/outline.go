package pdf

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Chromium (m156) takes the outline's titles from the laid-out text, so a
// right-to-left heading comes out in visual order: "اتصل بالرقم 112" is
// written "112 بالرقم اتصل", and a reader or screen reader shows it so.
// fixOutline writes each outline item's title again from the headings of
// the printed HTML, in document (logical) order, and rebuilds the
// cross-reference table. It relies on what Skia writes: a classic xref
// table and uncompressed outline dictionaries. When the file is not as
// expected, or the items do not match the headings one for one, it returns
// the PDF unchanged.

var (
	headingRe = regexp.MustCompile(`(?s)<h([1-6])\b[^>]*>(.*?)</h[1-6]>`)
	tagRe     = regexp.MustCompile(`(?s)<[^>]*>`)
	startxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	refRe     = func(key string) *regexp.Regexp { return regexp.MustCompile(`/` + key + ` (\d+) 0 R`) }
	rootRe    = refRe("Root")
	outRe     = refRe("Outlines")
	firstRe   = refRe("First")
	nextRe    = refRe("Next")
	titleRe   = regexp.MustCompile(`/Title (?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))`)
)

// headings returns the text of the headings of an HTML document, in order.
func headings(doc []byte) []string {
	var out []string
	for _, m := range headingRe.FindAllSubmatch(doc, -1) {
		t := html.UnescapeString(tagRe.ReplaceAllString(string(m[2]), ""))
		out = append(out, strings.Join(strings.Fields(t), " "))
	}
	return out
}

func fixOutline(data []byte, titles []string) []byte {
	out, err := rewriteOutline(data, titles)
	if err != nil {
		return data
	}
	return out
}

type object struct {
	num      int
	off, end int
	gen      string // the generation number, kept on output
}

func rewriteOutline(data []byte, titles []string) ([]byte, error) {
	m := startxref.FindSubmatch(data)
	if m == nil {
		return nil, fmt.Errorf("no startxref")
	}
	xrefAt, _ := strconv.Atoi(string(m[1]))
	if xrefAt <= 0 || xrefAt >= len(data) || !bytes.HasPrefix(data[xrefAt:], []byte("xref")) {
		return nil, fmt.Errorf("no classic xref table")
	}
	lines := strings.Split(string(data[xrefAt:]), "\n")
	var first, count int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &count); err != nil || first != 0 || len(lines) < 2+count {
		return nil, fmt.Errorf("xref subsection: %q", lines[1])
	}
	entries := lines[2 : 2+count]
	var objs []*object
	byNum := map[int]*object{}
	for i, e := range entries {
		f := strings.Fields(e)
		if len(f) != 3 || f[2] != "n" {
			continue
		}
		off, err := strconv.Atoi(f[0])
		if err != nil || off <= 0 || off >= xrefAt {
			return nil, fmt.Errorf("xref entry %q", e)
		}
		o := &object{num: i, off: off, gen: f[1]}
		objs = append(objs, o)
		byNum[i] = o
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].off < objs[j].off })
	for i, o := range objs {
		o.end = xrefAt
		if i+1 < len(objs) {
			o.end = objs[i+1].off
		}
	}
	trailer := data[xrefAt:]
	ref := func(re *regexp.Regexp, b []byte) *object {
		if m := re.FindSubmatch(b); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			return byNum[n]
		}
		return nil
	}
	body := func(o *object) []byte { return data[o.off:o.end] }
	root := ref(rootRe, trailer)
	if root == nil {
		return nil, fmt.Errorf("no root")
	}
	outlines := ref(outRe, body(root))
	if outlines == nil {
		return nil, fmt.Errorf("no outline")
	}
	// The items in document order: depth first, as the headings come.
	var items []*object
	seen := map[*object]bool{}
	var walk func(o *object) error
	walk = func(o *object) error {
		for o != nil {
			if seen[o] || len(items) > len(titles) {
				return fmt.Errorf("outline loop or too many items")
			}
			seen[o] = true
			items = append(items, o)
			if err := walk(ref(firstRe, body(o))); err != nil {
				return err
			}
			o = ref(nextRe, body(o))
		}
		return nil
	}
	if err := walk(ref(firstRe, body(outlines))); err != nil {
		return nil, err
	}
	if len(items) != len(titles) {
		return nil, fmt.Errorf("%d outline items for %d headings", len(items), len(titles))
	}
	newBody := map[*object][]byte{}
	for i, o := range items {
		b := body(o)
		loc := titleRe.FindIndex(b)
		if loc == nil {
			return nil, fmt.Errorf("object %d has no title", o.num)
		}
		nb := append(append(append([]byte(nil), b[:loc[0]]...), "/Title "+pdfString(titles[i])...), b[loc[1]:]...)
		newBody[o] = nb
	}

	var buf bytes.Buffer
	buf.Write(data[:objs[0].off])
	offs := map[int]int{}
	for _, o := range objs {
		offs[o.num] = buf.Len()
		if nb, ok := newBody[o]; ok {
			buf.Write(nb)
		} else {
			buf.Write(body(o))
		}
	}
	newXref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n", count)
	for i, e := range entries {
		if o, ok := byNum[i]; ok {
			fmt.Fprintf(&buf, "%010d %s n \n", offs[o.num], o.gen)
		} else {
			buf.WriteString(e + "\n")
		}
	}
	tr := strings.Join(lines[2+count:], "\n")
	end := strings.LastIndex(tr, "startxref")
	if end < 0 {
		return nil, fmt.Errorf("no trailer")
	}
	buf.WriteString(tr[:end])
	fmt.Fprintf(&buf, "startxref\n%d\n%%%%EOF\n", newXref)
	return buf.Bytes(), nil
}

// pdfString is a PDF text string: UTF-16BE with a byte order mark, in hex.
func pdfString(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2+2*len(u))
	b[0], b[1] = 0xfe, 0xff
	for i, c := range u {
		b[2+2*i], b[3+2*i] = byte(c>>8), byte(c)
	}
	return "<" + strings.ToUpper(hex.EncodeToString(b)) + ">"
}
