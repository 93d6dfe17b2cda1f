package markdown

import (
	"strings"
	"testing"
)

func resolveTest(dest string, line int) (string, string) {
	switch dest {
	case "/fiches/ok":
		return "/fr/fiches/ok/", ""
	case "card.png":
		return "/files/fiches/x/card.png", ""
	}
	return "", "broken link " + dest
}

func TestRender(t *testing.T) {
	fr := New([]string{"«\u00a0", "\u00a0»", "‹", "›"})
	plainR := New(nil)
	tests := []struct {
		name string
		r    *Renderer
		src  string
		want []string // substrings of the HTML; "!x" means absent
	}{
		{"internal link", plainR, "[a](/fiches/ok)", []string{`<a href="/fr/fiches/ok/">a</a>`}},
		{"external link", plainR, "[a](https://example.org/x)", []string{`<a href="https://example.org/x" rel="noreferrer">a</a>`}},
		{"autolink", plainR, "see https://example.org now", []string{`rel="noreferrer"`}},
		{"image", plainR, "![A card](card.png)", []string{`<img src="/files/fiches/x/card.png" alt="A card">`}},
		{"raw html escaped", plainR, "a <script>alert(1)</script> b\n\n<div onclick=x>hi</div>\n", []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;div onclick=x&gt;hi&lt;/div&gt;", "!<script>", "!<div"}},
		{"not a scheme", plainR, "[a]([b](https://x.example))", []string{"!noreferrer"}},
		{"javascript url dropped", plainR, "[x](javascript:alert(1))", []string{"!javascript:"}},
		{"arabic heading id", plainR, "## المساعدة الطبية العاجلة", []string{`<h2 id="المساعدة-الطبية-العاجلة">`}},
		{"cyrillic heading id", plainR, "## Срочная медицинская помощь", []string{`id="срочная-медицинская-помощь"`}},
		{"geez heading id", plainR, "## ህጹጽ ሕክምና", []string{`id="ህጹጽ-ሕክምና"`}},
		{"chosen id", plainR, "## Compétence territoriale {#territorial-competence}", []string{`<h2 id="territorial-competence">Compétence territoriale</h2>`}},
		{"unique ids", plainR, "## A b\n\n## A b\n", []string{`id="a-b"`, `id="a-b-1"`}},
		{"french quotes", fr, `Il a dit "bonjour".`, []string{"«\u00a0bonjour\u00a0»"}},
		{"plain quotes", plainR, `He said "hello".`, []string{"&quot;hello&quot;"}},
		{"table", plainR, "| a | b |\n|---|---|\n| 1 | 2 |\n", []string{"<table>", "<td>1</td>"}},
		{"strikethrough", plainR, "~~old~~", []string{"<del>old</del>"}},
		{"footnote", plainR, "Text[^1].\n\n[^1]: The note.\n", []string{`class="footnotes"`, "The note."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.r.Render([]byte(tt.src), resolveTest)
			html := string(res.HTML)
			for _, w := range tt.want {
				if strings.HasPrefix(w, "!") {
					if strings.Contains(html, w[1:]) {
						t.Errorf("HTML contains %q:\n%s", w[1:], html)
					}
				} else if !strings.Contains(html, w) {
					t.Errorf("HTML lacks %q:\n%s", w, html)
				}
			}
		})
	}
}

func TestProblemsHaveLines(t *testing.T) {
	src := "# Title\n\nSome text and\na [broken](/fiches/nope) link.\n\n- item\n- ![](/missing.png)\n"
	res := New(nil).Render([]byte(src), resolveTest)
	if len(res.Problems) != 2 {
		t.Fatalf("problems = %+v", res.Problems)
	}
	if p := res.Problems[0]; p.Line != 4 || p.Msg != "broken link /fiches/nope" {
		t.Errorf("first problem = %+v", p)
	}
	if p := res.Problems[1]; p.Line != 7 {
		t.Errorf("second problem = %+v, want line 7", p)
	}
	if len(res.Images) != 1 || res.Images[0].Alt != "" {
		t.Errorf("images = %+v", res.Images)
	}
}

func TestText(t *testing.T) {
	res := New(nil).Render([]byte("## Who pays\n\nThe **OCMW/CPAS** pays.\n\n- one\n- two\n"), nil)
	if !strings.Contains(res.Text, "Who pays") || !strings.Contains(res.Text, "The OCMW/CPAS pays.") || strings.Contains(res.Text, "**") {
		t.Errorf("text = %q", res.Text)
	}
	if len(res.Headings) != 1 || res.Headings[0].ID != "who-pays" || res.Headings[0].Text != "Who pays" {
		t.Errorf("headings = %+v", res.Headings)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"# a\n", "[x](/fiches/a)", "<b>x</b>", "| a |\n|---|\n", "[^1]\n\n[^1]: x", "## ሀ\n## ሀ", "\"«»\"",
		"a\n[x](javascript:alert(1))\n<data:x>", "- - - > > 1. x\n   - y", "![](data:image/png;base64,AA)"} {
		f.Add(s)
	}
	r := New([]string{"«", "»", "‹", "›"})
	f.Fuzz(func(t *testing.T, src string) {
		res := r.Render([]byte(src), resolveTest)
		if strings.Contains(strings.ToLower(string(res.HTML)), "<script") {
			t.Errorf("script tag in output of %q", src)
		}
		// Every problem is at a line of the body.
		lines := strings.Count(src, "\n") + 1
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("problem %q at line %d of %d in %q", p.Msg, p.Line, lines, src)
			}
		}
	})
}

func TestTerms(t *testing.T) {
	terms := []Term{
		{Key: "cpas", Words: []string{"CPAS", "OCMW", "centre public d'action sociale"}},
		{Key: "amu", Words: []string{"aide médicale urgente", "AMU"}},
		{Key: "9ter", Words: []string{"9ter"}},
		{Key: "tigrinya", Words: []string{"ሕክምና"}},
	}
	tests := []struct {
		name string
		src  string
		want []string // substrings of the HTML; "!x" means absent
		used []string
	}{
		{"first occurrence only", "Le CPAS aide. Le CPAS paie.", []string{`Le <a class="term" href="#def-cpas" aria-describedby="def-cpas">CPAS</a> aide. Le CPAS paie.`}, []string{"cpas"}},
		{"alias", "Het OCMW helpt.", []string{`<a class="term" href="#def-cpas" aria-describedby="def-cpas">OCMW</a>`}, []string{"cpas"}},
		{"any case for words", "L'Aide médicale urgente.", []string{`>Aide médicale urgente</a>`}, []string{"amu"}},
		{"acronym keeps its case", "le cpas", []string{"!class=\"term\""}, nil},
		{"whole words", "CPASX et 9terre", []string{"!class=\"term\""}, nil},
		{"not in headings", "## Le CPAS\n\nLe CPAS aide.", []string{`<h2 id="le-cpas">Le CPAS</h2>`, `<p>Le <a class="term"`}, []string{"cpas"}},
		{"not in links", "[le CPAS](https://example.org) puis le CPAS.", []string{`rel="noreferrer">le CPAS</a> puis le <a class="term"`}, []string{"cpas"}},
		{"not in code", "`CPAS` et CPAS", []string{"<code>CPAS</code> et <a class=\"term\""}, []string{"cpas"}},
		{"several in one text, in order", "La 9ter et le CPAS et l'AMU.", []string{`>9ter</a>`, `>CPAS</a>`, `>AMU</a>`}, []string{"9ter", "cpas", "amu"}},
		{"ge'ez", "ህጹጽ ሕክምና።", []string{`>ሕክምና</a>።`}, []string{"tigrinya"}},
		{"emphasis", "le *CPAS* aide", []string{`<em><a class="term" href="#def-cpas" aria-describedby="def-cpas">CPAS</a></em>`}, []string{"cpas"}},
		{"soft line break kept", "le CPAS\naide", []string{">CPAS</a>\naide"}, []string{"cpas"}},
	}
	r := New(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.RenderTerms([]byte(tt.src), resolveTest, terms)
			html := string(res.HTML)
			for _, w := range tt.want {
				if strings.HasPrefix(w, "!") {
					if strings.Contains(html, w[1:]) {
						t.Errorf("HTML has %q:\n%s", w[1:], html)
					}
				} else if !strings.Contains(html, w) {
					t.Errorf("HTML lacks %q:\n%s", w, html)
				}
			}
			var used []string
			for _, u := range res.Terms {
				used = append(used, u.Key)
			}
			if strings.Join(used, " ") != strings.Join(tt.used, " ") {
				t.Errorf("terms %v, want %v", used, tt.used)
			}
		})
	}
}
