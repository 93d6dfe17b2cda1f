package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/registry"
)

func terms(t *testing.T, lang, s string) []string {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(analyzerFor(lang))
	if err != nil {
		t.Fatal(err)
	}
	terms, _ := analyze(a, s)
	return terms
}

// TestAnalyzerMatches checks that a word as a reader types it shares a term
// with the word as written in a page, without any retry.
func TestAnalyzerMatches(t *testing.T) {
	tests := []struct{ lang, written, typed string }{
		{"fr", "santé", "sante"},
		{"fr", "l'hôpital", "hopital"},
		{"fr", "L’HÔPITAL", "hôpital"},
		{"fr", "hôpitaux", "hopital"},
		{"fr", "aiguë", "aigue"},
		{"fr", "médicaments", "medicament"},
		{"nl", "ziekenhuizen", "ziekenhuis"},
		{"nl", "geneesmiddelen", "geneesmiddel"},
		{"en", "hospitals", "hospital"},
		{"es", "atención médica", "atencion medica"},
		{"pt", "saúde", "saude"},
		{"tr", "tıbbi", "tibbi"},
		{"tr", "İlaç", "ilac"},
		{"tr", "İlaç", "ILAÇ"},
		{"tr", "İstanbul'da", "istanbul"},
		{"tr", "hastalığı", "hastaligi"},
		{"ro", "asistență", "asistenta"},
		{"ro", "sănătății", "sanatatii"},
		{"ro", "plătește", "plăteşte"}, // comma below and cedilla
		{"ru", "приём", "прием"},
		{"uk", "сім’я", "сім'я"},
		{"uk", "їжа", "іжа"},
		{"ar", "الأدوية", "الادوية"},
		{"ar", "المستشفى", "الْمُسْتَشْفَى"},
		{"fa", "بیمارستان", "بيمارستان"},
		{"prs", "داکتر", "داكتر"},
		{"ps", "ډاکټري", "ډاکټری"},
		{"ps", "ګټه", "گټه"},
		{"sq", "ndihmë", "ndihme"},
		{"sq", "ilaçet", "ilacet"},
		{"ti", "ሕክምና፡ሓገዝ", "ሓገዝ"},
		{"xx", "Ñandú", "nandu"}, // a language added later: generic folding
	}
	for _, tc := range tests {
		t.Run(tc.lang+"/"+tc.typed, func(t *testing.T) {
			w, ty := terms(t, tc.lang, tc.written), terms(t, tc.lang, tc.typed)
			if !slices.ContainsFunc(ty, func(s string) bool { return slices.Contains(w, s) }) {
				t.Errorf("written %q -> %q, typed %q -> %q: no common term", tc.written, w, tc.typed, ty)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"éèêëàçœß", "eeeeacoess"},
		{"ıi", "ii"},
		{"șşțţăâî", "ssttaai"},
		{"ёйїґ", "ейіг"},
		{"أإآؤئ", "اااوي"},
		{"مُسْتَشْفَى", "مستشفى"},
		{"l’a", "l'a"},
		{"ሆስፒታል", "ሆስፒታል"},
	}
	for _, tc := range tests {
		if got := string(fold([]byte(tc.in))); got != tc.want {
			t.Errorf("fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLowerTurkish guards against bleve's to_lower bug (İ corrupts the
// following bytes).
func TestLowerTurkish(t *testing.T) {
	got := terms(t, "generic", "İstanbul İlaç")
	want := []string{"istanbul", "ilac"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestAnalyzerOffsets: token filters change terms, never offsets, so
// highlighting marks the right text.
func TestAnalyzerOffsets(t *testing.T) {
	a, err := registry.NewCache().AnalyzerNamed(analyzerFor("fr"))
	if err != nil {
		t.Fatal(err)
	}
	in := "Les hôpitaux réalisées sont nécessaires"
	for _, tok := range a.Analyze([]byte(in)) {
		orig := in[tok.Start:tok.End]
		if fold([]byte(orig))[0] != tok.Term[0] {
			t.Errorf("token %q at %d:%d covers %q", tok.Term, tok.Start, tok.End, orig)
		}
	}
}

// TestAnalyzerOffsetsAllLanguages: in every language, a token's offsets
// cover exactly the original characters of the word, so that a highlight
// never cuts a character. Char filters that change lengths (the Persian
// zero-width non-joiner) would shift every offset after them.
func TestAnalyzerOffsetsAllLanguages(t *testing.T) {
	in := "a می\u200cخواهم بیمارستان\u200cها و داروها ሆስፒታላትን İlaç l'hôpital ﻻ ffi شما\u200c\u200cرا"
	for code := range langAnalyzer {
		t.Run(code, func(t *testing.T) {
			a, err := registry.NewCache().AnalyzerNamed(analyzerFor(code))
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range a.Analyze([]byte(in)) {
				if tok.Start < 0 || tok.End > len(in) || tok.Start >= tok.End {
					t.Fatalf("token %q at %d:%d out of %d bytes", tok.Term, tok.Start, tok.End, len(in))
				}
				orig := in[tok.Start:tok.End]
				if !utf8.RuneStart(in[tok.Start]) || (tok.End < len(in) && !utf8.RuneStart(in[tok.End])) || !utf8.ValidString(orig) {
					t.Errorf("token %q at %d:%d cuts a character: %q", tok.Term, tok.Start, tok.End, orig)
				}
				if strings.Contains(orig, " ") {
					t.Errorf("token %q at %d:%d covers %q", tok.Term, tok.Start, tok.End, orig)
				}
			}
		})
	}
}
