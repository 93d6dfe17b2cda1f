package build_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestAliasHardening: aliases that would overwrite kb's own files, reach a
// server route, or become patterns in _redirects are errors at the alias's
// own line; two outputs on one path are found before anything is written
// (issue 12, items 4 and 12).
func TestAliasHardening(t *testing.T) {
	page := func(aliases ...string) string {
		s := "-- content/fiches/a/en.md --\n---\ntitle: A\naliases:\n"
		for _, a := range aliases {
			s += "  - " + a + "\n"
		}
		return s + "---\n"
	}
	tests := []struct {
		name, files, want string
	}{
		{"gzip sibling", page("/ok.html", "/index.html.gz"), `content/fiches/a/en.md:5: alias "/index.html.gz" is a URL kb uses itself`},
		{"editors page", page("/_editors/translations.html"), `content/fiches/a/en.md:4: alias "/_editors/translations.html" is a URL kb uses itself`},
		{"api", page("/api/search"), `content/fiches/a/en.md:4: alias "/api/search" is a URL kb uses itself`},
		{"netlify catch-all", page(`"/* /b 302!"`), `content/fiches/a/en.md:4: alias "/* /b 302!" contains a space`},
		{"wildcard", page("/old/*"), `content/fiches/a/en.md:4: alias "/old/*" contains '*'`},
		{"placeholder", page("/old/:id"), `content/fiches/a/en.md:4: alias "/old/:id" contains ':'`},
		{"nbsp", page("\"/a\u00a0b\""), `content/fiches/a/en.md:4: alias "/a\u00a0b" contains a space`},
		{"folder and index", page("/x/", "/x/index.html"), "content/fiches/a/en.md:5: output x/index.html is also written by content/fiches/a/en.md:4"},
		{"file and folder", page("/x.html", "/x.html/y"), "content/fiches/a/en.md:5: output x.html would be a file and a folder: this and content/fiches/a/en.md:4 both need it"},
		{"across pages", page("/old") + "-- content/fiches/b/en.md --\n---\ntitle: B\naliases: [/old/]\n---\n", "content/fiches/b/en.md:3: output old/index.html is also written by content/fiches/a/en.md:4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sitetest.BuildErr(t, base+tt.files)
			for _, g := range got {
				if strings.HasPrefix(g, tt.want) {
					return
				}
			}
			t.Errorf("problems:\n%s\nwant one starting %q", strings.Join(got, "\n"), tt.want)
		})
	}
}

// TestAttachments: only the files a page links to are published, under
// their real names (NFC), and a reader fetching the escaped link through
// kb serve gets them; the others are warned about (issue 12, items 1, 5).
func TestAttachments(t *testing.T) {
	nfd := "Formulaire AMU (2024) e\u0301te\u0301.pdf" // as macOS saves it
	nfc := "Formulaire AMU (2024) été.pdf"
	fixture := base + `-- content/fiches/a/en.md --
---
title: A
---
Download [the form](Formulaire%20AMU%20%282024%29%20%C3%A9t%C3%A9.pdf),
see ![a card](carte%20médicale.png).
-- content/fiches/a/carte médicale.png --
png
-- content/fiches/a/notes-internes.txt --
secret notes
-- content/fiches/a/` + nfd + ` --
pdf
`
	s := sitetest.Build(t, fixture, false)
	if !s.Exists("files/fiches/a/"+nfc) || !s.Exists("files/fiches/a/carte médicale.png") {
		t.Fatalf("attachments not under their real names")
	}
	if s.Exists("files/fiches/a/notes-internes.txt") {
		t.Error("an unlinked file was published")
	}
	s.Contains(t, "en/fiches/a/index.html", `href="/files/fiches/a/Formulaire%20AMU%20%282024%29%20%C3%A9t%C3%A9.pdf"`, `src="/files/fiches/a/carte%20m%C3%A9dicale.png"`)
	var warned bool
	for _, p := range s.Result.Problems {
		if p.Level == diag.Warning && p.Path == "content/fiches/a/notes-internes.txt" && strings.Contains(p.Msg, "no page links to it") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for the unlinked file: %v", s.Result.Problems)
	}

	st, err := serve.NewState(s.Result.Generation, s.Result.Renderer)
	if err != nil {
		t.Fatal(err)
	}
	srv := &serve.Server{}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	defer func() { ts.Close(); st.Close() }()
	for path, want := range map[string]string{
		"/files/fiches/a/Formulaire%20AMU%20%282024%29%20%C3%A9t%C3%A9.pdf": "pdf",
		"/files/fiches/a/carte%20m%C3%A9dicale.png":                         "png",
	} {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || strings.TrimSpace(string(body)) != want {
			t.Errorf("GET %s: %d %q", path, res.StatusCode, body)
		}
	}
}

// TestAttachmentBareName: a link that writes a name with spaces as it is
// is text in Markdown, not a link; the warning is at that line and says
// how to write it, not "no page links to it".
func TestAttachmentBareName(t *testing.T) {
	s := sitetest.Build(t, base+"-- content/fiches/a/en.md --\n---\ntitle: A\n---\n\nFill [the form](Formulaire AMU (2024).pdf).\n-- content/fiches/a/Formulaire AMU (2024).pdf --\npdf\n", false)
	var got []string
	for _, p := range s.Result.Problems {
		if p.Level == diag.Warning && strings.HasPrefix(p.Path, "content/fiches/a/") {
			got = append(got, p.String())
		}
	}
	want := `content/fiches/a/en.md:5: warning: the link to "Formulaire AMU (2024).pdf" is shown as text`
	if len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.Contains(got[0], "[the form](<Formulaire AMU (2024).pdf>)") {
		t.Errorf("warnings = %q, want one starting %q", got, want)
	}
}

// TestSymlinkRefused: a symbolic link in a page folder to a file outside
// the site (issue 12, item 1) fails the build with its path, and nothing of
// it reaches the output.
func TestSymlinkRefused(t *testing.T) {
	dir := sitetest.Write(t, base+"-- content/fiches/a/en.md --\n---\ntitle: A\n---\n[env](env.txt)\n")
	if err := os.Symlink("/proc/self/environ", filepath.Join(dir, "content/fiches/a/env.txt")); err != nil {
		t.Fatal(err)
	}
	_, err := build.Build(context.Background(), build.Options{Site: dir, NoIndex: true})
	if err == nil || !strings.Contains(err.Error(), "content/fiches/a/env.txt: symbolic link to /proc/self/environ, which leads out of the site") {
		t.Fatalf("build error = %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "public")); err == nil {
		t.Error("the build wrote an output")
	}
}

// TestBodyWarnings: a javascript: or data: link is warned at its line
// (issue 12, item 12) and a BOM is accepted.
func TestBodyWarnings(t *testing.T) {
	s := sitetest.Build(t, base+"-- content/fiches/a/en.md --\n\uFEFF---\ntitle: A\n---\n\n[x](javascript:alert(1))\n![y](data:image/png;base64,AAAA)\n", false)
	var got []string
	for _, p := range s.Result.Problems {
		if p.Level == diag.Warning && p.Path == "content/fiches/a/en.md" {
			got = append(got, p.String())
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "content/fiches/a/en.md:5: warning: link javascript: removed") || !strings.HasPrefix(got[1], "content/fiches/a/en.md:6: warning: link data: removed") {
		t.Errorf("warnings = %q", got)
	}
	s.Contains(t, "en/fiches/a/index.html", "! javascript:", "! data:image")
}

// TestDiskFull: a build on a full disk printed one ENOSPC line per file
// (714 on the sample site); now one problem says it (issue 12, item 12).
// It needs a small tmpfs, so root (it is skipped otherwise).
func TestDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	data, err := os.ReadFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.Write(t, string(data))
	_, err = build.Build(context.Background(), build.Options{Site: dir, Out: filepath.Join(mnt, "public"), NoIndex: true})
	var errs *diag.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want problems", err)
	}
	out := filepath.Join(mnt, "public")
	if len(errs.Problems) != 1 || errs.Problems[0].Path != out || errs.Problems[0].Msg != "the disk is full: no space left on device" {
		t.Errorf("%d problems, want one that says the disk is full:\n%v", len(errs.Problems), err)
	}
	if left, _ := filepath.Glob(filepath.Join(mnt, ".kb", "public-tmp-*")); len(left) != 0 {
		t.Errorf("staging left: %v", left)
	}
}
