package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// minimalPDF writes a PDF the way Skia lays it out: objects out of number
// order, a classic xref table, a trailer. The outline has two items, the
// second a child of the first.
func minimalPDF(titles ...string) []byte {
	objs := map[int]string{
		1: "<</Type /Catalog\n/Pages 2 0 R\n/Outlines 3 0 R\n/Lang (ar)>>",
		2: "<</Type /Pages\n/Count 1\n/Kids [5 0 R]>>",
		3: "<</Type /Outlines\n/First 4 0 R\n/Last 4 0 R\n/Count 2>>",
		4: "<</Title " + pdfString(titles[0]) + "\n/Parent 3 0 R\n/First 6 0 R\n/Last 6 0 R\n/Count 1>>",
		5: "<</Type /Page\n/Parent 2 0 R>>",
		6: "<</Title (" + titles[1] + ")\n/Parent 4 0 R>>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	for _, n := range []int{5, 2, 4, 3, 6, 1} {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, objs[n])
	}
	x := b.Len()
	b.WriteString("xref\n0 7\n0000000000 65535 f \n")
	for n := 1; n <= 6; n++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offs[n])
	}
	fmt.Fprintf(&b, "trailer\n<</Size 7\n/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF", x)
	return b.Bytes()
}

// checkXref checks that every xref entry points at its object.
func checkXref(t *testing.T, data []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n?$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no startxref:\n%s", data)
	}
	x, _ := strconv.Atoi(string(m[1]))
	lines := strings.Split(string(data[x:]), "\n")
	if lines[0] != "xref" {
		t.Fatalf("startxref %d points at %q", x, lines[0])
	}
	for n := 1; n <= 6; n++ {
		off, _ := strconv.Atoi(strings.Fields(lines[2+n])[0])
		if want := fmt.Sprintf("%d 0 obj", n); !bytes.HasPrefix(data[off:], []byte(want)) {
			t.Errorf("xref of object %d points at %q", n, data[off:min(off+12, len(data))])
		}
	}
}

func TestFixOutline(t *testing.T) {
	// Visual order in, as Chromium writes right-to-left headings.
	in := minimalPDF("الطوارئ حالة في تفعل ماذا", "visual")
	checkXref(t, in)
	want := []string{"ماذا تفعل في حالة الطوارئ", "اتصل بالرقم 112"}
	out := fixOutline(in, want)
	checkXref(t, out)
	for _, w := range want {
		if !bytes.Contains(out, []byte("/Title "+pdfString(w)+"\n")) {
			t.Errorf("no title %q in:\n%s", w, out)
		}
	}
	if PageCount(out) != 1 {
		t.Errorf("PageCount = %d, want 1", PageCount(out))
	}

	// One heading more than the outline has items: left as it was.
	if got := fixOutline(in, append(want, "extra")); !bytes.Equal(got, in) {
		t.Errorf("a mismatched outline was rewritten")
	}
}

func TestHeadings(t *testing.T) {
	got := headings([]byte(`<h1>Que faire</h1><p>x</p><h2 id="a">Appeler le <b>112</b> &amp; le 100</h2>` + "<h3>deux\nlignes</h3>"))
	want := []string{"Que faire", "Appeler le 112 & le 100", "deux lignes"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("headings = %q, want %q", got, want)
	}
}
