package browsertest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestAxe: no WCAG 2.x A/AA violation (nor best-practice one) on any page.
func TestAxe(t *testing.T) {
	each(t, func(t *testing.T, v *visit) {
		for _, r := range v.Axe.Violations {
			var b strings.Builder
			fmt.Fprintf(&b, "axe %s (%s, %s) on %s: %s", r.ID, r.Impact, strings.Join(r.Tags, " "), v.Path, r.Help)
			for _, n := range r.Nodes {
				fmt.Fprintf(&b, "\n\t%v %s", n.Target, n.HTML)
				if n.FailureSummary != "" {
					fmt.Fprintf(&b, "\n\t\t%s", strings.ReplaceAll(n.FailureSummary, "\n", "\n\t\t"))
				}
			}
			t.Error(b.String())
		}
	})
}

// TestPage: the page answers, has one main with an h1 and content, and the
// html element has the language's lang and dir.
func TestPage(t *testing.T) {
	each(t, func(t *testing.T, v *visit) {
		want := int64(200)
		if v.Kind == "404" {
			want = 404
		}
		if v.Status != want {
			t.Errorf("%s: status %d, want %d", v.Path, v.Status, want)
		}
		l := v.Layout
		if l.Mains != 1 || l.MainID != "main" {
			t.Errorf("%s: %d main elements, id %q; want one, id main", v.Path, l.Mains, l.MainID)
		}
		if l.H1 == "" || l.MainText < 40 {
			t.Errorf("%s: main has h1 %q and %d characters of text", v.Path, l.H1, l.MainText)
		}
		if !strings.HasPrefix(l.Lang, v.Lang) {
			t.Errorf("%s: lang=%q, want %s", v.Path, l.Lang, v.Lang)
		}
		if l.Dir != v.Dir {
			t.Errorf("%s: dir=%q, want %s", v.Path, l.Dir, v.Dir)
		}
		for _, p := range v.Problems {
			t.Errorf("%s: %s", v.Path, p)
		}
	})
}

// TestReflow: nothing scrolls sideways at 360 px, nor with the text at 200 %.
func TestReflow(t *testing.T) {
	each(t, func(t *testing.T, v *visit) {
		if l := v.Layout; l.ScrollWidth > l.InnerWidth || l.InnerWidth != width {
			t.Errorf("%s: scrollWidth %v, innerWidth %v (want ≤ and %d)", v.Path, l.ScrollWidth, l.InnerWidth, width)
		}
		for _, w := range v.Layout.Wide {
			t.Errorf("%s: sticks out of the viewport: %s", v.Path, w)
		}
		z := v.Zoom
		if z.ScrollWidth > z.InnerWidth || z.InnerWidth != width {
			t.Errorf("%s: text at 200%%: scrollWidth %v, innerWidth %v (want ≤ and %d)", v.Path, z.ScrollWidth, z.InnerWidth, width)
		}
		for _, w := range z.Wide {
			t.Errorf("%s: text at 200%%: sticks out of the viewport: %s", v.Path, w)
		}
		for _, c := range z.Clipped {
			t.Errorf("%s: text at 200%%: clips its text: %s", v.Path, c)
		}
	})
}

// TestTargets: links and controls in the header, navigation, footer and
// lists are 24×24 CSS px or spaced as WCAG 2.5.8 allows.
func TestTargets(t *testing.T) {
	each(t, func(t *testing.T, v *visit) {
		if v.Layout.Targets < 10 {
			t.Errorf("%s: only %d targets checked", v.Path, v.Layout.Targets)
		}
		for _, s := range v.Layout.Small {
			t.Errorf("%s: small target: %s", v.Path, s)
		}
	})
}

// TestKeyboard: the first Tab reaches a skip link to main, which moves the
// focus into main; every focused element shows a ring it lacks unfocused.
func TestKeyboard(t *testing.T) {
	each(t, func(t *testing.T, v *visit) {
		if len(v.Tabs) == 0 {
			t.Fatal("no Tab step")
		}
		first := v.Tabs[0]
		if !first.Skip || first.Href != "#main" || first.Target != "main" {
			t.Errorf("%s: first Tab focuses %s (href %q to %q), want the skip link to main", v.Path, first.Desc, first.Href, first.Target)
		}
		if first.Box == nil || first.Box.Top < 0 || first.Box.Bottom > height {
			t.Errorf("%s: the focused skip link is not in view: %+v", v.Path, first.Box)
		}
		steps := append(v.Tabs[1:], v.Skip.AfterEnter)
		for _, s := range steps {
			if s.Prev == "" {
				continue
			}
			if !s.PrevFocused.visible() || s.PrevFocused == s.PrevBlurred {
				t.Errorf("%s: no visible focus on %s: focused %+v, unfocused %+v", v.Path, s.Prev, s.PrevFocused, s.PrevBlurred)
			}
		}
		if a := v.Skip.AfterEnter; !a.IsMain {
			t.Errorf("%s: Enter on the skip link focuses %s, want main", v.Path, a.Desc)
		}
		if a := v.Skip.AfterTab; !a.InMain || a.IsMain {
			t.Errorf("%s: Tab after the skip link focuses %s, want a link in main", v.Path, a.Desc)
		}
	})
}

// TestRTL: right-to-left pages lay out from the right, keep Latin runs in
// order, and mark entries in other languages with their own lang and dir.
func TestRTL(t *testing.T) {
	each(t, func(t *testing.T, v *visit) {
		r := v.RTL
		// On every page: an entry in another language carries lang and dir,
		// is isolated from the text around it and keeps its order.
		for _, s := range r.Switcher {
			if s.Lang == "" || s.Dir == "" {
				if s.Switcher {
					t.Errorf("%s: %s lacks its own lang or dir", v.Path, s.Desc)
				}
				continue
			}
			if s.Direction != s.Dir {
				t.Errorf("%s: %s has dir=%s but runs %s", v.Path, s.Desc, s.Dir, s.Direction)
			}
			if s.Dir != v.Layout.Dir && !strings.HasPrefix(s.Bidi, "isolate") && s.Bidi != "plaintext" {
				t.Errorf("%s: %s (dir=%s in a %s page) is not isolated: unicode-bidi %s", v.Path, s.Desc, s.Dir, v.Layout.Dir, s.Bidi)
			}
			if !s.Ordered {
				t.Errorf("%s: %s: its Latin letters are out of order", v.Path, s.Desc)
			}
		}
		if v.Dir != "rtl" {
			return
		}
		if r.Dir != "rtl" || r.Computed != "rtl" {
			t.Errorf("%s: html dir=%q, body direction %q", v.Path, r.Dir, r.Computed)
		}
		for _, name := range []string{"nav", "langs", "footer", "emergency", "crumbs", "cards", "chooser"} {
			f, ok := r.Flows[name]
			if !ok {
				continue
			}
			// The first item starts at the right: on one line, it is to the
			// right of the second; on two, both are aligned right.
			sameLine := f.First.Top == f.Second.Top
			if sameLine && f.First.Left < f.Second.Right-1 || !sameLine && f.First.Right < f.Second.Right-1 {
				t.Errorf("%s: %s runs left to right: %q at %.0f..%.0f, then %q at %.0f..%.0f", v.Path, name,
					f.FirstText, f.First.Left, f.First.Right, f.SecondText, f.Second.Left, f.Second.Right)
			}
		}
		// On a phone the navigation is behind the menu link (TestMenu).
		if _, ok := r.Flows["nav"]; !ok && v.First.Menu == "shown" {
			t.Errorf("%s: no navigation items found", v.Path)
		}
		for _, l := range r.Lists {
			if l.Direction != "rtl" || l.PadRight <= l.PadLeft {
				t.Errorf("%s: list %s: direction %s, padding left %.0f right %.0f; want markers on the right", v.Path, l.Desc, l.Direction, l.PadLeft, l.PadRight)
			}
		}
		if h := r.H1; h != nil && h.TextRight < h.BoxRight-1 {
			t.Errorf("%s: the h1 does not start at the right: text ends at %.0f in a box ending at %.0f", v.Path, h.TextRight, h.BoxRight)
		}
		for _, a := range r.Pager {
			if a == "prev ←" || a == "next →" {
				t.Errorf("%s: pager link %q points the wrong way for right-to-left", v.Path, a)
			}
		}
		for _, s := range r.Scrambled {
			t.Errorf("%s: a Latin run is out of order: %s", v.Path, s)
		}
	})
}

// TestRequests: a page loads nothing from another host, and no font.
func TestRequests(t *testing.T) {
	e := need(t)
	each(t, func(t *testing.T, v *visit) {
		if len(v.Requests) == 0 {
			t.Errorf("%s: no request seen", v.Path)
		}
		for _, r := range v.Requests {
			u, err := url.Parse(r.URL)
			if err != nil {
				t.Errorf("%s: bad request URL %q", v.Path, r.URL)
				continue
			}
			if u.Scheme != "data" && u.Host != e.host {
				t.Errorf("%s: request to another host: %s (%s)", v.Path, r.URL, r.Type)
			}
			if r.Type == "Font" {
				t.Errorf("%s: web font requested: %s", v.Path, r.URL)
			}
		}
	})
}
