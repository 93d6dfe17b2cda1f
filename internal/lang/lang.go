// Package lang reads the i18n/ folder: one file per language with its
// interface strings (plural forms included) and its own facts.
//
// # Files
//
// A language exists because i18n/<code>.toml exists; the code is the file name
// and the URL segment (/fr/, /prs/). The file holds:
//
//	name         the language's name in itself ("Français")
//	dir          "ltr" or "rtl"
//	tag          BCP 47 tag for lang=, hreflang and golang.org/x/text
//	             (default: the code; Dari is "prs" with tag "fa-AF")
//	date_format  "{day} {month} {year}"
//	months       twelve month names as they appear inside a date
//	list_separator  optional: what separates items of a list ("، " in
//	             Arabic script); default ", "
//	quotes       optional: four strings, the opening and closing double and
//	             single quotes the Markdown typographer uses; without them
//	             straight quotes are kept
//	[strings]    interface strings; a table of CLDR plural categories
//	             (zero one two few many other) for strings with plural forms
//
// Plural rules come from golang.org/x/text/feature/plural (CLDR), collation
// from golang.org/x/text/collate, both through the tag.
package lang

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/collate"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"kb/internal/diag"
)

// Language is one language of the site.
type Language struct {
	Code       string // file name and URL segment
	Tag        language.Tag
	Name       string // in itself
	Dir        string // "ltr" or "rtl"
	DateFormat string
	Months     []string
	Quotes     []string // open double, close double, open single, close single; or nil
	ListSep    string   // between items of an inline list
	Strings    map[string]string
	Plurals    map[string]map[string]string // key -> CLDR category -> text
	Path       string                       // i18n/<code>.toml
}

// TagString is the BCP 47 form of the tag, for lang= and hreflang.
func (l *Language) TagString() string { return l.Tag.String() }

// RTL reports whether the language is written right to left.
func (l *Language) RTL() bool { return l.Dir == "rtl" }

// T returns the interface string for key, with {name} placeholders replaced
// by the pairs in args ("date", "12 mai 2026", ...). A missing key returns the
// key itself so that a page still renders; kb check reports missing keys.
func (l *Language) T(key string, args ...any) string {
	s, ok := l.Strings[key]
	if !ok {
		if forms, ok := l.Plurals[key]; ok {
			s = forms["other"]
		} else {
			s = key
		}
	}
	return fill(s, args)
}

// N returns the plural form of key for n, with {n} and args filled in.
func (l *Language) N(key string, n int, args ...any) string {
	forms, ok := l.Plurals[key]
	if !ok {
		return fill(l.T(key), append([]any{"n", n}, args...))
	}
	s, ok := forms[l.Category(n)]
	if !ok {
		s = forms["other"]
	}
	return fill(s, append([]any{"n", n}, args...))
}

// Category returns the CLDR plural category of the whole number n.
func (l *Language) Category(n int) string {
	if n < 0 {
		n = -n
	}
	return formName[plural.Cardinal.MatchPlural(l.Tag, n, 0, 0, 0, 0)]
}

var formName = map[plural.Form]string{
	plural.Other: "other", plural.Zero: "zero", plural.One: "one",
	plural.Two: "two", plural.Few: "few", plural.Many: "many",
}

// Categories returns the plural categories the language uses for whole
// numbers, "other" always included, in CLDR order.
func (l *Language) Categories() []string {
	seen := map[string]bool{"other": true}
	for n := range 1000 {
		seen[l.Category(n)] = true
	}
	var out []string
	for _, c := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// ListSeparator returns what separates items of an inline list.
func (l *Language) ListSeparator() string {
	if l.ListSep == "" {
		return ", "
	}
	return l.ListSep
}

// FormatDate writes d in the language's own way ("24 novembre 2026").
func (l *Language) FormatDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	month := d.Month().String()
	if len(l.Months) == 12 {
		month = l.Months[d.Month()-1]
	}
	f := l.DateFormat
	if f == "" {
		f = "{year}-{month}-{day}"
	}
	return fill(f, []any{"day", d.Day(), "month", month, "year", d.Year()})
}

// Collator returns a collator for sorting titles in this language's order.
// Collators are not safe for concurrent use, so each caller gets its own.
func (l *Language) Collator() *collate.Collator {
	return collate.New(l.Tag)
}

func fill(s string, args []any) string {
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		var v string
		switch x := args[i+1].(type) {
		case string:
			v = x
		case int:
			v = strconv.Itoa(x)
		default:
			v = fmt.Sprint(x)
		}
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", v)
	}
	for i := 0; i < len(pairs); i += 2 {
		if strings.ContainsAny(pairs[i][1:len(pairs[i])-1], "{}") {
			return strings.NewReplacer(pairs...).Replace(s)
		}
	}
	// What strings.NewReplacer(pairs...).Replace(s) gives, without building
	// a replacer per call (every search result's date goes through here):
	// a placeholder runs from a "{" to the next "}", the first pair with
	// that key wins, and text that is no key is kept as it is.
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			break
		}
		k := -1
		for p := 0; p < len(pairs); p += 2 {
			if pairs[p] == s[:j+1] {
				k = p
				break
			}
		}
		if k < 0 {
			b.WriteByte('{')
			s = s[1:]
			continue
		}
		b.WriteString(pairs[k+1])
		s = s[j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// Set is every language of a site, sorted by code.
type Set struct {
	List   []*Language
	byCode map[string]*Language

	mu      sync.Mutex // the matcher is made on first use, by concurrent requests
	matcher language.Matcher
}

// Clone returns a set with the same languages, whose order can change
// without touching s.
func (s *Set) Clone() *Set {
	return &Set{List: append([]*Language(nil), s.List...), byCode: s.byCode}
}

// Get returns the language with the code, or nil.
func (s *Set) Get(code string) *Language { return s.byCode[code] }

// Codes returns the codes in order.
func (s *Set) Codes() []string {
	out := make([]string, len(s.List))
	for i, l := range s.List {
		out[i] = l.Code
	}
	return out
}

// Order puts the languages in the given order; the others follow by code.
func (s *Set) Order(codes []string) {
	rank := map[string]int{}
	for i, c := range codes {
		rank[c] = i + 1
	}
	sort.SliceStable(s.List, func(i, j int) bool {
		ri, rj := rank[s.List[i].Code], rank[s.List[j].Code]
		if ri == 0 {
			ri = len(codes) + 1
		}
		if rj == 0 {
			rj = len(codes) + 1
		}
		if ri != rj {
			return ri < rj
		}
		return s.List[i].Code < s.List[j].Code
	})
	s.mu.Lock()
	s.matcher = nil
	s.mu.Unlock()
}

// Match picks the best language for an Accept-Language header and returns
// its code; def (a code) when the header is missing, invalid or matches nothing.
func (s *Set) Match(acceptLanguage, def string) string {
	s.mu.Lock()
	if s.matcher == nil {
		tags := make([]language.Tag, len(s.List))
		for i, l := range s.List {
			tags[i] = l.Tag
		}
		s.matcher = language.NewMatcher(tags)
	}
	m := s.matcher
	s.mu.Unlock()
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 || len(s.List) == 0 {
		return def
	}
	_, i, conf := m.Match(prefs...)
	if conf == language.No {
		return def
	}
	return s.List[i].Code
}

type file struct {
	Name       string                    `toml:"name"`
	Dir        string                    `toml:"dir"`
	Tag        string                    `toml:"tag"`
	DateFormat string                    `toml:"date_format"`
	Months     []string                  `toml:"months"`
	Quotes     []string                  `toml:"quotes"`
	ListSep    string                    `toml:"list_separator"`
	Strings    map[string]toml.Primitive `toml:"strings"`
}

// Load reads every i18n/*.toml file of fsys. Problems go to problems; the
// languages that loaded are returned even when others failed.
func Load(fsys fs.FS, dir string, problems *diag.List) *Set {
	set := &Set{byCode: map[string]*Language{}}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		problems.Errorf(dir, 0, "cannot read the languages folder: %v", err)
		return set
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		p := path.Join(dir, name)
		if path.Ext(name) != ".toml" {
			problems.Errorf(p, 0, "not a language file: i18n/ holds <code>.toml files only")
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			problems.Errorf(p, 0, "%v", err)
			continue
		}
		if l := parse(p, strings.TrimSuffix(name, ".toml"), data, problems); l != nil {
			set.List = append(set.List, l)
			set.byCode[l.Code] = l
		}
	}
	return set
}

func parse(p, code string, data []byte, problems *diag.List) *Language {
	if line := diag.InvalidUTF8Line(data); line > 0 {
		problems.Errorf(p, line, "invalid UTF-8: save the file as UTF-8")
		return nil
	}
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		line, msg := diag.TOMLError(err)
		problems.Errorf(p, line, "invalid TOML: %s", msg)
		return nil
	}
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "strings" {
			continue
		}
		problems.Errorf(p, diag.TOMLKeyLine(data, k...), "unknown key %q (known: name, dir, tag, date_format, months, quotes, list_separator, strings)", k.String())
	}
	l := &Language{Code: code, Name: f.Name, Dir: f.Dir, DateFormat: f.DateFormat, Months: f.Months,
		Quotes: f.Quotes, ListSep: f.ListSep, Strings: map[string]string{}, Plurals: map[string]map[string]string{}, Path: p}
	if l.Name == "" {
		problems.Errorf(p, 0, "missing name: the language's name in itself, e.g. name = \"Français\"")
	}
	switch l.Dir {
	case "":
		l.Dir = "ltr"
	case "ltr", "rtl":
	default:
		problems.Errorf(p, diag.TOMLKeyLine(data, "dir"), "dir is %q: use \"ltr\" or \"rtl\"", l.Dir)
	}
	tag := f.Tag
	if tag == "" {
		tag = code
	}
	t, err := language.Parse(tag)
	if err != nil {
		problems.Errorf(p, diag.TOMLKeyLine(data, "tag"), "invalid language tag %q: %v", tag, err)
		t = language.Und
	}
	l.Tag = t
	if len(l.Months) != 0 && len(l.Months) != 12 {
		problems.Errorf(p, diag.TOMLKeyLine(data, "months"), "months has %d names, want 12", len(l.Months))
	}
	if len(l.Quotes) != 0 && len(l.Quotes) != 4 {
		problems.Errorf(p, diag.TOMLKeyLine(data, "quotes"), "quotes has %d strings, want 4 (open and close double, open and close single)", len(l.Quotes))
	}
	keys := make([]string, 0, len(f.Strings))
	for k := range f.Strings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		prim := f.Strings[k]
		var s string
		if err := md.PrimitiveDecode(prim, &s); err == nil {
			l.Strings[k] = s
			continue
		}
		var forms map[string]string
		if err := md.PrimitiveDecode(prim, &forms); err != nil {
			problems.Errorf(p, diag.TOMLKeyLine(data, "strings", k), "string %q must be text or a table of plural forms", k)
			continue
		}
		for c := range forms {
			switch c {
			case "zero", "one", "two", "few", "many", "other":
			default:
				problems.Errorf(p, diag.TOMLKeyLine(data, "strings", k, c), "string %q: %q is not a plural category (zero, one, two, few, many, other)", k, c)
			}
		}
		l.Plurals[k] = forms
	}
	return l
}
