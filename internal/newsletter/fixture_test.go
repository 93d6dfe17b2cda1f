package newsletter

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"kb/internal/check"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// fixture has a previous edition (2026-08) and the edition of 2026-11 in
// fr (with an image and links in its intro), nl (a draft) and ar, and news
// that test what an edition lists and leaves out.
const fixture = `langs: fr nl ar
-- content/site.toml --
base_url = "https://kb.example"
default_language = "fr"
language_order = ["fr", "nl", "ar"]

[newsletter]
from = "Équipe kb <news@kb.example>"
reply_to = "info@kb.example"
unsubscribe = ["mailto:unsub@kb.example", "https://lists.kb.example/unsubscribe"]
languages = ["fr", "nl"]
-- content/topics/care/fr.md --
---
title: Soins
---
-- content/topics/care/nl.md --
---
title: Zorg
---
-- content/topics/care/ar.md --
---
title: الرعاية
---
-- content/topics/money/nl.md --
---
title: Geld
---
-- content/fiches/amu/fr.md --
---
title: Aide médicale urgente
topics: [care]
---
Texte.
-- content/news/2026-07-01-old/fr.md --
---
title: Ancienne
date: 2026-07-01
---
-- content/news/2026-07-01-old/nl.md --
---
title: Oud
date: 2026-07-01
---
-- content/news/2026-09-01-both/fr.md --
---
title: Les deux langues
summary: Un résumé en français.
topics: [care]
date: 2026-09-01
---
-- content/news/2026-09-01-both/nl.md --
---
title: Beide talen
summary: Een samenvatting.
topics: [care]
date: 2026-09-01
---
-- content/news/2026-09-01-both/ar.md --
---
title: باللغتين
summary: ملخص باللغة العربية.
topics: [care]
date: 2026-09-01
---
-- content/news/2026-10-01-nl-only/nl.md --
---
title: Alleen in het Nederlands
topics: [money]
date: 2026-10-01
---
-- content/news/2026-10-15-nl-listed/nl.md --
---
title: Ook voor Franstaligen
summary: Vlaamse regeling.
topics: [care]
date: 2026-10-15
newsletter: [fr]
---
-- content/news/2026-11-01-draft/fr.md --
---
title: Brouillon
date: 2026-11-01
draft: true
---
-- content/news/2026-11-01-draft/nl.md --
---
title: Gepubliceerd
date: 2026-11-01
---
-- content/news/2026-11-20-notopic/fr.md --
---
title: Sans thème
date: 2026-11-20
---
-- content/news/2026-11-20-notopic/nl.md --
---
title: Zonder thema
date: 2026-11-20
---
-- content/news/2026-11-20-notopic/ar.md --
---
title: بدون موضوع
date: 2026-11-20
---
-- content/newsletters/2026-08/fr.md --
---
title: Lettre d'août
date: 2026-08-01
since: 2026-06-01
---
-- content/newsletters/2026-08/nl.md --
---
title: Nieuwsbrief van augustus
date: 2026-08-01
since: 2026-06-01
---
-- content/newsletters/2026-11/fr.md --
---
title: Lettre de novembre
summary: Ce que contient la lettre.
date: 2026-11-30
---
Bonjour. ![Une carte](card.png) Lisez [l'aide médicale urgente](/fiches/amu) et
[un autre site](https://other.example/page).

- un point
- un autre point

Voir [la lettre d'août](/newsletters/2026-08) et [toutes les lettres](/newsletters).
-- content/newsletters/2026-11/card.png --
PNG
-- content/newsletters/2026-11/nl.md --
---
title: Nieuwsbrief van november
date: 2026-11-30
draft: true
---
Dag allemaal.
-- content/newsletters/2026-11/ar.md --
---
title: النشرة الإخبارية لشهر نوفمبر
date: 2026-11-30
---
مرحبا.
`

type itemView struct{ Topic, Key, Lang string }

func items(m *Mail) []itemView {
	var out []itemView
	for _, t := range m.Edition.Topics {
		for _, p := range t.Items {
			out = append(out, itemView{t.Title, p.Key, p.Lang})
		}
	}
	return out
}

// An edition's since: key starts its period, even with no earlier edition.
func TestEditionSince(t *testing.T) {
	dir := sitetest.Write(t, fixture)
	mails := makeSite(t, dir, Options{Until: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), Langs: []string{"fr"}})
	if got := mails[0].Edition.Since.Format(time.DateOnly); got != "2026-06-01" {
		t.Errorf("since %s, want 2026-06-01 (the since: of content/newsletters/2026-08/fr.md)", got)
	}
}

func TestEditionContents(t *testing.T) {
	dir := sitetest.Write(t, fixture)
	mails := makeSite(t, dir, Options{Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Langs: []string{"fr", "nl", "ar"}})
	tests := []struct {
		lang    string
		since   string
		items   []itemView
		leftOut []string
	}{
		{"fr", "2026-08-02", []itemView{
			{"Soins", "2026-10-15-nl-listed", "nl"},
			{"Soins", "2026-09-01-both", "fr"},
			{"Autres actualités", "2026-11-20-notopic", "fr"},
		}, []string{
			"2026-10-01-nl-only: no fr translation (it exists in nl)",
			"2026-11-01-draft: it is a draft",
		}},
		{"nl", "2026-08-02", []itemView{
			{"Geld", "2026-10-01-nl-only", "nl"}, // topics in title order
			{"Zorg", "2026-10-15-nl-listed", "nl"},
			{"Zorg", "2026-09-01-both", "nl"},
			{"Ander nieuws", "2026-11-20-notopic", "nl"},
			{"Ander nieuws", "2026-11-01-draft", "nl"},
		}, nil},
		{"ar", "0001-01-01", []itemView{
			{"الرعاية", "2026-09-01-both", "ar"},
			{"أخبار أخرى", "2026-11-20-notopic", "ar"},
		}, []string{
			"2026-07-01-old: no ar translation (it exists in fr, nl)",
			"2026-10-01-nl-only: no ar translation (it exists in nl)",
			"2026-10-15-nl-listed: no ar translation (it exists in nl)",
			"2026-11-01-draft: no ar translation (it exists in nl)",
		}},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			m := mails[i]
			if got := m.Edition.Since.Format("2006-01-02"); got != tt.since {
				t.Errorf("since %s, want %s", got, tt.since)
			}
			if diff := cmp.Diff(tt.items, items(m)); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			var left []string
			for _, l := range m.Edition.LeftOut {
				left = append(left, l.Key+": "+l.Reason)
				if l.Hint == "" {
					t.Errorf("%s left out without a hint", l.Key)
				}
			}
			if diff := cmp.Diff(tt.leftOut, left); diff != "" {
				t.Errorf("left out (-want +got):\n%s", diff)
			}
		})
	}
	fr, ar := mails[0], mails[2]
	html := string(fr.HTML)
	for _, want := range []string{
		`lang="nl" dir="ltr"`, // the item listed from Dutch
		`href="https://kb.example/nl/news/2026-10-15-nl-listed/?nl=2026-11"`,
		`href="https://kb.example/fr/fiches/amu/?nl=2026-11"`, // intro link, absolute and tagged
		`href="https://other.example/page"`,                   // another site: untagged
		`Une carte`,                                           // the image's text
		`Lettre de novembre`,
		`href="https://kb.example/fr/newsletter/2026-08/?nl=2026-11"`, // an editor's link to an edition
		`href="https://lists.kb.example/unsubscribe"`,
		`href="https://kb.example/fr/newsletter/2026-11/?nl=2026-11"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("fr HTML lacks %s", want)
		}
	}
	if strings.Contains(html, "card.png") {
		t.Error("fr HTML refers to the image")
	}
	if !strings.Contains(string(ar.HTML), `<html lang="ar" dir="rtl">`) || !strings.Contains(string(ar.Text), "النشرة الإخبارية لشهر نوفمبر") {
		t.Error("the Arabic edition lacks its language, direction or title")
	}
	if !strings.Contains(string(fr.Text), "* un point") || !strings.Contains(string(fr.Text), "l'aide médicale urgente [1]") && !strings.Contains(string(fr.Text), "l’aide médicale urgente [1]") {
		t.Errorf("fr text: intro list or numbered link missing:\n%s", fr.Text)
	}
	if !strings.Contains(string(fr.EML), "Reply-To: <info@kb.example>") {
		t.Error("no Reply-To")
	}
}

// Without --since and --until, the edition is the current month's, from
// the day after the previous edition to today.
func TestDefaultPeriod(t *testing.T) {
	dir := sitetest.Write(t, fixture)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	mails := makeSite(t, dir, Options{Now: now})
	if len(mails) != 2 {
		t.Fatalf("%d editions, want the languages setting's fr and nl", len(mails))
	}
	for _, m := range mails {
		e := m.Edition
		if m.Key != "2026-12" || e.Since.Format("2006-01-02") != "2026-12-01" || e.Until.Format("2006-01-02") != "2026-12-03" || e.Intro != nil {
			t.Errorf("%s: edition %s from %s to %s", m.Lang, m.Key, e.Since, e.Until)
		}
		if !strings.Contains(string(m.HTML), "Newsletter") && !strings.Contains(string(m.HTML), "Nieuwsbrief") && !strings.Contains(string(m.HTML), "Lettre") {
			t.Errorf("%s: no default title", m.Lang)
		}
	}
}

// Each sent (not draft) edition is a page of the site, listed per language,
// in the sitemap and the feed.
func TestArchivePages(t *testing.T) {
	s := sitetest.Build(t, fixture, false)
	s.Contains(t, "fr/newsletter/index.html", `href="/fr/newsletter/2026-11/"`, `href="/fr/newsletter/2026-08/"`)
	s.Contains(t, "nl/newsletter/index.html", `href="/nl/newsletter/2026-08/"`, `! href="/nl/newsletter/2026-11/"`)
	s.Contains(t, "ar/newsletter/index.html", `href="/ar/newsletter/2026-11/"`, `<html lang="ar" dir="rtl">`)
	s.Contains(t, "fr/newsletter/2026-11/index.html",
		`<h1>Lettre de novembre</h1>`, `<h2>Soins</h2>`, `<h2>Autres actualités</h2>`,
		`<li lang="nl" dir="ltr"><a href="/nl/news/2026-10-15-nl-listed/">`,
		`href="/fr/news/2026-09-01-both/"`, `! 2026-11-01-draft`, `! ?nl=`,
		`href="/fr/newsletter/"`, `<a href="/fr/newsletter/2026-08/">la lettre d’août</a>`)
	s.Contains(t, "fr/newsletter/2026-08/index.html", `! 2026-09-01-both`)
	s.Contains(t, "sitemap.xml", "https://kb.example/fr/newsletter/</loc>", "https://kb.example/fr/newsletter/2026-11/</loc>", "! https://kb.example/nl/newsletter/2026-11/</loc>")
	s.Contains(t, "fr/feed.xml", "https://kb.example/fr/newsletter/2026-11/")
	s.Contains(t, "fr/news/index.html", `href="/fr/newsletter/"`)

	// The e-mail's tagged links open the pages on kb serve.
	st, err := serve.NewState(s.Result.Generation, s.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := &serve.Server{}
	srv.Swap(st)
	for _, p := range []string{"/fr/news/2026-09-01-both/?nl=2026-11", "/nl/news/2026-10-15-nl-listed/?nl=2026-11", "/fr/newsletter/2026-11/?nl=2026-11"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != 200 {
			t.Errorf("GET %s: %d", p, rec.Code)
		}
	}
}

func TestBadNewsletterContent(t *testing.T) {
	base := `langs: fr nl
-- content/site.toml --
base_url = "https://kb.example"
default_language = "fr"
`
	tests := []struct{ name, files, want string }{
		{"key on a fiche", "-- content/fiches/a/fr.md --\n---\ntitle: A\nnewsletter: [nl]\n---\n", "content/fiches/a/fr.md:3: newsletter is a key of news items only"},
		{"unknown language", "-- content/news/2026-01-01-a/fr.md --\n---\ntitle: A\ndate: 2026-01-01\nnewsletter: [de]\n---\n", `content/news/2026-01-01-a/fr.md:4: newsletter names "de"`},
		{"edition folder", "-- content/newsletters/2026-13/fr.md --\n---\ntitle: A\ndate: 2026-01-01\n---\n", "content/newsletters/2026-13: invalid folder name"},
		{"edition without date", "-- content/newsletters/2026-01/fr.md --\n---\ntitle: A\n---\n", "content/newsletters/2026-01/fr.md:1: a newsletter edition needs a date"},
		{"since on news", "-- content/news/2026-01-01-a/fr.md --\n---\ntitle: A\ndate: 2026-01-01\nsince: 2025-01-01\n---\n", "content/news/2026-01-01-a/fr.md:4: since is a key of newsletter editions only"},
		{"bad sender", "-- content/site.toml --\nbase_url = \"https://kb.example\"\ndefault_language = \"fr\"\n[newsletter]\nfrom = \"not an address\"\n", `content/site.toml:4: newsletter from "not an address" is not an e-mail address`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := base + tt.files
			if strings.Contains(tt.files, "content/site.toml") {
				archive = "langs: fr nl\n" + tt.files
			}
			got := sitetest.BuildErr(t, archive)
			for _, g := range got {
				if strings.HasPrefix(g, tt.want) {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant one starting with %q", strings.Join(got, "\n"), tt.want)
		})
	}
}

// kb check does not ask for an old edition to be reviewed again: it is the
// record of what was sent.
func TestCheckOldEdition(t *testing.T) {
	dir := sitetest.Write(t, fixture+`-- content/newsletters/2024-03/fr.md --
---
title: Lettre de mars 2024
summary: Une ancienne lettre.
date: 2024-03-05
reviewed: 2024-03-05
---
`)
	r := check.Run(dir, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	for _, p := range r.Problems {
		if strings.HasPrefix(p.Path, "content/newsletters/") && strings.Contains(p.Msg, "reviewed") {
			t.Errorf("%s", p)
		}
	}
	if e, _ := r.Count(); e != 0 {
		t.Errorf("%d errors: %v", e, r.Problems)
	}
}
