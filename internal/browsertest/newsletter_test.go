package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"kb/internal/build"
	"kb/internal/newsletter"
	"kb/internal/sitetest"
)

// arabicNews is a small site whose Arabic edition the test opens too: the
// included site has no news in Arabic.
const arabicNews = `langs: fr ar
-- content/site.toml --
base_url = "https://kb.example"
default_language = "ar"
language_order = ["ar", "fr"]
sample = true
[newsletter]
from = "kb <news@kb.example>"
unsubscribe = ["mailto:unsub@kb.example"]
-- content/topics/care/ar.md --
---
title: الرعاية الصحية
---
-- content/news/2026-11-02-card/ar.md --
---
title: بطاقة المساعدة الطبية العاجلة
summary: ما الذي تغير في البطاقة، وما الذي لم يتغير.
topics: [care]
date: 2026-11-02
---
-- content/newsletters/2026-11/ar.md --
---
title: النشرة الإخبارية — نوفمبر 2026
date: 2026-11-24
---
مرحبا. هذه أخبار موقعنا منذ الصيف.
`

// TestNewsletterEmail opens the HTML e-mails of the included site (fr, nl)
// and of an Arabic edition in the browser: they load nothing but
// themselves, have lang and dir, and pass axe's WCAG rules (contrast
// included) in the light and the dark colour scheme.
func TestNewsletterEmail(t *testing.T) {
	e := need(t)
	until := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	mails := editions(t, sitetest.Root(), newsletter.Options{Until: until, Now: until})
	mails = append(mails, editions(t, sitetest.Write(t, arabicNews), newsletter.Options{Until: until, Now: until, Langs: []string{"ar"}})...)

	pages := map[string][]byte{}
	for _, m := range mails {
		pages["/"+m.Lang+".html"] = m.HTML
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(body)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	for _, m := range mails {
		t.Run(m.Lang, func(t *testing.T) {
			// The shared tab has axe; its colour scheme is set back after.
			ctx := e.browser
			t.Cleanup(func() { chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}) })
			e.drain()
			if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(srv.URL+"/"+m.Lang+".html")); err != nil {
				t.Fatal(err)
			}
			attrs, err := eval[[2]string](ctx, `[document.documentElement.lang, document.documentElement.dir]`)
			if err != nil {
				t.Fatal(err)
			}
			if want := [2]string{m.Edition.Lang.TagString(), m.Edition.Lang.Dir}; attrs != want {
				t.Errorf("lang and dir %v, want %v", attrs, want)
			}
			for _, scheme := range []string{"light", "dark"} {
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
				}); err != nil {
					t.Fatal(err)
				}
				res, err := eval[axeResult](ctx, axeEmail)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range res.Violations {
					var b strings.Builder
					fmt.Fprintf(&b, "%s scheme: axe %s (%s): %s", scheme, r.ID, r.Impact, r.Help)
					for _, n := range r.Nodes {
						fmt.Fprintf(&b, "\n\t%v %s\n\t\t%s", n.Target, n.HTML, n.FailureSummary)
					}
					t.Error(b.String())
				}
			}
			requests, problems := e.drain()
			for _, r := range requests {
				u, err := url.Parse(r.URL)
				if err == nil && u.Host == host && u.Path == "/favicon.ico" {
					continue // the browser's own, not the e-mail's: a mail program makes none
				}
				if err != nil || u.Host != host || u.Path != "/"+m.Lang+".html" {
					t.Errorf("the e-mail loads %s (%s)", r.URL, r.Type)
				}
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// axeEmail runs axe's WCAG 2.x A/AA rules. The best-practice rules about
// landmarks are left out: an e-mail is shown inside the mail program's own
// page, which has them.
const axeEmail = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
  resultTypes: ['violations'],
}).then(r => ({violations: r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help, tags: v.tags,
  nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ''})),
}))}))`

func editions(t *testing.T, dir string, opt newsletter.Options) []*newsletter.Mail {
	t.Helper()
	res, err := build.Load(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	mails, err := newsletter.Make(res.Site, os.DirFS(dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	return mails
}

// TestNewsletterArchive visits the archive of editions and one edition of
// the included site, in French and Dutch: axe, lang and dir, reflow, and
// no request to another host.
func TestNewsletterArchive(t *testing.T) {
	e := need(t)
	for _, code := range []string{"fr", "nl"} {
		eds := e.res.Site.Editions(code)
		if len(eds) == 0 {
			t.Fatalf("%s: the included site has no newsletter edition", code)
		}
		l := e.res.Site.Langs.Get(code)
		for _, tg := range []target{
			{Name: "newsletter-list/" + code, Kind: "newsletter", Lang: code, Dir: l.Dir, Path: "/" + code + "/newsletter/"},
			{Name: "newsletter/" + code, Kind: "newsletter", Lang: code, Dir: l.Dir, Path: eds[0].URL},
		} {
			t.Run(tg.Name, func(t *testing.T) {
				v := e.visit(tg)
				if v.Err != nil {
					t.Fatal(v.Err)
				}
				if v.Status != 200 || v.Layout.Lang != l.TagString() || v.Layout.Dir != l.Dir || v.Layout.H1 == "" {
					t.Errorf("status %d, lang %q, dir %q, h1 %q", v.Status, v.Layout.Lang, v.Layout.Dir, v.Layout.H1)
				}
				for _, r := range v.Axe.Violations {
					t.Errorf("axe %s (%s): %s %v", r.ID, r.Impact, r.Help, r.Nodes)
				}
				if v.Layout.ScrollWidth > v.Layout.InnerWidth {
					t.Errorf("scrolls sideways: %v > %v", v.Layout.ScrollWidth, v.Layout.InnerWidth)
				}
				for _, r := range v.Requests {
					if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "data" && u.Host != e.host) {
						t.Errorf("request to another host: %s", r.URL)
					}
				}
				for _, p := range v.Problems {
					t.Error(p)
				}
			})
		}
	}
}
