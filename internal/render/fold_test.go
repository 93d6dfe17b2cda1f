package render

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"kb/internal/diag"
)

// foldPair renders the sample site with base.html (or the repository's, if
// empty), through folds and without: the pages must be the same.
func foldPair(t *testing.T, base string) (folded, whole *Renderer) {
	t.Helper()
	r := sampleSite(t)
	load := func() *Templates {
		fsys := repoTemplates(t)
		if base != "" {
			fsys["templates/base.html"] = &fstest.MapFile{Data: []byte(base)}
		}
		var problems diag.List
		tm := LoadTemplates(fsys, &problems)
		if err := problems.Err(); err != nil {
			t.Fatal(err)
		}
		return tm
	}
	whole = &Renderer{Site: r.Site, T: load()}
	whole.T.src = nil // no folds
	return &Renderer{Site: r.Site, T: load()}, whole
}

// samePages renders every HTML output both ways and says how many kinds
// were folded.
func samePages(t *testing.T, folded, whole *Renderer) int {
	t.Helper()
	outs, n := folded.Outputs(), 0
	wholes := map[string]Output{}
	for _, w := range whole.Outputs() {
		wholes[w.Path] = w
	}
	for _, o := range outs {
		if o.Render == nil || !strings.HasSuffix(o.Path, ".html") || strings.HasPrefix(o.Path, "_editors/") {
			continue
		}
		got, err1 := o.Render()
		n++
		want, err2 := wholes[o.Path].Render()
		if (err1 == nil) != (err2 == nil) || !bytes.Equal(got, want) {
			t.Fatalf("%s: folded and whole differ (errors %v, %v)\n--- folded\n%s\n--- whole\n%s", o.Path, err1, err2, got, want)
		}
		if n > 120 {
			break // enough of each kind: the outputs are sorted by language
		}
	}
	folds := 0
	for _, f := range folded.T.folds {
		if f.set != nil {
			folds++
		}
	}
	return folds
}

// TestFoldSameAsWhole: a fold gives the pages the whole template gives, for
// base.html as the repository has it (where it must fold) and for
// templates that read what differs between pages in every way the folding
// must see (where it folds what it can, or nothing).
func TestFoldSameAsWhole(t *testing.T) {
	repoBase := string(repoTemplates(t)["templates/base.html"].Data)
	tests := []struct {
		name    string
		add     string // put before {{template "main" .}} in the repository's base.html
		mayNone bool   // a template that cannot be folded at all
	}{
		{"repository's base.html", "", false},
		{"variable assigned in a branch", `{{$x := .L.Code}}{{if .NoIndex}}{{$x = .Title}}{{end}}<p>{{$x}}</p>`, true},
		{"variable declared at the top", `{{$t := .Title}}<p>{{.T "menu"}} {{$t}}</p>{{$c := .L.Code}}<p>{{$c}}</p>`, false},
		{"break in a constant branch", `<ul>{{range .Alternates}}{{if true}}{{break}}{{end}}<li>{{.Name}}</li>{{end}}</ul>`, false},
		{"continue in a constant branch", `<ul>{{range .Alternates}}<li>{{$.T "menu"}}</li>{{if $.L}}{{continue}}{{end}}{{.Name}}{{end}}</ul>`, false},
		{"a field that differs", `<p>{{.Path}}</p>{{with .Site}}<p>{{$.Title}}</p>{{end}}<p>{{len .Crumbs}}</p>`, false},
		{"the view in a function", `<p>{{printf "%v" .Kind}} {{printf "%.20v" .}}</p>`, false},
		{"template called with what differs", `{{define "x"}}<i>{{.}}</i>{{end}}{{template "x" .Title}}{{template "x" .L.Code}}`, false},
		{"else with", `{{with .Description}}<p>{{.}}</p>{{else with .L}}<p>{{.Code}}</p>{{end}}`, false},
		{"range over a constant", `{{range $i, $e := .Emergency}}<b>{{$i}} {{$e.Number}}</b>{{end}}`, false},
		{"URL and script contexts", `<a href="/{{.L.Code}}/{{.Path}}?k={{.Kind}}">x</a><script>var k = {{.Kind}}, t = {{.Title}};</script>`, false},
		{"method of a constant with an argument that differs", `<p>{{.T "page_of" "page" (len .Alternates) "pages" 2}}</p>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := repoBase
			if tt.add != "" {
				base = strings.Replace(repoBase, `{{template "main" .}}`, tt.add+`{{template "main" .}}`, 1)
			}
			folded, whole := foldPair(t, base)
			if n := samePages(t, folded, whole); n == 0 && !tt.mayNone {
				t.Errorf("no kind was folded")
			} else if n > 0 && tt.mayNone {
				t.Errorf("%d kinds folded", n)
			}
		})
	}
}

// TestFoldOtherData: a view whose constant fields are not those of the
// fold is rendered whole.
func TestFoldOtherData(t *testing.T) {
	folded, whole := foldPair(t, "")
	p := folded.Site.Pages("fr", "fiches")[0]
	render := func(r *Renderer, label string) string {
		v := &PageView{Base: r.pageView(p, "page"), Page: p}
		if label != "" {
			v.Emergency = append([]Emergency(nil), v.Emergency...)
			v.Emergency[0].Label = label
		}
		b, err := r.exec("page", v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for range 2 { // the second makes the fold
		if got, want := render(folded, ""), render(whole, ""); got != want {
			t.Fatal("the page differs")
		}
	}
	if f := folded.T.folds[foldKey{"page", folded.Site, p.Language}]; f == nil || f.set == nil {
		t.Fatal("no fold was made")
	}
	got, want := render(folded, "Other label"), render(whole, "Other label")
	if got != want || !strings.Contains(got, "Other label") {
		t.Errorf("a view with other emergency numbers: folded and whole differ, or no label")
	}
}

// TestFoldConcurrent: folds are made and used by several goroutines at
// once, as kb build's writers do (run with -race).
func TestFoldConcurrent(t *testing.T) {
	folded, whole := foldPair(t, "")
	outs := folded.Outputs()
	wholes := map[string]Output{}
	for _, w := range whole.Outputs() {
		wholes[w.Path] = w
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(outs) && i < 400; i += 4 {
				o := outs[i]
				if o.Render == nil || !strings.HasSuffix(o.Path, ".html") || strings.HasPrefix(o.Path, "_editors/") {
					continue
				}
				got, _ := o.Render()
				want, _ := wholes[o.Path].Render()
				if !bytes.Equal(got, want) {
					errs <- o.Path
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for p := range errs {
		t.Errorf("%s: folded and whole differ", p)
	}
}
