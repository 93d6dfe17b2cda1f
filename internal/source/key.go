package source

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxKey is the length past which Key cuts a key, at a hyphen.
const MaxKey = 60

// stripMarks decomposes a letter (compatibility forms too: ﬁ → fi) and
// drops its combining marks: é → e. A
// transform.Chain keeps state while it runs, so each Key makes its own: one
// shared chain garbles keys made at the same time.
func stripMarks() transform.Transformer {
	return transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)))
}

// Key makes a group key from a title: lower-case ASCII letters, digits and
// single hyphens (IsKey), at most MaxKey characters, cut at a hyphen. kb new,
// kb import spip and the build's hints all make keys with it, so one title
// gives one key everywhere. Latin letters
// lose their accents; Cyrillic, Greek, Arabic, Persian, Pashto and Ethiopic
// letters are transliterated (lang, the title's language, picks the
// Ukrainian readings of Cyrillic). Other scripts are dropped, so the key
// can be "".
func Key(title, lang string) string {
	var b strings.Builder
	hyphen := false
	put := func(s string) {
		if s == "" {
			return
		}
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	rs := []rune(norm.NFC.String(title))
	strip := stripMarks()
	for i, r := range rs {
		r = unicode.ToLower(r)
		if lang == "uk" && ukrainian[r] != "" {
			put(ukrainian[r])
			continue
		}
		if s, ok := table[r]; ok {
			put(s)
			continue
		}
		if s, ok := ethiopic(r, i+1 == len(rs) || !isEthiopic(rs[i+1])); ok {
			put(s)
			continue
		}
		if r == '\u200c' || r == '\u200d' || r == '\u0640' {
			continue // joiners and tatweel stay inside the word
		}
		bare, _, _ := transform.String(strip, string(r))
		for _, c := range bare {
			c = unicode.ToLower(c)
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				put(string(c))
			case table[c] != "":
				put(table[c])
			case unicode.Is(unicode.Mn, c):
			default:
				hyphen = true
			}
		}
	}
	return cut(b.String(), MaxKey)
}

// cut shortens k to at most n bytes, at the last hyphen when there is one.
func cut(k string, n int) string {
	if len(k) <= n {
		return k
	}
	k = k[:n+1]
	if i := strings.LastIndexByte(k, '-'); i > 0 {
		return k[:i]
	}
	return strings.TrimRight(k[:n], "-")
}

// table transliterates letters that do not decompose into ASCII. It is the
// one fold table for keys (search folds with its own analyzers): Latin
// ligatures and special letters, Cyrillic (Russian readings), Greek,
// Arabic with the Persian and Pashto letters, and Arabic-Indic digits.
var table = func() map[rune]string {
	m := map[rune]string{
		'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l",
		'þ': "th", 'ı': "i", 'ŋ': "ng", 'ħ': "h", 'ŧ': "t", 'ĸ': "k", 'ə': "e", 'ſ': "s",
		// Cyrillic
		'й': "y", 'ё': "e", 'ж': "zh", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
		'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
		'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ђ': "dj", 'ј': "j", 'љ': "lj",
		'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
		// Greek, after its accents are removed
		'θ': "th", 'ξ': "x", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ς': "s", 'η': "i", 'ω': "o", 'υ': "y",
		// Arabic, Persian, Pashto (vowel marks are combining marks, dropped)
		'ا': "a", 'ٱ': "a", 'ى': "a", 'ة': "a", 'ء': "", 'ع': "", 'ث': "th", 'ج': "j",
		'ح': "h", 'خ': "kh", 'ذ': "dh", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t",
		'ظ': "z", 'غ': "gh", 'ق': "q", 'ك': "k", 'و': "w", 'ي': "y", 'ه': "h",
		'پ': "p", 'چ': "ch", 'ژ': "zh", 'ک': "k", 'گ': "g", 'ی': "y", 'ې': "e",
		'ۍ': "ay", 'ټ': "t", 'ډ': "d", 'ړ': "r", 'ږ': "zh", 'ښ': "sh", 'ګ': "g",
		'ڼ': "n", 'ځ': "dz", 'څ': "ts", 'ئ': "y", 'ؤ': "w", 'أ': "a", 'إ': "i", 'آ': "a",
	}
	// Letters that map one to one.
	for _, set := range []struct{ from, to string }{
		{"абвгдезиклмнопрстуф", "abvgdeziklmnoprstuf"},
		{"αβγδεζικλμνοπρστ", "avgdeziklmnoprst"},
		{"بتدرزسفلمن", "btdrzsflmn"},
		{"٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
	} {
		to := []rune(set.to)
		for i, r := range []rune(set.from) {
			m[r] = string(to[i])
		}
	}
	return m
}()

// ukrainian holds the Ukrainian readings that differ from the Russian ones
// (the Ukrainian national transliteration).
var ukrainian = map[rune]string{'г': "h", 'и': "y", 'й': "i", 'х': "kh"}

// Ethiopic syllables (Tigrinya, Amharic) sit in rows of eight from U+1200:
// a consonant with the vowels ä u i a e ə o, then its -wa form.
var (
	ethiopicConsonants = strings.Split(
		"h l h m s r s sh q - qh - b v t ch h - n ny _ k - kh - w _ z zh y d d j g - g t ch p ts ts f p", " ")
	ethiopicLabial = map[int]string{0x1248: "qw", 0x1258: "qhw", 0x1288: "hw", 0x12B0: "kw", 0x12C0: "khw", 0x1310: "gw"}
	ethiopicVowels = []string{"e", "u", "i", "a", "e", "i", "o", "wa"}
)

func isEthiopic(r rune) bool { return r >= 0x1200 && r < 0x1360 }

// ethiopic transliterates an Ethiopic syllable. The sixth-order vowel (ə)
// is written i inside a word and dropped at its end: ትግርኛ gives tigirinya,
// ሓገዝ gives hagez.
func ethiopic(r rune, wordEnd bool) (string, bool) {
	if !isEthiopic(r) {
		return "", false
	}
	row, order := int(r-0x1200)/8, int(r-0x1200)%8
	if c, ok := ethiopicLabial[0x1200+row*8]; ok {
		return c + []string{"e", "", "i", "a", "e", "", "", ""}[order], true
	}
	if row >= len(ethiopicConsonants) || ethiopicConsonants[row] == "-" {
		return "", true
	}
	c, v := ethiopicConsonants[row], ethiopicVowels[order]
	switch {
	case c == "_": // a vowel carrier (አ, ዐ): the vowel alone
		c = ""
	case order == 5 && wordEnd:
		v = ""
	}
	return c + v, true
}
