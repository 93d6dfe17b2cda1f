package spip

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The converter works in stages over the whole text: pick the <multi>
// language, take code out (its content is literal), reduce the common HTML
// tags to SPIP shortcuts, take notes and quotations out, then cut the text
// into blocks (paragraphs, list items, tables, headings) and convert the
// inline shortcuts of each. What was taken out waits in the text as a token
// (private-use characters) and is put back at the end.

const (
	tokOpen     = '\uE000'
	tokClose    = '\uE001'
	anchorOpen  = '\uE002'
	anchorClose = '\uE003'
)

// Issue kinds.
const (
	issueMarkup = "markup" // a construct left as text or removed
	issueLink   = "link"   // a link to an object that is not imported
)

type issue struct {
	kind, msg string
}

// docRef says how to show a document in the folder being written.
type docRef struct {
	file    string // name beside the Markdown file; "" when missing
	title   string
	image   bool
	url     string // a remote ("distant") document
	missing bool   // known, but its file is not available (reported by the linker)
}

// linker resolves references to other SPIP objects.
type linker interface {
	// link returns the kb link of an object (kind: article, rubrique, breve,
	// mot) and its title; ok is false when the object is not imported.
	link(kind string, id int) (url, title string, ok bool)
	// hasAnchor reports whether the page an object link leads to has a
	// heading with id frag (kb fails a build on a link to a missing one).
	hasAnchor(kind string, id int, frag string) bool
	// doc returns document id as it will be in the current folder.
	doc(id int) (docRef, bool)
	// oldURL maps a URL of the old site to a kb link. own is false when u
	// is not of the old site; url is "" when it is but is not imported.
	oldURL(u string) (url string, own bool)
}

type converter struct {
	lang   string
	ln     linker
	toks   []string
	block  []bool
	notes  []string
	issues []issue
	hb     string // token for a hard line break
	nest   int    // {…} nesting of the inline text being converted
	deep   bool   // reported nesting beyond MaxQuoteDepth
}

// convert turns SPIP text into Markdown in lang.
func convert(src, lang string, ln linker) (string, []issue) {
	c := &converter{lang: lang, ln: ln}
	c.hb = c.tok(`\`, false)
	s := sanitize(src)
	s, left := pickMulti(s, lang)
	if left {
		c.report(issueMarkup, "unclosed <multi> tag removed")
	}
	s = c.extractCode(s)
	s = c.htmlToSPIP(s)
	s = c.extractNotes(s)
	var b strings.Builder
	b.WriteString(c.body(s))
	for i, n := range c.notes {
		def := c.body(n)
		lines := strings.Split(def, "\n")
		for j := 1; j < len(lines); j++ {
			if lines[j] != "" {
				lines[j] = "    " + lines[j]
			}
		}
		fmt.Fprintf(&b, "\n\n[^%d]: %s", i+1, strings.Join(lines, "\n"))
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "", c.issues
	}
	return out + "\n", c.issues
}

func (c *converter) report(kind, format string, args ...any) {
	c.issues = append(c.issues, issue{kind, fmt.Sprintf(format, args...)})
}

// tok stores text to be put back at the end and returns its token.
func (c *converter) tok(s string, block bool) string {
	c.toks = append(c.toks, s)
	c.block = append(c.block, block)
	return string(tokOpen) + strconv.Itoa(len(c.toks)-1) + string(tokClose)
}

var tokRe = regexp.MustCompile("\uE000([0-9]+)\uE001")

func (c *converter) expand(s string) string {
	for i := 0; i < 8 && strings.ContainsRune(s, tokOpen); i++ {
		s = tokRe.ReplaceAllStringFunc(s, func(m string) string {
			n, _ := strconv.Atoi(m[len(string(tokOpen)) : len(m)-len(string(tokClose))]) // written by tok with Itoa
			return c.toks[n]
		})
	}
	return s
}

// body converts a text with no code and no notes left in it.
func (c *converter) body(s string) string {
	s = splitIntertitles(s)
	s = c.extractQuotes(s)
	out := c.expand(c.blocks(s))
	return c.dropAnchors(out)
}

// sanitize makes the text valid UTF-8 with \n line ends and removes the
// characters the converter uses for itself.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t':
			return ' '
		case r >= tokOpen && r <= anchorClose:
			return '\uFFFD'
		case r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// ---- code -----------------------------------------------------------------

var codeRes = func() []*regexp.Regexp {
	var rs []*regexp.Regexp
	for _, t := range []string{"code", "cadre", "frame", "pre"} {
		rs = append(rs, regexp.MustCompile(`(?is)<`+t+`(\s[^<>]*)?>(.*?)</`+t+`\s*>`))
	}
	return rs
}()

var classRe = regexp.MustCompile(`(?i)class\s*=\s*["']?([a-z0-9+#-]+)`)

func (c *converter) extractCode(s string) string {
	for i, re := range codeRes {
		inline := i == 0
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sm := re.FindStringSubmatch(m)
			body := sm[2]
			if inline && !strings.Contains(body, "\n") {
				if strings.TrimSpace(body) == "" {
					return body
				}
				return c.tok(codeSpan(body), false)
			}
			info := ""
			if cm := classRe.FindStringSubmatch(sm[1]); cm != nil {
				info = strings.ToLower(cm[1])
			}
			return "\n\n" + c.tok(codeBlock(body, info), true) + "\n\n"
		})
	}
	return s
}

func longestRun(s string, ch byte) int {
	n, best := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == ch {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

func codeSpan(s string) string {
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func codeBlock(s, info string) string {
	s = strings.TrimPrefix(s, "\n")
	s = strings.TrimRight(s, " \n")
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	return fence + info + "\n" + s + "\n" + fence
}

// ---- HTML -----------------------------------------------------------------

type htmlRule struct {
	re   *regexp.Regexp
	repl string
	note string // reported when not ""
}

// Common HTML is reduced to the SPIP shortcut that means the same, so that
// one converter handles both; tags with no equivalent are removed later.
var htmlRules = []htmlRule{
	{regexp.MustCompile(`(?s)<!--.*?-->`), "", "HTML comment removed"},
	{regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)\s*>`), "", "<script> or <style> removed"},
	{regexp.MustCompile(`(?i)</?html\s*>`), "", "<html> wrapper removed (its content is converted)"},
	{regexp.MustCompile(`(?i)<br\s*/?>`), "\n_ ", ""},
	{regexp.MustCompile(`(?i)</?p(\s[^<>]*)?>`), "\n\n", ""},
	{regexp.MustCompile(`(?i)<(strong|b)(\s[^<>]*)?>`), "{{", ""},
	{regexp.MustCompile(`(?i)</(strong|b)\s*>`), "}}", ""},
	{regexp.MustCompile(`(?i)<(em|i)(\s[^<>]*)?>`), "{", ""},
	{regexp.MustCompile(`(?i)</(em|i)\s*>`), "}", ""},
	{regexp.MustCompile(`(?is)<h[1-6](\s[^<>]*)?>(.*?)</h[1-6]\s*>`), "\n\n{{{$2}}}\n\n", ""},
	{regexp.MustCompile(`(?is)<a\s[^<>]*?href\s*=\s*["']?([^"'\s<>]+)["']?[^<>]*>(.*?)</a\s*>`), "[$2->$1]", ""},
	{regexp.MustCompile(`(?i)<li(\s[^<>]*)?>`), "\n-* ", ""},
	{regexp.MustCompile(`(?i)</?(ul|ol|li)(\s[^<>]*)?>`), "\n", ""},
	{regexp.MustCompile(`(?i)<hr(\s[^<>]*)?/?>`), "\n----\n", ""},
	{regexp.MustCompile(`(?i)<(/?)blockquote(\s[^<>]*)?>`), "<${1}quote>", ""},
}

var poesieRe = regexp.MustCompile(`(?is)<(poesie|poetry)>(.*?)</(poesie|poetry)>`)

func (c *converter) htmlToSPIP(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	// <poesie> keeps its line breaks.
	s = poesieRe.ReplaceAllStringFunc(s, func(m string) string {
		inner := poesieRe.FindStringSubmatch(m)[2]
		lines := strings.Split(strings.Trim(inner, "\n"), "\n")
		return "\n\n" + strings.Join(lines, "\n_ ") + "\n\n"
	})
	for _, r := range htmlRules {
		if r.note != "" && r.re.MatchString(s) {
			c.report(issueMarkup, "%s", r.note)
		}
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}

// ---- notes and quotations -------------------------------------------------

// extractNotes replaces [[note]] by a footnote reference, numbered in order.
func (c *converter) extractNotes(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "[[")
		if i < 0 {
			break
		}
		end := -1
		depth := 0
		for j := i + 2; j < len(s); j++ {
			if s[j] == '[' {
				depth++
			} else if s[j] == ']' {
				if depth > 0 {
					depth--
				} else if j+1 < len(s) && s[j+1] == ']' {
					end = j
					break
				}
			}
		}
		if end < 0 {
			break
		}
		note := s[i+2 : end]
		// [[<A>text]] sets the note's mark; Markdown numbers notes itself.
		if strings.HasPrefix(note, "<") {
			if k := strings.IndexByte(note, '>'); k >= 0 && k < 12 {
				note = note[k+1:]
			}
		}
		c.notes = append(c.notes, strings.TrimSpace(note))
		b.WriteString(s[:i])
		b.WriteString(c.tok(fmt.Sprintf("[^%d]", len(c.notes)), false))
		s = s[end+2:]
	}
	b.WriteString(s)
	return b.String()
}

var intertitleRe = regexp.MustCompile(`(?s)\{\{\{(.*?)\}\}\}`)

// splitIntertitles puts every {{{intertitle}}} on a line of its own, as SPIP
// ends the paragraph around it.
func splitIntertitles(s string) string {
	return intertitleRe.ReplaceAllStringFunc(s, func(m string) string {
		inner := strings.Join(strings.Fields(m[3:len(m)-3]), " ")
		return "\n\n{{{" + inner + "}}}\n\n"
	})
}

var quoteTagRe = regexp.MustCompile(`(?i)<(/?)quote\s*>`)

// MaxQuoteDepth is how deep <quote> blocks, lists (-***) and {emphasis}
// may nest; deeper tags are dropped and the text kept. Real articles nest
// one or two; thousands made the conversion take minutes and the page
// unbuildable.
const MaxQuoteDepth = 8

func (c *converter) tooDeep() {
	if !c.deep {
		c.deep = true
		c.report(issueMarkup, "lists or {emphasis} nested more than %d deep: the deeper levels flattened", MaxQuoteDepth)
	}
}

// extractQuotes converts <quote> blocks, innermost first, in one pass over
// the tags. A </quote> without <quote> is removed; a <quote> never closed
// stays as text.
func (c *converter) extractQuotes(s string) string {
	tags := quoteTagRe.FindAllStringSubmatchIndex(s, -1)
	if tags == nil {
		return s
	}
	type open struct {
		tag string
		b   strings.Builder
	}
	stack := []*open{{}}
	excess, last := 0, 0
	for _, m := range tags {
		top := stack[len(stack)-1]
		top.b.WriteString(s[last:m[0]])
		last = m[1]
		closing := m[3] > m[2]
		switch {
		case !closing && len(stack)-1 >= MaxQuoteDepth:
			if excess == 0 {
				c.report(issueMarkup, "quotes nested more than %d deep: the inner <quote> tags removed", MaxQuoteDepth)
			}
			excess++
		case !closing:
			stack = append(stack, &open{tag: s[m[0]:m[1]]})
		case excess > 0:
			excess--
		case len(stack) == 1:
			c.report(issueMarkup, "</quote> without <quote> removed")
		default:
			stack = stack[:len(stack)-1]
			inner := c.expand(c.blocks(top.b.String()))
			lines := strings.Split(inner, "\n")
			for i, l := range lines {
				if l == "" {
					lines[i] = ">"
				} else {
					lines[i] = "> " + l
				}
			}
			parent := stack[len(stack)-1]
			parent.b.WriteString("\n\n" + c.tok(strings.Join(lines, "\n"), true) + "\n\n")
		}
	}
	stack[len(stack)-1].b.WriteString(s[last:])
	// Quotes never closed: their tags stay as text.
	for len(stack) > 1 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		parent := stack[len(stack)-1]
		parent.b.WriteString(top.tag + top.b.String())
	}
	return stack[0].b.String()
}

// ---- blocks ---------------------------------------------------------------

const (
	bPara = iota
	bItem
	bHeading
	bTable
	bRule
	bBlock
)

type block struct {
	kind    int
	raw     string   // paragraph, item or heading text
	rows    []string // table rows
	depth   int      // item depth (1 = top) or heading level
	ordered bool
}

var (
	ruleRe     = regexp.MustCompile(`^(-{4,}|_{4,})(.*)$`)
	listRe     = regexp.MustCompile(`^-([*#]+)\s*(.*)$`)
	oldItemRe  = regexp.MustCompile(`^-\s+(.*)$`)
	blockTokRe = regexp.MustCompile("^\uE000([0-9]+)\uE001$")
	anchorsRe  = regexp.MustCompile(`^(\s*\[[^\[\]]*<-\]\s*)+$`)
)

func (c *converter) parseBlocks(s string) []*block {
	var bs []*block
	var cur *block // the paragraph, item or table that a next line may continue
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "":
			cur = nil
		case ruleRe.MatchString(line):
			bs = append(bs, &block{kind: bRule})
			cur = nil
			if rest := strings.TrimSpace(ruleRe.FindStringSubmatch(line)[2]); rest != "" {
				lines[i] = rest
				i--
			}
		case strings.HasPrefix(line, "{{{") && strings.HasSuffix(line, "}}}") && len(line) >= 6:
			inner := line[3 : len(line)-3]
			level := 2
			if n := len(inner) - len(strings.TrimLeft(inner, "*")); n > 0 {
				// {{{*…}}} and {{{**…}}}: SPIP 4's deeper intertitles.
				level = min(6, n+1)
				level = max(level, 2)
				inner = inner[n:]
			}
			h := &block{kind: bHeading, depth: level, raw: strings.TrimSpace(inner)}
			// An anchor just before the heading names the heading.
			if n := len(bs); n > 0 && bs[n-1].kind == bPara && anchorsRe.MatchString(bs[n-1].raw) {
				h.raw = bs[n-1].raw + h.raw
				bs = bs[:n-1]
			}
			bs = append(bs, h)
			cur = nil
		case blockTokRe.MatchString(line) && c.isBlockTok(line):
			bs = append(bs, &block{kind: bBlock, raw: line})
			cur = nil
		case strings.HasPrefix(line, "|") && strings.HasSuffix(line, "|") && len(line) > 1:
			if cur == nil || cur.kind != bTable {
				cur = &block{kind: bTable}
				bs = append(bs, cur)
			}
			cur.rows = append(cur.rows, line)
		case listRe.MatchString(line):
			m := listRe.FindStringSubmatch(line)
			depth := len(m[1])
			if depth > MaxQuoteDepth {
				c.tooDeep()
				depth = MaxQuoteDepth
			}
			cur = &block{kind: bItem, depth: depth, ordered: strings.HasSuffix(m[1], "#"), raw: m[2]}
			bs = append(bs, cur)
		case oldItemRe.MatchString(line):
			cur = &block{kind: bItem, depth: 1, raw: oldItemRe.FindStringSubmatch(line)[1]}
			bs = append(bs, cur)
		case line == "_" || strings.HasPrefix(line, "_ "):
			rest := strings.TrimSpace(line[1:])
			if rest == "" {
				continue
			}
			if cur != nil && (cur.kind == bPara || cur.kind == bItem) {
				cur.raw += c.hb + "\n" + rest
			} else {
				cur = &block{kind: bPara, raw: rest}
				bs = append(bs, cur)
			}
		default:
			if cur != nil && cur.kind == bPara {
				cur.raw += "\n" + line
			} else {
				cur = &block{kind: bPara, raw: line}
				bs = append(bs, cur)
			}
		}
	}
	return bs
}

func (c *converter) isBlockTok(line string) bool {
	n, err := strconv.Atoi(blockTokRe.FindStringSubmatch(line)[1])
	return err == nil && n < len(c.block) && c.block[n]
}

func (c *converter) blocks(s string) string {
	var out []string
	var stack []bool // ordered?, per open list level
	prev := -1
	for _, b := range c.parseBlocks(s) {
		if len(out) > 0 && !(b.kind == bItem && prev == bItem) {
			out = append(out, "")
		}
		if b.kind != bItem {
			stack = nil
		}
		prev = b.kind
		switch b.kind {
		case bPara:
			text := c.inlineUnit(b.raw)
			if text == "" {
				if len(out) > 0 {
					out = out[:len(out)-1]
				}
				continue
			}
			for _, l := range strings.Split(text, "\n") {
				out = append(out, escapeStart(l))
			}
		case bItem:
			if len(stack) >= b.depth {
				stack = stack[:b.depth-1]
			}
			for len(stack) < b.depth-1 {
				stack = append(stack, false)
			}
			stack = append(stack, b.ordered)
			indent := ""
			for _, o := range stack[:len(stack)-1] {
				indent += markerPad(o)
			}
			marker := "- "
			if b.ordered {
				marker = "1. "
			}
			text := c.inlineUnit(b.raw)
			for i, l := range strings.Split(text, "\n") {
				if i == 0 {
					out = append(out, indent+marker+escapeStart(l))
				} else {
					out = append(out, indent+markerPad(b.ordered)+escapeStart(l))
				}
			}
		case bHeading:
			text, anchors := takeAnchors(c.inline(b.raw))
			text = strings.Join(strings.Fields(c.expand(text)), " ")
			if strings.HasSuffix(text, "#") {
				text = text[:len(text)-1] + `\#`
			}
			if text == "" {
				out = out[:max(0, len(out)-1)]
				continue
			}
			h := strings.Repeat("#", b.depth) + " " + text
			if len(anchors) > 0 {
				h += " {#" + anchors[0] + "}"
				for _, a := range anchors[1:] {
					c.report(issueMarkup, "second anchor [%s<-] on a heading removed", a)
				}
			}
			out = append(out, h)
		case bTable:
			out = append(out, c.table(b.rows)...)
		case bRule:
			out = append(out, "---")
		case bBlock:
			out = append(out, b.raw)
		}
	}
	return strings.Join(out, "\n")
}

func markerPad(ordered bool) string {
	if ordered {
		return "   "
	}
	return "  "
}

// inlineUnit converts a paragraph or list item and drops a hard break left
// at its end (Markdown would show the backslash).
func (c *converter) inlineUnit(raw string) string {
	s := strings.TrimSpace(c.inline(raw))
	for strings.HasSuffix(s, c.hb) {
		s = strings.TrimSpace(strings.TrimSuffix(s, c.hb))
	}
	return s
}

var anchorTokRe = regexp.MustCompile("\uE002([^\uE003]*)\uE003")

func takeAnchors(s string) (string, []string) {
	var names []string
	for _, m := range anchorTokRe.FindAllStringSubmatch(s, -1) {
		names = append(names, m[1])
	}
	return anchorTokRe.ReplaceAllString(s, ""), names
}

// dropAnchors removes anchors that are not at a heading: Markdown has no
// other place for an id.
func (c *converter) dropAnchors(s string) string {
	s, names := takeAnchors(s)
	for _, n := range names {
		c.report(issueMarkup, "anchor [%s<-] removed (not at a heading)", n)
	}
	return s
}

var cellSpan = map[string]string{"^": "row span", "<": "column span"}

func (c *converter) table(rows []string) []string {
	var out []string
	if r := rows[0]; strings.HasPrefix(r, "||") && strings.HasSuffix(r, "||") && len(r) > 4 {
		// ||caption|summary||
		caption := strings.TrimSpace(strings.SplitN(r[2:len(r)-2], "|", 2)[0])
		if caption != "" {
			out = append(out, "**"+c.inlineUnit(caption)+"**", "")
		}
		rows = rows[1:]
		if len(rows) == 0 {
			return out[:max(0, len(out)-1)]
		}
	}
	var cells [][]string
	width := 0
	for _, r := range rows {
		cs := splitCells(r[1 : len(r)-1])
		cells = append(cells, cs)
		width = max(width, len(cs))
	}
	header := make([]string, width)
	body := cells
	if isHeaderRow(cells[0]) {
		for i, cell := range cells[0] {
			cell = strings.TrimSpace(cell)
			header[i] = c.cell(cell[2 : len(cell)-2])
		}
		body = cells[1:]
	}
	line := func(cs []string) string {
		for len(cs) < width {
			cs = append(cs, "")
		}
		return "| " + strings.Join(cs, " | ") + " |"
	}
	out = append(out, line(header), line(slices.Repeat([]string{"---"}, width)))
	for _, r := range body {
		cs := make([]string, len(r))
		for i, cell := range r {
			cs[i] = c.cell(cell)
		}
		out = append(out, line(cs))
	}
	return out
}

// splitCells splits a table row at the | that are not inside a link.
func splitCells(r string) []string {
	var cs []string
	depth, start := 0, 0
	for i := 0; i < len(r); i++ {
		switch r[i] {
		case '[':
			depth++
		case ']':
			depth = max(0, depth-1)
		case '|':
			if depth == 0 {
				cs = append(cs, r[start:i])
				start = i + 1
			}
		}
	}
	return append(cs, r[start:])
}

func isHeaderRow(cs []string) bool {
	for _, cell := range cs {
		cell = strings.TrimSpace(cell)
		if !strings.HasPrefix(cell, "{{") || !strings.HasSuffix(cell, "}}") || len(cell) < 4 {
			return false
		}
	}
	return true
}

func (c *converter) cell(s string) string {
	s = strings.TrimSpace(s)
	if what, ok := cellSpan[s]; ok {
		c.report(issueMarkup, "table cell %s |%s| not supported by Markdown tables (cell left empty)", what, s)
		return ""
	}
	// A hard break cannot live in a cell.
	out := strings.ReplaceAll(c.inlineUnit(s), c.hb+"\n", " ")
	out = strings.ReplaceAll(c.expand(out), "\n", " ")
	return strings.ReplaceAll(out, "|", `\|`)
}

var orderedStart = regexp.MustCompile(`^([0-9]{1,9})([.)])(\s|$)`)

// escapeStart escapes what would start a Markdown block at the beginning of
// a line of text: in SPIP these characters are plain text.
func escapeStart(l string) string {
	if l == "" {
		return l
	}
	switch l[0] {
	case '#', '>':
		return `\` + l
	case '+', '-':
		if len(l) == 1 || l[1] == ' ' || strings.Trim(l, "-+ ") == "" {
			return `\` + l
		}
	case '=':
		if strings.Trim(l, "= ") == "" {
			return `\` + l
		}
	}
	if m := orderedStart.FindStringSubmatchIndex(l); m != nil {
		return l[:m[4]] + `\` + l[m[4]:]
	}
	return l
}

// ---- inline ---------------------------------------------------------------

func (c *converter) inline(s string) string {
	var b strings.Builder
	misses := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == tokOpen || r == anchorOpen:
			end := tokClose
			if r == anchorOpen {
				end = anchorClose
			}
			j := strings.IndexRune(s[i:], end)
			if j < 0 {
				i += size
				continue
			}
			j += i + utf8.RuneLen(end)
			b.WriteString(s[i:j])
			i = j
		case r == '{' && (c.nest >= MaxQuoteDepth || misses > MaxQuoteDepth):
			// Kept as text: each level, and each brace that matches
			// nothing, costs a scan of the rest of the paragraph.
			if c.nest >= MaxQuoteDepth {
				c.tooDeep()
			}
			b.WriteByte('{')
			i++
		case r == '{':
			n := 1
			if strings.HasPrefix(s[i:], "{{") {
				n = 2
			}
			end := matchBraces(s, i+n, n)
			if end < 0 {
				misses++ // each miss scanned the rest of s
				b.WriteByte('{')
				i++
				continue
			}
			c.nest++
			b.WriteString(emphasis(c.inline(s[i+n:end]), strings.Repeat("*", n)))
			c.nest--
			i = end + n
		case r == '[':
			out, next := c.bracket(s, i)
			b.WriteString(out)
			i = next
		case r == ']':
			b.WriteString(`\]`)
			i++
		case r == '<':
			out, next := c.angle(s, i)
			b.WriteString(out)
			i = next
		case r == '~':
			b.WriteRune('\u00a0')
			i++
		case r == '\\' || r == '`' || r == '*':
			b.WriteByte('\\')
			b.WriteByte(s[i])
			i++
		case r == '_':
			if wordChar(s, i-1, true) && wordChar(s, i+1, false) {
				b.WriteByte('_')
			} else {
				b.WriteString(`\_`)
			}
			i++
		case r == '!' && strings.HasPrefix(s[i+1:], "["):
			b.WriteString(`\!`)
			i++
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

func wordChar(s string, i int, before bool) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// matchBraces finds the closing } (n=1) or }} (n=2) of a shortcut whose
// content starts at i, skipping nested pairs. It returns -1 if there is none.
func matchBraces(s string, i, n int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			if depth > 0 {
				depth--
				continue
			}
			if n == 1 || (j+1 < len(s) && s[j+1] == '}') {
				return j
			}
			return -1
		}
	}
	return -1
}

// emphasis wraps text in marker, moving surrounding spaces outside: Markdown
// does not see "** bold **" as bold.
func emphasis(text, marker string) string {
	core := strings.TrimSpace(text)
	if core == "" {
		return text
	}
	lead := text[:strings.Index(text, core)]
	trail := text[len(lead)+len(core):]
	return lead + marker + core + marker + trail
}

var objRe = regexp.MustCompile(`(?i)^(art|article|rub|rubrique|br|breve|brève|doc|document|im|img|image|emb|mot|aut|auteur|site|syndic|forum)?\s*([0-9]+)$`)

var objKinds = map[string]string{
	"": "article", "art": "article", "article": "article",
	"rub": "rubrique", "rubrique": "rubrique",
	"br": "breve", "breve": "breve", "brève": "breve",
	"doc": "document", "document": "document", "im": "document", "img": "document", "image": "document", "emb": "document",
	"mot": "mot", "aut": "auteur", "auteur": "auteur", "site": "site", "syndic": "site", "forum": "forum",
}

var (
	schemeRe = regexp.MustCompile(`(?i)^(https?|ftp|mailto|tel|news):`)
	emailRe  = regexp.MustCompile(`^[^@\s/:]+@[^@\s/]+\.[a-zA-Z]{2,}$`)
)

// bracket handles what starts with "[": a link, an anchor, a glossary link,
// or a literal bracket.
func (c *converter) bracket(s string, i int) (string, int) {
	k := strings.IndexAny(s[i+1:], "[]")
	if k < 0 || s[i+1+k] == '[' {
		return `\[`, i + 1
	}
	k += i + 1
	inner := s[i+1 : k]
	switch {
	case strings.Contains(inner, "->"):
		p := strings.Index(inner, "->")
		return c.link(inner[:p], inner[p+2:]), k + 1
	case strings.HasSuffix(inner, "<-"):
		name := anchorID(strings.TrimPrefix(strings.TrimSpace(inner[:len(inner)-2]), "#"))
		if name == "" {
			return "", k + 1
		}
		return string(anchorOpen) + name + string(anchorClose), k + 1
	case strings.HasPrefix(inner, "?"):
		term := inner[1:]
		if p := strings.IndexAny(term, "|#"); p >= 0 {
			term = term[:p]
		}
		c.report(issueMarkup, "glossary link [?%s] kept as plain text", term)
		return c.inline(term), k + 1
	}
	return `\[`, i + 1
}

var anchorBad = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func anchorID(s string) string {
	return strings.Trim(anchorBad.ReplaceAllString(s, "-"), "-")
}

func (c *converter) link(text, target string) string {
	if p := strings.IndexByte(text, '|'); p >= 0 {
		text = text[:p] // [text|title|lang->…]: the title is an HTML attribute
	}
	label := strings.TrimSpace(c.inline(strings.TrimSpace(text)))
	target = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(target), ">"))
	url, title, ok := c.resolve(target)
	if label == "" {
		label = escapeInline(title)
		if label == "" {
			label = escapeInline(target)
		}
	}
	if !ok {
		return label
	}
	return "[" + label + "](" + mdDest(url) + ")"
}

// resolve turns a SPIP link target into a URL. When it fails it has
// reported why and returns the best title it knows.
func (c *converter) resolve(t string) (url, title string, ok bool) {
	if t == "" {
		c.report(issueLink, "link with no target kept as text")
		return "", "", false
	}
	if strings.HasPrefix(t, "#") {
		return "#" + anchorID(t[1:]), "", true
	}
	ref, frag := t, ""
	if h := strings.IndexByte(t, '#'); h > 0 {
		ref, frag = t[:h], anchorID(t[h+1:])
	}
	if m := objRe.FindStringSubmatch(ref); m != nil {
		kind := objKinds[strings.ToLower(m[1])]
		id, _ := strconv.Atoi(m[2]) // digits; too many give 0, no such object
		switch kind {
		case "article", "rubrique", "breve", "mot":
			u, title, ok := c.ln.link(kind, id)
			if !ok {
				c.report(issueLink, "link to %s %d (not imported) kept as text", kind, id)
				return "", title, false
			}
			if frag != "" {
				if !c.ln.hasAnchor(kind, id, frag) {
					c.report(issueLink, "link to %s %d: it has no heading #%s (fragment removed)", kind, id, frag)
					return u, title, true
				}
				u += "#" + frag
			}
			return u, title, true
		case "document":
			d, ok := c.ln.doc(id)
			switch {
			case !ok:
				c.report(issueLink, "link to document %d (unknown or not published) kept as text", id)
				return "", "", false
			case d.url != "":
				return d.url, d.title, true
			case d.file == "":
				return "", d.title, false
			}
			return d.file, d.title, true
		default:
			c.report(issueLink, "link to %s %d (not imported by kb) kept as text", kind, id)
			return "", "", false
		}
	}
	switch {
	case strings.HasPrefix(strings.ToLower(t), "www."):
		t = "http://" + t
	case emailRe.MatchString(t):
		return "mailto:" + t, "", true
	}
	if u, own := c.ln.oldURL(t); own {
		if u == "" {
			c.report(issueLink, "link to %q (a page of the old site that is not imported) kept as text", t)
			return "", "", false
		}
		return u, "", true
	}
	if schemeRe.MatchString(t) {
		return t, "", true
	}
	c.report(issueLink, "link %q kept as text", t)
	return "", "", false
}

var destReplacer = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\n", "", "\u00a0", "%C2%A0")

func mdDest(u string) string { return destReplacer.Replace(u) }

var inlineEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`)

// escapeInline escapes plain text (a title) for use inside Markdown.
func escapeInline(s string) string { return inlineEscaper.Replace(s) }

var (
	embedRe = regexp.MustCompile(`(?i)^<(doc|img|emb|image|video|audio|text|document)([0-9]+)(\|[^<>]*)?>`)
	tagRe   = regexp.MustCompile(`^</?([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?/?>`)
)

// angle handles what starts with "<": an embedded document, a tag to remove,
// or a literal "<".
func (c *converter) angle(s string, i int) (string, int) {
	if m := embedRe.FindStringSubmatch(s[i:]); m != nil {
		id, _ := strconv.Atoi(m[2]) // digits; too many give 0, no such document
		return c.embed(id), i + len(m[0])
	}
	if m := tagRe.FindStringSubmatch(s[i:]); m != nil {
		c.report(issueMarkup, "tag <%s> removed", strings.ToLower(m[1]))
		return "", i + len(m[0])
	}
	return `\<`, i + 1
}

func (c *converter) embed(id int) string {
	d, ok := c.ln.doc(id)
	switch {
	case !ok:
		c.report(issueLink, "embedded document %d (unknown or not published) removed", id)
		return ""
	case d.url != "":
		if d.image {
			c.report(issueMarkup, "remote image of document %d shown as a link (kb makes no third-party requests)", id)
		}
		return "[" + escapeInline(orText(d.title, d.url)) + "](" + mdDest(d.url) + ")"
	case d.file == "":
		return escapeInline(d.title)
	case d.image:
		return "![" + escapeInline(d.title) + "](" + mdDest(d.file) + ")"
	}
	return "[" + escapeInline(orText(d.title, d.file)) + "](" + mdDest(d.file) + ")"
}

func orText(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}

// ---- plain text -----------------------------------------------------------

var (
	plainLinkRe  = regexp.MustCompile(`\[([^\[\]]*?)->[^\[\]]*\]`)
	plainNoteRe  = regexp.MustCompile(`(?s)\[\[.*?\]\]`)
	plainAnchor  = regexp.MustCompile(`\[[^\[\]]*<-\]`)
	plainTagRe   = regexp.MustCompile(`</?[a-zA-Z][^<>]*>`)
	plainBreakRe = regexp.MustCompile(`(?m)^_ `)
)

// plain turns SPIP text into one line of plain text, for titles and
// summaries.
func plain(s, lang string) string {
	s = sanitize(s)
	s, _ = pickMulti(s, lang)
	s = plainNoteRe.ReplaceAllString(s, "")
	s = plainAnchor.ReplaceAllString(s, "")
	s = plainLinkRe.ReplaceAllStringFunc(s, func(m string) string {
		t := plainLinkRe.FindStringSubmatch(m)[1]
		if p := strings.IndexByte(t, '|'); p >= 0 {
			t = t[:p]
		}
		return t
	})
	s = plainTagRe.ReplaceAllString(s, " ")
	s = plainBreakRe.ReplaceAllString(s, "")
	s = strings.NewReplacer("{", "", "}", "", "~", "\u00a0").Replace(s)
	s = html.UnescapeString(s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) && r != '\u00a0'
	}), " ")
}

var numberRe = regexp.MustCompile(`^([0-9]+)[.)]\s+`)

// splitNumber strips SPIP's "01. " ordering prefix from a title and returns
// it as a weight.
func splitNumber(title string) (string, int, bool) {
	m := numberRe.FindStringSubmatch(title)
	if m == nil || len(title) == len(m[0]) {
		return title, 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return title, 0, false
	}
	return title[len(m[0]):], n, true
}
