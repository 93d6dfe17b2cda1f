package browsertest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// visit is what one look at a page found. Every page is visited once, in
// the shared tab, and the tests read the visits.
type visit struct {
	target
	Err      error
	Status   int64
	Took     time.Duration
	Requests []request
	Problems []string
	Layout   layoutResult
	Tabs     []tabResult // one per Tab key press from the top of the page
	Skip     skipResult
	Axe      axeResult
	RTL      rtlResult
	Zoom     zoomResult
	First    firstResult // before any scrolling
}

type box struct {
	Left   float64 `json:"left"`
	Right  float64 `json:"right"`
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

type layoutResult struct {
	Lang        string   `json:"lang"`
	Dir         string   `json:"dir"`
	InnerWidth  float64  `json:"innerWidth"`
	ClientWidth float64  `json:"clientWidth"`
	ScrollWidth float64  `json:"scrollWidth"`
	Mains       int      `json:"mains"`
	MainID      string   `json:"mainId"`
	H1          string   `json:"h1"`
	MainText    int      `json:"mainText"`
	Wide        []string `json:"wide"`
	Small       []string `json:"small"`
	Targets     int      `json:"targets"`
}

type ring struct {
	Outline string `json:"outline"`
	Shadow  string `json:"shadow"`
}

// visible reports whether a focus ring is drawn.
func (r ring) visible() bool { return r.Outline != "none" || r.Shadow != "none" }

type tabResult struct {
	Prev        string `json:"prev"`
	PrevFocused ring   `json:"prevFocused"`
	PrevBlurred ring   `json:"prevBlurred"`
	Desc        string `json:"desc"`
	Tag         string `json:"tag"`
	Skip        bool   `json:"skip"`
	Href        string `json:"href"`
	Target      string `json:"target"`
	InMain      bool   `json:"inMain"`
	IsMain      bool   `json:"isMain"`
	Box         *box   `json:"box"`
}

type skipResult struct {
	AfterEnter tabResult // the focus after Enter on the skip link
	AfterTab   tabResult // and after one more Tab
}

type axeResult struct {
	Violations []axeRule `json:"violations"`
}

type axeRule struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Tags   []string  `json:"tags"`
	Nodes  []axeNode `json:"nodes"`
}

type axeNode struct {
	Target         []any  `json:"target"`
	HTML           string `json:"html"`
	FailureSummary string `json:"failureSummary"`
}

type flowResult struct {
	First      box    `json:"first"`
	Second     box    `json:"second"`
	FirstText  string `json:"firstText"`
	SecondText string `json:"secondText"`
}

type rtlResult struct {
	Dir      string                `json:"dir"`
	Computed string                `json:"computed"`
	Flows    map[string]flowResult `json:"flows"`
	Lists    []struct {
		Desc      string  `json:"desc"`
		Direction string  `json:"direction"`
		PadLeft   float64 `json:"padLeft"`
		PadRight  float64 `json:"padRight"`
	} `json:"lists"`
	H1 *struct {
		TextRight float64 `json:"textRight"`
		BoxRight  float64 `json:"boxRight"`
		TextLeft  float64 `json:"textLeft"`
		BoxLeft   float64 `json:"boxLeft"`
	} `json:"h1"`
	Pager     []string `json:"pager"` // "rel text" of each pager link
	Runs      int      `json:"runs"`
	Scrambled []string `json:"scrambled"`
	Switcher  []struct {
		Desc      string `json:"desc"`
		Switcher  bool   `json:"switcher"` // an entry of the language switcher or chooser
		Lang      string `json:"lang"`
		Dir       string `json:"dir"`
		Direction string `json:"direction"`
		Bidi      string `json:"bidi"`
		Ordered   bool   `json:"ordered"`
	} `json:"switcher"`
}

type zoomResult struct {
	InnerWidth  float64  `json:"innerWidth"`
	ScrollWidth float64  `json:"scrollWidth"`
	Wide        []string `json:"wide"`
	Clipped     []string `json:"clipped"`
}

// axeRun runs axe-core with the WCAG 2.x A/AA rules and the best-practice
// rules about landmarks and headings.
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
  resultTypes: ['violations'],
}).then(r => ({violations: r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help, tags: v.tags,
  nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ''})),
}))}))`

// tabs is how many times Tab is pressed from the top of each page: the
// skip link, the emergency numbers, the site name, the navigation.
const tabs = 8

var (
	visitsOnce sync.Once
	visits     []*visit
)

// allVisits visits every page once and returns what was found.
func allVisits(t *testing.T) []*visit {
	e := need(t)
	visitsOnce.Do(func() {
		for _, p := range e.pages {
			visits = append(visits, e.visit(p))
		}
	})
	return visits
}

func (e *env) visit(p target) *visit {
	v := &visit{target: p}
	start := time.Now()
	defer func() { v.Took = time.Since(start) }()
	ctx := e.browser
	e.drain()
	if v.Status, v.Err = e.navigate(ctx, p.Path); v.Err != nil {
		return v
	}
	fail := func(what string, err error) *visit {
		v.Err = fmt.Errorf("%s: %v", what, err)
		return v
	}
	var err error
	if v.Layout, err = eval[layoutResult](ctx, "kbCheck.layout()"); err != nil {
		return fail("layout", err)
	}
	if v.First, err = eval[firstResult](ctx, "kbCheck.firstScreen()"); err != nil {
		return fail("first screen", err)
	}
	if v.RTL, err = eval[rtlResult](ctx, "kbCheck.rtl()"); err != nil {
		return fail("rtl", err)
	}
	for range tabs {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			return fail("tab", err)
		}
		r, err := eval[tabResult](ctx, "kbCheck.tabStep()")
		if err != nil {
			return fail("tab", err)
		}
		v.Tabs = append(v.Tabs, r)
	}
	// Follow the skip link with the keyboard.
	if _, err := eval[chromedp.Void](ctx, "document.querySelector('a.skip, a[href=\"#main\"]')?.focus()"); err != nil {
		return fail("skip", err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		return fail("skip", err)
	}
	if v.Skip.AfterEnter, err = eval[tabResult](ctx, "kbCheck.tabStep()"); err != nil {
		return fail("skip", err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		return fail("skip", err)
	}
	if v.Skip.AfterTab, err = eval[tabResult](ctx, "kbCheck.tabStep()"); err != nil {
		return fail("skip", err)
	}
	if v.Axe, err = eval[axeResult](ctx, axeRun); err != nil {
		return fail("axe", err)
	}
	if v.Zoom, err = eval[zoomResult](ctx, "kbCheck.textZoom(200)"); err != nil {
		return fail("text at 200%", err)
	}
	v.Requests, v.Problems = e.drain()
	return v
}

// each runs f for every visit as a subtest named after the page.
func each(t *testing.T, f func(t *testing.T, v *visit)) {
	for _, v := range allVisits(t) {
		t.Run(v.Name, func(t *testing.T) {
			if v.Err != nil {
				t.Fatalf("%s: %v", v.Path, v.Err)
			}
			f(t, v)
		})
	}
}
