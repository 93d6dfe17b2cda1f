package search

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestCleanQuery(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"spaces", "  aide \t médicale\n\nurgente ", "aide médicale urgente", nil},
		{"field syntax", "field:x title:hôpital^5~2", "field x title hôpital 5 2", nil},
		{"regexp", "/.*/", "", nil},
		{"wildcard", "*e*", "e", nil},
		{"must and must not", "+a -b", "a b", nil},
		{"phrase and group", `"aide" (médicale) {x} [y] a&&b||c!d\e`, "aide médicale x y a b c d e", nil},
		{"control characters", "a\x00b\x1bc\u007fd", "a b c d", nil},
		{"invalid UTF-8", "caf\xff\xfeé \xc3", "caf é", nil},
		{"NFC", "sante\u0301", "santé", nil},
		{"apostrophe in word", "l'hôpital l’aide", "l'hôpital l’aide", nil},
		{"apostrophes around word", "'quoted' ’’", "quoted", nil},
		{"ZWNJ kept inside word", "می\u200cخواهم", "می\u200cخواهم", nil},
		{"bidi marks removed", "\u200fسلام\u200e", "سلام", nil},
		{"soft hyphen removed", "hôpi\u00adtal", "hôpital", nil},
		{"digits", "9ter 112", "9ter 112", nil},
		{"hyphen splits", "e-mail", "e mail", nil},
		{"operators are words", "AND OR NOT", "AND OR NOT", nil},
		{"ethiopic wordspace", "ሕክምና፡ሓገዝ", "ሕክምና ሓገዝ", nil},
		{"lone mark dropped", "a \u0301 b", "a b", nil},
		{"empty", " \t ", "", nil},
		{"16 words", strings.Repeat("ab ", 16), strings.TrimSpace(strings.Repeat("ab ", 16)), nil},
		{"17 words", strings.Repeat("ab ", 17), "", ErrQueryTooLong},
		{"200 bytes", strings.Repeat("a", 200), strings.Repeat("a", 200), nil},
		{"201 bytes", strings.Repeat("a", 201), "", ErrQueryTooLong},
		{"punctuation does not count", strings.Repeat("!", 1000) + "a", "a", nil},
		{"huge input", strings.Repeat("a", 1<<20), "", ErrQueryTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CleanQuery(tc.in)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("CleanQuery(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestNoQuerySyntax runs hostile queries through Search and checks the
// queries bleve receives: only match, phrase, prefix and term queries.
func TestNoQuerySyntax(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	for _, q := range []string{
		"/.*/", "body:*e*", "*e*", "+a -b", "a~2 b^10", "title:/h.*/", `"aide médicale"~5`,
		"a\x00b", "\xff\xfe", "ሆስፒ?ል", "(a OR b) AND NOT c", strings.Repeat("x", 300),
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		r, err := ix.Search(ctx, Request{Lang: "ti", Query: q})
		cancel()
		if err != nil && !errors.Is(err, ErrQueryTooLong) {
			t.Errorf("Search(%q): %v", q, err)
		}
		if err != nil {
			continue
		}
		words := strings.Fields(r.Query)
		for _, lang := range []string{"fr", "ti"} {
			p := plan{ix: ix, lang: lang, units: ix.syn[lang].units(words)}
			for _, stage := range []struct {
				retry bool
				min   int
			}{{false, 0}, {false, p.min()}, {true, p.min()}, {true, 1}} {
				bq, _, _ := p.query(stage.retry, stage.min)
				if bq == nil {
					continue
				}
				bq = p.withProximity(bq)
				b, err := json.Marshal(bq)
				if err != nil {
					t.Fatal(err)
				}
				for _, bad := range []string{`"regexp"`, `"wildcard"`, `"query"`} {
					if strings.Contains(string(b), bad) {
						t.Errorf("%q: query has %s: %s", q, bad, b)
					}
				}
			}
		}
	}
}

func FuzzCleanQuery(f *testing.F) {
	for _, s := range []string{
		"aide médicale urgente", "field:x", "/.*/", "*e*", "+a -b", "a\x00b", "\xff", "می\u200cخواهم",
		"İlaç", "ሕክምና፡ሓገዝ", "l'hôpital", "e\u0301", "'\u200c'", strings.Repeat("ab ", 20),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := CleanQuery(in)
		if err != nil {
			if !errors.Is(err, ErrQueryTooLong) || out != "" {
				t.Fatalf("CleanQuery(%q) = %q, %v", in, out, err)
			}
			return
		}
		if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
			t.Fatalf("CleanQuery(%q) = %q: not valid NFC", in, out)
		}
		if len(out) > MaxQueryBytes || len(strings.Fields(out)) > MaxQueryWords {
			t.Fatalf("CleanQuery(%q) = %q: over the limits", in, out)
		}
		if out != strings.Join(strings.Fields(out), " ") {
			t.Fatalf("CleanQuery(%q) = %q: spaces not collapsed", in, out)
		}
		for _, r := range out {
			if !(r == ' ' || r == zwnj || isApostrophe(r) || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r)) {
				t.Fatalf("CleanQuery(%q) = %q: keeps %U", in, out, r)
			}
		}
		if again, err := CleanQuery(out); err != nil || again != out {
			t.Fatalf("CleanQuery not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
	})
}

func TestParseSynonyms(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
		errs     []string
	}{
		{
			name: "groups and comments",
			in:   "# abbreviations\nAMU, aide  médicale urgente\n\nOCMW,CPAS # Brussels\n9ter, régularisation médicale\n",
			want: [][]string{{"AMU", "aide médicale urgente"}, {"OCMW", "CPAS"}, {"9ter", "régularisation médicale"}},
		},
		{name: "NFC", in: "sante\u0301, health\n", want: [][]string{{"santé", "health"}}},
		{
			name: "every error with its line",
			in:   "AMU\nOCMW,,CPAS\nx, AMU, X\n!!, y\nCPAS, centre public\n\xff, a\n",
			errs: []string{
				"line 1: a group needs two or more terms",
				"line 2: empty term",
				`line 3: "AMU" is already in the group on line 1`,
				`line 3: "X" appears twice in the group`,
				`line 4: "!!" has no letters or digits`,
				`line 5: "CPAS" is already in the group on line 2`,
				"line 6: invalid UTF-8",
			},
		},
		{name: "case and accents are the same term", in: "Santé, sante\n", errs: []string{`line 1: "sante" appears twice`}},
		{name: "line too long", in: "a, b\n" + strings.Repeat("x", 1<<20+1) + "\n", errs: []string{"line 2: line longer than 1 MiB"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseSynonyms(strings.NewReader(tc.in))
			if len(tc.errs) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tc.want) {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
				for i := range got {
					if strings.Join(got[i], "|") != strings.Join(tc.want[i], "|") {
						t.Errorf("group %d: got %q, want %q", i, got[i], tc.want[i])
					}
				}
				return
			}
			var errs SynonymErrors
			if !errors.As(err, &errs) {
				t.Fatalf("error %v (%T), want SynonymErrors; got %q", err, err, got)
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(tc.errs), err)
			}
			for i, w := range tc.errs {
				if !strings.HasPrefix(errs[i].Error(), w) {
					t.Errorf("problem %d is %q, want it to start with %q", i, errs[i], w)
				}
			}
		})
	}
}
