package spip

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
	"gopkg.in/yaml.v3"
)

// TestImportGolden imports the fixture and compares every file written
// with testdata/import.golden (a txtar archive; -update rewrites it).
func TestImportGolden(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := Import(f.options()); err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, f.site)
	var names []string
	for n := range tree {
		names = append(names, n)
	}
	sort.Strings(names)
	ar := &txtar.Archive{Comment: []byte("Files written by importing the fixture of fixture_test.go.\n")}
	for _, n := range names {
		ar.Files = append(ar.Files, txtar.File{Name: n, Data: []byte(tree[n])})
	}
	got := string(txtar.Format(ar))
	const golden = "testdata/import.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("imported files (-want +got):\n%s", diff)
	}
}

// contentFM is CONTENT.md's frontmatter, decoded strictly as kb does.
type contentFM struct {
	Title     string   `yaml:"title"`
	Summary   string   `yaml:"summary"`
	Topics    []string `yaml:"topics"`
	Audience  string   `yaml:"audience"`
	Residence []string `yaml:"residence"`
	Reviewed  string   `yaml:"reviewed"`
	Updated   string   `yaml:"updated"`
	Date      string   `yaml:"date"`
	Aliases   []string `yaml:"aliases"`
	Slug      string   `yaml:"slug"`
	Draft     bool     `yaml:"draft"`
	Weight    int      `yaml:"weight"`
}

func parseFM(t *testing.T, name, data string) (contentFM, string) {
	t.Helper()
	rest, ok := strings.CutPrefix(data, "---\n")
	fm, body, ok2 := strings.Cut(rest, "\n---\n")
	if !ok || !ok2 {
		t.Fatalf("%s: no frontmatter:\n%s", name, data)
	}
	var m contentFM
	dec := yaml.NewDecoder(strings.NewReader(fm))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, fm)
	}
	return m, body
}

// TestImportContent checks every Markdown file against CONTENT.md.
func TestImportContent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, filepath.Join(f.site, "content"))
	keyRe := regexp.MustCompile(`^(fiches|procedures|topics|residence|news)/([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z]{2,3})\.md$`)
	aliases := map[string]string{}
	n := 0
	for name, data := range tree {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		n++
		m := keyRe.FindStringSubmatch(name)
		if m == nil {
			t.Errorf("%s: not section/key/lang.md", name)
			continue
		}
		if !utf8.ValidString(data) {
			t.Errorf("%s: not UTF-8", name)
		}
		fm, body := parseFM(t, name, data)
		if fm.Title == "" {
			t.Errorf("%s: no title", name)
		}
		switch m[1] {
		case "fiches", "procedures":
			want := map[string]string{"fiches": "people", "procedures": "professionals"}[m[1]]
			if fm.Audience != want || fm.Reviewed == "" || fm.Updated == "" {
				t.Errorf("%s: audience %q reviewed %q updated %q", name, fm.Audience, fm.Reviewed, fm.Updated)
			}
		case "news":
			if fm.Date == "" || !strings.HasPrefix(m[2], fm.Date+"-") {
				t.Errorf("%s: date %q does not start the folder name", name, fm.Date)
			}
		}
		for _, d := range []string{fm.Reviewed, fm.Updated, fm.Date} {
			if _, err := time.Parse("2006-01-02", d); d != "" && err != nil {
				t.Errorf("%s: bad date %q", name, d)
			}
		}
		for _, k := range fm.Topics {
			if _, ok := tree["topics/"+k+"/fr.md"]; !ok {
				t.Errorf("%s: topic %q has no French file", name, k)
			}
		}
		for _, k := range fm.Residence {
			if _, ok := tree["residence/"+k+"/fr.md"]; !ok {
				t.Errorf("%s: residence %q has no French file", name, k)
			}
		}
		for _, a := range fm.Aliases {
			if !strings.HasPrefix(a, "/") {
				t.Errorf("%s: alias %q does not start with /", name, a)
			}
			if o, dup := aliases[a]; dup {
				t.Errorf("alias %q in %s and %s", a, o, name)
			}
			aliases[a] = name
		}
		// Internal links point to files that exist; nothing is left as HTML.
		for _, l := range regexp.MustCompile(`\]\((/[a-z]+/[a-z0-9-]+)`).FindAllStringSubmatch(body, -1) {
			if !dirExists(tree, strings.TrimPrefix(l[1], "/")) {
				t.Errorf("%s: broken internal link %s", name, l[1])
			}
		}
		for _, l := range regexp.MustCompile(`\]\(([a-z0-9.-]+\.[a-z]+)\)`).FindAllStringSubmatch(body, -1) {
			if _, ok := tree[path.Dir(name)+"/"+l[1]]; !ok {
				t.Errorf("%s: links to %s, not in its folder", name, l[1])
			}
		}
		if regexp.MustCompile(`<[a-zA-Z/!]`).MatchString(strings.NewReplacer("\\<", "").Replace(body)) {
			t.Errorf("%s: HTML left in the body:\n%s", name, body)
		}
	}
	if got := rep.Files["fiches"]["fr"] + rep.Files["fiches"]["nl"] + rep.Files["fiches"]["en"] + rep.Files["fiches"]["ar"]; got != 9 {
		t.Errorf("fiches: %d files, want 9 (report %v)", got, rep.Files)
	}
	if n != 21 || rep.Aliases != len(aliases) {
		t.Errorf("%d Markdown files, %d aliases; report: %d aliases", n, len(aliases), rep.Aliases)
	}
	for _, a := range []string{
		"/spip.php?article10", "/spip.php?page=article&id_article=10", "/article.php3?id_article=10",
		"/aide-medicale-urgente", "/ancienne-amu", "/spip.php?article10&lang=fr",
		"/spip.php?rubrique3", "/-aide-medicale-", "/spip.php?breve1", "/+paiements-pharmacies+", "/+-sans-titre-de-sejour-+",
	} {
		if aliases[a] == "" {
			t.Errorf("no file has alias %s", a)
		}
	}
	if aliases["/toegang-tot-zorg"] != "topics/acces-aux-soins/nl.md" || aliases["/acces-aux-soins"] != "topics/acces-aux-soins/fr.md" {
		t.Errorf("a spip_urls row with a langue goes to that language's file: %q, %q", aliases["/toegang-tot-zorg"], aliases["/acces-aux-soins"])
	}
	if aliases["/fr"] != "" {
		t.Errorf("alias /fr would hide the French home page")
	}
}

func dirExists(tree map[string]string, dir string) bool {
	for n := range tree {
		if strings.HasPrefix(n, dir+"/") {
			return true
		}
	}
	return false
}

func TestImportTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep1, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	first := readTree(t, f.site)
	rep2, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, readTree(t, f.site)); diff != "" {
		t.Errorf("second import changed files (-first +second):\n%s", diff)
	}
	if len(rep2.Written) != 0 || len(rep2.Conflicts) != 0 || len(rep2.Unchanged) != len(rep1.Written) {
		t.Errorf("second import: written %v, conflicts %v, %d unchanged (first wrote %d)", rep2.Written, rep2.Conflicts, len(rep2.Unchanged), len(rep1.Written))
	}
	var j1, j2 strings.Builder
	rep1.Written, rep1.Unchanged, rep2.Written, rep2.Unchanged = nil, nil, nil, nil
	rep1.JSON(&j1)
	rep2.JSON(&j2)
	if diff := cmp.Diff(j1.String(), j2.String()); diff != "" {
		t.Errorf("reports differ:\n%s", diff)
	}
}

func TestImportForce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := Import(f.options()); err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(f.site, "content/fiches/carte-medicale/fr.md")
	writeTestFile(t, edited, "edited by hand\n")
	// A file the import will want to write again, to see that it does not.
	gone := filepath.Join(f.site, "content/news/2024-07-01-nouveau-formulaire/nl.md")
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, f.site)

	rep, err := Import(f.options())
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("import over an edited file: err = %v, want ErrConflict", err)
	}
	if diff := cmp.Diff([]string{"content/fiches/carte-medicale/fr.md"}, rep.Conflicts); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, readTree(t, f.site)); diff != "" {
		t.Errorf("a refused import wrote files:\n%s", diff)
	}

	opt := f.options()
	opt.Force = true
	if _, err := Import(opt); err != nil {
		t.Fatal(err)
	}
	if got := f.file(t, "content/fiches/carte-medicale/fr.md"); !strings.Contains(got, `title: "Carte médicale"`) {
		t.Errorf("--force did not overwrite the edited file:\n%s", got)
	}
	if _, err := os.Stat(gone); err != nil {
		t.Errorf("--force did not write the missing file: %v", err)
	}
	// Now the import owns the file again.
	if _, err := Import(f.options()); err != nil {
		t.Errorf("import after --force: %v", err)
	}
}

// TestImportStale checks what happens to files an earlier import wrote
// that the backup no longer produces: removed if untouched, else kept.
func TestImportStale(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := Import(f.options()); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", f.db)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, `UPDATE spip_articles SET statut = 'poubelle' WHERE id_article IN (17, 18)`)
	db.Close()
	writeTestFile(t, filepath.Join(f.site, "content/fiches/btaqa-tbya/ar.md"), "kept\n")
	rep, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"content/fiches/titre-multilingue/fr.md"}, rep.Removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"content/fiches/btaqa-tbya/ar.md"}, rep.Kept); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(f.site, "content/fiches/titre-multilingue")); !os.IsNotExist(err) {
		t.Errorf("the emptied folder is still there: %v", err)
	}
	if got := f.file(t, "content/fiches/btaqa-tbya/ar.md"); got != "kept\n" {
		t.Errorf("edited stale file changed: %q", got)
	}
}

func TestImportBadBackup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "notes.txt")
	writeTestFile(t, notSQLite, "this is not a database\n")

	foreign := filepath.Join(dir, "other.sqlite")
	db, err := sql.Open("sqlite", foreign)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, `CREATE TABLE wp_posts (ID integer, post_title text)`)
	db.Close()

	// A real backup with its pages overwritten in the middle.
	f := newFixture(t)
	data, err := os.ReadFile(f.db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(data)-100; i += 4096 {
		copy(data[i+8:], bytes.Repeat([]byte{0xA5}, 64))
	}
	corrupt := filepath.Join(dir, "corrupt.sqlite")
	if err := os.WriteFile(corrupt, data, 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.sqlite")
	if err := os.WriteFile(truncated, data[:len(data)/3], 0o644); err != nil {
		t.Fatal(err)
	}

	if _, err := Import(Options{Backup: f.db, Site: filepath.Join(dir, "site"), Img: filepath.Join(dir, "nope")}); err == nil || !strings.Contains(err.Error(), "--img") {
		t.Errorf("--img to a missing folder: err = %v", err)
	}
	for _, tt := range []struct{ name, file, want string }{
		{"not sqlite", notSQLite, "is not an SQLite file"},
		{"foreign", foreign, "has no spip_articles table"},
		{"corrupt", corrupt, "is damaged"},
		{"truncated", truncated, "is damaged"},
		{"missing", filepath.Join(dir, "nope.sqlite"), "no such file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := filepath.Join(t.TempDir(), "site")
			rep, err := Import(Options{Backup: tt.file, Site: site, Img: f.img})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if rep != nil {
				t.Errorf("a report for a bad backup: %+v", rep)
			}
			if _, err := os.Stat(site); !os.IsNotExist(err) {
				t.Errorf("the site folder was created: %v", err)
			}
		})
	}
}

func TestImportReport(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	rep, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	has := func(list []Item, object, substr string) bool {
		for _, it := range list {
			if it.Object == object && strings.Contains(it.Message, substr) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		list           []Item
		object, substr string
	}{
		{rep.Skipped, "article 19", `language "de"`},
		{rep.Skipped, "article 20", `status "prop"`},
		{rep.Skipped, "article 21", `status "prepa"`},
		{rep.Skipped, "article 22", `status "refuse"`},
		{rep.Skipped, "article 23", `status "poubelle"`},
		{rep.Skipped, "article 24", "virtual article"},
		{rep.Skipped, "breve 3", `status "prop"`},
		{rep.Skipped, "breve 4", "no date"},
		{rep.Skipped, "rubrique 1", `language "de"`},
		{rep.Skipped, "rubrique 4", `status "prepa": no topic`},
		{rep.MissingDocuments, "document 3", "IMG/pdf/absent.pdf"},
		{rep.BrokenLinks, "article 10", "article 20"},
		{rep.Unconverted, "article 10", "tag <span> removed"},
		{rep.DroppedAliases, "article 14", "/fr: would hide"},
		{rep.DroppedAliases, "rubrique 2", "not redirected"},
		{rep.Unconverted, "article 26", `no title in fr: "article 26" used`},
	} {
		if !has(c.list, c.object, c.substr) {
			t.Errorf("report has no %s: %q", c.object, c.substr)
		}
	}
	if diff := cmp.Diff([]Keyword{{ID: 4, Title: "Un mot divers", Group: "Divers", Uses: 1}}, rep.UnmappedKeywords); diff != "" {
		t.Errorf("unmapped keywords (-want +got):\n%s", diff)
	}
	if rep.Groups["fiches"] != 6 || rep.Multilingual["fiches"] != 1 || rep.Groups["procedures"] != 1 || rep.Multilingual["procedures"] != 1 {
		t.Errorf("groups %v, multilingual %v", rep.Groups, rep.Multilingual)
	}
	if diff := cmp.Diff(map[string]map[string]int{
		"article": {"ar": 2, "en": 1, "fr": 6, "nl": 2}, "breve": {"fr": 2, "nl": 1},
		"mot": {"fr": 3, "nl": 1}, "rubrique": {"en": 1, "fr": 1, "nl": 1},
	}, rep.Objects); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	if rep.Documents != 5 {
		t.Errorf("%d documents copied, want 5", rep.Documents)
	}
	var text strings.Builder
	rep.Text(&text)
	for _, s := range []string{"fiches", "ar 2, en 1, fr 5, nl 1", "article 24: virtual article", "mot 4: Un mot divers", "review them"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, text.String())
		}
	}
	var js strings.Builder
	if err := rep.JSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal([]byte(js.String()), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, &back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}

	// Without --img, every document is reported and its links become text.
	f2 := newFixture(t)
	opt := f2.options()
	opt.Img = ""
	rep2, err := Import(opt)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Documents != 0 || len(rep2.MissingDocuments) != 6 {
		t.Errorf("without --img: %d copied, missing %v", rep2.Documents, rep2.MissingDocuments)
	}
	if got := f2.file(t, "content/fiches/carte-medicale/fr.md"); !strings.Contains(got, "La carte : La carte médicale\n\nFormulaire et [distant]") {
		t.Errorf("without --img, links to documents are not text:\n%s", got)
	}
}

func TestImportDrafts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	opt := f.options()
	opt.Drafts = true
	rep, err := Import(opt)
	if err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, filepath.Join(f.site, "content"))
	drafts := map[string]bool{}
	for name, data := range tree {
		if strings.HasSuffix(name, ".md") {
			if fm, _ := parseFM(t, name, data); fm.Draft {
				drafts[name] = true
			}
		}
	}
	want := map[string]bool{
		"fiches/un-brouillon-propose/fr.md":    true,
		"fiches/en-cours-de-redaction/fr.md":   true,
		"news/2024-08-01-breve-proposee/fr.md": true,
	}
	if diff := cmp.Diff(want, drafts); diff != "" {
		t.Errorf("drafts (-want +got):\n%s", diff)
	}
	for _, it := range rep.Skipped {
		if !strings.HasPrefix(it.Object, "rubrique") && (strings.Contains(it.Message, "prop") || strings.Contains(it.Message, "prepa")) {
			t.Errorf("skipped with --drafts: %v", it)
		}
	}
	// A published page does not link to a draft (kb would build it without
	// the draft); a draft may link to a published page.
	if got := tree["fiches/aide-medicale-urgente/fr.md"]; !strings.Contains(got, " un brouillon et ") {
		t.Errorf("published page links to a draft:\n%s", got)
	}
	if got := tree["fiches/en-cours-de-redaction/fr.md"]; !strings.Contains(got, "[l'AMU](/fiches/aide-medicale-urgente)") {
		t.Errorf("draft does not link to the published page:\n%s", got)
	}
	if _, ok := tree["fiches/refuse/fr.md"]; ok {
		t.Errorf("refused article imported")
	}
}

// TestDefaultMapping imports with no mapping file: the default one is
// written, and a second import reads it and gives the same files.
func TestDefaultMapping(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	os.Remove(filepath.Join(f.site, "spip-map.toml"))
	rep, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.MapNew {
		t.Errorf("report does not say the mapping file was written")
	}
	m := f.file(t, "spip-map.toml")
	for _, s := range []string{
		"default_section = \"fiches\"",
		"1 = \"fiches\" # Accès aux soins",
		"# 3 = \"fiches\" # Aide médicale urgente (in rubrique 1)",
		"1 = \"acces-aux-soins\" # Accès aux soins",
		"2 = \"fiches\" # Procédures",
		"2 = \"procedures\" # Procédures",
		"# 4 = \"archives\" # Archives",
		"# 4 = \"topic\" # Un mot divers (group 3 Divers, 1 links)",
		"# 1 = \"topic\" # Statut de séjour",
	} {
		if !strings.Contains(m, s) {
			t.Errorf("default mapping lacks %q:\n%s", s, m)
		}
	}
	if len(rep.UnmappedKeywords) != 4 {
		t.Errorf("with the default mapping, %d keywords unmapped, want 4", len(rep.UnmappedKeywords))
	}
	first := readTree(t, f.site)
	rep2, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	if rep2.MapNew || len(rep2.Written) != 0 {
		t.Errorf("second import: map written %v, files written %v", rep2.MapNew, rep2.Written)
	}
	if diff := cmp.Diff(first, readTree(t, f.site)); diff != "" {
		t.Errorf("second import changed files:\n%s", diff)
	}
}

func TestBadMapping(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, data, want string }{
		{"unknown key", "default_sektion = \"fiches\"\n", "unknown key"},
		{"bad section", "[sections]\n1 = \"pages\"\n", `want "fiches", "procedures" or "skip"`},
		{"bad key", "[rubrique_topics]\n1 = \"Accès\"\n", "a key is lower-case"},
		{"bad keyword", "[keywords]\n1 = \"tag\"\n", "[keywords] 1"},
		{"bad id", "[keyword_groups]\nabc = \"topic\"\n", "not a SPIP id"},
		{"not toml", "[sections]\n1 = \"fiches\"\n2 = \n", "spip-map.toml:3: expected value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			writeTestFile(t, filepath.Join(f.site, "spip-map.toml"), tt.data)
			_, err := Import(f.options())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(f.site, "content")); !os.IsNotExist(err) {
				t.Errorf("content/ written despite a bad mapping file")
			}
		})
	}
}

// TestSiteLanguages: with i18n/ files, only their languages are imported;
// a backup with only spip_articles (few columns) still imports.
func TestSiteLanguages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeTestFile(t, filepath.Join(f.site, "i18n/fr.toml"), "")
	writeTestFile(t, filepath.Join(f.site, "i18n/nl.toml"), "")
	rep, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"fr": 5, "nl": 1}, rep.Files["fiches"]); diff != "" {
		t.Errorf("fiches by language (-want +got):\n%s", diff)
	}

	dir := t.TempDir()
	min := filepath.Join(dir, "min.sqlite")
	db, err := sql.Open("sqlite", min)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, `CREATE TABLE spip_articles (id_article integer, titre text, texte text, statut text, lang text, extra_plugin text)`)
	exec(t, db, `INSERT INTO spip_articles VALUES (1, 'Seul article', '{{Texte}}', 'publie', 'fr', 'x')`)
	db.Close()
	rep, err = Import(Options{Backup: min, Site: filepath.Join(dir, "site")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files["fiches"]["fr"] != 1 || len(rep.Notes) < 5 {
		t.Errorf("minimal backup: files %v, notes %v", rep.Files, rep.Notes)
	}
	got, err := os.ReadFile(filepath.Join(dir, "site/content/fiches/seul-article/fr.md"))
	if err != nil || !strings.Contains(string(got), "**Texte**") {
		t.Errorf("minimal backup: %v\n%s", err, got)
	}
}

// TestImportStaysInSite: an edited .spip-import.json cannot make a
// re-import delete a file outside the site, directly or through a link,
// and a link in IMG/ to a file outside it is not copied (issue 12, item 10).
func TestImportStaysInSite(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim.txt")
	writeTestFile(t, victim, "precious\n")
	// IMG/pdf/absent.pdf (document 3) is a link to a file outside IMG/.
	if err := os.Symlink(victim, filepath.Join(f.img, "pdf", "absent.pdf")); err != nil {
		t.Fatal(err)
	}
	rep, err := Import(f.options())
	if err != nil {
		t.Fatal(err)
	}
	var refused bool
	for _, m := range rep.MissingDocuments {
		refused = refused || strings.Contains(m.Message, "IMG/pdf/absent.pdf") && strings.Contains(m.Message, "symbolic link")
	}
	if !refused {
		t.Errorf("missing documents = %v, want the link refused", rep.MissingDocuments)
	}
	tree := readTree(t, f.site)
	for name, data := range tree {
		if strings.Contains(data, "precious") {
			t.Errorf("%s has the content of a file outside IMG/", name)
		}
	}

	sum := sha256.Sum256([]byte("precious\n"))
	if err := os.Symlink(outside, filepath.Join(f.site, "content", "fiches", "link")); err != nil {
		t.Fatal(err)
	}
	manifestFile := filepath.Join(f.site, ManifestFile)
	orig, err := os.ReadFile(manifestFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range []string{"../victim.txt", "content/../../victim.txt", "/" + victim, "content/fiches/link/victim.txt"} {
		var m manifest
		if err := json.Unmarshal(orig, &m); err != nil {
			t.Fatal(err)
		}
		m.Files[entry] = hex.EncodeToString(sum[:])
		data, _ := json.Marshal(m)
		writeTestFile(t, manifestFile, string(data))
		_, err := Import(f.options())
		if _, serr := os.Stat(victim); serr != nil {
			t.Fatalf("entry %q: the re-import deleted a file outside the site (err %v)", entry, err)
		}
		if entry != "content/fiches/link/victim.txt" && (err == nil || !strings.Contains(err.Error(), strconv.Quote(entry))) {
			t.Errorf("entry %q: err = %v, want the entry named", entry, err)
		}
	}
}
