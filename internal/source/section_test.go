package source

import (
	"strings"
	"testing"
)

func TestSectionKeys(t *testing.T) {
	tests := []struct {
		section, key string
		ok           bool
	}{
		{Fiches, "urgent-medical-aid", true},
		{Fiches, "9ter", true},
		{Fiches, "Urgent", false},
		{Fiches, "a--b", false},
		{Fiches, "-a", false},
		{Fiches, "2024-06-12-news", true},
		{News, "2024-06-12-pharmacy-payments", true},
		{News, "pharmacy-payments", false},
		{News, "2024-06-12", false},
		{Newsletters, "2026-11", true},
		{Newsletters, "2026-13", false},
		{Newsletters, "2026-11-a", false},
		{Topics, "access-to-care", true},
		{"blog", "a", true}, // an unknown section is reported as such, not its keys
	}
	for _, tt := range tests {
		t.Run(tt.section+"/"+tt.key, func(t *testing.T) {
			if got := ValidKey(tt.section, tt.key); got != tt.ok {
				t.Errorf("ValidKey = %v, want %v", got, tt.ok)
			}
		})
	}
}

func TestSectionHints(t *testing.T) {
	tests := []struct {
		section, name, want string
	}{
		{Fiches, "Aide Médicale", "use lower-case letters a-z, digits and hyphens, e.g. aide-medicale"},
		{Fiches, "___", "use lower-case letters a-z, digits and hyphens"},
		{News, "x", "news folders are named YYYY-MM-DD-key, e.g. 2024-06-12-pharmacy-payments"},
		{Newsletters, "x", "a newsletter edition's folder is named for its month, YYYY-MM, e.g. 2026-11"},
	}
	for _, tt := range tests {
		t.Run(tt.section+"/"+tt.name, func(t *testing.T) {
			if got := Sec(tt.section).KeyHint(tt.name); got != tt.want {
				t.Errorf("KeyHint = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSectionTable checks the table's own rules: every section has a URL
// and a title, a section that names a default audience is one of people or
// professionals, and the dated sections are those whose keys carry a date.
func TestSectionTable(t *testing.T) {
	urls := map[string]bool{}
	for _, s := range AllSections() {
		t.Run(s.Name, func(t *testing.T) {
			if s.URL == "" || s.Title == "" || !IsKey(s.URL) {
				t.Errorf("URL %q, title %q", s.URL, s.Title)
			}
			if urls[s.URL] {
				t.Errorf("URL %q used twice", s.URL)
			}
			urls[s.URL] = true
			if s.Audience != "" && s.Audience != "people" && s.Audience != "professionals" {
				t.Errorf("audience %q", s.Audience)
			}
			if s.Dated != (s.Key != PlainKey) {
				t.Errorf("dated %v with key form %d", s.Dated, s.Key)
			}
			if s.Taxonomy && (s.Listed || s.Topical) {
				t.Error("a topic or status page is listed on, or belongs to, topic pages")
			}
		})
	}
	if got := strings.Join(Sections, " "); got != "fiches procedures topics residence news newsletters about glossary" {
		t.Errorf("Sections = %s", got)
	}
	if _, ok := SectionOf("blog"); ok {
		t.Error("SectionOf(blog) found a section")
	}
}
