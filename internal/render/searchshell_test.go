package render

import (
	"bytes"
	"strings"
	"testing"

	"kb/internal/diag"
)

// TestSearchShell: the shell of a results page gives the bytes SearchPage
// gives, in every language of the sample site, for queries the escaper
// changes; with templates that write the query where its escaping differs,
// or test it outside "main", there is no shell.
func TestSearchShell(t *testing.T) {
	r := sampleSite(t)
	base := string(repoTemplates(t)["templates/base.html"].Data)
	tests := []struct {
		name      string
		edit      func(string) string // of base.html; nil: as it is
		wantShell bool
	}{
		{"sample templates", nil, true},
		{"query in an attribute", func(s string) string {
			return strings.Replace(s, "</head>", `<meta name="q" content="{{.Title}}">`+"\n</head>", 1)
		}, true},
		{"query in a script", func(s string) string {
			return strings.Replace(s, "</head>", "<script>var q = {{.Title}};</script>\n</head>", 1)
		}, false},
		{"title tested outside main", func(s string) string {
			return strings.Replace(s, "</title>", "{{if gt (len .Title) 60}} (long){{end}}</title>", 1)
		}, false},
		{"query in a URL", func(s string) string {
			return strings.Replace(s, "</head>", `<link rel="x" href="/q/{{.Title}}">`+"\n</head>", 1)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := r
			if tt.edit != nil {
				fsys := repoTemplates(t)
				f := *fsys["templates/base.html"]
				f.Data = []byte(tt.edit(base))
				fsys["templates/base.html"] = &f
				var problems diag.List
				tmpl := LoadTemplates(fsys, &problems)
				if err := problems.Err(); err != nil {
					t.Fatal(err)
				}
				rr = &Renderer{Site: r.Site, T: tmpl}
			}
			for _, l := range rr.Site.Langs.List {
				sh, ok := rr.SearchShell(l)
				if ok != tt.wantShell {
					t.Fatalf("%s: shell %v, want %v", l.Code, ok, tt.wantShell)
				}
				if !ok {
					continue
				}
				for _, q := range []string{"médicale urgente", `"carte" & <b>'+'`, "الادوية", "a\x00b"} {
					for i, d := range shellData(q) {
						want, err := rr.SearchPage(l, d, "")
						if err != nil {
							t.Fatal(err)
						}
						got, err := sh.Render(d)
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(got, want) {
							t.Errorf("%s, %q, data %d: the shell's page differs from the template's", l.Code, q, i)
						}
					}
				}
			}
		})
	}
}
