package pdf_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/pdf"
	"kb/internal/site"
	"kb/internal/sitetest"
)

// chromium returns the browser for the tests. Like the browser tests they
// run with KB_BROWSER=1, and then fail (not skip) when a tool is missing.
func chromium(t *testing.T) string {
	t.Helper()
	if os.Getenv("KB_BROWSER") != "1" {
		t.Skip("PDF tests: set KB_BROWSER=1 (they need chromium, fonts-noto-core, poppler-utils, zbar-tools)")
	}
	exe := os.Getenv("KB_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("no browser at %s: install chromium (or set KB_CHROMIUM)", exe)
	}
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdftohtml", "pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s missing: install poppler-utils and zbar-tools", tool)
		}
	}
	return exe
}

func fixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.Write(t, string(data))
}

func buildPDF(t *testing.T, dir, exe string) *build.Result {
	t.Helper()
	res, err := build.Build(context.Background(), build.Options{Site: dir, Out: filepath.Join(dir, "public"), NoIndex: true, PDF: true, Chromium: exe})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for _, p := range res.Problems {
		if p.Level == diag.Warning && strings.HasPrefix(p.Path, "public/") {
			t.Errorf("warning: %v", p)
		}
	}
	return res
}

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// words normalises extracted text for comparison: poppler marks bidi runs
// with embedding controls and may move neutral punctuation across them.
func words(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			return -1
		case strings.ContainsRune(":،.,·\u00a0", r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func pdfPages(t *testing.T, file string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(tool(t, "pdfinfo", file))
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", file)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// outline returns the titles of a PDF's outline in order, as poppler reads them.
func outline(t *testing.T, file string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(tool(t, "pdftohtml", "-xml", "-stdout", "-i", "-q", file)))
	dec.Strict = false
	var out []string
	in := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.StartElement:
			in = x.Name.Local == "item"
			if in {
				out = append(out, "")
			}
		case xml.CharData:
			if in {
				out[len(out)-1] += string(x)
			}
		case xml.EndElement:
			in = false
		}
	}
	return out
}

func decodeQR(t *testing.T, file string, page int) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "p")
	tool(t, "pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), file, prefix)
	return strings.TrimSpace(tool(t, "zbarimg", "--raw", "-q", prefix+".png"))
}

func TestPages(t *testing.T) {
	exe := chromium(t)
	dir := fixture(t)
	res := buildPDF(t, dir, exe)
	pub := filepath.Join(dir, "public")
	g := res.Site.Group("fiches", "urgent-care")
	for _, code := range []string{"fr", "ar", "ti", "ru"} {
		t.Run(code, func(t *testing.T) {
			p := g.Pages[code]
			l := p.Language
			file := filepath.Join(pub, code, "fiches", "urgent-care", "urgent-care-"+code+".pdf")
			text := words(tool(t, "pdftotext", file, "-"))
			for _, want := range []string{p.Meta.Title, "112", "100", words(l.FormatDate(p.Meta.Reviewed)), "Exemple asbl", "info@kb.example"} {
				if !strings.Contains(text, words(want)) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, words(l.T("search_button"))) {
				t.Errorf("the PDF has the search box")
			}

			info := tool(t, "pdfinfo", file)
			for _, want := range []string{"Title:           " + p.Meta.Title, "Tagged:          yes", "(A4)"} {
				if !strings.Contains(info, want) {
					t.Errorf("pdfinfo lacks %q:\n%s", want, info)
				}
			}
			data, _ := os.ReadFile(file)
			if !strings.Contains(string(data), "/Lang ("+l.TagString()+")") {
				t.Errorf("no /Lang (%s) in the PDF", l.TagString())
			}
			n := pdfPages(t, file)
			if got := pdf.PageCount(data); got != n {
				t.Errorf("PageCount = %d, pdfinfo says %d", got, n)
			}

			want := []string{p.Meta.Title}
			for _, h := range p.Headings {
				want = append(want, h.Text)
			}
			if got := outline(t, file); !slices.Equal(got, want) {
				t.Errorf("outline = %q, want the headings %q", got, want)
			}

			if got, want := decodeQR(t, file, n), res.Site.Settings.BaseURL+p.URL; got != want {
				t.Errorf("QR code = %q, want %q", got, want)
			}

			page := readFile(t, filepath.Join(pub, code, "fiches", "urgent-care", "index.html"))
			link := fmt.Sprintf(`<a href="/%s/fiches/urgent-care/urgent-care-%s.pdf" type="application/pdf" hreflang="%s" download>%s</a> (%s)`,
				code, code, l.TagString(), l.T("pdf_download"), l.N("pdf_link", n, "lang", l.Name, "kb", (len(data)+1023)/1024))
			if !strings.Contains(page, link) {
				t.Errorf("page lacks the link %s", link)
			}
		})
	}

	t.Run("folder", func(t *testing.T) {
		file := filepath.Join(pub, "fr", "fiches", "fiches-fr.pdf")
		parts := []*site.Page{res.Site.Group("fiches", "pharmacy").Pages["fr"], g.Pages["fr"]}
		sum := 0
		for _, p := range parts {
			sum += pdfPages(t, filepath.Join(pub, strings.TrimPrefix(p.URL, "/"), p.Key+"-fr.pdf"))
		}
		total := pdfPages(t, file)
		front := total - sum
		if front < 2 {
			t.Fatalf("%d pages for %d of parts: no room for cover and contents", total, sum)
		}
		toc := words(tool(t, "pdftotext", "-f", "2", "-l", strconv.Itoa(front), file, "-"))
		start := front + 1
		for _, p := range parts {
			if !strings.Contains(toc, words(p.Meta.Title)+" "+strconv.Itoa(start)) {
				t.Errorf("contents lack %q on page %d:\n%s", p.Meta.Title, start, toc)
			}
			s := strconv.Itoa(start)
			if text := words(tool(t, "pdftotext", "-f", s, "-l", s, file, "-")); !strings.Contains(text, words(p.Meta.Title)) {
				t.Errorf("page %d does not start %q:\n%s", start, p.Meta.Title, text)
			}
			start += pdfPages(t, filepath.Join(pub, strings.TrimPrefix(p.URL, "/"), p.Key+"-fr.pdf"))
		}
		fr := res.Site.Langs.Get("fr")
		want := []string{fr.T("fiches"), fr.T("pdf_contents")}
		for _, p := range parts {
			want = append(want, p.Meta.Title)
			for _, h := range p.Headings {
				want = append(want, h.Text)
			}
		}
		if got := outline(t, file); !slices.Equal(got, want) {
			t.Errorf("folder outline = %q, want %q", got, want)
		}
		if home := readFile(t, filepath.Join(pub, "fr", "index.html")); !strings.Contains(home, `href="/fr/fiches/fiches-fr.pdf"`) {
			t.Errorf("the home page does not link to the folder")
		}
		// Arabic has one fiche: a folder of its own all the same.
		if home := readFile(t, filepath.Join(pub, "ar", "index.html")); !strings.Contains(home, `href="/ar/fiches/fiches-ar.pdf"`) {
			t.Errorf("the Arabic home page does not link to its folder")
		}
	})

	t.Run("status", func(t *testing.T) {
		file := filepath.Join(pub, "fr", "residence", "no-legal-residence", "procedures-no-legal-residence-fr.pdf")
		proc := res.Site.Group("procedures", "amu-request").Pages["fr"]
		if text := words(tool(t, "pdftotext", file, "-")); !strings.Contains(text, words(proc.Meta.Title)) || strings.Contains(text, "Que faire en cas") {
			t.Errorf("the status folder should hold the procedure and no fiche:\n%s", text)
		}
		page := readFile(t, filepath.Join(pub, "fr", "residence", "no-legal-residence", "index.html"))
		if !strings.Contains(page, `href="/fr/residence/no-legal-residence/procedures-no-legal-residence-fr.pdf"`) {
			t.Errorf("the status page does not link to its folder")
		}
	})
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(string(data))
}

func TestCache(t *testing.T) {
	exe := chromium(t)
	dir := fixture(t)
	if res := buildPDF(t, dir, exe); res.Prints == 0 || len(res.Printed) != res.PDFs {
		t.Fatalf("first build: %d prints, printed %q of %d PDFs", res.Prints, res.Printed, res.PDFs)
	}
	res := buildPDF(t, dir, exe)
	if res.Prints != 0 || len(res.Printed) != 0 || res.PDFs == 0 {
		t.Errorf("nothing changed: %d prints (%q) of %d PDFs, want none", res.Prints, res.Printed, res.PDFs)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "ru", "fiches", "urgent-care", "urgent-care-ru.pdf")); err != nil {
		t.Errorf("a cached PDF is not in the new generation: %v", err)
	}

	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"fiche", "content/fiches/urgent-care/ru.md", []string{"ru/fiches/fiches-ru.pdf", "ru/fiches/urgent-care/urgent-care-ru.pdf"}},
		{"procedure", "content/procedures/amu-request/fr.md", []string{"fr/procedures/amu-request/amu-request-fr.pdf", "fr/residence/no-legal-residence/procedures-no-legal-residence-fr.pdf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.file)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, append(data, "\nOne more paragraph, changed by the test.\n"...), 0o644); err != nil {
				t.Fatal(err)
			}
			res := buildPDF(t, dir, exe)
			if !slices.Equal(res.Printed, tc.want) || res.Prints != len(tc.want) {
				t.Errorf("printed %q (%d prints), want %q", res.Printed, res.Prints, tc.want)
			}
		})
	}
}

// TestNoChromium runs everywhere: without a browser the build warns, says
// what to install, and makes the same site as without --pdf.
func TestNoChromium(t *testing.T) {
	dir := fixture(t)
	res, err := build.Build(context.Background(), build.Options{Site: dir, Out: filepath.Join(dir, "with"), NoIndex: true, PDF: true, Chromium: filepath.Join(dir, "no-such-chromium")})
	if err != nil {
		t.Fatal(err)
	}
	var warned bool
	for _, p := range res.Problems {
		warned = warned || p.Level == diag.Warning && strings.Contains(p.Msg, "PDFs not made") && strings.Contains(p.Hint, "apt-get install chromium")
	}
	if !warned || res.PDFs != 0 {
		t.Errorf("problems %v, %d PDFs: want a warning saying what to install, and no PDFs", res.Problems, res.PDFs)
	}
	if _, err := build.Build(context.Background(), build.Options{Site: dir, Out: filepath.Join(dir, "without"), NoIndex: true}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"fr/index.html", "fr/fiches/urgent-care/index.html", "fr/residence/no-legal-residence/index.html"} {
		with, without := readFile(t, filepath.Join(dir, "with", p)), readFile(t, filepath.Join(dir, "without", p))
		if with != without {
			t.Errorf("%s differs from the build without --pdf", p)
		}
	}
}
