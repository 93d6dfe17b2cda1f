package search

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/segment"
)

// wordTokenizer gives the tokens of bleve's unicode tokenizer (Unicode word
// boundaries, UAX #29, by github.com/blevesearch/segment), term, offsets,
// position and type, for less work. That tokenizer restarts the segmenter
// and allocates for every word; most of an index's text is plain ASCII
// words between spaces, whose boundaries need no Unicode tables.
//
// The text is cut where a boundary is certain whatever surrounds it: after
// an ASCII space, tab or line end followed by an ASCII character that is
// not one, or by a letter of wordLetters. No rule of UAX #29 joins across such a point (the rules that
// look two characters ahead or behind need a letter, digit or middle
// punctuation there, never a space), so the pieces can be segmented apart.
// A piece that is one word of letters (ASCII, or of the Latin, Cyrillic,
// Arabic and Ethiopic letters in wordLetters) or of ASCII digits, with at
// most one bracket or punctuation mark before and after it, then spaces, is
// taken as is; the other pieces are segmented together in one pass of the
// segmenter. Text that is not valid UTF-8 goes to bleve's tokenizer. TestWordTokenizerSame compares the two tokenizers on the sample
// site, on generated sites and on random text; FuzzWordTokenizer goes on.
type wordTokenizer struct {
	stock analysis.Tokenizer // for text the segmenter rejects: its own result
}

func newWordTokenizer() wordTokenizer {
	return wordTokenizer{stock: unicodetok.NewUnicodeTokenizer()}
}

func (w wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if !utf8.Valid(input) {
		// The segmenter reads a broken sequence's lead byte with the bytes
		// after it, a space too: no cut point is certain.
		return w.stock.Tokenize(input)
	}
	tb := tokenBuilder{input: input}
	tb.tokens = make([]analysis.Token, 0, len(input)/6+1)
	pending := 0 // start of the text not yet tokenized
	for i := 0; i < len(input); {
		word, typ, end, ok := asciiPiece(input, i)
		if !ok {
			i = nextCut(input, i)
			continue
		}
		if pending < i && !tb.segment(pending, i) {
			return w.stock.Tokenize(input)
		}
		if word.end > word.start {
			tb.add(word.start, word.end, typ)
		}
		i, pending = end, end
	}
	if pending < len(input) && !tb.segment(pending, len(input)) {
		return w.stock.Tokenize(input)
	}
	out := make(analysis.TokenStream, len(tb.tokens))
	for i := range tb.tokens {
		out[i] = &tb.tokens[i]
	}
	return out
}

type wordSpan struct{ start, end int }

// asciiPiece reads, at a cut point i, a piece that needs no segmenter: an
// optional mark, a word of ASCII letters or of ASCII digits (or none), an
// optional mark, then ASCII spaces up to the next cut point or the end of
// the text. It returns the word, its segment type and where the piece ends.
func asciiPiece(b []byte, i int) (word wordSpan, typ, end int, ok bool) {
	j := i
	if j < len(b) && isPieceMark(b[j]) {
		j++
	}
	word.start = j
	switch {
	case letterAt(b, j) > 0:
		for n := letterAt(b, j); n > 0; n = letterAt(b, j) {
			j += n
		}
		typ = segment.Letter
	case j < len(b) && isDigit(b[j]):
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		typ = segment.Number
	}
	word.end = j
	if j < len(b) && isPieceMark(b[j]) {
		j++
	}
	if j < len(b) && !isSpace(b[j]) {
		return wordSpan{}, 0, 0, false
	}
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j < len(b) && b[j] >= 0x80 && letterAt(b, j) == 0 {
		return wordSpan{}, 0, 0, false // a combining mark may belong to the space
	}
	return word, typ, j, true
}

// nextCut returns the first cut point after i, or the end of b.
func nextCut(b []byte, i int) int {
	for k := i + 1; k < len(b); k++ {
		if isSpace(b[k-1]) && !isSpace(b[k]) && (b[k] < 0x80 || letterAt(b, k) > 0) {
			return k
		}
	}
	return len(b)
}

// letterAt returns the length of the letter at b[i] (an ASCII letter or one
// of wordLetters), or 0.
func letterAt(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	if c := b[i]; c < utf8.RuneSelf {
		if isASCIILetter(c) {
			return 1
		}
		return 0
	}
	r, n := utf8.DecodeRune(b[i:])
	if r < rune(len(letterBits))*64 && letterBits[r/64]&(1<<(r%64)) != 0 {
		return n
	}
	return 0
}

// wordLetters are letters of the scripts kb serves that Unicode 8, the
// segmenter's version, gives the word break property ALetter: a run of
// them is one word, like a run of ASCII letters. TestWordLetters checks
// every one of them against the segmenter. Combining marks (accents,
// harakat), digits and letters of other scripts are not here: text with
// them goes to the segmenter.
var wordLetters = [][2]rune{
	{0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x024F}, // Latin-1, Latin Extended-A and -B
	{0x0400, 0x0481}, {0x048A, 0x052F}, // Cyrillic
	{0x0620, 0x064A}, {0x066E, 0x066F}, {0x0671, 0x06D3}, {0x06D5, 0x06D5}, // Arabic
	{0x06EE, 0x06EF}, {0x06FA, 0x06FC}, {0x06FF, 0x06FF},
	{0x1200, 0x1248}, {0x124A, 0x124D}, {0x1250, 0x1256}, {0x1258, 0x1258}, {0x125A, 0x125D}, // Ethiopic
	{0x1260, 0x1288}, {0x128A, 0x128D}, {0x1290, 0x12B0}, {0x12B2, 0x12B5}, {0x12B8, 0x12BE},
	{0x12C0, 0x12C0}, {0x12C2, 0x12C5}, {0x12C8, 0x12D6}, {0x12D8, 0x1310}, {0x1312, 0x1315},
	{0x1318, 0x135A},
}

// letterBits has the bit r set for each rune r of wordLetters.
var letterBits = func() []uint64 {
	bits := make([]uint64, 0x1380/64)
	for _, rg := range wordLetters {
		for r := rg[0]; r <= rg[1]; r++ {
			bits[r/64] |= 1 << (r % 64)
		}
	}
	return bits
}()

// isPieceMark reports the ASCII marks that, next to a space, never join a
// word in UAX #29: brackets and "Other" marks, and the middle punctuation
// (, . ; :) that joins only between two letters or two digits. Quotes,
// apostrophes and the underscore are left to the segmenter.
func isPieceMark(c byte) bool {
	switch c {
	case '(', ')', ',', '.', ';', ':', '!', '?':
		return true
	}
	return false
}

func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }

// tokenBuilder collects the tokens of one text.
type tokenBuilder struct {
	input  []byte
	tokens []analysis.Token
	vals   [][]byte
	types  []int
}

func (tb *tokenBuilder) add(start, end, typ int) {
	tb.tokens = append(tb.tokens, analysis.Token{
		Term:     tb.input[start:end],
		Start:    start,
		End:      end,
		Position: len(tb.tokens) + 1,
		Type:     tokenType(typ),
	})
}

// segment adds the tokens of input[start:end] as the segmenter finds them,
// in one pass. It reports false if the segmenter fails or does not account
// for every byte.
func (tb *tokenBuilder) segment(start, end int) bool {
	if tb.vals == nil {
		// Without room given, the segmenter makes room for 1,000 words.
		tb.vals, tb.types = make([][]byte, 0, 64), make([]int, 0, 64)
	}
	vals, types, n, err := segment.SegmentWordsDirect(tb.input[start:end], tb.vals[:0], tb.types[:0])
	tb.vals, tb.types = vals, types
	if err != nil || n != end-start {
		return false
	}
	at := start
	for i, v := range vals {
		if types[i] != segment.None {
			tb.add(at, at+len(v), types[i])
		}
		at += len(v)
	}
	return at == end
}

// tokenType is bleve's unicode tokenizer's type for a segment type.
func tokenType(t int) analysis.TokenType {
	switch t {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}
