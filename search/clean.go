package search

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Query limits. A reader's question fits easily; anything longer is pasted
// text or an attack and would only cost time.
const (
	MaxQueryBytes = 200
	MaxQueryWords = 16
	maxRawBytes   = 4 * 1024 // refuse before any work on megabytes of input
)

// ErrQueryTooLong is returned by CleanQuery and Search for a query over
// MaxQueryBytes or MaxQueryWords once cleaned.
var ErrQueryTooLong = errors.New("search: query too long")

// CleanQuery turns user input into plain words separated by single spaces,
// in NFC. It keeps letters, combining marks, digits, apostrophes inside
// words and the Persian zero-width non-joiner inside words; every other
// character (punctuation, symbols, control characters, invalid UTF-8, all
// characters with a meaning in bleve's query syntax such as + - : * ? / ~ ^
// " ( ) \) separates words; format characters (bidi marks, soft hyphens) are
// removed. Words with no letter or digit are dropped. The result is safe to
// analyze as text and is never parsed as a query. An empty result is not an
// error.
func CleanQuery(q string) (string, error) {
	if len(q) > maxRawBytes {
		return "", ErrQueryTooLong
	}
	var b strings.Builder
	b.Grow(len(q))
	for _, r := range q { // invalid UTF-8 arrives as U+FFFD, a symbol
		switch {
		case unicode.IsLetter(r), unicode.IsMark(r), unicode.IsNumber(r):
			b.WriteRune(r)
		case isApostrophe(r), r == zwnj:
			b.WriteRune(r)
		case unicode.Is(unicode.Cf, r):
			// invisible: drop without splitting the word
		default:
			b.WriteByte(' ')
		}
	}
	s := norm.NFC.String(b.String())

	words := strings.Fields(s)
	out := words[:0]
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return isApostrophe(r) || r == zwnj })
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) < 0 {
			continue
		}
		out = append(out, w)
	}
	s = strings.Join(out, " ")
	if len(s) > MaxQueryBytes || len(out) > MaxQueryWords {
		return "", ErrQueryTooLong
	}
	return s, nil
}

const zwnj = '\u200c'

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}

// runeLen is the length in runes, which is what a reader counts as typos.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
