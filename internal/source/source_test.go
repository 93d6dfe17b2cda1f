package source

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"kb/internal/diag"
)

const settings = "base_url = \"https://example.org\"\ndefault_language = \"fr\"\n"

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.toml":                 {Data: []byte(settings)},
		"content/fiches/care/fr.md":         {Data: []byte("---\ntitle: Soins\nsummary: Un résumé\ntopics: [access]\nreviewed: 2026-10-01\naliases:\n  - /old.html\n---\n\n# Titre\n\nTexte.\n")},
		"content/fiches/care/en.toml.md":    {Data: []byte("")},
		"content/fiches/care/card.png":      {Data: []byte("png")},
		"content/news/2024-06-12-pay/nl.md": {Data: []byte("+++\ntitle = \"Betalingen\"\ndate = 2024-06-12\n+++\nTekst\n")},
	}
	var problems diag.List
	c := Load(fsys, map[string]bool{"fr": true, "nl": true}, &problems)
	ps := problems.Problems()
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "content/fiches/care/en.toml.md: no language en.toml") {
		t.Errorf("problems = %v", ps)
	}
	if len(c.Files) != 2 || len(c.Resources) != 1 {
		t.Fatalf("got %d files, %d resources", len(c.Files), len(c.Resources))
	}
	fr := c.Files[0]
	if fr.Meta.Title != "Soins" || fr.Meta.Audience != "people" || fr.BodyLine != 9 || fr.Meta.Line("topics") != 4 {
		t.Errorf("fr = %+v", fr)
	}
	if want := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC); !fr.Meta.Reviewed.Equal(want) {
		t.Errorf("reviewed = %v", fr.Meta.Reviewed)
	}
	if len(fr.Meta.Aliases) != 1 || fr.Meta.Aliases[0] != "/old.html" {
		t.Errorf("aliases = %v", fr.Meta.Aliases)
	}
	nl := c.Files[1]
	if nl.Meta.Title != "Betalingen" || nl.Meta.Date.Format("2006-01-02") != "2024-06-12" || nl.BodyLine != 5 {
		t.Errorf("nl = %+v", nl)
	}
}

func TestBadFrontmatter(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"unknown key", "---\ntitle: A\nsumary: x\n---\n", `:3: unknown frontmatter key "sumary": did you mean "summary"?`},
		{"missing title", "---\nsummary: x\n---\n", `:1: missing title`},
		{"bad yaml", "---\ntitle: A\ntopics: a: b\n---\n", `:3: invalid YAML`},
		{"bad toml", "+++\ntitle = \"A\"\nweight = \n+++\n", `:3: invalid TOML`},
		{"bad date", "---\ntitle: A\nreviewed: 12/05/2026\n---\n", `:3: reviewed is "12/05/2026"`},
		{"bad audience", "---\ntitle: A\naudience: doctors\n---\n", `:3: audience is "doctors"`},
		{"not closed", "---\ntitle: A\n", `:1: the frontmatter is not closed`},
		{"none", "# Title\n", `:1: no frontmatter`},
		{"invalid utf8", "---\ntitle: A\n---\nok\n\xff\n", `:5: invalid UTF-8`},
		{"news without date", "---\ntitle: A\n---\n", `missing-date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			section, key := "fiches", "a"
			if tt.want == "missing-date" {
				section, key, tt.want = "news", "2024-01-01-a", ":1: a news item needs a date"
			}
			var problems diag.List
			parseFile("x.md", section, key, "fr", []byte(tt.file), &problems)
			var got []string
			for _, p := range problems.Problems() {
				got = append(got, p.String())
			}
			if all := strings.Join(got, "\n"); !strings.Contains(all, "x.md"+tt.want) {
				t.Errorf("problems:\n%s\nwant x.md%s", all, tt.want)
			}
		})
	}
}

func TestNFC(t *testing.T) {
	var problems diag.List
	// "é" written as e + combining acute.
	f := parseFile("x.md", "fiches", "a", "fr", []byte("---\ntitle: Sante\u0301\n---\n"), &problems)
	if f.Meta.Title != "Santé" {
		t.Errorf("title = %q, want NFC", f.Meta.Title)
	}
}

// failDirFS is a MapFS whose listing of one folder fails, as a folder
// without read permission does (tests may run as root, who reads anything).
type failDirFS struct {
	fstest.MapFS
	bad string
}

func (f failDirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "readdirent", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.ReadDir(name)
}

// TestUnreadableFolder: a folder that cannot be listed is a problem, not a
// silent loss of its pages.
func TestUnreadableFolder(t *testing.T) {
	tests := []struct {
		name, bad string
		files     int // pages still loaded
	}{
		{"section", "content/fiches", 1},
		{"page folder", "content/fiches/care", 2},
		{"synonyms", "content/synonyms", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := failDirFS{MapFS: fstest.MapFS{
				"content/site.toml":          {Data: []byte(settings)},
				"content/fiches/care/fr.md":  {Data: []byte("---\ntitle: Soins\n---\n")},
				"content/fiches/other/fr.md": {Data: []byte("---\ntitle: Autre\n---\n")},
				"content/procedures/a/fr.md": {Data: []byte("---\ntitle: A\n---\n")},
				"content/synonyms/fr.txt":    {Data: []byte("AMU, aide médicale urgente\n")},
			}, bad: tt.bad}
			var problems diag.List
			c := Load(fsys, map[string]bool{"fr": true}, &problems)
			want := tt.bad + ": cannot read the folder: permission denied (the pages in it are not built; check the folder's permissions)"
			var got []string
			for _, p := range problems.Problems() {
				got = append(got, p.String())
			}
			if len(got) != 1 || got[0] != want {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
			}
			if len(c.Files) != tt.files {
				t.Errorf("%d pages loaded, want %d", len(c.Files), tt.files)
			}
		})
	}
}
