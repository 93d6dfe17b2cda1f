package check_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"kb/internal/build"
	"kb/internal/check"
	"kb/internal/diag"
	"kb/internal/sitetest"
	"kb/internal/status"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var now = time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC)

// base is a site without warnings; each case adds files to it.
const base = `langs: en fr ar
-- content/site.toml --
base_url = "https://kb.example"
default_language = "fr"
language_order = ["fr", "en", "ar"]
[[emergency]]
number = "112"
label = "emergency_112"
-- content/topics/access/fr.md --
---
title: Accès aux soins
summary: Se soigner en Belgique.
---
Texte.
-- content/topics/access/en.md --
---
title: Access to care
summary: Getting care in Belgium.
---
Text.
`

// fiche returns a fiche file with the given frontmatter lines after the title
// (line 2) and a one-line body.
func fiche(path string, lines ...string) string {
	return "-- " + path + " --\n---\ntitle: Titre\n" + strings.Join(lines, "\n") + "\n---\nTexte.\n"
}

// full is the frontmatter of a fiche without warnings: lines 3 to 6.
var full = []string{"summary: Résumé.", "topics: [access]", "reviewed: 2026-10-01", "updated: 2026-10-01"}

func with(lines []string, replace map[string]string) []string {
	out := []string{}
	for _, l := range lines {
		k, _, _ := strings.Cut(l, ":")
		if r, ok := replace[k]; ok {
			if r != "" {
				out = append(out, r)
			}
			continue
		}
		out = append(out, l)
	}
	return out
}

func warnings(t *testing.T, archive string) []string {
	t.Helper()
	r := check.Run(sitetest.Write(t, archive), now)
	var out []string
	for _, p := range r.Problems {
		out = append(out, check.Line(p))
	}
	return out
}

func TestChecks(t *testing.T) {
	const upToDate = " (bring it up to date with the source, then set updated: to the day you did)"
	tests := []struct {
		name  string
		files string
		want  []string
	}{
		{"clean", fiche("content/fiches/amu/fr.md", full...) + fiche("content/fiches/amu/en.md", full...), nil},
		{
			"outdated translation",
			fiche("content/fiches/amu/fr.md", full...) +
				fiche("content/fiches/amu/en.md", with(full, map[string]string{"updated": "updated: 2026-05-01"})...) +
				fiche("content/fiches/amu/ar.md", with(full, map[string]string{"updated": "updated: 2026-12-01"})...),
			[]string{"content/fiches/amu/en.md:6: warning: translation older than its source content/fiches/amu/fr.md: updated 2026-05-01, the source updated 2026-10-01" + upToDate},
		},
		{
			"translation without updated",
			fiche("content/fiches/amu/fr.md", full...) + fiche("content/fiches/amu/en.md", with(full, map[string]string{"updated": ""})...),
			[]string{"content/fiches/amu/en.md:1: warning: translation without an updated date; its source content/fiches/amu/fr.md has one (2026-10-01)" + upToDate},
		},
		{
			"source is the latest page when the default language has none",
			fiche("content/fiches/amu/en.md", with(full, map[string]string{"updated": "updated: 2026-09-01"})...) +
				fiche("content/fiches/amu/ar.md", with(full, map[string]string{"updated": "updated: 2026-03-01"})...),
			[]string{"content/fiches/amu/ar.md:6: warning: translation older than its source content/fiches/amu/en.md: updated 2026-03-01, the source updated 2026-09-01" + upToDate},
		},
		{
			"review",
			fiche("content/fiches/amu/fr.md", with(full, map[string]string{"reviewed": "reviewed: 2025-11-23"})...) +
				fiche("content/fiches/amu/en.md", with(full, map[string]string{"reviewed": "reviewed: 2025-11-24"})...) +
				fiche("content/procedures/amu/fr.md", with(full, map[string]string{"reviewed": ""})...) +
				fiche("content/residence/undocumented/fr.md", "summary: Qui paie.", "reviewed: 2024-01-01") +
				fiche("content/news/2024-01-10-old/fr.md", "summary: Vieux.", "topics: [access]", "date: 2024-01-10", "reviewed: 2024-01-10"),
			[]string{
				"content/fiches/amu/fr.md:5: warning: reviewed 2025-11-23, more than 12 months ago (check the page against the law, then set reviewed: to the day you did)",
				"content/procedures/amu/fr.md:1: warning: no reviewed date (check the page against the law, then add the day you did, e.g. reviewed: 2026-11-24)",
				"content/residence/undocumented/fr.md:4: warning: reviewed 2024-01-01, more than 12 months ago (check the page against the law, then set reviewed: to the day you did)",
			},
		},
		{
			"glossary term missing in a language that uses it",
			"-- content/glossary/cpas/fr.md --\n---\ntitle: CPAS\nsummary: Le service social.\nterms: [OCMW]\n---\n" +
				fiche("content/fiches/amu/fr.md", full...) + "Le CPAS paie.\n" +
				fiche("content/fiches/amu/en.md", full...) + "The OCMW pays.\n" +
				fiche("content/fiches/amu/ar.md", full...),
			[]string{"content/glossary/cpas/fr.md:2: warning: glossary term CPAS has no en entry, but content/fiches/amu/en.md uses it (add content/glossary/cpas/en.md: title (the term in English) and summary (one plain sentence))"},
		},
		{
			"plain language: long sentence, at its line",
			fiche("content/fiches/amu/fr.md", full...) + "Une phrase courte.\n\n" + strings.Repeat("mot ", 20) + "et encore\n" + strings.Repeat("mot ", 6) + "fin. Courte.\n",
			[]string{`content/fiches/amu/fr.md:11: warning: sentence of 29 words (limit 25): "mot mot mot mot mot mot mot mot mot mot mot mot mot mot m…" (split it: one idea per sentence)`},
		},
		{
			"plain language: arabic and ge'ez sentences end at their marks, not at commas",
			fiche("content/fiches/amu/ar.md", full...) + strings.Repeat("كلمة، ", 20) + "كلمة؟ " + strings.Repeat("كلمة ", 20) + "نهاية.\n" +
				fiche("content/fiches/amu/en.md", full...) + strings.Repeat("ቃል፣ ", 26) + "ቃል።\n",
			[]string{`content/fiches/amu/en.md:9: warning: sentence of 27 words (limit 25): "ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃል፣ ቃ…" (split it: one idea per sentence)`},
		},
		{
			"plain language: long paragraph, hard page, limits from site.toml",
			strings.Replace(base, "[[emergency]]", "[plain]\nparagraph_words = 30\nlix = 40\nmin_words = 20\n[plain.lang.en]\nlix = 120\n[[emergency]]", 1) +
				fiche("content/fiches/amu/fr.md", full...) + strings.Repeat("Administration territoriale compétente. ", 11) + "\n" +
				fiche("content/fiches/amu/en.md", full...) + strings.Repeat("Administration territoriale compétente. ", 11) + "\n",
			[]string{
				"content/fiches/amu/en.md:8: warning: paragraph of 34 words (limit 30) (split it, or make a list of its steps)",
				"content/fiches/amu/fr.md:8: warning: hard to read: LIX 100 (limit 40): 2.8 words a sentence, 97 % long words (use shorter sentences and everyday words)",
				"content/fiches/amu/fr.md:8: warning: paragraph of 34 words (limit 30) (split it, or make a list of its steps)",
			},
		},
		{
			"plain language: procedures and pages for professionals are exempt",
			fiche("content/fiches/amu/fr.md", append(full, "audience: professionals")...) + strings.Repeat("mot ", 40) + "fin.\n" +
				fiche("content/procedures/amu/fr.md", full...) + strings.Repeat("mot ", 40) + "fin.\n",
			nil,
		},
		{
			"review age from site.toml",
			strings.Replace(base, "[[emergency]]", "review_max_age_months = 6\n[[emergency]]", 1) +
				fiche("content/fiches/amu/fr.md", with(full, map[string]string{"reviewed": "reviewed: 2026-05-01"})...),
			[]string{"content/fiches/amu/fr.md:5: warning: reviewed 2026-05-01, more than 6 months ago (check the page against the law, then set reviewed: to the day you did)"},
		},
		{
			"image without alt text",
			"-- content/fiches/amu/card.png --\nnot a png\n" +
				fiche("content/fiches/amu/fr.md", full...) + "\n![](card.png)\n\n![Une carte médicale](card.png) ![ ](card.png#x)\n",
			[]string{
				"content/fiches/amu/fr.md:10: warning: image card.png has no alt text (say what it shows between the brackets, e.g. ![A medical card](card.png))",
				"content/fiches/amu/fr.md:12: warning: image card.png#x has no alt text (say what it shows between the brackets, e.g. ![A medical card](card.png#x))",
			},
		},
		{
			"empty summary",
			fiche("content/fiches/amu/fr.md", with(full, map[string]string{"summary": `summary: ""`})...) +
				fiche("content/fiches/amu/en.md", with(full, map[string]string{"summary": ""})...),
			[]string{
				"content/fiches/amu/en.md:1: warning: empty summary (write one or two sentences: they show in lists, in search results and as the page's description)",
				"content/fiches/amu/fr.md:3: warning: empty summary (write one or two sentences: they show in lists, in search results and as the page's description)",
			},
		},
		{
			"in no topic",
			fiche("content/fiches/amu/fr.md", with(full, map[string]string{"topics": "topics: []"})...) +
				fiche("content/procedures/steps/fr.md", with(full, map[string]string{"topics": ""})...) +
				fiche("content/news/2026-11-02-training/fr.md", "summary: Formation.", "date: 2026-11-02") +
				fiche("content/residence/undocumented/fr.md", "summary: Qui paie."),
			[]string{
				"content/fiches/amu/fr.md:4: warning: in no topic: no topic page lists it (add topics: [key], with keys of content/topics/: access)",
				"content/news/2026-11-02-training/fr.md:1: warning: in no topic: no topic page lists it (add topics: [key], with keys of content/topics/: access)",
				"content/procedures/steps/fr.md:1: warning: in no topic: no topic page lists it (add topics: [key], with keys of content/topics/: access)",
			},
		},
		{
			"link to a draft",
			fiche("content/fiches/amu/fr.md", full...) + "Voir [le brouillon](/fiches/secret#part) et [la page](/fiches/partial).\n" +
				fiche("content/fiches/amu/en.md", full...) + "See [the page](/fiches/partial).\n" +
				fiche("content/fiches/secret/fr.md", append(full, "draft: true")...) +
				fiche("content/fiches/partial/fr.md", full...) +
				fiche("content/fiches/partial/en.md", append(full, "draft: true")...),
			[]string{"content/fiches/amu/fr.md:9: warning: link /fiches/secret#part goes to a draft: it leads to the A–Z list until the page is published (publish it by removing draft: true in content/fiches/secret/, or remove the link)"},
		},
		{
			"news dated in the future",
			fiche("content/news/2026-12-01-winter/fr.md", "summary: Hiver.", "topics: [access]", "date: 2026-12-01") +
				fiche("content/news/2026-11-24-today/fr.md", "summary: Aujourd'hui.", "topics: [access]", "date: 2026-11-24"),
			[]string{"content/news/2026-12-01-winter/fr.md:5: warning: news item dated 2026-12-01, in the future (the next build publishes it all the same: correct the date, or set draft: true until that day)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			archive := tt.files
			if !strings.HasPrefix(archive, "langs:") {
				archive = base + archive
			}
			if diff := cmp.Diff(tt.want, warnings(t, archive)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInterfaceStrings(t *testing.T) {
	const archive = `
-- content/site.toml --
base_url = "https://kb.example"
default_language = "en"
[[emergency]]
number = "112"
label = "emergency_112"
-- content/topics/access/en.md --
---
title: Access to care
summary: Getting care.
---
Text.
-- i18n/en.toml --
name = "English"
[strings]
emergency_112 = "Emergency"
home = "Home"
print = "Print"
[strings.search_results]
one = "{n} result"
other = "{n} results"
[strings.page_count]
one = "{n} page"
other = "{n} pages"
-- i18n/ru.toml --
name = "Русский"
[strings]
emergency_112 = "Экстренная помощь"
home = "Главная"
page_count = "{n} страниц"
[strings.search_results]
one = "{n} результат"
other = "{n} результатов"
`
	want := []string{
		`i18n/ru.toml:2: warning: missing interface string "print" (add print = "…" under [strings], translated from i18n/en.toml; until then pages show "print")`,
		`i18n/ru.toml:5: warning: interface string "page_count" has no plural forms (make it a table [strings.page_count] with the forms one, few, many, other, as in i18n/en.toml)`,
		`i18n/ru.toml:6: warning: interface string "search_results" lacks the plural form "few" (ru uses the forms one, few, many, other: add few = "…" under [strings.search_results])`,
		`i18n/ru.toml:6: warning: interface string "search_results" lacks the plural form "many" (ru uses the forms one, few, many, other: add many = "…" under [strings.search_results])`,
	}
	if diff := cmp.Diff(want, warnings(t, archive)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestBuildProblems checks that kb check reports what the build reports,
// errors first in the text output.
func TestBuildProblems(t *testing.T) {
	dir := sitetest.Write(t, base+fiche("content/fiches/amu/fr.md", append(full, "sumary: typo")...)+"[broken](/fiches/nope)\n"+
		fiche("content/fiches/ok/fr.md", with(full, map[string]string{"summary": ""})...))
	r := check.Run(dir, now)
	var b bytes.Buffer
	if err := r.WriteText(&b, false); err != nil {
		t.Fatal(err)
	}
	want := `content/fiches/amu/fr.md:7: error: unknown frontmatter key "sumary": did you mean "summary"? (known keys: title, summary, topics, audience, residence, date, updated, reviewed, aliases, slug, draft, weight, newsletter, since, terms, audio)
content/fiches/amu/fr.md:10: error: broken link /fiches/nope: there is no page /fiches/nope (content/fiches/nope/ does not exist)
content/fiches/ok/fr.md:1: warning: empty summary (write one or two sentences: they show in lists, in search results and as the page's description)
kb check: 2 errors, 1 warning; 4 pages in 3 languages
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text report (-want +got):\n%s", diff)
	}
	if !r.Failed(false) {
		t.Error("a check with errors did not fail")
	}
}

func TestFailed(t *testing.T) {
	tests := []struct {
		name     string
		problems []diag.Problem
		strict   bool
		want     bool
	}{
		{"none", nil, false, false},
		{"none strict", nil, true, false},
		{"warning", []diag.Problem{{Level: diag.Warning}}, false, false},
		{"warning strict", []diag.Problem{{Level: diag.Warning}}, true, true},
		{"error", []diag.Problem{{Level: diag.Error}}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &check.Report{Problems: tt.problems}
			if got := r.Failed(tt.strict); got != tt.want {
				t.Errorf("Failed(%v) = %v, want %v", tt.strict, got, tt.want)
			}
		})
	}
}

func statusFixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/status.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.Write(t, string(data))
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", p, diff)
	}
}

func TestReportGolden(t *testing.T) {
	r := check.Run(statusFixture(t), now)
	var text, js, status bytes.Buffer
	if err := r.WriteText(&text, true); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js, true); err != nil {
		t.Fatal(err)
	}
	if err := r.Status.WriteText(&status); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.txt.golden", text.Bytes())
	golden(t, "report.json.golden", js.Bytes())
	golden(t, "status.txt.golden", status.Bytes())
}

func TestStatusPage(t *testing.T) {
	dir := statusFixture(t)
	res, err := build.Load(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	page, err := status.Page(res.Site)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "status.html.golden", page)
	again, _ := status.Page(res.Site)
	if !bytes.Equal(page, again) {
		t.Error("two renderings differ")
	}
	html := string(page)
	for _, want := range []string{`<meta name="robots" content="noindex">`, `<html lang="en" dir="ltr">`, `As of 2026-11-10`, `<style>:root{`} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "<link", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if status.CSP == "" || !strings.HasPrefix(status.CSP, "'sha256-") {
		t.Errorf("StatusCSP = %q", status.CSP)
	}
	// The page of the published site shows no drafts.
	pub, _ := build.Load(dir, false)
	page, _ = status.Page(pub.Site)
	if strings.Contains(string(page), `<td class="draft`) {
		t.Error("the published site's page shows a draft")
	}
}

// TestSynonymsUnused: a synonym group none of whose words is in a page of
// its language is warned at its line; a group with one word in a page (even
// inflected, or without its accents) is not.
func TestSynonymsUnused(t *testing.T) {
	archive := base + fiche("content/fiches/teeth/fr.md", full...) + `-- content/fiches/teeth/en.md --
---
title: Dental care
summary: Care for your teeth.
topics: [access]
reviewed: 2026-10-01
updated: 2026-10-01
---
A dentist can help.
-- content/synonyms/en.txt --
# comment
toothache, dental care
kiespijn, tandpijn

sad, low mood
dentists, molar
-- content/synonyms/fr.txt --
texté, soins
`
	want := []string{
		`content/synonyms/en.txt:3: warning: no page in this language uses any word of the group "kiespijn, tandpijn" (add to the group the word the pages use for it, or remove the group)`,
		`content/synonyms/en.txt:5: warning: no page in this language uses any word of the group "sad, low mood" (add to the group the word the pages use for it, or remove the group)`,
	}
	if diff := cmp.Diff(want, warnings(t, archive)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestNotASite: a path that cannot be opened as a site folder is an error
// of the report, not a crash.
func TestNotASite(t *testing.T) {
	file := filepath.Join(t.TempDir(), "site.txt")
	if err := os.WriteFile(file, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, dir string }{
		{"a file", file},
		{"nothing there", filepath.Join(t.TempDir(), "none")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := check.Run(tt.dir, time.Now())
			if e, _ := rep.Count(); e != 1 || !strings.HasPrefix(rep.Problems[0].Msg, "cannot open the site folder") {
				t.Errorf("problems = %v, want one: cannot open the site folder", rep.Problems)
			}
			if err := rep.Status.WriteText(io.Discard); err != nil {
				t.Error(err)
			}
		})
	}
}
