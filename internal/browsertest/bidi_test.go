package browsertest

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestBidiTitles: in an Arabic page, a title with a French term in
// guillemets and an abbreviation in brackets, «aide médicale urgente»
// (AMU), reads as the sentence puts it at 360 px: each opening mark to the
// right of its Latin run and each closing one to its left, in the page's
// heading, in a list of cards and in search results; and a number written
// against Latin letters, 9ter, keeps its place before them. The site is the build
// tests' fixture with that title; a screenshot of the page goes to
// screenshots/bidi-title-ar.png.
func TestBidiTitles(t *testing.T) {
	e := need(t)
	const title = "المساعدة الطبية «aide médicale urgente» (AMU) في بلجيكا و 9ter"
	data, err := os.ReadFile(filepath.Join(sitetest.Root(), "internal", "build", "testdata", "site.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(data), "title: المساعدة الطبية العاجلة\n", "title: "+title+"\n", 1)
	if src == string(data) {
		t.Fatal("the fixture changed: no Arabic title to replace")
	}
	s := sitetest.Build(t, src, true)
	st, err := serve.Open(s.Result.Generation)
	if err != nil {
		t.Fatal(err)
	}
	srv := &serve.Server{}
	srv.Swap(st)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); st.Close() })

	ctx := e.tab(t)
	for _, c := range []struct{ name, path, sel string }{
		{"heading", "/ar/fiches/urgent-care/", "main h1"},
		{"card", "/ar/fiches/", "main ul.cards a"},
		{"search result", "/ar/search/?q=AMU", "main ol a, main ul a[href='/ar/fiches/urgent-care/']"},
	} {
		if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+c.path)); err != nil {
			t.Fatal(err)
		}
		got, err := eval[string](ctx, fmt.Sprintf(bidiOrder, c.sel))
		if err != nil {
			t.Fatal(err)
		}
		if got != "ok" {
			t.Errorf("%s (%s): %s", c.name, c.path, got)
		}
		if c.name == "heading" {
			if err := chromedp.Do(ctx, phone(2)); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			save(t, "bidi-title-ar.png", png)
			if err := chromedp.Do(ctx, phone(1)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// bidiOrder finds the first element matching %s whose text has the title's
// marks and checks where each is drawn against its Latin run.
const bidiOrder = `(() => {
  const el = [...document.querySelectorAll(%q)].find((e) => e.textContent.includes('(AMU)'));
  if (!el) return 'no element with the title';
  // x of the centre of each character of el's text, on its first line.
  const xs = [];
  const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    for (let i = 0; i < n.data.length; i++) {
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      const b = r.getClientRects()[0];
      xs.push(b ? { x: b.left + b.width / 2, y: b.top } : null);
    }
  }
  const text = el.textContent;
  const at = (s) => text.indexOf(s);
  const x = (i) => xs[i] && xs[i].x;
  const out = [];
  // Each mark, and the letter of the run next to it: an opening mark is to
  // the right of the run's first letter, a closing one to the left of its last.
  for (const [mark, letter, right] of [['«', 'a', true], ['»', 'e', false], ['(', 'A', true], [')', 'U', false]]) {
    const m = at(mark + (right ? letter : ''));
    const i = right ? m : at(letter + mark) + 1;
    const l = right ? m + 1 : i - 1;
    if (m < 0 || i < 1) { out.push('no ' + mark); continue; }
    if (xs[i].y !== xs[l].y) continue; // on two lines: nothing to compare
    if (right ? !(x(i) > x(l)) : !(x(i) < x(l))) out.push(mark + ' drawn on the wrong side of ' + letter);
  }
  // 9ter reads 9 then ter, left to right, as the browser draws it without
  // a <bdi> (one split between 9 and ter drew "ter9").
  const n = at('9ter');
  if (n < 0) out.push('no 9ter');
  else if (xs[n].y === xs[n + 1].y && !(x(n) < x(n + 1))) out.push('9ter drawn as ter9');
  return out.length ? out.join('; ') : 'ok';
})()`
