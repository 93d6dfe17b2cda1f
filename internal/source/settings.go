package source

import (
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/BurntSushi/toml"

	"kb/internal/diag"
	"kb/internal/plain"
)

// SettingsPath is where the site settings live, relative to the site folder.
const SettingsPath = "content/site.toml"

// Settings are the site-wide settings of content/site.toml.
type Settings struct {
	BaseURL            string      `toml:"base_url"`
	DefaultLanguage    string      `toml:"default_language"`
	LanguageOrder      []string    `toml:"language_order"`
	ContactEmail       string      `toml:"contact_email"`
	Sample             bool        `toml:"sample"`
	NewsPerPage        int         `toml:"news_per_page"`
	ReviewMaxAgeMonths int         `toml:"review_max_age_months"`
	Emergency          []Emergency `toml:"emergency"`
	Plain              Plain       `toml:"plain"`
}

// Plain holds the plain-language limits of kb check: defaults, and a
// language's own under [plain.lang.<code>] (a zero value keeps the default).
type Plain struct {
	plain.Limits
	// Sections whose pages are checked; a page for professionals is not.
	Sections []string                `toml:"sections"`
	Lang     map[string]plain.Limits `toml:"lang"`
}

// For returns the limits of a language.
func (p Plain) For(code string) plain.Limits {
	l := p.Limits
	o := p.Lang[code]
	if o.SentenceWords != 0 {
		l.SentenceWords = o.SentenceWords
	}
	if o.ParagraphWords != 0 {
		l.ParagraphWords = o.ParagraphWords
	}
	if o.LIX != 0 {
		l.LIX = o.LIX
	}
	if o.LongWord != 0 {
		l.LongWord = o.LongWord
	}
	if o.CharsPerWord != 0 {
		l.CharsPerWord = o.CharsPerWord
	}
	if o.MinWords != 0 {
		l.MinWords = o.MinWords
	}
	return l
}

// Emergency is a number shown on every page, with the i18n key of its label.
type Emergency struct {
	Number string `toml:"number"`
	Label  string `toml:"label"`
}

func loadSettings(fsys fs.FS, problems *diag.List) Settings {
	s := Settings{NewsPerPage: 10, ReviewMaxAgeMonths: 12, Plain: Plain{
		Limits:   plain.Limits{SentenceWords: 25, ParagraphWords: 100, LIX: 50, LongWord: 6, MinWords: 100},
		Sections: []string{"fiches"},
	}}
	data, err := fs.ReadFile(fsys, SettingsPath)
	if err != nil {
		problems.Add(diag.Problem{Path: SettingsPath, Msg: "missing site settings", Hint: "create content/site.toml with base_url and default_language (see CONTENT.md)"})
		return s
	}
	if line := diag.InvalidUTF8Line(data); line > 0 {
		problems.Errorf(SettingsPath, line, "invalid UTF-8: save the file as UTF-8")
		return s
	}
	md, err := toml.Decode(string(data), &s)
	if err != nil {
		line := 0
		if pe, ok := err.(toml.ParseError); ok {
			line = pe.Position.Line
		}
		problems.Errorf(SettingsPath, line, "invalid TOML: %v", err)
		return s
	}
	for _, k := range md.Undecoded() {
		problems.Errorf(SettingsPath, tomlKeyLine(data, k[len(k)-1]), "unknown setting %q", k.String())
	}
	if u, err := url.Parse(s.BaseURL); s.BaseURL == "" || err != nil || u.Scheme == "" || u.Host == "" {
		problems.Errorf(SettingsPath, tomlKeyLine(data, "base_url"), "base_url must be the site's absolute URL, e.g. \"https://example.org\"")
	}
	s.BaseURL = strings.TrimSuffix(s.BaseURL, "/")
	if s.DefaultLanguage == "" {
		problems.Errorf(SettingsPath, 0, "missing default_language, e.g. default_language = \"fr\"")
	}
	if s.NewsPerPage <= 0 {
		problems.Errorf(SettingsPath, tomlKeyLine(data, "news_per_page"), "news_per_page must be a positive number")
		s.NewsPerPage = 10
	}
	for i, e := range s.Emergency {
		if e.Number == "" || strings.Trim(e.Number, "0123456789 +") != "" {
			problems.Errorf(SettingsPath, 0, "emergency number %d: %q is not a phone number", i+1, e.Number)
		}
	}
	return s
}

func tomlKeyLine(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		s := strings.TrimSpace(line)
		if strings.HasPrefix(s, key) && strings.HasPrefix(strings.TrimSpace(s[len(key):]), "=") {
			return i + 1
		}
		if s == fmt.Sprintf("[%s]", key) || s == fmt.Sprintf("[[%s]]", key) {
			return i + 1
		}
	}
	return 0
}
