package site

import (
	"fmt"
	"slices"
	"strings"

	"kb/internal/diag"
	"kb/internal/markdown"
	"kb/internal/source"
)

// The glossary: content/glossary/<term>/<lang>.md, one term per group. Its
// title is the term, its summary the definition in plain words, and its
// terms key other forms of the term (an abbreviation, the other national
// language's word). Pages of the same language mark the first occurrence
// of any of these words (package markdown) and show the definitions.

// collectTerms gathers each language's terms, and reports a word claimed
// by two terms and terms keys outside the glossary.
func (s *Site) collectTerms(problems *diag.List) {
	s.terms = map[string][]markdown.Term{}
	for _, g := range s.Groups {
		for _, code := range sortedCodes(g) {
			p := g.Pages[code]
			if g.Section != source.Glossary {
				if len(p.Meta.Terms) > 0 {
					problems.Add(diag.Problem{Path: p.Path, Line: p.Meta.Line("terms"), Msg: "terms is a key of glossary entries only", Hint: "remove the line, or add the term to content/glossary/"})
				}
				continue
			}
			t := markdown.Term{Key: g.Key}
			for _, w := range append([]string{p.Meta.Title}, p.Meta.Terms...) {
				if w = strings.TrimSpace(w); w != "" && !slices.Contains(t.Words, w) {
					t.Words = append(t.Words, w)
				}
			}
			s.terms[code] = append(s.terms[code], t)
		}
	}
	s.termKeys = map[string]string{}
	for code, ts := range s.terms {
		s.termKeys[code] = termsKey(ts)
	}
	for _, l := range s.Langs.List {
		code, ts := l.Code, s.terms[l.Code]
		owner := map[string]string{}
		for _, t := range ts {
			for _, w := range t.Words {
				k := strings.ToLower(w)
				if o, dup := owner[k]; dup && o != t.Key {
					p := s.byKey["glossary/"+t.Key].Pages[code]
					problems.Add(diag.Problem{Path: p.Path, Line: p.Meta.Line("terms"), Level: diag.Warning,
						Msg:  fmt.Sprintf("%q is also a word of the glossary entry %s", w, o),
						Hint: "a word explains one term: remove it from one of them"})
				}
				owner[k] = t.Key
			}
		}
	}
}

// pageTerms returns the terms marked in p: those of its language, but not
// a glossary entry's own.
func (s *Site) pageTerms(p *Page) []markdown.Term {
	ts := s.terms[p.Lang]
	if p.Section != source.Glossary {
		return ts
	}
	out := make([]markdown.Term, 0, len(ts))
	for _, t := range ts {
		if t.Key != p.Key {
			out = append(out, t)
		}
	}
	return out
}

// pageTermsKey is termsKey(s.pageTerms(p)): one string for every page of
// a language but its glossary entries, not one per page.
func (s *Site) pageTermsKey(p *Page) string {
	if k, ok := s.termKeys[p.Lang]; ok && p.Section != source.Glossary {
		return k
	}
	return termsKey(s.pageTerms(p))
}

// termsKey identifies a list of terms, so that a kept body is rendered
// again when the glossary changes.
func termsKey(ts []markdown.Term) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.Key)
		for _, w := range t.Words {
			b.WriteString("\x1f" + w)
		}
		b.WriteByte('\x1e')
	}
	return b.String()
}
