package render

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"kb/internal/diag"
)

// TestTemplateProblems: a template that does not parse gives a problem at
// its file and line.
func TestTemplateProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // replaced or added (empty: removed)
		want  []string
	}{
		{"valid", nil, nil},
		{
			"syntax error on line 3",
			map[string]string{"page.html": "{{define \"main\"}}\n<p>\n{{if}}{{end}}\n{{end}}\n"},
			[]string{"templates/page.html:3: template error: missing value for if"},
		},
		{
			"two files",
			map[string]string{"az.html": "{{define \"main\"}}{{end}}{{end}}\n", "news.html": "\n\n{{if}}\n"},
			[]string{
				"templates/az.html:1: template error: unexpected {{end}}",
				"templates/news.html:3: template error: missing value for if",
			},
		},
		{
			"missing file",
			map[string]string{"list.html": ""},
			[]string{"templates/list.html: template error: missing template: open templates/list.html: file does not exist"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"templates/static/style.css": {Data: []byte("body{}")},
				"templates/base.html":        {Data: []byte(`<html>{{template "main" .}}</html>`)},
				"templates/redirect.html":    {Data: []byte(`{{.}}`)},
			}
			for _, k := range Kinds {
				fsys["templates/"+k+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{end}}`)}
			}
			for name, text := range tt.files {
				if text == "" {
					delete(fsys, "templates/"+name)
					continue
				}
				fsys["templates/"+name] = &fstest.MapFile{Data: []byte(text)}
			}
			var problems diag.List
			LoadTemplates(fsys, &problems)
			var got []string
			for _, p := range problems.Problems() {
				got = append(got, p.String())
			}
			if !slices.EqualFunc(got, tt.want, strings.HasPrefix) {
				t.Errorf("problems:\n%s\nwant (prefixes):\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
