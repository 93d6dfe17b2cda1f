package spip

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Latin letters that do not decompose into a base letter and a mark.
var latinFold = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l",
	'þ': "th", 'ı': "i", 'ŋ': "ng", 'ħ': "h", 'ŧ': "t", 'ſ': "s", 'ĸ': "k",
}

const maxKeyLen = 60

var keyRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// validKey reports whether k is a kb key: lower-case ASCII letters, digits
// and single hyphens.
func validKey(k string) bool { return keyRe.MatchString(k) }

// slugify makes a key from a title: Latin letters lose their accents, every
// other run of characters becomes one hyphen. It returns "" when the title is
// mostly in another script (Arabic, Cyrillic, …), because a key made of its
// few Latin characters would be meaningless.
func slugify(title string) string {
	var b strings.Builder
	latin, other := 0, 0
	hyphen := false
	put := func(s string) {
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(s)
	}
	for _, r := range norm.NFKD.String(title) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z':
			latin++
			put(string(r))
		case r >= '0' && r <= '9':
			put(string(r))
		case latinFold[r] != "":
			latin++
			put(latinFold[r])
		case unicode.IsLetter(r):
			other++
			hyphen = true
		default:
			hyphen = true
		}
	}
	if other > latin {
		return ""
	}
	k := b.String()
	if len(k) > maxKeyLen {
		k = k[:maxKeyLen]
		if i := strings.LastIndexByte(k, '-'); i > maxKeyLen/2 {
			k = k[:i]
		}
		k = strings.TrimRight(k, "-")
	}
	return k
}

// keys hands out unique keys within one namespace (a section).
type keys map[string]bool

// make returns a unique key for title, or fallback when the title gives
// none. A taken key gets the SPIP id appended, so that keys stay stable when
// other objects are added between two imports.
func (ks keys) make(title, fallback string, id int) string {
	k := slugify(title)
	if k == "" {
		k = fallback
	}
	if ks[k] {
		k = fmt.Sprintf("%s-%d", k, id)
	}
	for base, n := k, 2; ks[k]; n++ {
		k = fmt.Sprintf("%s-%d", base, n)
	}
	ks[k] = true
	return k
}
