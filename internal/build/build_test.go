package build_test

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/generation"
	"kb/internal/sitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func fixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestFixtureSite(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	tests := []struct {
		file string
		want []string
	}{
		{"index.html", []string{`<html lang="fr" dir="ltr">`, `<a href="/ar/" hreflang="ar" lang="ar" dir="rtl">العربية</a>`, `hreflang="en"`}},
		{"fr/fiches/aide-medicale-urgente/index.html", []string{
			`<h1>Aide médicale urgente</h1>`,
			`Dernière vérification : 15 octobre 2026`,
			`<a href="/fr/procedures/amu-steps/#etapes">`,
			`<a href="/fr/fiches/only-fr/">`,
			`<a href="/files/fiches/urgent-care/card.png">`,
			`&lt;script&gt;alert(1)&lt;/script&gt;`, `! <script>`,
			"«\u00a0bonjour\u00a0»",
			`<h2 id="qui-paie">`,
			`<a href="tel:112">112<span class="el"> Urgences</span></a>`,
			`Demandez l’aide au <a class="term" href="#def-cpas" aria-describedby="def-cpas">CPAS</a>. Il a dit`,
			`<div id="def-cpas"><dt><a href="/fr/glossary/cpas/">CPAS</a></dt><dd>Le service social public de la commune.</dd></div>`,
			`<link rel="alternate" hreflang="ar" href="https://kb.example/ar/fiches/urgent-care/">`,
			`<a href="/en/fiches/urgent-care/" hreflang="en" lang="en" dir="ltr">English</a>`,
			`<a href="/fr/topics/access/">Accès aux soins</a>`,
			`<a href="/fr/residence/undocumented/">Sans séjour légal</a>`,
		}},
		{"en/fiches/urgent-care/index.html", []string{`<a href="/en/fiches/only-fr/">`, `<a href="/en/news/">`, `Last reviewed: 15 October 2026`}},
		{"ar/fiches/urgent-care/index.html", []string{`<html lang="ar" dir="rtl">`, `آخر مراجعة: 1 مارس 2026`, `<h2 id="المساعدة-الطبية-العاجلة">`}},
		{"fr/fiches/urgent-care/index.html", []string{`http-equiv="refresh" content="0; url=/fr/fiches/aide-medicale-urgente/"`}},
		{"en/fiches/only-fr/index.html", []string{`This page is not available in English`, `<a href="/fr/fiches/only-fr/" hreflang="fr" lang="fr" dir="ltr">Français: <bdi>Éviter les urgences</bdi></a>`, `<meta name="robots" content="noindex">`}},
		{"fr/topics/access/index.html", []string{`Ce thème présente`, `<a href="/fr/fiches/aide-medicale-urgente/">Aide médicale urgente</a>`, `<a href="/fr/procedures/amu-steps/">AMU étape par étape</a>`}},
		{"fr/residence/undocumented/index.html", []string{`Sans séjour légal`, `/fr/fiches/aide-medicale-urgente/`, `/fr/procedures/amu-steps/`}},
		{"fr/news/index.html", []string{`Formation`, `! Retards`, `<a href="/fr/news/page/2/" rel="next">`}},
		{"fr/news/page/2/index.html", []string{`Retards de paiement`, `<a href="/fr/news/" rel="prev">`}},
		{"fr/a-z/index.html", []string{`<h2>A</h2>`, `<h2>É</h2>`}},
		{"fr/index.html", []string{`Formation`, `Accès aux soins`, `AMU étape par étape`}},
		{"fr/feed.xml", []string{`href=&#34;https://kb.example/fr/news/2024-06-12-pharmacy/#def-cpas&#34;`, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">`, `<id>https://kb.example/fr/news/2025-01-02-training/</id>`, `<updated>2025-01-02T00:00:00Z</updated>`}},
		{"sitemap.xml", []string{`<loc>https://kb.example/fr/fiches/aide-medicale-urgente/</loc>`, `<xhtml:link rel="alternate" hreflang="ar" href="https://kb.example/ar/fiches/urgent-care/"></xhtml:link>`, `! only-fr/</loc>`[:0] + `<loc>https://kb.example/fr/fiches/only-fr/</loc>`, `! <loc>https://kb.example/en/fiches/only-fr/</loc>`}},
		{"_redirects", []string{"/aide-medicale.html /fr/fiches/aide-medicale-urgente/ 301", "! spip.php"}},
		{"redirects.map", []string{`"/aide-medicale.html" "/fr/fiches/aide-medicale-urgente/";`}},
		{"aide-medicale.html", []string{`url=/fr/fiches/aide-medicale-urgente/`}},
		{"robots.txt", []string{"Sitemap: https://kb.example/sitemap.xml"}},
		{"404.html", []string{`<html lang="fr"`}},
		{"files/fiches/urgent-care/card.png", []string{"not really a png"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) { s.Contains(t, tt.file, tt.want...) })
	}
	// No page links to only-fr in Arabic, nor to urgent-medical-aid in French:
	// their not-available pages are left to kb serve (serve.TestNotAvailable).
	for _, p := range []string{"ar/fiches/only-fr/index.html", "fr/glossary/urgent-medical-aid/index.html"} {
		if s.Exists(p) {
			t.Errorf("%s is written, but no page links to it", p)
		}
	}
	meta, err := generation.ReadMeta(s.Result.Generation)
	if err != nil {
		t.Fatal(err)
	}
	if got := meta.Redirects["/spip.php?article12"]; got != "/fr/fiches/aide-medicale-urgente/" {
		t.Errorf("query-string alias = %q", got)
	}
}

// TestGolden compares one page of each kind with testdata/golden.
func TestGolden(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	for _, p := range []string{
		"index.html", "404.html", "fr/index.html", "fr/fiches/aide-medicale-urgente/index.html",
		"ar/fiches/urgent-care/index.html", "en/fiches/only-fr/index.html", "fr/topics/access/index.html",
		"fr/residence/index.html", "fr/news/index.html", "fr/a-z/index.html", "fr/search/index.html",
		"fr/feed.xml", "sitemap.xml", "aide-medicale.html", "fr/glossary/index.html",
	} {
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(p, "/", "_"))
		// The stylesheet is the same in every page: keep it out of the goldens.
		got := []byte(styleRE.ReplaceAllString(s.Read(t, p), "<style>…</style>"))
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test ./internal/build -update and review the diff)", p, golden)
		}
	}
}

var styleRE = regexp.MustCompile(`(?s)<style>.*?</style>`)

func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[rel] = string(data)
		return nil
	})
	return out
}

func TestDeterministic(t *testing.T) {
	a := sitetest.Build(t, fixture(t), false)
	b := sitetest.Build(t, fixture(t), false)
	ta, tb := tree(t, a.Public), tree(t, b.Public)
	if len(ta) != len(tb) {
		t.Fatalf("%d files vs %d", len(ta), len(tb))
	}
	for p, data := range ta {
		if tb[p] != data {
			t.Errorf("%s differs between two builds", p)
		}
	}
	// Rebuilding in place gives the same bytes too.
	sitetest.BuildDir(t, a.Dir, false)
	for p, data := range tree(t, a.Public) {
		if ta[p] != data {
			t.Errorf("%s differs after a rebuild", p)
		}
	}
}

func TestFailedBuildKeepsOutput(t *testing.T) {
	s := sitetest.Build(t, fixture(t), false)
	before := tree(t, s.Public)
	link, _ := os.Readlink(s.Public)
	broken := filepath.Join(s.Dir, "content/fiches/only-fr/fr.md")
	if err := os.WriteFile(broken, []byte("---\ntitle: x\nsumary: typo\n---\n[x](/fiches/nope)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := build.Build(context.Background(), build.Options{Site: s.Dir, Out: s.Public, NoIndex: true})
	if err == nil {
		t.Fatal("build of a broken site succeeded")
	}
	for _, want := range []string{"content/fiches/only-fr/fr.md:3: unknown frontmatter key \"sumary\"", "content/fiches/only-fr/fr.md:5: broken link /fiches/nope"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if l, _ := os.Readlink(s.Public); l != link {
		t.Errorf("output link changed from %s to %s", link, l)
	}
	after := tree(t, s.Public)
	if len(after) != len(before) {
		t.Fatalf("output has %d files, had %d", len(after), len(before))
	}
	for p, data := range before {
		if after[p] != data {
			t.Errorf("%s changed after a failed build", p)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(s.Dir, ".kb"))
	for _, e := range entries {
		if strings.Contains(e.Name(), "-tmp-") {
			t.Errorf("staging folder %s left behind", e.Name())
		}
	}
}

func TestRefusesForeignOutput(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	os.MkdirAll(filepath.Join(dir, "public"), 0o755)
	os.WriteFile(filepath.Join(dir, "public", "mine.txt"), []byte("keep"), 0o644)
	_, err := build.Build(context.Background(), build.Options{Site: dir, NoIndex: true})
	if err == nil || !strings.Contains(err.Error(), "is not a kb build") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "public", "mine.txt")); string(data) != "keep" {
		t.Error("foreign output was touched")
	}
}

func readRepo(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sitetest.Root(), p))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
