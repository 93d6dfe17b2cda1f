package status_test

import (
	"bytes"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/sitetest"
	"kb/internal/status"
)

// TestNotExpected: a newsletter edition is expected only in the
// newsletter's languages; elsewhere its cell is "none", not a missing
// translation, and no total counts it. Other sections expect every
// language.
func TestNotExpected(t *testing.T) {
	dir := sitetest.Write(t, `langs: en fr nl
-- content/site.toml --
base_url = "https://kb.example"
default_language = "fr"
[newsletter]
languages = ["fr", "nl"]
-- content/topics/care/fr.md --
---
title: Soins
---
-- content/news/2026-11-02-winter/fr.md --
---
title: Hiver
date: 2026-11-02
topics: [care]
---
Texte.
-- content/newsletters/2026-11/fr.md --
---
title: Novembre
date: 2026-11-15
---
Intro.
`)
	res, err := build.Load(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	st := status.New(res.Site)
	want := map[string]map[string]status.State{
		"newsletters/2026-11":    {"en": status.None, "fr": status.Current, "nl": status.Missing},
		"news/2026-11-02-winter": {"en": status.Missing, "fr": status.Current, "nl": status.Missing},
	}
	for _, r := range st.Pages {
		w := want[r.Section+"/"+r.Key]
		if w == nil {
			continue
		}
		delete(want, r.Section+"/"+r.Key)
		for _, c := range r.Cells {
			if c.State != w[c.Lang] {
				t.Errorf("%s/%s in %s: %s, want %s", r.Section, r.Key, c.Lang, c.State, w[c.Lang])
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("no rows for %v", want)
	}
	if got := st.Totals["en"].Missing; got != 2 { // the news item and the topic
		t.Errorf("en missing = %d, want 2", got)
	}
	var text bytes.Buffer
	if err := st.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "– not expected") {
		t.Errorf("the legend does not say what – is:\n%s", text.String())
	}
	page, err := status.Page(res.Site)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`<td class="none">`, "not expected: the newsletter"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("status page lacks %q", s)
		}
	}
}
