package search

import (
	"bytes"
	"html"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The body is indexed without term vectors and not stored: its term
// vectors and stored text were 70% of the index. Its snippet is made here,
// from the excerpt (the body's first excerptBytes, stored): the words of the
// excerpt that the hit's query matches in the body get a <mark>.
//
// Re-analysing the excerpt per hit would cost more than the search (the
// dual stemming runs at a few MB/s), so words are found in two passes: a
// cheap split into words, lower-cased and folded, then the full analyzer
// only for a word that may be a match: one that contains an exact term of
// the query but for its last letter, is within the edit distance of a fuzzy
// term, or starts with a prefix term.
const (
	excerptBytes  = 2000
	fragmentRunes = 200 // as bleve's default highlighter
	probeRunes    = 3
)

// excerpt is the start of body, at most excerptBytes, cut before a word.
func excerpt(body string) string {
	if len(body) <= excerptBytes {
		return body
	}
	cut := excerptBytes
	for cut > 0 && !utf8.RuneStart(body[cut]) {
		cut--
	}
	if i := strings.LastIndexFunc(body[:cut], unicode.IsSpace); i > excerptBytes/2 {
		cut = i
	}
	return body[:cut]
}

// marker finds the words of a text that a query matches in the body.
type marker struct {
	a      analysis.Analyzer
	exact  map[string]bool
	probes [][]byte // loose first runes of the exact terms
	fuzzy  []fuzzyTerm
	prefix [][]byte
	// seen caches the analyzer's answer per word as written: the
	// excerpts of one page of results repeat their words.
	seen map[string]bool
	rows [3][]int // withinEdits' rows, reused
	word []rune
	buf  []byte // the word being matched, folded
}

type fuzzyTerm struct {
	term  []rune
	edits int
	mask  uint64 // letterMask(term)
}

// letterMask has a bit for each rune of w, by its low six bits. A word
// within k edits of a term has at most k of the term's distinct letters
// missing, and k of its own missing from the term (each edit brings or
// takes one letter; a swap none); so a bucket of the mask found on one side
// only, more than k times, rules the pair out without the edit distance
// (most of an excerpt's words, which cost the typo retry's marks a table
// each).
func letterMask(w []rune) uint64 {
	var m uint64
	for _, r := range w {
		m |= 1 << (r & 63)
	}
	return m
}

// maybeWithin is letterMask's test: false rules out a and b within k
// edits.
func maybeWithin(a, b uint64, k int) bool {
	return bits.OnesCount64(a&^b) <= k && bits.OnesCount64(b&^a) <= k
}

// newMarker collects the body terms of q, analyzing match queries with a,
// the analyzer of the index that found the hit. Excluded (must not)
// clauses are left out.
func newMarker(a analysis.Analyzer, q query.Query) *marker {
	m := &marker{a: a, exact: map[string]bool{}, seen: map[string]bool{}}
	m.collect(q)
	for t := range m.exact {
		// A word whose terms include t contains t, give or take its last
		// letter (Dutch huis from huizen, Porter's agenci from agency),
		// in the folded word (the stemmers strip suffixes; the Arabic one
		// prefixes too).
		r := []rune(loose(t))
		p := string(r[:max(min(len(r), probeRunes), len(r)-1)])
		if !slices.ContainsFunc(m.probes, func(b []byte) bool { return string(b) == p }) {
			m.probes = append(m.probes, []byte(p))
		}
	}
	return m
}

func (m *marker) collect(q query.Query) {
	switch q := q.(type) {
	case *query.BooleanQuery:
		m.collect(q.Must)
		m.collect(q.Should)
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			m.collect(c)
		}
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			m.collect(c)
		}
	case *query.MatchQuery:
		if q.FieldVal == fBody {
			m.analyzed(q.Match)
		}
	case *sharedMatchQuery:
		m.collect(q.MatchQuery)
	case *query.MatchPhraseQuery:
		if q.FieldVal == fBody {
			m.analyzed(q.MatchPhrase)
		}
	case *query.TermQuery:
		if q.FieldVal == fBody {
			m.exact[q.Term] = true
		}
	case *query.FuzzyQuery:
		if q.FieldVal == fBody {
			t := []rune(loose(q.Term))
			m.fuzzy = append(m.fuzzy, fuzzyTerm{t, q.Fuzziness, letterMask(t)})
		}
	case *query.PrefixQuery:
		if q.FieldVal == fBody {
			m.prefix = append(m.prefix, []byte(loose(q.Prefix)))
		}
	}
}

func (m *marker) analyzed(s string) {
	for _, t := range m.a.Analyze([]byte(s)) {
		m.exact[string(t.Term)] = true
	}
}

// span is a byte range of the text.
type span struct{ start, end int }

// spans returns the matched words of text, in order. It folds each word as
// it reads it.
func (m *marker) spans(text string) []span {
	var out []span
	start := -1
	m.buf = m.buf[:0]
	for i, size := 0, 0; i < len(text); i += size {
		if c := text[i]; c < utf8.RuneSelf {
			// ASCII, most of the text in most languages: no decoding,
			// no tables.
			size = 1
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' {
				if start < 0 {
					start = i
				}
				if c <= 'Z' && c >= 'A' {
					c += 'a' - 'A'
				}
				m.buf = append(m.buf, c)
				continue
			}
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			if r < looseFoldRunes && wordRunes[r>>6]&(1<<(r&63)) != 0 || r >= looseFoldRunes && isWordRune(r) {
				if start < 0 {
					start = i
				}
				m.buf = appendLooseFoldRune(m.buf, r)
				continue
			}
		}
		if start >= 0 {
			if m.match(text[start:i], m.buf) {
				out = append(out, span{start, i})
			}
			start = -1
			m.buf = m.buf[:0]
		}
	}
	if start >= 0 && m.match(text[start:], m.buf) {
		out = append(out, span{start, len(text)})
	}
	return out
}

// isWordRune: letters, marks and digits; apostrophes and the zero-width
// non-joiner separate words, as in the analyzers (elision, ZWNJ filter).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)
}

// wordRunes is isWordRune for the runes below looseFoldRunes, a bit each.
var wordRunes = func() []uint64 {
	t := make([]uint64, looseFoldRunes/64)
	for r := rune(0); r < looseFoldRunes; r++ {
		if isWordRune(r) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return t
}()

// match reports whether word, l once folded (appendLooseFold), is one
// that the query matches. Only a word that may be an exact match is
// analyzed, once per marker.
func (m *marker) match(word string, l []byte) bool {
	for _, p := range m.prefix {
		if bytes.HasPrefix(l, p) {
			return true
		}
	}
	if len(m.fuzzy) > 0 {
		n := utf8.RuneCount(l)
		m.word = m.word[:0]
		var mask uint64
		for _, f := range m.fuzzy {
			if d := n - len(f.term); d > f.edits || -d > f.edits {
				continue
			}
			if len(m.word) == 0 {
				for _, r := range string(l) {
					m.word = append(m.word, r)
				}
				mask = letterMask(m.word)
			}
			if maybeWithin(mask, f.mask, f.edits) && m.withinEdits(m.word, f.term, f.edits) {
				return true
			}
		}
	}
	for _, p := range m.probes {
		if bytes.Contains(l, p) {
			ok, seen := m.seen[word]
			if !seen {
				for _, t := range m.a.Analyze([]byte(word)) {
					if ok = m.exact[string(t.Term)]; ok {
						break
					}
				}
				m.seen[word] = ok
			}
			return ok
		}
	}
	return false
}

// looseFoldRunes bounds the table of looseFolds: the scripts of kb's
// languages are below it.
const looseFoldRunes = 0x3000

// looseFolds holds loose(foldString(string(r))) for the runes below
// looseFoldRunes (combining marks fold to ""). Lower-casing, folding and
// loose all map one rune at a time, so a word's form is its runes' forms
// one after the other: appendLooseFold writes it without the map lookups
// and Unicode tables of fold, and without allocating (about a quarter of
// an uncached search's time went to folding the excerpts' words).
var looseFolds = func() []string {
	t := make([]string, looseFoldRunes)
	for r := rune(utf8.RuneSelf); r < looseFoldRunes; r++ {
		t[r] = loose(foldString(string(r)))
	}
	return t
}()

// appendLooseFold appends loose(foldString(word)) to out.
func appendLooseFold(out []byte, word string) []byte {
	for _, r := range word {
		out = appendLooseFoldRune(out, r)
	}
	return out
}

func appendLooseFoldRune(out []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(out, byte(r))
	case r < looseFoldRunes:
		return append(out, looseFolds[r]...)
	}
	return append(out, loose(foldString(string(r)))...)
}

// looseRune merges the letters that the Arabic, Persian and Pashto
// normalizers merge, so that a folded word and an analyzed term compare.
func looseRune(r rune) rune {
	switch r {
	case 'ي', 'ى', 'ې', 'ۍ', 'ئ':
		return 'ی'
	case 'ك':
		return 'ک'
	case 'ة', 'ە', 'ۀ':
		return 'ه'
	case 'ګ':
		return 'گ'
	case 'آ', 'أ', 'إ':
		return 'ا'
	}
	return r
}

func loose(s string) string {
	for _, r := range s {
		if r >= 0x600 && r <= 0x6ff && looseRune(r) != r {
			return strings.Map(looseRune, s)
		}
	}
	return s
}

// withinEdits reports whether a and b are at most k edits apart, in runes;
// a swap of two neighbouring letters is one edit, as in bleve's fuzzy
// search (urgnete finds urgente with one).
func withinEdits(a, b []rune, k int) bool {
	return new(marker).withinEdits(a, b, k)
}

func (m *marker) withinEdits(a, b []rune, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	for i := range m.rows {
		if cap(m.rows[i]) < len(b)+1 {
			m.rows[i] = make([]int, len(b)+1)
		}
	}
	// Only the cells within k of the diagonal can be k or less: the others
	// read as far (k+1), which decides the same. A row's cells outside its
	// band that the next rows read are set to far; the rest are never read.
	far := k + 1
	pp := m.rows[0][:len(b)+1] // row i-2, for swaps
	prev := m.rows[1][:len(b)+1]
	cur := m.rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = min(j, far)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		cur[0] = min(i, far)
		if lo > 1 {
			cur[lo-1] = far
		}
		best := cur[0]
		for j := lo; j <= hi; j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(c, prev[j], cur[j-1])
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				c = min(c, pp[j-2]+1)
			}
			cur[j] = c
			best = min(best, c)
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		if best > k {
			return false
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)] <= k
}

// fragment is the best window of at most fragmentRunes runes of text: the
// one with the most matches, the first of equals, with some text before
// its first match, its edges moved in to whole words (snapWords). It is
// HTML-escaped, with <mark> around the matches, and "…" where it cuts the
// text, as bleve's highlighter wrote it. With no match, it is the start of
// the text, unmarked.
func fragment(text string, spans []span) string {
	if len(spans) == 0 {
		_, end := fragWindow(text, 0)
		start, end := snapWords(text, 0, end, len(text), 0)
		var b strings.Builder
		writeText(&b, text, start, end)
		if end < len(text) {
			b.WriteString("…")
		}
		return b.String()
	}
	bestStart, bestEnd, best := 0, 0, -1
	for i, s := range spans {
		start, end := fragWindow(text, s.start)
		n := 0
		for _, t := range spans[i:] {
			if t.end > end {
				break
			}
			n++
		}
		// Centre the matches: move back by half the smaller of the room
		// before the window and after its last match.
		last := spans[i+n-1].end
		room := min(utf8.RuneCountInString(text[last:end]), utf8.RuneCountInString(text[:start]))
		for k := 0; k < room/2; k++ {
			_, a := utf8.DecodeLastRuneInString(text[:start])
			_, b := utf8.DecodeLastRuneInString(text[:end])
			start, end = start-a, end-b
		}
		if n > best {
			bestStart, bestEnd, best = start, end, n
		}
	}
	// The window's marks stay whole and in it: they bound the snapping.
	first, last := len(text), 0
	for _, s := range spans {
		if s.start < bestStart {
			continue
		}
		if s.end > bestEnd {
			break
		}
		first, last = min(first, s.start), s.end
	}
	bestStart, bestEnd = snapWords(text, bestStart, bestEnd, first, last)
	var b strings.Builder
	if bestStart > 0 {
		b.WriteString("…")
	}
	cur := bestStart
	for _, s := range spans {
		if s.start < cur {
			continue
		}
		if s.end > bestEnd {
			break
		}
		writeText(&b, text, cur, s.start)
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		cur = s.end
	}
	writeText(&b, text, cur, bestEnd)
	if bestEnd < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// snapRunes is how far a window's edge moves to reach a word's edge; past
// it (a long URL), the word is cut.
const snapRunes = 30

// wordGap reports whether r separates words, for a window's edges: spaces,
// and the Ethiopic wordspace ፡ that Tigrinya and Amharic may write instead.
// Apostrophes, hyphens and the zero-width (non-)joiner of Persian are
// inside a word here: a snippet starting "…hui" or "…ها" starts mid-word.
func wordGap(r rune) bool {
	return unicode.IsSpace(r) || r == '፡'
}

// snapWords moves the edges of the window [start, end) of text in, to the
// nearest word start and word end, so the window neither starts nor ends
// mid-word nor on a space; the window only shrinks, so it keeps its bound.
// A word is a run between wordGaps; failing one within snapRunes, a run of
// letters (isWordRune: "…état" of l'état), else the cut stays. start
// moves to at most first, end to at least last: the window's marks.
func snapWords(text string, start, end, first, last int) (int, int) {
	if start > 0 {
		start = snapStart(text, start, min(first, end))
	}
	if end < len(text) {
		end = snapEnd(text, end, max(last, start))
	}
	return start, end
}

func snapStart(text string, start, limit int) int {
	weak := -1
	for i, n := start, 0; i <= limit && n <= snapRunes && i < len(text); n++ {
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		r, size := utf8.DecodeRuneInString(text[i:])
		if wordGap(prev) && !wordGap(r) {
			return i
		}
		if weak < 0 && !isWordRune(prev) && !joiner(prev) && isWordRune(r) {
			weak = i
		}
		i += size
	}
	if weak >= 0 {
		return weak
	}
	return start
}

func snapEnd(text string, end, limit int) int {
	weak := -1
	for i, n := end, 0; i >= limit && n <= snapRunes && i > 0; n++ {
		prev, size := utf8.DecodeLastRuneInString(text[:i])
		r, _ := utf8.DecodeRuneInString(text[i:])
		if !wordGap(prev) && wordGap(r) {
			return i
		}
		if weak < 0 && isWordRune(prev) && !isWordRune(r) && !joiner(r) {
			weak = i
		}
		i -= size
	}
	if weak >= 0 {
		return weak
	}
	return end
}

// joiner: the zero-width non-joiner and joiner, inside Persian words.
func joiner(r rune) bool { return r == '\u200c' || r == '\u200d' }

// fragWindow is the range of fragmentRunes runes from from, moved back when
// the text ends first.
func fragWindow(text string, from int) (start, end int) {
	start, end = from, from
	used := 0
	for end < len(text) && used < fragmentRunes {
		_, n := utf8.DecodeRuneInString(text[end:])
		end += n
		used++
	}
	for start > 0 && used < fragmentRunes {
		_, n := utf8.DecodeLastRuneInString(text[:start])
		start -= n
		used++
	}
	return start, end
}

// writeText writes text[start:end] escaped. The excerpt separates blocks
// with a newline, which HTML shows as a space: a heading would run into its
// paragraph ("…pour les urgences Le nom…"). A block that does not end a
// sentence (a heading, a list item, a table cell) is set off with " · ".
func writeText(b *strings.Builder, text string, start, end int) {
	for start < end {
		i := strings.IndexByte(text[start:end], '\n')
		if i < 0 {
			b.WriteString(html.EscapeString(text[start:end]))
			return
		}
		nl := start + i
		before := strings.TrimRightFunc(text[:nl], unicode.IsSpace)
		b.WriteString(html.EscapeString(text[start:max(start, len(before))]))
		start = nl
		for start < end && strings.IndexByte(" \t\r\n", text[start]) >= 0 {
			start++ // blank lines and indents
		}
		last, _ := utf8.DecodeLastRuneInString(before)
		switch {
		case before == "":
			// the text's start: nothing to set off (the window's end
			// is never after a space: snapWords)
		case endsSentence(last):
			b.WriteByte(' ')
		default:
			b.WriteString(" · ")
		}
	}
}

// endsSentence reports whether r ends a sentence or a clause, in the
// scripts of kb's languages, so that a newline after it reads as a space.
func endsSentence(r rune) bool {
	return strings.ContainsRune(".!?…:;؟؛۔።፧፨፤፥፦।॥", r)
}
