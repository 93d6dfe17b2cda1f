package preview

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"kb/internal/build"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestSameAsFullBuild makes a series of changes and checks, after each,
// that the preview serves the same files, byte for byte, as a full build of
// the same site writes, and has the same problems. The preview updates its
// site in place where it can (a body alone); this is what keeps it honest.
func TestSameAsFullBuild(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	ctx := context.Background()
	p := New(build.Options{Site: dir, NoIndex: true}, &serve.Server{}, io.Discard, io.Discard)
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dir: dir}
	steps := []struct {
		name  string
		do    func()
		paths []string
	}{
		{"body", func() { h.edit("content/fiches/urgent-care/fr.md", "Demandez", "Demandez vite") }, []string{"content/fiches/urgent-care/fr.md"}},
		{"body of news", func() { h.edit("content/news/2025-01-02-training/fr.md", "Une formation.", "Une formation le mardi.") }, []string{"content/news/2025-01-02-training/fr.md"}},
		{"heading a link points to", func() { h.edit("content/procedures/amu-steps/fr.md", "{#etapes}", "{#steps}") }, []string{"content/procedures/amu-steps/fr.md"}},
		{"heading back", func() { h.edit("content/procedures/amu-steps/fr.md", "{#steps}", "{#etapes}") }, []string{"content/procedures/amu-steps/fr.md"}},
		{"title of a topic", func() { h.edit("content/topics/access/en.md", "title: Access to care", "title: Getting care") }, []string{"content/topics/access/en.md"}},
		{"title of a news item", func() {
			h.edit("content/news/2025-01-02-training/fr.md", "title: Formation", "title: Formation des bénévoles")
		}, []string{"content/news/2025-01-02-training/fr.md"}},
		{"title and body together", func() {
			h.edit("content/fiches/urgent-care/fr.md", "Demandez vite", "Demandez très vite")
			h.edit("content/news/2025-01-02-training/fr.md", "title: Formation des bénévoles", "title: Formation")
		}, []string{"content/fiches/urgent-care/fr.md", "content/news/2025-01-02-training/fr.md"}},
		{"slug", func() {
			h.edit("content/fiches/only-fr/fr.md", "title: Éviter les urgences", "title: Éviter les urgences\nslug: eviter-urgences")
		}, []string{"content/fiches/only-fr/fr.md"}},
		{"new translation", func() { h.write("content/fiches/only-fr/en.md", "---\ntitle: Avoiding emergencies\n---\nText.\n") }, []string{"content/fiches/only-fr/en.md"}},
		{"translation removed", func() { os.Remove(filepath.Join(dir, "content/procedures/amu-steps/en.md")) }, []string{"content/procedures/amu-steps/en.md"}},
		{"alias", func() {
			h.edit("content/fiches/urgent-care/ar.md", "reviewed: 2026-03-01", "reviewed: 2026-03-01\naliases: [\"/ar-old.html\"]")
		}, []string{"content/fiches/urgent-care/ar.md"}},
		{"draft news", func() {
			h.edit("content/news/2024-06-12-pharmacy/fr.md", "date: 2024-06-12", "date: 2024-06-12\ndraft: true")
		}, []string{"content/news/2024-06-12-pharmacy/fr.md"}},
		{"link to a draft", func() {
			h.edit("content/fiches/only-fr/fr.md", "Texte.", "Texte. [Retards](/news/2024-06-12-pharmacy).")
		}, []string{"content/fiches/only-fr/fr.md"}},
		{"draft published", func() { h.edit("content/news/2024-06-12-pharmacy/fr.md", "draft: true", "draft: false") }, []string{"content/news/2024-06-12-pharmacy/fr.md"}},
		{"resource and a link to it", func() {
			h.write("content/fiches/only-fr/form.pdf", "%PDF")
			h.edit("content/fiches/only-fr/fr.md", "Texte.", "Texte. [Formulaire](form.pdf).")
		}, []string{"content/fiches/only-fr/form.pdf", "content/fiches/only-fr/fr.md"}},
		{"resource removed", func() { os.Remove(filepath.Join(dir, "content/fiches/only-fr/form.pdf")) }, []string{"content/fiches/only-fr/form.pdf"}},
		{"link to it removed", func() { h.edit("content/fiches/only-fr/fr.md", " [Formulaire](form.pdf).", "") }, []string{"content/fiches/only-fr/fr.md"}},
		// The not-available page of a link target is written; in place, the
		// outputs follow the body's links.
		{"link to a page missing in the language", func() {
			h.edit("content/fiches/urgent-care/ar.md", "(OCMW/CPAS).", "(OCMW/CPAS). [x](/fiches/only-fr)")
		}, []string{"content/fiches/urgent-care/ar.md"}},
		{"that link removed", func() {
			h.edit("content/fiches/urgent-care/ar.md", " [x](/fiches/only-fr)", "")
		}, []string{"content/fiches/urgent-care/ar.md"}},
		{"news date", func() { h.edit("content/news/2025-01-02-training/en.md", "date: 2025-01-02", "date: 2023-01-02") }, []string{"content/news/2025-01-02-training/en.md"}},
		{"topic of a page", func() { h.edit("content/fiches/only-fr/fr.md", "topics: [access]\n", "") }, []string{"content/fiches/only-fr/fr.md"}},
		{"unknown key", func() { h.edit("content/fiches/urgent-care/en.md", "summary:", "sumary:") }, []string{"content/fiches/urgent-care/en.md"}},
		{"unknown key fixed", func() { h.edit("content/fiches/urgent-care/en.md", "sumary:", "summary:") }, []string{"content/fiches/urgent-care/en.md"}},
		{"new folder", func() {
			h.write("content/procedures/new-steps/fr.md", "---\ntitle: Nouvelles étapes\ntopics: [access]\n---\nVoir [l'aide](/fiches/urgent-care).\n")
			h.write("content/procedures/new-steps/nl.md", "---\ntitle: Nieuw\n---\nTekst.\n")
		}, []string{"content/procedures/new-steps"}},
		{"file of an unknown language fixed", func() {
			os.Rename(filepath.Join(dir, "content/procedures/new-steps/nl.md"), filepath.Join(dir, "content/procedures/new-steps/en.md"))
		}, []string{"content/procedures/new-steps/en.md", "content/procedures/new-steps/nl.md"}},
		{"folder removed", func() { os.RemoveAll(filepath.Join(dir, "content/procedures/new-steps")) }, []string{"content/procedures/new-steps"}},
		{"misnamed folder", func() { h.write("content/fiches/Bad Name/fr.md", "---\ntitle: X\n---\n") }, []string{"content/fiches/Bad Name"}},
		{"misnamed folder removed", func() { os.RemoveAll(filepath.Join(dir, "content/fiches/Bad Name")) }, []string{"content/fiches/Bad Name"}},
		{"synonyms", func() { h.write("content/synonyms/fr.txt", "AMU, aide médicale urgente\n") }, []string{"content/synonyms/fr.txt"}},
		{"quotes of a language", func() {
			h.edit("i18n/fr.toml", `quotes = ["«\u00a0", "\u00a0»", "‹", "›"]`, `quotes = ["“", "”", "‘", "’"]`)
		}, []string{"i18n/fr.toml"}},
		{"template", func() {
			h.edit("templates/page.html", `{{define "main"}}`, `{{define "main"}}<p class="changed-template"></p>`)
		}, []string{"templates/page.html"}},
		{"body after a template", func() { h.edit("content/fiches/urgent-care/en.md", "Ask", "Do ask") }, []string{"content/fiches/urgent-care/en.md"}},
		// A site owner's template that shows other pages' bodies: the home
		// page shows the text of the latest news.
		{"template showing news bodies", func() {
			h.edit("templates/home.html", `{{define "main"}}`, `{{define "main"}}{{range .News}}<div class="news-text">{{.Body}}</div>{{end}}`)
		}, []string{"templates/home.html"}},
		{"body of news shown on the home page", func() {
			h.edit("content/news/2025-01-02-training/fr.md", "Une formation le mardi.", "Une formation le mercredi.")
		}, []string{"content/news/2025-01-02-training/fr.md"}},
		{"settings", func() { h.edit("content/site.toml", "news_per_page = 1", "news_per_page = 2") }, []string{"content/site.toml"}},
		{"body after a full build", func() { h.edit("content/fiches/urgent-care/en.md", "Do ask", "Please ask") }, []string{"content/fiches/urgent-care/en.md"}},
	}
	for _, st := range steps {
		st.do()
		p.rebuild(ctx, st.paths)
		sameAsBuild(t, p, dir, st.name)
	}
	if home := servedFiles(t, p)["fr/index.html"]; !strings.Contains(home, "Une formation le mercredi.") {
		t.Error("the home page does not show the news item's new text")
	}
}

// TestSameAsFullBuildStartingBroken starts the preview on a site with an
// error, saves another file while it is broken, then fixes the error: the
// preview says what a build says at each step, and serves what a build
// writes once fixed. (Issue 11: this used to panic on the first save.)
func TestSameAsFullBuildStartingBroken(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	h := &harness{t: t, dir: dir}
	h.edit("content/fiches/urgent-care/en.md", "summary:", "sumary:")
	ctx := context.Background()
	p := New(build.Options{Site: dir, NoIndex: true}, &serve.Server{}, io.Discard, io.Discard)
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sameAsBuild(t, p, dir, "start")
	h.edit("content/fiches/urgent-care/fr.md", "Demandez", "Demandez vite")
	p.rebuild(ctx, []string{"content/fiches/urgent-care/fr.md"})
	sameAsBuild(t, p, dir, "save while broken")
	h.edit("content/fiches/urgent-care/en.md", "sumary:", "summary:")
	p.rebuild(ctx, []string{"content/fiches/urgent-care/en.md"})
	if p.brokenNow() != nil {
		t.Fatal("still broken after the fix")
	}
	sameAsBuild(t, p, dir, "fixed")
	if got := servedFiles(t, p)["fr/fiches/aide-medicale-urgente/index.html"]; !strings.Contains(got, "Demandez vite") {
		t.Error("the save made while broken is not served")
	}
}

// sameAsBuild checks that the preview has the problems build.Load finds
// and, when there is no error, serves the files a full build writes.
func sameAsBuild(t *testing.T, p *Preview, dir, step string) {
	t.Helper()
	want, err := build.Load(dir, false)
	var gotProbs, wantProbs []string
	for _, pr := range p.m.problems() {
		gotProbs = append(gotProbs, pr.String())
	}
	for _, pr := range want.Problems {
		wantProbs = append(wantProbs, pr.String())
	}
	if diff := cmp.Diff(wantProbs, gotProbs); diff != "" {
		t.Fatalf("%s: problems differ from build.Load (-want +got):\n%s", step, diff)
	}
	if err != nil {
		if p.brokenNow() == nil {
			t.Fatalf("%s: the preview is not broken", step)
		}
		return
	}
	ref, err := build.Build(context.Background(), build.Options{Site: dir, Out: filepath.Join(t.TempDir(), "ref"), NoIndex: true, Script: Script})
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	wantFiles := tree(t, filepath.Join(ref.Generation, "site"))
	for name := range wantFiles {
		if strings.HasSuffix(name, ".gz") {
			delete(wantFiles, name) // a compressed copy, which the preview leaves out
		}
	}
	if diff := cmp.Diff(wantFiles, servedFiles(t, p)); diff != "" {
		t.Fatalf("%s: preview differs from a full build (-build +preview):\n%s", step, diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Fatalf("%s: the preview wrote public/", step)
	}
}

// servedFiles renders every file the preview serves.
func servedFiles(t *testing.T, p *Preview) map[string]string {
	t.Helper()
	st := p.srv.Current()
	if st == nil {
		t.Fatal("nothing served")
	}
	out := map[string]string{}
	f := st.Files.(*files)
	for name := range f.outs {
		data, err := fs.ReadFile(st.Files, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = string(data)
	}
	return out
}

// tree returns every file under dir with its bytes.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
