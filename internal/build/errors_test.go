package build_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/sitetest"
)

// base is a valid site; each case adds or replaces files.
const base = `langs: en
-- content/site.toml --
base_url = "https://kb.example"
default_language = "en"
-- content/topics/care/en.md --
---
title: Care
---
-- content/fiches/one/en.md --
---
title: One
topics: [care]
---
Text.
`

func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files string
		want  string // one of the problems, "path:line: message" prefix
	}{
		{"invalid yaml", "-- content/fiches/a/en.md --\n---\ntitle: A\nsummary: a: b\n---\n", "content/fiches/a/en.md:3: invalid YAML"},
		{"invalid toml", "-- content/fiches/a/en.md --\n+++\ntitle = \"A\"\nweight = \n+++\n", "content/fiches/a/en.md:3: invalid TOML"},
		{"unknown key", "-- content/fiches/a/en.md --\n---\ntitle: A\ntopic: [care]\n---\n", `content/fiches/a/en.md:3: unknown frontmatter key "topic": did you mean "topics"?`},
		{"missing title", "-- content/fiches/a/en.md --\n---\nsummary: x\n---\n", "content/fiches/a/en.md:1: missing title"},
		{"news without date", "-- content/news/2024-01-02-a/en.md --\n---\ntitle: A\n---\n", "content/news/2024-01-02-a/en.md:1: a news item needs a date"},
		{"unknown language", "-- content/fiches/a/xx.md --\n---\ntitle: A\n---\n", "content/fiches/a/xx.md: no language xx"},
		{"unknown topic", "-- content/fiches/a/en.md --\n---\ntitle: A\n\ntopics: [cure]\n---\n", `content/fiches/a/en.md:4: unknown topic key "cure"`},
		{"unknown residence", "-- content/fiches/a/en.md --\n---\ntitle: A\nresidence: [nowhere]\n---\n", `content/fiches/a/en.md:3: unknown residence key "nowhere"`},
		{"duplicate slug", "-- content/fiches/a/en.md --\n---\ntitle: A\nslug: same\n---\n-- content/fiches/b/en.md --\n---\ntitle: B\nslug: same\n---\n", "content/fiches/b/en.md:3: duplicate URL /en/fiches/same/"},
		{"slug is another key", "-- content/fiches/a/en.md --\n---\ntitle: A\nslug: one\n---\n", "content/fiches/a/en.md:3: slug one is the key of another page"},
		{"broken link", "-- content/fiches/a/en.md --\n---\ntitle: A\n---\n\nSee [this](/fiches/nope).\n", "content/fiches/a/en.md:5: broken link /fiches/nope"},
		{"unknown link form", "-- content/fiches/a/en.md --\n---\ntitle: A\n---\n[x](/en/fiches/one/)\n", "content/fiches/a/en.md:4: unknown internal link /en/fiches/one/"},
		{"missing file", "-- content/fiches/a/en.md --\n---\ntitle: A\n---\n![x](missing.png)\n", "content/fiches/a/en.md:4: link missing.png: there is no file missing.png"},
		{"broken anchor", "-- content/fiches/a/en.md --\n---\ntitle: A\n---\n[x](/fiches/one#nope)\n", "content/fiches/a/en.md:4: link /fiches/one#nope: content/fiches/one/en.md has no heading #nope"},
		{"alias is a page", "-- content/fiches/a/en.md --\n---\ntitle: A\naliases: [/en/fiches/one/]\n---\n", `content/fiches/a/en.md:3: alias "/en/fiches/one/" is the URL of the page content/fiches/one/en.md (remove the alias`},
		{"alias escapes", "-- content/fiches/a/en.md --\n---\ntitle: A\naliases: [/../../etc/passwd]\n---\n", `content/fiches/a/en.md:3: alias "/../../etc/passwd" leaves the site folder`},
		{"alias encoded escape", "-- content/fiches/a/en.md --\n---\ntitle: A\naliases: [/%2e%2e/x]\n---\n", `content/fiches/a/en.md:3: alias "/%2e%2e/x" leaves the site folder`},
		{"alias not a path", "-- content/fiches/a/en.md --\n---\ntitle: A\naliases: [old.html]\n---\n", `content/fiches/a/en.md:3: alias "old.html" must be a path`},
		{"alias twice", "-- content/fiches/a/en.md --\n---\ntitle: A\naliases: [/old]\n---\n-- content/fiches/b/en.md --\n---\ntitle: B\naliases: [/old]\n---\n", `content/fiches/b/en.md:3: alias "/old" is also an alias of content/fiches/a/en.md`},
		{"terms outside the glossary", "-- content/fiches/a/en.md --\n---\ntitle: A\nterms: [AMU]\n---\n", "content/fiches/a/en.md:3: terms is a key of glossary entries only"},
		{"audio file missing", "-- content/fiches/a/en.md --\n---\ntitle: A\naudio: { file: en.mp3, transcript: self }\n---\n", "content/fiches/a/en.md:3: audio file en.mp3: there is no such file in content/fiches/a"},
		{"audio not a recording", "-- content/fiches/a/en.md --\n---\ntitle: A\naudio: { file: en.mp3 }\n---\n-- content/fiches/a/en.mp3 --\nnot audio at all\n", "content/fiches/a/en.md:3: audio file content/fiches/a/en.mp3 cannot be read: not an MP3 or Ogg file"},
		{"audio of another kind", "-- content/fiches/a/en.md --\n---\ntitle: A\naudio: { file: card.png }\n---\n-- content/fiches/a/card.png --\nx\n", "content/fiches/a/en.md:3: audio file card.png is not a recording kb plays"},
		{"audio unknown key", "-- content/fiches/a/en.md --\n---\ntitle: A\naudio: { file: en.mp3, lenght: 2 }\n---\n", `content/fiches/a/en.md:3: unknown audio key "lenght"`},
		{"audio bad duration", "-- content/fiches/a/en.md --\n---\ntitle: A\naudio: { file: en.mp3, duration: 2.35 }\n---\n", `content/fiches/a/en.md:3: audio duration is "2.35"`},
		{"audio in another folder", "-- content/fiches/a/en.md --\n---\ntitle: A\naudio: { file: ../b/en.mp3 }\n---\n", `content/fiches/a/en.md:3: audio file must be the name of a file in the page's folder`},
		{"invalid utf8", "-- content/fiches/a/en.md --\n---\ntitle: A\n---\nok\nbad \xff byte\n", "content/fiches/a/en.md:5: invalid UTF-8"},
		{"invalid key", "-- content/fiches/Bad_Key/en.md --\n---\ntitle: A\n---\n", "content/fiches/Bad_Key: invalid folder name Bad_Key"},
		{"bad news folder", "-- content/news/pharmacy/en.md --\n---\ntitle: A\ndate: 2024-01-01\n---\n", "content/news/pharmacy: invalid folder name pharmacy"},
		{"unknown section", "-- content/blog/a/en.md --\n---\ntitle: A\n---\n", "content/blog: unknown section blog"},
		{"template syntax", "-- templates/page.html --\n{{define \"main\"}}\n{{.Page.Meta.Title\n{{end}}\n", "templates/page.html:3: template error"},
		{"template field", "-- templates/page.html --\n{{define \"main\"}}\n{{with .Page}}{{.Nope}}{{end}}{{end}}\n", "templates/page.html:2: template error: {{.Nope}}: site.Page has no field or method Nope"},
		{"template execution", "-- templates/page.html --\n{{define \"main\"}}{{index .Page.Headings 99}}{{end}}\n", "templates/page.html: rendering en/fiches/one/index.html"},
		{"empty template", "-- templates/az.html --\n", "templates/az.html: rendering en/a-z/index.html"},
		{"bad date", "-- content/fiches/a/en.md --\n---\ntitle: A\nreviewed: 31/12/2025\n---\n", `content/fiches/a/en.md:3: reviewed is "31/12/2025"`},
		{"default language missing", "-- content/site.toml --\nbase_url = \"https://kb.example\"\ndefault_language = \"de\"\n", "content/site.toml: default_language de has no i18n file"},
		{"settings typo", "-- content/site.toml --\nbase_url = \"https://kb.example\"\ndefault_language = \"en\"\nnews_per_pag = 3\n", `content/site.toml:3: unknown setting "news_per_pag"`},
		{"bad i18n", "-- i18n/de.toml --\nname = \"Deutsch\"\ndir = \"down\"\n", `i18n/de.toml:2: dir is "down"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := base + tt.files
			if strings.HasPrefix(tt.files, "-- templates/") {
				archive = withRepoTemplates(t, archive)
			}
			got := sitetest.BuildErr(t, archive)
			if tt.want == "" {
				return // any error will do
			}
			for _, g := range got {
				if strings.HasPrefix(g, tt.want) {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant one starting with %q", strings.Join(got, "\n"), tt.want)
		})
	}
}

// TestAllErrorsAtOnce checks that problems in several files come together.
func TestAllErrorsAtOnce(t *testing.T) {
	got := sitetest.BuildErr(t, base+
		"-- content/fiches/a/en.md --\n---\ntitle: A\nsumary: x\n---\n"+
		"-- content/fiches/b/en.md --\n---\ntitle: B\n---\n[x](/fiches/zzz)\n"+
		"-- content/fiches/c/en.md --\n---\nsummary: no title\n---\n")
	if len(got) != 3 {
		t.Errorf("got %d problems, want 3:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// withRepoTemplates adds the repository's templates to an archive that
// replaces some of them, since a fixture with templates/ gets no copy.
func withRepoTemplates(t *testing.T, archive string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(archive)
	for _, name := range []string{"base.html", "home.html", "page.html", "list.html", "news.html", "az.html", "notavailable.html", "chooser.html", "404.html", "search.html", "errors.html", "newsletter.html", "redirect.html", "static/style.css"} {
		if strings.Contains(archive, "-- templates/"+name+" --") {
			continue
		}
		b.WriteString("-- templates/" + name + " --\n" + readRepo(t, "templates/"+name))
	}
	return b.String()
}

// TestSynonymProblems: each bad line of a synonyms file is its own problem,
// at its own line.
func TestSynonymProblems(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"valid", "AMU, aide médicale urgente\n", nil},
		{
			"three bad lines",
			"AMU\n# comment\nOCMW,,CPAS\nok, fine\n!!, y\n",
			[]string{
				"content/synonyms/en.txt:1: a group needs two or more terms separated by commas",
				"content/synonyms/en.txt:3: empty term: remove the extra comma",
				`content/synonyms/en.txt:5: "!!" has no letters or digits`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sitetest.Write(t, base+"-- content/synonyms/en.txt --\n"+tt.file)
			res, err := build.Load(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			_, err = build.Synonyms(res.Site)
			var got []string
			if err != nil {
				var errs *diag.Errors
				if !errors.As(err, &errs) {
					t.Fatalf("error %v, want problems", err)
				}
				for _, p := range errs.Problems {
					got = append(got, p.String())
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
