package markdown

import (
	htmltemplate "html/template"
	"strings"
	"testing"
)

func TestIsolateLTR(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"guillemets and parenthesis stay outside",
			"اسمها بالفرنسية «aide médicale urgente» (AMU).",
			"<p>اسمها بالفرنسية «<bdi>aide médicale urgente</bdi>» (<bdi>AMU</bdi>).</p>"},
		{"a run goes across emphasis",
			"قل aide *médicale* urgente هنا",
			"<p>قل <bdi>aide <em>médicale</em> urgente</bdi> هنا</p>"},
		{"a link in one direction joins the run",
			"مركز [OCMW](https://example.org/ocmw)/CPAS في بلديتك",
			`<p>مركز <bdi><a href="https://example.org/ocmw" rel="noreferrer">OCMW</a>/CPAS</bdi> في بلديتك</p>`},
		{"a link with both directions is isolated inside",
			"اتصل [بمركز CPAS](https://example.org) اليوم",
			`<p>اتصل <a href="https://example.org" rel="noreferrer">بمركز <bdi>CPAS</bdi></a> اليوم</p>`},
		{"digits and dates are left alone",
			"آخر مراجعة: 15 أكتوبر 2026، الهاتف 112",
			"<p>آخر مراجعة: 15 أكتوبر 2026، الهاتف 112</p>"},
		{"a heading",
			"## ما هو CPAS؟",
			`<h2 id="ما-هو-cpas">ما هو <bdi>CPAS</bdi>؟</h2>`},
		{"a paragraph all in Latin letters",
			"Centre public d'action sociale.",
			"<p><bdi>Centre public d’action sociale</bdi>.</p>"},
		{"a number against the letters joins the run",
			"اسمه من المادة 9ter من القانون",
			"<p>اسمه من المادة <bdi>9ter</bdi> من القانون</p>"},
		{"a line break inside a run",
			"نص aide\nmédicale نص",
			"<p>نص <bdi>aide\nmédicale</bdi> نص</p>"},
	}
	r := New([]string{"«", "»", "‹", "›"}).RightToLeft()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.TrimSpace(string(r.Render([]byte(tt.src), nil).HTML))
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// The isolation changes the HTML of right-to-left pages only, and never
// their text (search, headings).
func TestIsolateLTRKeepsText(t *testing.T) {
	src := []byte("## ما هو CPAS؟\n\nاسمها «aide *médicale* urgente» (AMU)\nو[بمركز CPAS](https://example.org).\n")
	ltr := New(nil)
	a, b := ltr.Render(src, nil), ltr.RightToLeft().Render(src, nil)
	if a.Text != b.Text {
		t.Errorf("text differs:\n%q\n%q", a.Text, b.Text)
	}
	if a.Headings[0] != b.Headings[0] {
		t.Errorf("heading differs: %v, %v", a.Headings[0], b.Headings[0])
	}
	if strings.Contains(string(a.HTML), "<bdi>") || !strings.Contains(string(b.HTML), "<bdi>") {
		t.Errorf("bdi only in right-to-left pages:\n%s\n%s", a.HTML, b.HTML)
	}
}

func TestIsolateText(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"guillemets and parenthesis stay outside",
			"المساعدة الطبية «aide médicale urgente» (AMU)",
			"المساعدة الطبية «<bdi>aide médicale urgente</bdi>» (<bdi>AMU</bdi>)"},
		{"no run", "ما هو المركز؟ 112", "ما هو المركز؟ 112"},
		{"all Latin", "CPAS", "<bdi>CPAS</bdi>"},
		{"escaped inside and out", `مركز "A&B" <x> +1`, "مركز &#34;<bdi>A&amp;B</bdi>&#34; &lt;<bdi>x</bdi>&gt; &#43;1"},
		{"a run ends at its last letter", "عن CPAS/OCMW: نص", "عن <bdi>CPAS/OCMW</bdi>: نص"},
		// Split from its letters, 9ter would read "ter9" in the page.
		{"a number against the letters joins the run", "طلب (9ter) و 1.5mg", "طلب (<bdi>9ter</bdi>) و <bdi>1.5mg</bdi>"},
		{"a number after the letters joins the run", "مرض COVID-19 و F2، 3 أيام", "مرض <bdi>COVID-19</bdi> و <bdi>F2</bdi>، 3 أيام"},
		{"a number apart from the letters stays out", "المادة 9 ter و AMU 2024", "المادة 9 <bdi>ter</bdi> و <bdi>AMU</bdi> 2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsolateText(tt.text); got != tt.want {
				t.Errorf("IsolateText(%q) =\n%s\nwant\n%s", tt.text, got, tt.want)
			}
		})
	}
}

// EscapeText writes what html/template writes for a string in text, so that
// a title without a run is the same bytes through Base.Bidi.
func TestEscapeTextIsTheTemplates(t *testing.T) {
	tm := htmltemplate.Must(htmltemplate.New("").Parse(`<p>{{.}}</p>`))
	for _, s := range []string{"a+b & 'c' \"d\" <e> \x00 é ع", "plain"} {
		var b strings.Builder
		if err := tm.Execute(&b, s); err != nil {
			t.Fatal(err)
		}
		if got, want := "<p>"+EscapeText(s)+"</p>", b.String(); got != want {
			t.Errorf("EscapeText(%q) = %q, template writes %q", s, got, want)
		}
	}
}
