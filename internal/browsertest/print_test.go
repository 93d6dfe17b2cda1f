package browsertest

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"kb/internal/sitetest"
)

// budget is what a fiche page (HTML with its inlined CSS) may weigh once
// gzip-compressed: it must arrive in the first round trip.
const budget = 14 * 1024

// TestFicheWeight: every fiche, in every language, as the server sends it
// to a browser that accepts gzip, fits the budget.
func TestFicheWeight(t *testing.T) {
	e := need(t)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	var heaviest string
	var most int
	for _, g := range e.res.Site.SectionGroups("fiches") {
		for _, p := range g.Pages {
			req, _ := http.NewRequest("GET", e.url(p.URL), nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s: status %d, Content-Encoding %q; want 200, gzip", p.URL, resp.StatusCode, resp.Header.Get("Content-Encoding"))
				continue
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", p.URL, err)
			}
			html, err := io.ReadAll(zr)
			if err != nil || !bytes.Contains(html, []byte("<style>")) {
				t.Errorf("%s: the body is not the page with its CSS (%v)", p.URL, err)
			}
			if len(body) > most {
				most, heaviest = len(body), p.URL
			}
			if len(body) > budget {
				t.Errorf("%s: %d bytes gzip-compressed (%d raw), over the budget of %d", p.URL, len(body), len(html), budget)
			}
		}
	}
	t.Logf("heaviest fiche: %s, %d bytes gzip-compressed (budget %d)", heaviest, most, budget)
}

// TestPrint: printed, a fiche and a procedure hide the navigation, show the
// URL after each link and the last-reviewed date, and make an A4 PDF.
func TestPrint(t *testing.T) {
	e := need(t)
	ctx := e.browser
	n := 0
	for _, p := range e.pages {
		if (p.Kind != "fiche" && p.Kind != "procedure") || (p.Lang != "fr" && p.Lang != "ar") {
			continue
		}
		n++
		t.Run(p.Name, func(t *testing.T) {
			if p.Reviewed == "" {
				t.Fatalf("%s has no reviewed date", p.Path)
			}
			if _, err := e.navigate(ctx, p.Path); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatal(err)
			}
			r, err := eval[struct {
				Hidden map[string]string `json:"hidden"`
				Links  []struct {
					Href  string `json:"href"`
					After string `json:"after"`
				} `json:"links"`
				ReviewedShown  bool   `json:"reviewedShown"`
				Printed        string `json:"printed"`
				PrintedOrdered bool   `json:"printedOrdered"`
			}](ctx, "kbCheck.print("+strconv.Quote(p.Reviewed)+")")
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
				t.Fatal(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			for sel, display := range r.Hidden {
				if display != "none" && display != "absent" {
					t.Errorf("%s: printed, %s is display:%s, want none", p.Path, sel, display)
				}
			}
			if len(r.Links) == 0 {
				t.Errorf("%s: no link in main to check", p.Path)
			}
			for _, l := range r.Links {
				if !strings.Contains(l.After, "attr(href)") && !strings.Contains(l.After, l.Href) {
					t.Errorf("%s: printed, the link to %s is followed by %s, not its URL", p.Path, l.Href, l.After)
				}
				// In right-to-left text the URL must not be reordered: it
				// sits in a left-to-right isolate (U+2066 … U+2069).
				if !strings.Contains(l.After, "\u2066") || !strings.Contains(l.After, "\u2069") {
					t.Errorf("%s: printed, the URL after the link to %s is not isolated left to right: %s", p.Path, l.Href, l.After)
				}
			}
			if !r.ReviewedShown {
				t.Errorf("%s: printed, %q is not shown", p.Path, p.Reviewed)
			}
			if !strings.Contains(r.Printed, p.Path) {
				t.Errorf("%s: printed, the line naming the page's address shows %q", p.Path, r.Printed)
			} else if !r.PrintedOrdered {
				t.Errorf("%s: printed, the page's address is out of order in %q", p.Path, r.Printed)
			}
			pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("%s: not a PDF", p.Path)
			}
			for _, mb := range mediaBox.FindAllSubmatch(pdf, -1) {
				w, _ := strconv.ParseFloat(string(mb[1]), 64)
				h, _ := strconv.ParseFloat(string(mb[2]), 64)
				if w < 590 || w > 600 || h < 838 || h > 846 { // A4: 595×842 pt
					t.Errorf("%s: a PDF page is %.0f×%.0f pt, want A4 (595×842)", p.Path, w, h)
				}
			}
			save(t, strings.ReplaceAll(p.Name, "/", "-")+".pdf", pdf)
		})
	}
	if n < 3 {
		t.Errorf("printed %d pages, want a fiche and a procedure in fr and a fiche in ar", n)
	}
}

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)

// TestScreenshots saves what a phone shows (360×640 CSS px, at twice the
// pixels for a sharp image) of a fiche in fr and ar and of search results,
// for a person to look at.
func TestScreenshots(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	if err := chromedp.Do(ctx, phone(2)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fiche/fr", "fiche/ar", "search/fr", "fiche/fa", "search/ar"} {
		var p *target
		for i := range e.pages {
			if e.pages[i].Name == name {
				p = &e.pages[i]
			}
		}
		if p == nil {
			t.Errorf("no page %s", name)
			continue
		}
		if _, err := e.navigate(ctx, p.Path); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		save(t, strings.ReplaceAll(name, "/", "-")+".png", png)
		full, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		save(t, strings.ReplaceAll(name, "/", "-")+"-full.png", full)
	}
}

// save writes a file into screenshots/ at the repository root.
func save(t *testing.T, name string, b []byte) {
	t.Helper()
	dir := filepath.Join(sitetest.Root(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
