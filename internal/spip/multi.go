package spip

import (
	"regexp"
	"sort"
	"strings"
)

var (
	multiRe   = regexp.MustCompile(`(?is)<multi>(.*?)</multi>`)
	multiTag  = regexp.MustCompile(`\[([a-zA-Z]{2,3}(?:_[a-zA-Z]+)?)\]`)
	multiOpen = regexp.MustCompile(`(?i)</?multi>`)
)

// multiBlock is one <multi> block: the text before the first [xx] and the
// text of each language, in the order written.
type multiBlock struct {
	def   string
	langs []string
	texts map[string]string
}

func parseMulti(inner string) multiBlock {
	b := multiBlock{texts: map[string]string{}}
	locs := multiTag.FindAllStringSubmatchIndex(inner, -1)
	if len(locs) == 0 {
		b.def = strings.TrimSpace(inner)
		return b
	}
	b.def = strings.TrimSpace(inner[:locs[0][0]])
	for i, l := range locs {
		end := len(inner)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		lang := strings.ToLower(inner[l[2]:l[3]])
		if _, dup := b.texts[lang]; dup {
			continue
		}
		b.langs = append(b.langs, lang)
		b.texts[lang] = strings.TrimSpace(inner[l[1]:end])
	}
	return b
}

// pick returns the text for lang the way SPIP does: that language, else the
// default text, else the first language written.
func (b multiBlock) pick(lang string) string {
	if t, ok := b.texts[lang]; ok {
		return t
	}
	if b.def != "" || len(b.langs) == 0 {
		return b.def
	}
	return b.texts[b.langs[0]]
}

// pickMulti replaces every <multi> block of s by its text in lang. It reports
// whether an unclosed <multi> tag was left over (and removed).
func pickMulti(s, lang string) (string, bool) {
	if !strings.Contains(strings.ToLower(s), "<multi") {
		return s, false
	}
	s = multiRe.ReplaceAllStringFunc(s, func(m string) string {
		inner := m[len("<multi>") : len(m)-len("</multi>")]
		return parseMulti(inner).pick(lang)
	})
	left := multiOpen.MatchString(s)
	if left {
		s = multiOpen.ReplaceAllString(s, "")
	}
	return s, left
}

// multiLangs lists, sorted, the languages named in the <multi> blocks of s.
func multiLangs(s string) []string {
	seen := map[string]bool{}
	for _, m := range multiRe.FindAllStringSubmatch(s, -1) {
		for _, l := range parseMulti(m[1]).langs {
			seen[l] = true
		}
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}
