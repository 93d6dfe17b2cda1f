package scaffold_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"kb/internal/build"
	"kb/internal/scaffold"
	"kb/internal/sitetest"
)

const fixture = `langs: en fr ar ti
-- content/site.toml --
base_url = "https://kb.example"
default_language = "fr"
[[emergency]]
number = "112"
label = "emergency_112"
-- content/topics/access/fr.md --
---
title: Accès aux soins
summary: Se soigner.
---
Texte.
-- content/residence/undocumented/fr.md --
---
title: Sans séjour légal
summary: Qui paie.
---
Texte.
-- content/fiches/amu/fr.md --
---
title: "Aide médicale urgente : l'essentiel"
summary: Le CPAS peut payer vos soins.
topics: [access]
residence: [undocumented]
aliases: ["/spip.php?article12"]
slug: aide-medicale-urgente
reviewed: 2026-10-01
updated: 2026-10-15
weight: 2
---

L'aide médicale urgente couvre les soins.

## Qui paie ?

Le CPAS.
-- content/fiches/amu/en.md --
---
title: Urgent medical aid
summary: The OCMW can pay.
topics: [access]
updated: 2026-11-01
---
Text.
`

var opt = scaffold.Options{Date: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}

func site(t *testing.T) scaffold.Options {
	o := opt
	o.Site = sitetest.Write(t, fixture)
	return o
}

func read(t *testing.T, o scaffold.Options, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(o.Site, p))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// valid checks that the site with its new files builds without errors.
func valid(t *testing.T, o scaffold.Options) {
	t.Helper()
	for _, drafts := range []bool{false, true} {
		if _, err := build.Load(o.Site, drafts); err != nil {
			t.Fatalf("build.Load(drafts=%v):\n%v", drafts, err)
		}
	}
}

func TestNews(t *testing.T) {
	tests := []struct {
		name, title string
		langs       []string
		want        []string
	}{
		{"French title with accents", "Aide médicale urgente : ce qui change à Bruxelles", []string{"fr", "en"}, []string{
			"content/news/2026-11-24-aide-medicale-urgente-ce-qui-change-a-bruxelles/fr.md",
			"content/news/2026-11-24-aide-medicale-urgente-ce-qui-change-a-bruxelles/en.md",
		}},
		{"Arabic title", "المساعدة الطبية العاجلة", []string{"ar"}, []string{"content/news/2026-11-24-almsada-altbya-alajla/ar.md"}},
		{"Tigrinya title", "ሕክምናዊ ሓገዝ ንዘይብሎም ወረቐት", []string{"ti", "fr"}, []string{
			"content/news/2026-11-24-hikiminawi-hagez-nizeyibilom-wereqhet/ti.md",
			"content/news/2026-11-24-hikiminawi-hagez-nizeyibilom-wereqhet/fr.md",
		}},
		{"default language", "Hiver", nil, []string{"content/news/2026-11-24-hiver/fr.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := site(t)
			got, err := scaffold.News(o, tt.title, tt.langs, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			want := "---\ntitle: " + `"` + tt.title + `"` + `
summary: ""
topics: []
audience: people
date: 2026-11-24
reviewed: 2026-11-24
---

Write the news item here: what changes, for whom and from when, and where to get help.
`
			for _, p := range got {
				if diff := cmp.Diff(want, read(t, o, p)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", p, diff)
				}
			}
			valid(t, o)
		})
	}
}

func TestNewsKeyAndQuotes(t *testing.T) {
	o := site(t)
	got, err := scaffold.News(o, `Le "9ter" : 50 % \ plus`, []string{"fr"}, "nine-ter")
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != "content/news/2026-11-24-nine-ter/fr.md" {
		t.Errorf("file = %s", got[0])
	}
	if !strings.Contains(read(t, o, got[0]), `title: "Le \"9ter\" : 50 % \\ plus"`) {
		t.Errorf("title badly quoted:\n%s", read(t, o, got[0]))
	}
	valid(t, o)
	res, _ := build.Load(o.Site, false)
	if p := res.Site.Group("news", "2026-11-24-nine-ter").Pages["fr"]; p.Meta.Title != `Le "9ter" : 50 % \ plus` {
		t.Errorf("title read back = %q", p.Meta.Title)
	}
	for _, tt := range []struct{ title, key, err string }{
		{"医療", "", `cannot make a key of ASCII letters from "医療": give one with --key`},
		{"Hiver", "Winter Care", `invalid key "Winter Care"`},
		{"  ", "", "a news item needs a title"},
	} {
		if _, err := scaffold.News(o, tt.title, []string{"fr"}, tt.key); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("News(%q, key %q) error = %v, want %q", tt.title, tt.key, err, tt.err)
		}
	}
}

func TestPage(t *testing.T) {
	tests := []struct {
		name, section, arg string
		langs              []string
		want               []string
		title, audience    string
	}{
		{"fiche by key", "fiches", "dental-care", []string{"fr"}, []string{"content/fiches/dental-care/fr.md"}, "Dental care", "people"},
		{"fiche by title", "fiches", "Soins dentaires à bas prix", []string{"fr", "ar"},
			[]string{"content/fiches/soins-dentaires-a-bas-prix/fr.md", "content/fiches/soins-dentaires-a-bas-prix/ar.md"}, "Soins dentaires à bas prix", "people"},
		{"procedure", "procedures", "medical-card", nil, []string{"content/procedures/medical-card/fr.md"}, "Medical card", "professionals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := site(t)
			got, err := scaffold.Page(o, tt.section, tt.arg, tt.langs)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			fm := "---\ntitle: \"" + tt.title + "\"\nsummary: \"\"\ntopics: []\naudience: " + tt.audience +
				"\nresidence: []\nupdated: 2026-11-24\nreviewed: 2026-11-24\n---\n\n"
			for _, p := range got {
				if data := read(t, o, p); !strings.HasPrefix(data, fm) {
					t.Errorf("%s:\n%s\nwant it to start with\n%s", p, data, fm)
				}
			}
			valid(t, o)
		})
	}
}

func TestTranslation(t *testing.T) {
	o := site(t)
	created, from, err := scaffold.Translation(o, "fiches/amu", "ti")
	if err != nil {
		t.Fatal(err)
	}
	if created != "content/fiches/amu/ti.md" || from != "content/fiches/amu/fr.md" {
		t.Errorf("Translation = %s from %s", created, from)
	}
	want := `---
title: "Aide médicale urgente : l'essentiel"
summary: "Le CPAS peut payer vos soins."
topics: [access]
audience: people
residence: [undocumented]
updated: 2026-11-24
reviewed: 2026-10-01
draft: true
weight: 2
---

TO TRANSLATE into ትግርኛ (ti) from content/fiches/amu/fr.md: translate the title, the summary and the text below, delete this line, then set draft: false.

L'aide médicale urgente couvre les soins.

## Qui paie ?

Le CPAS.
`
	if diff := cmp.Diff(want, read(t, o, created)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", created, diff)
	}
	valid(t, o)
	// The draft is not published.
	res, _ := build.Load(o.Site, false)
	if res.Site.Group("fiches", "amu").Pages["ti"] != nil {
		t.Error("the draft translation is published")
	}
}

func TestTranslationOfNews(t *testing.T) {
	o := site(t)
	if _, err := scaffold.News(o, "Hiver", []string{"fr"}, ""); err != nil {
		t.Fatal(err)
	}
	created, _, err := scaffold.Translation(o, "news/2026-11-24-hiver", "en")
	if err != nil {
		t.Fatal(err)
	}
	if data := read(t, o, created); !strings.Contains(data, "\ndate: 2026-11-24\n") || !strings.Contains(data, "\ntopics: []\n") {
		t.Errorf("news translation lacks its date or topics:\n%s", data)
	}
	valid(t, o)
}

func TestErrors(t *testing.T) {
	o := site(t)
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"fiche exists", func() error { _, err := scaffold.Page(o, "fiches", "amu", []string{"fr"}); return err },
			"content/fiches/amu/fr.md already exists: kb new never overwrites a file"},
		{"fiche exists in another language", func() error { _, err := scaffold.Page(o, "fiches", "amu", []string{"ar"}); return err },
			"content/fiches/amu/ already exists: add a language with kb new translation fiches/amu <lang>"},
		{"translation exists", func() error { _, _, err := scaffold.Translation(o, "fiches/amu", "en"); return err },
			"content/fiches/amu/en.md already exists: kb new never overwrites a file"},
		{"unknown language", func() error { _, err := scaffold.News(o, "Hiver", []string{"fr", "nl"}, ""); return err },
			`unknown language "nl": the site's languages are ar, en, fr, ti (a language is added with i18n/nl.toml)`},
		{"unknown language of a translation", func() error { _, _, err := scaffold.Translation(o, "fiches/amu", "de"); return err },
			`unknown language "de": the site's languages are ar, en, fr, ti`},
		{"no such page", func() error { _, _, err := scaffold.Translation(o, "fiches/nope", "en"); return err },
			"there is no page fiches/nope (no folder content/fiches/nope/)"},
		{"not section/key", func() error { _, _, err := scaffold.Translation(o, "amu", "en"); return err },
			`name the page as section/key, e.g. fiches/urgent-medical-aid, not "amu"`},
		{"not a site", func() error {
			_, err := scaffold.News(scaffold.Options{Site: t.TempDir(), Date: opt.Date}, "Hiver", nil, "")
			return err
		}, "has no languages (i18n/<code>.toml)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	// A refused news item writes none of its files.
	if _, err := scaffold.News(o, "Hiver", []string{"en"}, ""); err != nil {
		t.Fatal(err)
	}
	_, err := scaffold.News(o, "Hiver", []string{"fr", "en"}, "")
	if err == nil || !strings.Contains(err.Error(), "content/news/2026-11-24-hiver/en.md already exists") {
		t.Errorf("error = %v", err)
	}
	if _, err := os.Stat(filepath.Join(o.Site, "content/news/2026-11-24-hiver/fr.md")); err == nil {
		t.Error("fr.md was written although en.md exists")
	}
}
