package build_test

import (
	"os"
	"path/filepath"
	"testing"

	"kb/internal/build"
	"kb/internal/markdown"
	"kb/internal/sitetest"
)

// TestGlossaryKeepsBodies: a body kept by the preview stays valid while the
// glossary of its language is the same, and is rendered again when a term
// changes, so that the marks always match the glossary.
func TestGlossaryKeepsBodies(t *testing.T) {
	dir := sitetest.Write(t, base+"-- content/glossary/ocmw/en.md --\n---\ntitle: OCMW\nsummary: The social service of the municipality.\n---\n"+
		"-- content/fiches/two/en.md --\n---\ntitle: Two\ntopics: [care]\n---\nAsk the OCMW or the CPAS.\n")
	load := func() *build.Result {
		t.Helper()
		res, _, err := build.Load(dir, false)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	md := markdown.New(nil)
	a := load()
	p := a.Site.Group("fiches", "two").Pages["en"]
	body := a.Site.RenderBody(p, md)
	p.Terms = nil
	a.Site.ApplyBody(p, body)
	if len(p.Terms) != 1 || p.Terms[0].Key != "ocmw" {
		t.Fatalf("terms = %v, want ocmw", p.Terms)
	}

	same := load()
	if q := same.Site.Group("fiches", "two").Pages["en"]; !same.Site.Valid(q, md, body) {
		t.Error("body not valid in an identical site")
	}
	if err := os.WriteFile(filepath.Join(dir, "content/glossary/ocmw/en.md"), []byte("---\ntitle: OCMW\nterms: [CPAS]\nsummary: The social service.\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := load()
	if q := changed.Site.Group("fiches", "two").Pages["en"]; changed.Site.Valid(q, md, body) {
		t.Error("body still valid after the glossary changed")
	}
}
