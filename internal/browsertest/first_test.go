package browsertest

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

type firstResult struct {
	Height        float64  `json:"height"`
	H1Top         float64  `json:"h1Top"`
	MainTop       float64  `json:"mainTop"`
	Tels          []string `json:"tels"`
	Menu          string   `json:"menu"`
	MenuNav       int      `json:"menuNav"`
	MenuSearch    int      `json:"menuSearch"`
	SampleLines   int      `json:"sampleLines"`
	Chooser       int      `json:"chooser"`
	ChooserInView int      `json:"chooserInView"`
	ChooserSmall  []string `json:"chooserSmall"`
}

// Goals of the first screen (360×640, before any scrolling).
const (
	maxH1Top   = 200 // CSS px from the top of the page
	minOwnPart = 0.5 // part of the screen's height that is main
)

// TestFirstScreen: on a phone, every page kind in every language shows its
// title near the top and is mostly its own content, with the emergency
// numbers in view and callable, the navigation and search one tap away and
// the sample notice on one line. The positions are logged (go test -v).
func TestFirstScreen(t *testing.T) {
	e := need(t)
	var rows []string
	each(t, func(t *testing.T, v *visit) {
		f := v.First
		own := (f.Height - f.MainTop) / f.Height
		rows = append(rows, fmt.Sprintf("%-22s h1 %4.0f px  main %4.0f px  own %3.0f %%", v.Name, f.H1Top, f.MainTop, own*100))
		if f.H1Top < 0 || f.H1Top >= maxH1Top {
			t.Errorf("%s: the h1 starts at %.0f px, want above %d", v.Path, f.H1Top, maxH1Top)
		}
		if own < minOwnPart {
			t.Errorf("%s: main starts at %.0f px: %.0f %% of the first screen is the page's own, want ≥ %.0f %%", v.Path, f.MainTop, own*100, minOwnPart*100)
		}
		var want []string
		for _, n := range e.res.Site.Settings.Emergency {
			want = append(want, n.Number)
		}
		if got := strings.Join(f.Tels, " "); got != strings.Join(want, " ") {
			t.Errorf("%s: emergency numbers callable in the first screen: %q, want %q", v.Path, got, strings.Join(want, " "))
		}
		if v.Kind != "chooser" && v.Kind != "search" && (f.Menu == "" || f.Menu != "shown" && (f.MenuNav < 4 || f.MenuSearch != 1)) {
			t.Errorf("%s: no link in view to the navigation and search (menu %q, %d nav links, %d search fields)", v.Path, f.Menu, f.MenuNav, f.MenuSearch)
		}
		if e.res.Site.Settings.Sample && f.SampleLines != 1 {
			t.Errorf("%s: the sample notice takes %d lines, want 1", v.Path, f.SampleLines)
		}
	})
	sort.Strings(rows)
	t.Logf("first screen at %dx%d:\n%s", width, height, strings.Join(rows, "\n"))
}

// TestChooser: the language chooser shows every language on the first
// screen, each a target of at least 44×44 px.
func TestChooser(t *testing.T) {
	e := need(t)
	each(t, func(t *testing.T, v *visit) {
		if v.Kind != "chooser" {
			return
		}
		f := v.First
		if n := len(e.res.Site.Langs.List); f.Chooser != n || f.ChooserInView != n {
			t.Errorf("%s: %d languages listed, %d in the first screen; want %d", v.Path, f.Chooser, f.ChooserInView, n)
		}
		for _, s := range f.ChooserSmall {
			t.Errorf("%s: chooser entry smaller than 44×44: %s", v.Path, s)
		}
	})
}

// TestMenu: on a phone, following the menu link shows the navigation and
// the search form in view, without JavaScript's help; in right-to-left
// languages the navigation runs from the right. (A new tab has no
// checks.js: the measure is written here.)
func TestMenu(t *testing.T) {
	e := need(t)
	ctx := e.tab(t)
	for _, p := range e.pages {
		if p.Kind != "fiche" && p.Kind != "home" {
			continue
		}
		t.Run(p.Name, func(t *testing.T) {
			if _, err := e.navigate(ctx, p.Path+"#menu"); err != nil {
				t.Fatal(err)
			}
			m, err := eval[menuResult](ctx, `(() => {
  const inView = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; };
  const items = [...document.querySelectorAll('#menu nav li')].map((e) => e.getBoundingClientRect());
  return { nav: [...document.querySelectorAll('#menu nav a')].filter(inView).length,
           search: [...document.querySelectorAll('#menu input[type=search], #menu button')].filter(inView).length,
           first: items[0] ? {left: items[0].left, right: items[0].right, top: items[0].top} : null,
           second: items[1] ? {left: items[1].left, right: items[1].right, top: items[1].top} : null };
})()`)
			if err != nil {
				t.Fatal(err)
			}
			if m.Nav < 4 || m.Search != 2 {
				t.Errorf("%s#menu: %d navigation links and %d search controls in view, want 4 and 2", p.Path, m.Nav, m.Search)
			}
			if p.Dir != "rtl" || m.First == nil || m.Second == nil {
				return
			}
			f, s := m.First, m.Second
			if f.Top == s.Top && f.Left < s.Right-1 || f.Top != s.Top && f.Right < s.Right-1 {
				t.Errorf("%s#menu: the navigation runs left to right: %+v then %+v", p.Path, f, s)
			}
		})
	}
}

type menuResult struct {
	Nav    int  `json:"nav"`
	Search int  `json:"search"`
	First  *box `json:"first"`
	Second *box `json:"second"`
}
