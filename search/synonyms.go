package search

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Synonyms holds, per kb language code, groups of equivalent terms: single
// words, abbreviations or phrases, as the editors wrote them.
type Synonyms map[string][][]string

// ParseSynonyms reads one language's synonyms file (content/synonyms/<lang>.txt):
// one group per line, terms separated by commas, '#' starts a comment.
// Terms are trimmed, inner spaces collapsed and put in NFC. Every problem is
// reported: the error is a SynonymErrors, one SynonymError per problem.
func ParseSynonyms(r io.Reader) ([][]string, error) {
	gs, err := ParseSynonymGroups(r)
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = g.Terms
	}
	return out, nil
}

// SynonymGroup is one line of a synonyms file.
type SynonymGroup struct {
	Line  int
	Terms []string
}

// SynonymError is one problem of a synonyms file, at its line.
type SynonymError struct {
	Line int // 1-based
	Msg  string
}

func (e SynonymError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// SynonymErrors is every problem of a synonyms file, in line order.
type SynonymErrors []SynonymError

func (es SynonymErrors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// ParseSynonymGroups is ParseSynonyms with the line of each group.
func ParseSynonymGroups(r io.Reader) ([]SynonymGroup, error) {
	var (
		groups []SynonymGroup
		errs   SynonymErrors
		where  = map[string]int{} // folded term -> line of its group
		n      int
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n = 1; sc.Scan(); n++ {
		line := sc.Text()
		fail := func(format string, args ...any) {
			errs = append(errs, SynonymError{Line: n, Msg: fmt.Sprintf(format, args...)})
		}
		if !utf8.ValidString(line) {
			fail("invalid UTF-8; save the file as UTF-8")
			continue
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		var group []string
		bad := false
		for _, t := range strings.Split(line, ",") {
			t = norm.NFC.String(strings.Join(strings.Fields(t), " "))
			if t == "" {
				fail("empty term: remove the extra comma")
				bad = true
				continue
			}
			key, err := synonymKey(t)
			switch {
			case err != nil:
				fail("%q is too long for a search (at most %d words)", t, MaxQueryWords)
				bad = true
			case key == "":
				fail("%q has no letters or digits", t)
				bad = true
			case where[key] == n:
				fail("%q appears twice in the group", t)
				bad = true
			case where[key] > 0:
				fail("%q is already in the group on line %d: merge the two lines", t, where[key])
				bad = true
			default:
				where[key] = n
				group = append(group, t)
			}
		}
		if !bad && len(group) < 2 {
			fail("a group needs two or more terms separated by commas")
			continue
		}
		if !bad {
			groups = append(groups, SynonymGroup{Line: n, Terms: group})
		}
	}
	if err := sc.Err(); err != nil {
		msg := err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			msg = "line longer than 1 MiB: one group per line"
		}
		errs = append(errs, SynonymError{Line: n, Msg: msg})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return groups, nil
}

// synonymKey is the form in which a term is compared with typed words:
// cleaned like a query, lower-cased and folded.
func synonymKey(t string) (string, error) {
	c, err := CleanQuery(t)
	if err != nil {
		return "", err
	}
	return foldString(c), nil
}

// synMatcher finds synonym terms in a query.
type synMatcher struct {
	// byFirst maps the first folded word of a term to its entries, longest first.
	byFirst map[string][]synEntry
	groups  [][]string
}

type synEntry struct {
	words []string // folded
	group int
}

func newSynMatcher(groups [][]string) *synMatcher {
	m := &synMatcher{byFirst: map[string][]synEntry{}, groups: groups}
	for gi, g := range groups {
		for _, t := range g {
			key, err := synonymKey(t)
			if err != nil || key == "" {
				continue
			}
			w := strings.Fields(key)
			m.byFirst[w[0]] = append(m.byFirst[w[0]], synEntry{words: w, group: gi})
		}
	}
	for _, es := range m.byFirst {
		slices.SortStableFunc(es, func(a, b synEntry) int { return len(b.words) - len(a.words) })
	}
	return m
}

// A unit is one thing the query asks for: a typed word, or a typed span that
// is a synonym term together with the group's other terms.
type unit struct {
	words []string // as typed (cleaned)
	alts  []string // other terms of the synonym group, as written
}

// units splits cleaned query words into units, matching the longest synonym
// term at each position.
func (m *synMatcher) units(words []string) []unit {
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = foldString(w)
	}
	var out []unit
	for i := 0; i < len(words); {
		var match *synEntry
		if m != nil {
			for _, e := range m.byFirst[folded[i]] {
				if i+len(e.words) <= len(words) && slices.Equal(e.words, folded[i:i+len(e.words)]) {
					match = &e
					break
				}
			}
		}
		if match == nil {
			out = append(out, unit{words: words[i : i+1]})
			i++
			continue
		}
		u := unit{words: words[i : i+len(match.words)]}
		typed := strings.Join(match.words, " ")
		for _, t := range m.groups[match.group] {
			if k, _ := synonymKey(t); k != typed {
				u.alts = append(u.alts, t)
			}
		}
		out = append(out, u)
		i += len(match.words)
	}
	return out
}

// Vocabulary is the set of index terms of some texts in one language, as
// that language's index would hold them.
type Vocabulary struct {
	a     analysis.Analyzer
	terms map[string]bool
}

// NewVocabulary returns an empty vocabulary for lang.
func NewVocabulary(lang string) (*Vocabulary, error) {
	a, err := registry.NewCache().AnalyzerNamed(analyzerFor(lang))
	if err != nil {
		return nil, err
	}
	return &Vocabulary{a: a, terms: map[string]bool{}}, nil
}

// Add adds the terms of text.
func (v *Vocabulary) Add(text string) {
	for _, t := range v.a.Analyze([]byte(text)) {
		v.terms[string(t.Term)] = true
	}
}

// Has reports whether every word of s that is not a stop word has one of
// its terms (the word, its stems) in the vocabulary, so that a search for s
// can find the texts added. A phrase is not checked for word order. s made
// only of stop words is not had.
func (v *Vocabulary) Has(s string) bool {
	byPos := map[int]bool{}
	for _, t := range v.a.Analyze([]byte(s)) {
		byPos[t.Position] = byPos[t.Position] || v.terms[string(t.Term)]
	}
	for _, ok := range byPos {
		if !ok {
			return false
		}
	}
	return len(byPos) > 0
}
