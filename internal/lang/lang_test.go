package lang

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"kb/internal/diag"
)

var testFS = fstest.MapFS{
	"i18n/fr.toml": {Data: []byte(`name = "Français"
dir = "ltr"
date_format = "{day} {month} {year}"
months = ["janvier","février","mars","avril","mai","juin","juillet","août","septembre","octobre","novembre","décembre"]
[strings]
hello = "Bonjour {name}"
[strings.results]
one = "{n} résultat"
other = "{n} résultats"
`)},
	"i18n/ru.toml": {Data: []byte(`name = "Русский"
months = ["января","февраля","марта","апреля","мая","июня","июля","августа","сентября","октября","ноября","декабря"]
date_format = "{day} {month} {year}"
[strings.results]
one = "{n} результат"
few = "{n} результата"
many = "{n} результатов"
other = "{n} результата"
`)},
	"i18n/prs.toml": {Data: []byte("name = \"دری\"\ndir = \"rtl\"\ntag = \"fa-AF\"\n")},
	"i18n/ar.toml":  {Data: []byte("name = \"العربية\"\ndir = \"rtl\"\n")},
}

func load(t *testing.T) *Set {
	t.Helper()
	var problems diag.List
	set := Load(testFS, "i18n", &problems)
	if ps := problems.Problems(); len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	return set
}

func TestPluralsAndDates(t *testing.T) {
	set := load(t)
	fr, ru := set.Get("fr"), set.Get("ru")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"fr 0 is one", fr.N("results", 0), "0 résultat"},
		{"fr 2", fr.N("results", 2), "2 résultats"},
		{"ru 1", ru.N("results", 1), "1 результат"},
		{"ru 3", ru.N("results", 3), "3 результата"},
		{"ru 5", ru.N("results", 5), "5 результатов"},
		{"ru 21", ru.N("results", 21), "21 результат"},
		{"fill", fr.T("hello", "name", "Ana"), "Bonjour Ana"},
		{"missing key", fr.T("nope"), "nope"},
		{"fr date", fr.FormatDate(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)), "24 novembre 2026"},
		{"ru date", ru.FormatDate(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)), "1 мая 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	if got := strings.Join(set.Get("ar").Categories(), " "); got != "zero one two few many other" {
		t.Errorf("ar categories = %q", got)
	}
	if got := set.Get("prs").TagString(); got != "fa-AF" {
		t.Errorf("prs tag = %q", got)
	}
}

func TestMatch(t *testing.T) {
	set := load(t)
	set.Order([]string{"fr", "ar"})
	tests := []struct{ header, want string }{
		{"", "fr"},
		{"ru-RU,ru;q=0.9", "ru"},
		{"fa-AF", "prs"},
		{"de-DE, ar;q=0.5", "ar"},
		{"zz;;;garbage", "fr"},
		{"ja", "fr"},
	}
	for _, tt := range tests {
		if got := set.Match(tt.header, "fr"); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestBadFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"i18n/xx.toml": {Data: []byte("name = \"X\"\ndir = \"up\"\ncolour = 1\n[strings.n]\nsome = \"x\"\n")},
		"i18n/yy.toml": {Data: []byte("name = \"Y\n")},
		"i18n/zz.toml": {Data: []byte("name = \"\xff\"\n")},
	}
	var problems diag.List
	Load(fsys, "i18n", &problems)
	var got []string
	for _, p := range problems.Problems() {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`i18n/xx.toml:2: dir is "up"`,
		`i18n/xx.toml:3: unknown key "colour"`,
		`i18n/xx.toml:5: string "n": "some" is not a plural category`,
		`i18n/yy.toml:1: invalid TOML`,
		`i18n/zz.toml:1: invalid UTF-8`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
}

// TestFillAsReplacer: fill gives what strings.NewReplacer gave, for texts
// with keys, unknown keys, nested and unclosed braces, and repeated keys.
func TestFillAsReplacer(t *testing.T) {
	args := []any{"date", "1 mai 2026", "n", 3, "query", "a}b{c", "date", "twice"}
	texts := []string{"", "plain", "{date}", "Revu le {date}.", "{n} résultats pour « {query} »",
		"{{date}}", "{unknown} {date", "{", "}", "{}", "{da{date}te}", "{n}{n}{query}{date}{x}", "é{date}ü"}
	for _, s := range texts {
		pairs := []string{"{date}", "1 mai 2026", "{n}", "3", "{query}", "a}b{c", "{date}", "twice"}
		if got, want := fill(s, args), strings.NewReplacer(pairs...).Replace(s); got != want {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
}
