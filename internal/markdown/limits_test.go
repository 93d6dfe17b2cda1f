package markdown

import (
	"strings"
	"testing"
)

func indentedList(levels int) string {
	var b strings.Builder
	for i := range levels {
		b.WriteString(strings.Repeat("  ", i) + "- a\n")
	}
	return b.String()
}

// TestLimits: bodies that took goldmark seconds to minutes (issue 12, item
// 8) are refused before parsing, with the line where the limit is passed;
// real pages near the limits still render.
func TestLimits(t *testing.T) {
	tests := []struct {
		name, src string
		line      int // 0: no problem
		msg       string
	}{
		{"list markers", "# T\n\n" + strings.Repeat("- ", 100000) + "x\n", 3, "nested more than 32 deep"},
		{"quotes", strings.Repeat(">", 100000) + "x\n", 1, "nested more than 32 deep"},
		{"indented list", indentedList(2000), 33, "nested more than 32 deep"},
		{"table columns", "|" + strings.Repeat("a|", 50000) + "\n|" + strings.Repeat("-|", 50000) + "\n", 1, "a table may have at most 64 columns"},
		{"links", "intro\n" + strings.Repeat("[a](/fiches/ok) ", 140000), 2, "more than 2000 links"},
		{"footnotes", strings.Repeat("[^a]", 100000) + "\n\n[^a]: x\n", 1, "more than 2000 links"},
		{"shortcut references", strings.Repeat("[a] ", 60000) + "\n\n[a]: /fiches/ok\n", 1, "more than 2000 links"},
		{"web addresses", "a\n\n" + strings.Repeat("www.example.be ", 17000), 3, "more than 2000 links"},
		{"deep but fine", indentedList(12) + strings.Repeat(">", 20) + " q\n", 0, ""},
		{"wide table fine", "|" + strings.Repeat("a|", 60) + "\n|" + strings.Repeat("-|", 60) + "\n", 0, ""},
		{"indented code fine", strings.Repeat(" ", 200) + "code\n", 0, ""},
		{"many links fine", strings.Repeat("[a](/fiches/ok)\n", 2000), 0, ""},
		{"many addresses fine", strings.Repeat("<https://www.example.be>\n", 2000), 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := New(nil).Render([]byte(tt.src), resolveTest)
			if tt.line == 0 {
				if len(res.Problems) > 0 || len(res.HTML) == 0 {
					t.Fatalf("problems = %+v", res.Problems)
				}
				return
			}
			if len(res.Problems) != 1 || res.Problems[0].Line != tt.line || !strings.Contains(res.Problems[0].Msg, tt.msg) {
				t.Fatalf("problems = %+v, want line %d %q", res.Problems, tt.line, tt.msg)
			}
		})
	}
}

// TestDroppedLinks: links goldmark empties (javascript:, data:) are warned
// at their line (issue 12, item 12) and never reach the page.
func TestDroppedLinks(t *testing.T) {
	src := "a\n[x](javascript:alert(1))\n![y](data:image/png;base64,AAAA)\n<vbscript:msgbox>\n[ok](https://example.org)\n[z](DATA:text/html,hi)\n"
	res := New(nil).Render([]byte(src), resolveTest)
	var lines []int
	for _, p := range res.Problems {
		if !p.Warn || !strings.Contains(p.Msg, "removed") {
			t.Errorf("problem %+v", p)
		}
		lines = append(lines, p.Line)
	}
	if len(lines) != 4 || lines[0] != 2 || lines[1] != 3 || lines[2] != 4 || lines[3] != 6 {
		t.Errorf("warned at lines %v, want [2 3 4 6] (%+v)", lines, res.Problems)
	}
	for _, bad := range []string{"javascript", "data:", "DATA:", "vbscript:msgbox\""} {
		if strings.Contains(string(res.HTML), bad) && !strings.Contains(string(res.HTML), "&lt;") {
			t.Errorf("HTML keeps %q: %s", bad, res.HTML)
		}
	}
}
