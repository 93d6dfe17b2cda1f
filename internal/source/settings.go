package source

import (
	"cmp"
	"fmt"
	"io/fs"
	"net/mail"
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
	Newsletter         Newsletter  `toml:"newsletter"`
	// Organisation and ContactPhone are printed on the PDFs; PDF makes every
	// build print them (as kb build --pdf does).
	Organisation string `toml:"organisation"`
	ContactPhone string `toml:"contact_phone"`
	PDF          bool   `toml:"pdf"`
	Plain        Plain  `toml:"plain"`
}

// Newsletter holds the headers of the newsletter e-mails (kb newsletter).
type Newsletter struct {
	From    string `toml:"from"`     // "Name <address>"
	ReplyTo string `toml:"reply_to"` // optional
	// Languages are the editions kb newsletter makes by default.
	Languages []string `toml:"languages"`
	// Unsubscribe are the List-Unsubscribe targets: mailto: and https: URLs,
	// usually the mailing tool's.
	Unsubscribe []string `toml:"unsubscribe"`
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
	l.SentenceWords = cmp.Or(o.SentenceWords, l.SentenceWords)
	l.ParagraphWords = cmp.Or(o.ParagraphWords, l.ParagraphWords)
	l.LIX = cmp.Or(o.LIX, l.LIX)
	l.LongWord = cmp.Or(o.LongWord, l.LongWord)
	l.CharsPerWord = cmp.Or(o.CharsPerWord, l.CharsPerWord)
	l.MinWords = cmp.Or(o.MinWords, l.MinWords)
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
		Sections: []string{Fiches},
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
		line, msg := diag.TOMLError(err)
		problems.Errorf(SettingsPath, line, "invalid TOML: %s", msg)
		return s
	}
	for _, k := range md.Undecoded() {
		problems.Errorf(SettingsPath, diag.TOMLKeyLine(data, k...), "unknown setting %q", k.String())
	}
	if u, err := url.Parse(s.BaseURL); s.BaseURL == "" || err != nil || u.Scheme == "" || u.Host == "" {
		problems.Errorf(SettingsPath, diag.TOMLKeyLine(data, "base_url"), "base_url must be the site's absolute URL, e.g. \"https://example.org\"")
	}
	s.BaseURL = strings.TrimSuffix(s.BaseURL, "/")
	if s.DefaultLanguage == "" {
		problems.Errorf(SettingsPath, 0, "missing default_language, e.g. default_language = \"fr\"")
	}
	if s.NewsPerPage <= 0 {
		problems.Errorf(SettingsPath, diag.TOMLKeyLine(data, "news_per_page"), "news_per_page must be a positive number")
		s.NewsPerPage = 10
	}
	for i, e := range s.Emergency {
		if e.Number == "" || strings.Trim(e.Number, "0123456789 +") != "" {
			problems.Errorf(SettingsPath, 0, "emergency number %d: %q is not a phone number", i+1, e.Number)
		}
	}
	checkNewsletter(s.Newsletter, data, problems)
	return s
}

func checkNewsletter(n Newsletter, data []byte, problems *diag.List) {
	for _, f := range []struct{ key, v string }{{"from", n.From}, {"reply_to", n.ReplyTo}} {
		if f.v == "" {
			continue
		}
		if _, err := mail.ParseAddress(f.v); err != nil {
			problems.Add(diag.Problem{Path: SettingsPath, Line: diag.TOMLKeyLine(data, "newsletter", f.key), Msg: fmt.Sprintf("newsletter %s %q is not an e-mail address", f.key, f.v), Hint: `write it as "Name <address@example.org>"`})
		}
	}
	for _, u := range n.Unsubscribe {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "mailto" && p.Scheme != "https") || (p.Scheme == "https" && p.Host == "") || (p.Scheme == "mailto" && p.Opaque == "") {
			problems.Add(diag.Problem{Path: SettingsPath, Line: diag.TOMLKeyLine(data, "newsletter", "unsubscribe"), Msg: fmt.Sprintf("newsletter unsubscribe %q is not a mailto: or https: URL", u), Hint: "use your mailing tool's unsubscribe address, e.g. mailto:unsubscribe@example.org"})
		}
	}
}
