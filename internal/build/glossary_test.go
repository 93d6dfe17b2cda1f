package build_test

import (
	"os"
	"path/filepath"
	"testing"

	"kb/internal/build"
	"kb/internal/site"
	"kb/internal/sitetest"
)

// TestGlossaryKeepsBodies: a body kept in a cache (the preview's) stays
// valid while the glossary of its language is the same, and is rendered
// again when a term changes, so that the marks always match the glossary.
func TestGlossaryKeepsBodies(t *testing.T) {
	dir := sitetest.Write(t, base+"-- content/glossary/ocmw/en.md --\n---\ntitle: OCMW\nsummary: The social service of the municipality.\n---\n"+
		"-- content/fiches/two/en.md --\n---\ntitle: Two\ntopics: [care]\n---\nAsk the OCMW or the CPAS.\n")
	cache := site.NewBodyCache()
	load := func() *build.Result {
		t.Helper()
		res, err := build.LoadWith(dir, false, cache)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a := load()
	p := a.Site.Group("fiches", "two").Pages["en"]
	if len(p.Terms) != 1 || p.Terms[0].Key != "ocmw" {
		t.Fatalf("terms = %v, want ocmw", p.Terms)
	}
	if n := a.Bodies.Rendered(); n == 0 {
		t.Fatal("nothing rendered on the first load")
	}

	if same := load(); same.Bodies.Rendered() != 0 {
		t.Errorf("%d bodies rendered again in an identical site", same.Bodies.Rendered())
	}
	if err := os.WriteFile(filepath.Join(dir, "content/glossary/ocmw/en.md"), []byte("---\ntitle: OCMW\nterms: [CPAS]\nsummary: The social service.\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	changed := load()
	if changed.Bodies.Rendered() == 0 {
		t.Error("no body rendered again after the glossary changed")
	}
	if q := changed.Site.Group("fiches", "two").Pages["en"]; len(q.Terms) != 1 || q.Terms[0].Key != "ocmw" {
		t.Errorf("terms after the change = %v", q.Terms)
	}
}
