package search

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzMark = regexp.MustCompile(`(?s)<mark>(.*?)</mark>`)

// FuzzSearch runs any query, in any language of the site or none, exact
// only or not (the high bit of the language byte), through
// the whole query path (CleanQuery, synonyms, the exact, typo and partial
// stages, highlighting) on the fixture index. A search either answers or
// says the query is too long; the query it reports is the cleaned one; and
// every snippet is valid UTF-8 with balanced marks around whole characters
// of a word.
func FuzzSearch(f *testing.F) {
	ix, _ := buildIndex(f, fixtureDocs, fixtureSyn(f))
	langs := []string{"", "fr", "nl", "en", "ar", "tr", "ro", "ti", "ps", "sq", "fa", "prs", "es", "pt", "ru", "uk"}
	for _, s := range []struct {
		lang  uint8
		query string
		page  int
	}{
		{1, "aide médicale urgente", 1}, {1, "AMU CPAS", 2}, {1, "pharmacei", 1}, {1, "hopital medicaments", 1},
		{10, "داروها", 1}, {10, "بیمارستان\u200cها", 1}, {11, "می\u200cپردازد", 1}, {9, "روغتونونو", 1},
		{7, "ሆስፒታላትን", 1}, {5, "İlaç", 1}, {4, "الادوية", 1}, {0, "doctor", 1},
		{1, "urgnete medicale aidde hopitl pharmacei enqute socilae commnue medecn soinss titree sejourr demandr centre publci actio", 1},
		{1, "/.*/ body:*e* +a -b a~2 b^10", 1}, {3, "\xff\xfe\x00", 1}, {1, strings.Repeat("aide ", 16), 100},
		{0x81, "pharmacei", 1}, {0x8a, "داروها", 1},
	} {
		f.Add(s.lang, s.query, s.page)
	}
	f.Fuzz(func(t *testing.T, li uint8, in string, page int) {
		lang := langs[int(li&0x7f)%len(langs)]
		exact := li&0x80 != 0 // the server's cheap answer when busy
		r, err := ix.Search(context.Background(), Request{Lang: lang, Query: in, Page: page % 200, ExactOnly: exact})
		clean, cerr := CleanQuery(in)
		switch {
		case errors.Is(err, ErrQueryTooLong):
			if cerr == nil {
				t.Fatalf("Search(%q) too long, CleanQuery says %q", in, clean)
			}
			return
		case errors.Is(err, context.DeadlineExceeded):
			return // a shared machine; not what this checks
		case err != nil:
			t.Fatalf("Search(%s, %q): %v", lang, in, err)
		}
		if r.Query != clean {
			t.Fatalf("Search(%q).Query = %q, CleanQuery = %q", in, r.Query, clean)
		}
		if exact && r.Fuzzy {
			t.Fatalf("Search(%s, %q): fuzzy results for an exact-only request", lang, in)
		}
		if r.Total < len(r.Hits) || len(r.Hits) > r.Size {
			t.Fatalf("Search(%q): %d hits of %d, size %d", in, len(r.Hits), r.Total, r.Size)
		}
		for _, h := range r.Hits {
			s := string(h.Snippet)
			if !utf8.ValidString(s) {
				t.Fatalf("Search(%s, %q): snippet of %s is not valid UTF-8: %q", lang, in, h.ID, s)
			}
			if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") || strings.Contains(s, "<script") {
				t.Fatalf("Search(%s, %q): snippet of %s: %q", lang, in, h.ID, s)
			}
			for _, m := range fuzzMark.FindAllStringSubmatch(s, -1) {
				// A mark that starts or ends with a space was shifted off its word.
				if m[1] == "" || strings.Contains(m[1], "<") || strings.TrimSpace(m[1]) != m[1] {
					t.Fatalf("Search(%s, %q): mark encloses %q in %s", lang, in, m[1], h.ID)
				}
			}
			// Other languages answer when the reader's has nothing
			// (Fallback), or after a weak answer, marked as such.
			if lang != "" && !r.Fallback && h.Lang != lang && h.Step != StepOtherLanguage {
				t.Fatalf("Search(%s, %q): hit %s in another language, neither fallback nor marked", lang, in, h.ID)
			}
		}
	})
}
