package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/diag"
)

// TestPageLimits: pages that made the parsers take minutes (issue 12, item
// 8) and a byte order mark (item 12) get a clear error, or none, at once.
func TestPageLimits(t *testing.T) {
	nested := "+++\ntitle = \"A\"\nx = " + strings.Repeat("{a=", 3000) + "1" + strings.Repeat("}", 3000) + "\n+++\n"
	tests := []struct {
		name, data, want string // want "" means no problem
	}{
		{"bom", "\uFEFF---\ntitle: A\n---\nbody\n", ""},
		{"bom toml", "\uFEFF+++\ntitle = \"A\"\n+++\nbody\n", ""},
		{"nested toml tables", nested, "x.md:3: brackets nested more than 8 deep"},
		{"nested yaml lists", "---\ntitle: A\n\ntopics: " + strings.Repeat("[", 10000) + "\n---\n", "x.md:4: brackets nested more than 8 deep"},
		{"brackets in strings", "---\ntitle: \"[[[[[[[[[[[[\"\nsummary: '{{{{{{{{{{{{{'\n---\n", ""},
		{"huge page", "---\ntitle: A\n---\n" + strings.Repeat("[a](/fiches/x)\n", 140000), "x.md: the file is 2050 KiB; a page may have at most 256 KiB"},
		{"huge frontmatter", "---\ntitle: A\nsummary: " + strings.Repeat("a", 20000) + "\n---\n", "x.md:2: the frontmatter is 19 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var problems diag.List
			f := parseFile("x.md", "fiches", "x", "fr", []byte(tt.data), &problems)
			ps := problems.Problems()
			if tt.want == "" {
				if len(ps) > 0 || f == nil || f.Meta.Title == "" {
					t.Fatalf("problems %v, file %v", ps, f)
				}
				return
			}
			if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), tt.want) {
				t.Fatalf("problems = %v, want %q", ps, tt.want)
			}
		})
	}
}

func TestAliasLines(t *testing.T) {
	var problems diag.List
	f := parseFile("x.md", "fiches", "x", "fr", []byte("---\ntitle: A\naliases:\n  - /a.html\n  - /b.html\n---\n"), &problems)
	if f == nil || f.Meta.AliasLine(0) != 4 || f.Meta.AliasLine(1) != 5 {
		t.Fatalf("alias lines = %v (%v)", f.Meta.AliasLines, problems.Problems())
	}
}

// TestSymlinkOutOfSite: a link in a page folder to a file outside the site
// (issue 12, item 1) is an error naming it, and is neither a resource nor
// readable; a link that stays inside the site is a file like any other.
func TestSymlinkOutOfSite(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	write := func(p, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/site.toml", settings)
	write("content/fiches/x/fr.md", "---\ntitle: X\n---\n")
	write("shared/form.pdf", "pdf")
	write("templates/base.html", "")
	if err := os.WriteFile(secret, []byte("TOKEN=1"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"content/fiches/x/env.txt":  "/proc/self/environ",
		"content/fiches/x/s.txt":    secret,
		"content/fiches/x/up.txt":   "../../../../secret.txt",
		"content/fiches/x/form.pdf": "../../../shared/form.pdf",
		"templates/static/evil.css": secret,
		"i18n/xx.toml":              secret,
		"content/fiches/y":          filepath.Dir(secret),
		"content/fiches/x/sub":      "../../../shared",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, link)), 0o755)
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := SiteFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	var problems diag.List
	c := Load(fsys, map[string]bool{"fr": true}, &problems)
	var got []string
	for _, p := range problems.Problems() {
		if strings.Contains(p.Msg, "symbolic link") {
			got = append(got, p.Path)
		}
	}
	want := []string{"content/fiches/x/env.txt", "content/fiches/x/s.txt", "content/fiches/x/up.txt", "content/fiches/y", "i18n/xx.toml", "templates/static/evil.css"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("reported %v, want %v (all: %v)", got, want, problems.Problems())
	}
	var folder bool
	for _, p := range problems.Problems() {
		folder = folder || p.Path == "content/fiches/x/sub" && p.Msg == "unexpected folder"
	}
	if !folder {
		t.Errorf("a link to a folder of the site is not reported as a folder: %v", problems.Problems())
	}
	if len(c.Resources) != 1 || c.Resources[0].Name != "form.pdf" {
		t.Errorf("resources = %v", c.Resources)
	}
	if _, err := fsys.Open("content/fiches/x/s.txt"); err == nil {
		t.Error("the site file system opened a link out of the site")
	}
}
