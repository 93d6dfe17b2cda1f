package render

import (
	"html/template"
	"testing"
)

func TestOwnBodies(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"no body", `{{.Title}}{{range .Items}}{{.Meta.Title}}{{end}}`, true},
		{"the view's page", `{{.Page.Body}}`, true},
		{"the view's page from $", `{{range .Items}}{{$.Page.Body}}{{end}}`, true},
		{"inside with .Page", `{{with .Page}}{{with .Meta.Summary}}{{.}}{{end}}{{.Body}}{{end}}`, true},
		{"a template given .Page", `{{define "b"}}{{.Body}}{{end}}{{template "b" .Page}}`, true},
		{"a template given the view", `{{define "b"}}{{.Page.Body}}{{end}}{{template "b" $}}`, true},
		{"in a range", `{{range .Items}}{{.Body}}{{end}}`, false},
		{"a field of an item", `{{range .Items}}{{.Page.Body}}{{end}}`, false},
		{"inside with of another page", `{{with .Next}}{{.Body}}{{end}}`, false},
		{"through a variable", `{{$p := .Page}}{{$p.Body}}`, true},
		{"through a variable of with", `{{with $p := .Page}}{{range .Headings}}{{$p.Body}}{{end}}{{end}}`, true},
		{"a variable assigned anew in a range", `{{$p := .Page}}{{range .Items}}{{$p = .}}{{end}}{{$p.Body}}`, false},
		{"a variable assigned anew after", `{{$p := .Page}}{{$p.Body}}{{if .Next}}{{$p = .Next}}{{end}}`, false},
		{"a variable assigned in parentheses", `{{$p := .Page}}{{if ($p = .Next)}}{{end}}{{$p.Body}}`, false},
		{"a chain of the view's page", `{{(.Page).Body}}`, true},
		{"a template given an item", `{{define "b"}}{{.Page.Body}}{{end}}{{range .Items}}{{template "b" .}}{{end}}`, false},
		{"a chain", `{{(index .Items 0).Body}}`, false},
		{"the Markdown", `{{.Page.File.Body}}`, false},
		{"the plain text", `{{.Page.Text}}`, false},
		{"a heading's text", `{{range .Page.Headings}}{{.Text}}{{end}}`, false},
		{"the text through a variable", `{{$.Page.Text}}`, false},
		{"with .Page nested in a range", `{{range .Items}}{{with .Page}}{{.Body}}{{end}}{{end}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := template.Must(template.New("root").Parse(tt.text))
			if got := ownBodies(set, "root", false); got != tt.want {
				t.Errorf("ownBodies(%s) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

// OwnBodyData: what else a body gives counts as the body, and only there.
func TestOwnBodyData(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		own, owned bool // ownBodies without, with data
	}{
		{"frontmatter of items", `{{range .Items}}{{.Meta.Title}}{{.URL}}{{end}}`, true, true},
		{"the view's page's headings", `{{range .Page.Headings}}{{.ID}}{{end}}{{.Page.Terms}}{{.Page.Images}}`, true, true},
		{"an item's headings", `{{range .Items}}{{range .Headings}}{{.ID}}{{end}}{{end}}`, true, false},
		{"an item's terms", `{{range .Items}}{{len .Terms}}{{end}}`, true, false},
		{"an item's images", `{{range .Items}}{{.Images}}{{end}}`, true, false},
		{"an item's links", `{{with .Next}}{{.Links}}{{end}}`, true, false},
		{"an item's files", `{{(index .Items 0).Files}}`, true, false},
		{"an item's body", `{{range .Items}}{{.Body}}{{end}}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := template.Must(template.New("root").Parse(tt.text))
			if got := ownBodies(set, "root", false); got != tt.own {
				t.Errorf("ownBodies(%s, false) = %v, want %v", tt.text, got, tt.own)
			}
			if got := ownBodies(set, "root", true); got != tt.owned {
				t.Errorf("ownBodies(%s, true) = %v, want %v", tt.text, got, tt.owned)
			}
		})
	}
}

// The site's own templates show only their own page's body, and what it
// gives: a build of the sample site keeps bodies out of memory, and keeps a
// list of one language when a body of another changed.
func TestOwnBodiesOfTheSiteTemplates(t *testing.T) {
	tm := sampleSite(t).T
	if !tm.OwnBodies() {
		t.Error("templates/ show another page's body")
	}
	if !tm.OwnBodyData() {
		t.Error("templates/ show another page's headings, images, terms, links or files")
	}
}
