package browsertest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestNoScript: with JavaScript off, every page shows its main content, and
// the search form, typed into and submitted with a click, shows results.
func TestNoScript(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	// A page's scripts do not run (the protocol still reads the DOM).
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html,<title>off</title><script>document.title='on'</script>")); err != nil {
		t.Fatal(err)
	}
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || title != "off" {
		t.Fatalf("scripts still run: title %q (%v)", title, err)
	}
	for _, p := range e.pages {
		t.Run(p.Name, func(t *testing.T) {
			if _, err := e.navigate(ctx, p.Path); err != nil {
				t.Fatal(err)
			}
			h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
			if err != nil || strings.TrimSpace(h1) == "" {
				t.Errorf("%s: no h1 in main (%v)", p.Path, err)
			}
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			if err != nil || len(strings.TrimSpace(text)) < 40 {
				t.Errorf("%s: main shows %d characters (%v)", p.Path, len(text), err)
			}
		})
	}

	t.Run("search form", func(t *testing.T) {
		var term string
		for _, p := range e.pages {
			if p.Kind == "search" && p.Lang == "fr" {
				u, _ := url.Parse(p.Path)
				term = u.Query().Get("q")
			}
		}
		if term == "" {
			t.Fatal("no French search term")
		}
		if _, err := e.navigate(ctx, "/fr/search/"); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("q"), term)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Click(chromedp.CSS("form.search button[type=submit]")))); err != nil {
			t.Fatal(err)
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(loc)
		if u.Path != "/fr/search/" || u.Query().Get("q") != term {
			t.Errorf("the form went to %s, want /fr/search/?q=%s", loc, term)
		}
		hits, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("main ol.cards > li"), chromedp.AtLeast(0)))
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			t.Errorf("searching %q without JavaScript gives no result", term)
		}
	})
}
