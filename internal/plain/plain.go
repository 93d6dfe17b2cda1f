// Package plain measures how hard a text is to read, for kb check's
// plain-language warnings: sentences that are too long, paragraphs that
// are too long, and a page's readability.
//
// # Rules
//
//   - A sentence ends at . ! ? … and at the Arabic question mark ؟ (U+061F),
//     the Arabic full stop ۔ (U+06D4, used in Pashto and Urdu), the Ethiopic
//     full stop ። (U+1362), question mark ፧ (U+1367) and paragraph separator
//     ፨ (U+1368), and the Devanagari danda । ॥; a paragraph or list item
//     ends one too. Commas (، U+060C, ፣ U+1363) and semicolons (؛, ፤) do
//     not. A full stop ends a sentence only before a space (or the end) and
//     a word that does not start with a lower-case letter, so 2.5, 9.1 and
//     "p. ex. le" do not split.
//   - Words are runs of letters, digits and marks; the Ethiopic wordspace ፡
//     (U+1361) separates words like a space. Letters are counted in
//     characters: one Ge'ez character is a syllable, one Latin or Arabic
//     character a sound, which is why the long-word length is per language.
//   - Scripts written without spaces between words (Thai, Chinese) cannot
//     be counted in words: for a language with chars_per_word set, a
//     sentence's length is its letters divided by that number.
//   - Readability is LIX (Björnsson): average sentence length in words plus
//     the percentage of long words (more than long_word letters). It needs
//     no syllable counting or word lists, so it works for every script once
//     "long" is set per language; Flesch-type formulas need per-language
//     syllable rules and constants kb cannot know for 15 languages.
package plain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a paragraph.
type Sentence struct {
	Start int // byte offset in the paragraph
	Text  string
	Words []string
}

// terminal reports whether r always ends a sentence.
func terminal(r rune) bool {
	switch r {
	case '!', '?', '…', '؟', '۔', '።', '፧', '፨', '।', '॥', '！', '？', '。':
		return true
	}
	return false
}

// Sentences splits a paragraph into sentences.
func Sentences(p string) []Sentence {
	var out []Sentence
	start := 0
	emit := func(end int) {
		s := strings.TrimSpace(p[start:end])
		if s != "" {
			lead := len(p[start:end]) - len(strings.TrimLeft(p[start:end], " \t\n"))
			if w := Words(s); len(w) > 0 {
				out = append(out, Sentence{Start: start + lead, Text: s, Words: w})
			}
		}
		start = end
	}
	for i, r := range p {
		end := i + utf8.RuneLen(r)
		switch {
		case terminal(r) || r == '.':
			end = closers(p, end)
			// ! and ? end a sentence only before a space, as . does (a URL
			// has ?q=); the other marks always do.
			switch {
			case end >= len(p):
				emit(end)
			case r == '.':
				if startsSpace(p[end:]) && !lowerNext(p[end:]) {
					emit(end)
				}
			case r == '!' || r == '?':
				if startsSpace(p[end:]) {
					emit(end)
				}
			default:
				emit(end)
			}
		}
	}
	emit(len(p))
	return out
}

// closers extends a sentence end over following end marks and closing
// quotes or brackets, also after a (no-break) space: « oui. » ends at ».
func closers(p string, end int) int {
	for end < len(p) {
		i := end
		for i < len(p) {
			c, n := utf8.DecodeRuneInString(p[i:])
			if c != ' ' && c != '\u00a0' && c != '\u202f' {
				break
			}
			i += n
		}
		c, n := utf8.DecodeRuneInString(p[i:])
		if i < len(p) && (strings.ContainsRune("\"'»”’)]›", c) || terminal(c) || c == '.') {
			if i > end && !strings.ContainsRune("»”›", c) {
				break // only French closing quotes follow a space
			}
			end = i + n
			continue
		}
		break
	}
	return end
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// lowerNext reports whether the next word of s starts with a lower-case
// letter (after spaces, quotes and brackets).
func lowerNext(s string) bool {
	for _, r := range s {
		if unicode.IsSpace(r) || strings.ContainsRune("\"'«“‘([", r) {
			continue
		}
		return unicode.IsLower(r)
	}
	return false
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
		r == '\u200c' || r == '\u200d' // zero-width (non-)joiner inside Persian words
}

// Words returns the words of s. An apostrophe or hyphen between letters
// keeps a word whole (aujourd'hui, c'est counts as one, as readers see it).
func Words(s string) []string {
	var out []string
	start := -1
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		inner := (r == '\'' || r == '’' || r == '-') && i > 0 && i+1 < len(rs) && wordRune(rs[i-1]) && wordRune(rs[i+1])
		if wordRune(r) || inner {
			if start < 0 {
				start = i
			}
			b.WriteRune(r)
			continue
		}
		if start >= 0 {
			out = append(out, b.String())
			b.Reset()
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, b.String())
	}
	return out
}

// Letters counts the letters of a word (marks and joiners not counted).
func Letters(w string) int {
	n := 0
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// Limits are a language's thresholds; a zero limit is not checked.
type Limits struct {
	SentenceWords  int     `toml:"sentence_words"`  // longest sentence, in words
	ParagraphWords int     `toml:"paragraph_words"` // longest paragraph, in words
	LIX            float64 `toml:"lix"`             // highest page LIX
	LongWord       int     `toml:"long_word"`       // a word longer than this many letters is long (LIX)
	CharsPerWord   float64 `toml:"chars_per_word"`  // for scripts without spaces: letters per word
	MinWords       int     `toml:"min_words"`       // pages shorter than this get no LIX
}

// Length is a sentence's length in words under l: its words, or for a
// script without spaces its letters divided by CharsPerWord.
func (l Limits) Length(s Sentence) int {
	if l.CharsPerWord > 0 {
		n := 0
		for _, w := range s.Words {
			n += Letters(w)
		}
		return int(float64(n)/l.CharsPerWord + 0.5)
	}
	return len(s.Words)
}

// Score is the readability of a text.
type Score struct {
	Sentences, Words, Long int
	LIX                    float64
}

// Measure computes LIX over paragraphs.
func (l Limits) Measure(paragraphs []string) Score {
	long := l.LongWord
	if long == 0 {
		long = 6
	}
	var sc Score
	for _, p := range paragraphs {
		for _, s := range Sentences(p) {
			sc.Sentences++
			sc.Words += l.Length(s)
			for _, w := range s.Words {
				if l.CharsPerWord == 0 && Letters(w) > long {
					sc.Long++
				}
			}
		}
	}
	if sc.Sentences > 0 && sc.Words > 0 {
		sc.LIX = float64(sc.Words)/float64(sc.Sentences) + 100*float64(sc.Long)/float64(sc.Words)
	}
	return sc
}
