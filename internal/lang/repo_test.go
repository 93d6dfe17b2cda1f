package lang

import (
	"os"
	"sort"
	"strings"
	"testing"

	"kb/internal/diag"
)

// TestRepoLanguages checks the shipped i18n/ files: they load without
// problems, have the same strings as English, and the plural forms their
// language uses for whole numbers.
func TestRepoLanguages(t *testing.T) {
	var problems diag.List
	set := Load(os.DirFS("../.."), "i18n", &problems)
	if ps := problems.Problems(); len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	if len(set.List) != 15 {
		t.Errorf("%d languages, want 15: %v", len(set.List), set.Codes())
	}
	shipped := append([]string(nil), Shipped...)
	sort.Strings(shipped)
	if codes, err := Codes(os.DirFS("../.."), "i18n"); err != nil || strings.Join(codes, " ") != strings.Join(shipped, " ") {
		t.Errorf("i18n/ has %v (%v), Shipped %v", codes, err, shipped)
	}
	en := set.Get("en")
	if en == nil {
		t.Fatal("no English file")
	}
	for _, l := range set.List {
		t.Run(l.Code, func(t *testing.T) {
			if diff := keyDiff(keys(en.Strings), keys(l.Strings)); diff != "" {
				t.Errorf("strings differ from en.toml: %s", diff)
			}
			if diff := keyDiff(keys(en.Plurals), keys(l.Plurals)); diff != "" {
				t.Errorf("plural strings differ from en.toml: %s", diff)
			}
			want := strings.Join(l.Categories(), " ")
			for k, forms := range l.Plurals {
				var got []string
				for _, c := range []string{"zero", "one", "two", "few", "many", "other"} {
					if _, ok := forms[c]; ok {
						got = append(got, c)
					}
				}
				// "other" may be given even where whole numbers never use it.
				if g := strings.Join(got, " "); g != want && g != strings.TrimSuffix(want, " other")+" other" {
					t.Errorf("%s has forms %q, want %q", k, g, want)
				}
				for c, s := range forms {
					if !strings.Contains(s, "{n}") {
						t.Errorf("%s.%s = %q lacks {n}", k, c, s)
					}
				}
			}
			if l.Name == "" || len(l.Months) != 12 || len(l.Quotes) != 4 || l.DateFormat == "" {
				t.Errorf("name %q, %d months, %d quotes, date format %q", l.Name, len(l.Months), len(l.Quotes), l.DateFormat)
			}
			for k, s := range l.Strings {
				for _, ph := range []string{"{date}", "{query}", "{page}", "{pages}", "{url}", "{n}"} {
					if strings.Contains(en.Strings[k], ph) != strings.Contains(s, ph) {
						t.Errorf("%s: placeholder %s differs from English", k, ph)
					}
				}
			}
			rtl := map[string]bool{"ar": true, "fa": true, "prs": true, "ps": true}
			if l.RTL() != rtl[l.Code] {
				t.Errorf("dir = %s", l.Dir)
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func keyDiff(want, got []string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, k := range want {
		w[k] = true
	}
	for _, k := range got {
		g[k] = true
	}
	var missing, extra []string
	for _, k := range want {
		if !g[k] {
			missing = append(missing, k)
		}
	}
	for _, k := range got {
		if !w[k] {
			extra = append(extra, k)
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return ""
	}
	return "missing " + strings.Join(missing, ",") + "; extra " + strings.Join(extra, ",")
}
