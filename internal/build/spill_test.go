package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/sitetest"
)

// TestSpilledBodies: a build keeps bodies out of memory until their pages
// are written (site.BodyCache.Spill), yet every output shows the bodies it
// should: a page its own, and a template that shows other pages' bodies
// (here a section index showing every fiche in full) keeps them all.
func TestSpilledBodies(t *testing.T) {
	two := "-- content/fiches/two/en.md --\n---\ntitle: Two\ntopics: [care]\n---\nSecond body.\n" +
		"-- content/newsletters/2026-11/en.md --\n---\ntitle: November\nsummary: The month.\ndate: 2026-11-24\n---\nEdition body.\n"
	tests := []struct {
		name string
		list string // templates/list.html, if not the repository's
		file string // in the output
		want []string
	}{
		// The feed shows its items' bodies, editions' as well as news'.
		{"the feed's items", "", "en/feed.xml", []string{"Edition body."}},
		{"own body", "", "en/fiches/two/index.html", []string{"<p>Second body.</p>"}},
		{"other pages' bodies", `{{define "main"}}{{range .Items}}<div class="full">{{.Body}}</div>{{end}}{{with .Page}}{{.Body}}{{end}}{{end}}`,
			"en/fiches/index.html", []string{"<p>Text.</p>", "<p>Second body.</p>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sitetest.Write(t, base+two)
			if tt.list != "" {
				if err := os.WriteFile(filepath.Join(dir, "templates", "list.html"), []byte(tt.list), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(t.TempDir(), "public")
			if _, err := build.Build(context.Background(), build.Options{Site: dir, Out: out, NoIndex: true}); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(out, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(data), w) {
					t.Errorf("%s lacks %s:\n%s", tt.file, w, data)
				}
			}
			if ents, _ := os.ReadDir(filepath.Dir(out) + "/.kb"); len(ents) > 0 {
				for _, e := range ents {
					if strings.HasPrefix(e.Name(), "spill-") {
						t.Errorf("spill file %s left behind", e.Name())
					}
				}
			}
		})
	}
}
