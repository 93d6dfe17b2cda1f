package source

import (
	"regexp"
	"slices"
	"strings"
)

// The sections, by folder name. Code that means one section names it with
// these; code that means a kind of section asks its Section.
const (
	Fiches      = "fiches"
	Procedures  = "procedures"
	Topics      = "topics"
	Residence   = "residence"
	News        = "news"
	Newsletters = "newsletters"
	About       = "about"
	Glossary    = "glossary"
)

// KeyForm is how the folders of a section are named.
type KeyForm int

const (
	PlainKey KeyForm = iota // urgent-medical-aid
	DayKey                  // 2024-06-12-pharmacy-payments: the date, then a key
	MonthKey                // 2026-11: a newsletter edition's month
)

// Section is a folder of content/ and the rules its pages follow.
type Section struct {
	Name     string  // folder under content/, and the first part of a link /fiches/key
	URL      string  // first URL segment of its pages under /{lang}/
	Title    string  // interface string (i18n key) that names it
	Audience string  // audience of a page that sets none ("" for none)
	Key      KeyForm // how its folders are named
	// Dated: each page is the record of a day and needs a date; its
	// reviewed date, if any, does not age.
	Dated bool
	// Index: /{lang}/{URL}/ lists its pages by title (news and newsletter
	// editions have lists of their own, newest first).
	Index bool
	// Taxonomy: its pages are topics or residence statuses, named in other
	// pages' frontmatter (field Name); a taxonomy page has none itself and
	// lists the pages that name it.
	Taxonomy bool
	// Listed: its pages are listed on the topic and residence pages they
	// name.
	Listed bool
	// Topical: a page should name a topic; check warns when it names none.
	Topical bool
	// Reviewed: its pages state the law; check warns when a page has no
	// reviewed date.
	Reviewed bool
	// NewsletterLangs: its pages are expected only in the newsletter's
	// languages ([newsletter] languages of site.toml, when set), not in
	// every language of the site.
	NewsletterLangs bool
}

// Expects reports whether the section's pages are expected in language
// code: a page that is not expected there is not a missing translation.
func (s Section) Expects(code string, set Settings) bool {
	if s.NewsletterLangs && len(set.Newsletter.Languages) > 0 {
		return slices.Contains(set.Newsletter.Languages, code)
	}
	return true
}

// sections holds every section, in display order.
var sections = []Section{
	{Name: Fiches, URL: "fiches", Title: "fiches", Audience: "people", Index: true, Listed: true, Topical: true, Reviewed: true},
	{Name: Procedures, URL: "procedures", Title: "procedures", Audience: "professionals", Index: true, Listed: true, Topical: true, Reviewed: true},
	{Name: Topics, URL: "topics", Title: "topics", Index: true, Taxonomy: true},
	{Name: Residence, URL: "residence", Title: "residence", Index: true, Taxonomy: true},
	{Name: News, URL: "news", Title: "news", Key: DayKey, Dated: true, Topical: true},
	{Name: Newsletters, URL: "newsletter", Title: "newsletter", Key: MonthKey, Dated: true, Listed: true, NewsletterLangs: true},
	{Name: About, URL: "about", Title: "about", Index: true, Listed: true},
	{Name: Glossary, URL: "glossary", Title: "glossary", Index: true, Listed: true},
}

// Sections are the names of the sections, in display order.
var Sections = func() []string {
	out := make([]string, len(sections))
	for i, s := range sections {
		out[i] = s.Name
	}
	return out
}()

// AllSections returns every section, in display order.
func AllSections() []Section { return append([]Section(nil), sections...) }

// SectionOf returns the section named name; ok is false, and the Section
// zero, when there is none.
func SectionOf(name string) (s Section, ok bool) {
	for _, s := range sections {
		if s.Name == name {
			return s, true
		}
	}
	return Section{}, false
}

// Sec returns the section named name, or the zero Section (no property
// set) for an unknown name; for tests of a property in one expression.
func Sec(name string) Section {
	s, _ := SectionOf(name)
	return s
}

// keyPattern is the one pattern of keys and slugs: lower-case ASCII
// letters and digits in words joined by single hyphens.
const keyPattern = `[a-z0-9]+(-[a-z0-9]+)*`

var (
	keyRE  = regexp.MustCompile(`^` + keyPattern + `$`)
	dayRE  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-` + keyPattern + `$`)
	editRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)
)

// IsKey reports whether k is a plain key (or slug): lower-case ASCII
// letters, digits and single hyphens.
func IsKey(k string) bool { return keyRE.MatchString(k) }

// ValidKey reports whether key is a valid group key for the section.
func ValidKey(section, key string) bool { return Sec(section).ValidKey(key) }

// ValidKey reports whether key names a folder of the section.
func (s Section) ValidKey(key string) bool {
	switch s.Key {
	case DayKey:
		return dayRE.MatchString(key)
	case MonthKey:
		return editRE.MatchString(key)
	}
	return keyRE.MatchString(key)
}

// KeyHint says how the folders of the section are named; name, the wrong
// folder name, gives the example of a plain key.
func (s Section) KeyHint(name string) string {
	switch s.Key {
	case DayKey:
		return s.Name + " folders are named YYYY-MM-DD-key, e.g. 2024-06-12-pharmacy-payments"
	case MonthKey:
		return "a newsletter edition's folder is named for its month, YYYY-MM, e.g. 2026-11"
	}
	hint := "use lower-case letters a-z, digits and hyphens"
	if k := Key(name, ""); k != "" && k != name {
		hint += ", e.g. " + k
	}
	return hint
}

// Singular is the section's name for one page, for messages: topic, fiche.
func (s Section) Singular() string { return strings.TrimSuffix(s.Name, "s") }

// Names returns, in display order, the names of the sections for which keep
// is true.
func Names(keep func(Section) bool) []string {
	var out []string
	for _, s := range sections {
		if keep(s) {
			out = append(out, s.Name)
		}
	}
	return out
}
