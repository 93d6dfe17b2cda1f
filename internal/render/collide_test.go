package render

import (
	"testing"
)

func TestCollisions(t *testing.T) {
	page := func() ([]byte, error) { return nil, nil }
	tests := []struct {
		name string
		outs []Output
		want string // "" for none
	}{
		{"none", []Output{{Path: "a/index.html", Render: page}, {Path: "b.html", Render: page, Src: "x.md", Line: 3}}, ""},
		{"same path", []Output{{Path: "old/index.html", Render: page, Src: "a.md", Line: 4}, {Path: "old/index.html", Render: page, Src: "b.md", Line: 5}},
			"b.md:5: output old/index.html is also written by a.md:4 (change or remove one of them)"},
		{"kb's own file", []Output{{Path: "sitemap.xml", Render: page}, {Path: "sitemap.xml", Render: page, Src: "a.md", Line: 4}},
			"a.md:4: output sitemap.xml is also written by kb's own sitemap.xml (change or remove one of them)"},
		{"gzip sibling", []Output{{Path: "old.html", Render: page}, {Path: "old.html.gz", Render: page, Src: "a.md", Line: 4}},
			"a.md:4: output old.html.gz is also written by kb's own old.html (change or remove one of them)"},
		{"copied file has no sibling", []Output{{Path: "f/a.pdf", Copy: "content/a.pdf", Src: "content/a.pdf"}, {Path: "f/a.pdf.gz", Copy: "content/a.pdf.gz", Src: "content/a.pdf.gz"}}, ""},
		{"file and folder", []Output{{Path: "a.html", Render: page, Src: "a.md", Line: 4}, {Path: "a.html/b/index.html", Render: page, Src: "a.md", Line: 5}},
			"a.md:5: output a.html would be a file and a folder: this and a.md:4 both need it (change or remove one of them)"},
		{"kb twice", []Output{{Path: "x", Render: page}, {Path: "x", Render: page}}, "public/x: written twice (a bug in kb) (change or remove one of them)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := Collisions(tt.outs)
			switch {
			case tt.want == "" && len(probs) > 0:
				t.Errorf("problems = %v", probs)
			case tt.want != "" && (len(probs) != 1 || probs[0].String() != tt.want):
				t.Errorf("problems = %v, want %q", probs, tt.want)
			}
		})
	}
}
