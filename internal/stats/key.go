package stats

import (
	"bytes"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kinds of counters.
const (
	Visit  = "visit"
	Search = "search"
	NL     = "nl"
	Other  = "other"
)

// Search outcomes.
const (
	Exact         = "exact"
	Fuzzy         = "fuzzy"
	OtherLanguage = "other-language"
	None          = "none"
)

// Other events, counted apart from visits.
const (
	Bot      = "bot"
	Redirect = "redirect"
	NotFound = "not-found"
	Error    = "error"
	Feed     = "feed"
	Chooser  = "chooser"
)

// K is how many searches in a period must share a query text for it to be
// reported.
const K = 3

// maxQuery bounds a stored query, in characters.
const maxQuery = 80

// Key names one counter.
type Key struct {
	Kind  string // Visit, Search, NL, Other
	Lang  string
	Class string // page kind, search outcome, newsletter edition, other event
	Item  string // section/key or list name, masked query, page
}

func (k Key) encode() string {
	return k.Kind + "\x00" + k.Lang + "\x00" + k.Class + "\x00" + k.Item
}

func decodeKey(s string) (Key, bool) {
	p := strings.SplitN(s, "\x00", 4)
	if len(p) != 4 {
		return Key{}, false
	}
	return Key{p[0], p[1], p[2], p[3]}, true
}

// NormalizeQuery returns the query as it may be stored: NFC, lower case,
// spaces collapsed, e-mail addresses removed, digit runs masked, bounded.
func NormalizeQuery(q string) string {
	q = norm.NFC.String(strings.ToValidUTF8(q, ""))
	var words []string
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		if strings.Contains(w, "@") {
			continue // an e-mail address, or half of one
		}
		words = append(words, strings.ToLower(w))
	}
	s := maskDigits(strings.Join(words, " "))
	if utf8.RuneCountInString(s) > maxQuery {
		r := []rune(s)
		s = strings.TrimSpace(string(r[:maxQuery]))
	}
	return s
}

// maskDigits replaces every run of two or more digits, separators between
// digits included (0470 12 34 56, 85.07.30-033.61), by "#".
func maskDigits(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i := 0; i < len(r); {
		if !unicode.IsDigit(r[i]) {
			b.WriteRune(r[i])
			i++
			continue
		}
		j, digits, end := i, 0, i
		for j < len(r) {
			if unicode.IsDigit(r[j]) {
				digits++
				j++
				end = j
				continue
			}
			if isDigitSep(r[j]) && j+1 < len(r) && unicode.IsDigit(r[j+1]) {
				j++
				continue
			}
			break
		}
		if digits >= 2 {
			b.WriteByte('#')
		} else {
			b.WriteString(string(r[i:end]))
		}
		i = end
	}
	return b.String()
}

func isDigitSep(r rune) bool {
	switch r {
	case ' ', '.', '-', '/', '+', '(', ')', ',', '_':
		return true
	}
	return false
}

// botWords are parts of the User-Agent of crawlers, link previewers,
// monitors and scripts.
var botWords = []string{
	"bot", "crawl", "spider", "slurp", "archiver", "fetch", "scan", "monitor",
	"uptime", "pingdom", "facebookexternalhit", "preview", "headless",
	"curl", "wget", "python", "go-http-client", "java/", "okhttp", "libwww",
	"httpclient", "axios", "node-fetch", "feed", "lighthouse", "validator",
}

// IsBot reports whether a User-Agent is a crawler, a bot or a script. An
// empty User-Agent is one too.
func IsBot(ua string) bool {
	if strings.TrimSpace(ua) == "" || ua == "-" {
		return true
	}
	// Lower-case ASCII into a buffer on the stack: this runs on every request.
	var buf [512]byte
	n := copy(buf[:], ua)
	for i := range n {
		if c := buf[i]; 'A' <= c && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	low := buf[:n]
	for _, w := range botWords {
		if bytes.Contains(low, []byte(w)) {
			return true
		}
	}
	return false
}

// Edition returns the newsletter edition of a ?nl= value, or "" when it is
// not one: YYYY-MM, optionally followed by a short lower-case suffix
// (2025-03, 2025-03-fr). Anything else is ignored, so no free text is kept.
func Edition(v string) string {
	if len(v) < 7 || len(v) > 16 {
		return ""
	}
	if _, err := time.Parse("2006-01", v[:7]); err != nil {
		return ""
	}
	if suffix := v[7:]; suffix != "" {
		if len(suffix) < 2 || suffix[0] != '-' || strings.Trim(suffix, "-abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			return ""
		}
	}
	return v
}
