package search

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Request is one search.
type Request struct {
	Lang  string // the reader's language; "" searches all languages
	Query string // as typed; cleaned with CleanQuery

	// Optional filters, exact keyword matches.
	Section, Topic, Audience string

	Page int // 1-based; default 1
	Size int // hits per page; default DefaultSize, at most MaxSize

	// ExactOnly skips the typo retry, the costly stage: a server whose
	// budget for it is spent still answers, cheaply.
	ExactOnly bool
}

// Response is the answer to a Request.
type Response struct {
	Query    string // the cleaned query actually searched
	Total    int
	Page     int // as used, after defaults and bounds
	Size     int
	Hits     []Hit
	Fuzzy    bool // no exact results: these come from the typo-tolerant retry
	Partial  bool // not every word matched: results match some of the words
	Fallback bool // no results in Request.Lang: these hits are from other languages
	// TyposSkipped: Request.ExactOnly left out a typo retry that would have
	// run (fewer than a few exact results in the reader's language).
	TyposSkipped bool
	// Facets has "section", "topics" and "audience": terms with their
	// counts among all results, sorted by count, then term.
	Facets map[string][]Facet
}

// Facet is a term of a keyword field and how many results have it.
type Facet struct {
	Term  string
	Count int
}

// Hit is one result.
type Hit struct {
	ID, Lang, URL, Section, Title, Summary, Reviewed, Date string

	// Snippet is HTML-escaped text with <mark> around the matches: the best
	// fragment of the body or summary, or else the summary, escaped.
	Snippet template.HTML
	Score   float64
}

// Search limits.
const (
	DefaultSize    = 10
	MaxSize        = 50
	maxWindow      = 1000            // deepest result served: page*size beyond it returns no hits
	defaultTimeout = 2 * time.Second // when ctx has no deadline
	// maxTermSearchers bounds the terms one search may expand to (fuzzy,
	// prefix) in one index; bleve checks the context deadline only between
	// hits, not during expansion.
	maxTermSearchers = 4096
	fewHits          = 3  // fewer exact hits than this tries the typo retry
	maxFuzzyRunes    = 32 // longer words are not typed by hand: no fuzzy
	prefixBoost      = 0.5
)

// Search runs req; the package documentation describes the steps. A query
// that cleans to nothing gives an empty Response; an overlong one gives
// ErrQueryTooLong. Without a deadline in ctx, a search stops after 2s.
func (ix *Index) Search(ctx context.Context, req Request) (*Response, error) {
	q, err := CleanQuery(req.Query)
	if err != nil {
		return nil, err
	}
	if req.Lang != "" && !validLang(req.Lang) {
		return nil, fmt.Errorf("search: invalid language code %q", req.Lang)
	}
	resp := &Response{Query: q, Page: max(req.Page, 1), Size: req.Size, Facets: map[string][]Facet{}}
	if resp.Size <= 0 {
		resp.Size = DefaultSize
	}
	resp.Size = min(resp.Size, MaxSize)
	if q == "" {
		return resp, nil
	}

	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	ctx = context.WithValue(ctx, bsearch.MaxTermSearchersKey, maxTermSearchers)

	units := ix.syn[req.Lang].units(strings.Fields(q)) // a nil matcher finds no synonyms
	p := plan{ix: ix, lang: req.Lang, units: units, req: req, from: (resp.Page - 1) * resp.Size, size: resp.Size}
	if p.from+p.size > maxWindow {
		p.from, p.size = 0, 0 // total and facets only
	}

	var res *bleve.SearchResult
	if idx, ok := ix.idx[req.Lang]; ok {
		p.typos = !req.ExactOnly
		res, resp.Fuzzy, resp.Partial, err = p.run(ctx, idx)
		if err != nil {
			return nil, err
		}
		resp.TyposSkipped = req.ExactOnly && res.Total < fewHits
	}
	if res == nil || res.Total == 0 {
		target, n := ix.all, len(ix.langs)
		if _, ok := ix.idx[req.Lang]; ok {
			target, n = ix.others[req.Lang], n-1
		}
		if n > 0 { // bleve refuses to search an empty alias
			p.typos = false
			res, resp.Fuzzy, resp.Partial, err = p.run(ctx, target)
			if err != nil {
				return nil, err
			}
			resp.Fallback = req.Lang != "" && res.Total > 0
		}
	}
	if res != nil {
		resp.fill(res)
	}
	return resp, nil
}

// plan builds and runs the stages of one search against one target.
type plan struct {
	ix         *Index
	lang       string // the reader's language: analyzer and synonyms
	units      []unit
	req        Request
	from, size int
	// typos enables the typo retry. It is off for the other languages:
	// their analyzers differ from lang's, so the analyzed terms the retry
	// needs are not known, and a fuzzy search of every index is costly.
	typos bool
}

// run tries the exact query, then the typo retry, then the partial query,
// and returns the first good enough result. Only an error of the exact
// stage is returned; a later stage that fails (deadline, too many terms)
// leaves the result as it was, unless there is none.
func (p plan) run(ctx context.Context, target bleve.Index) (res *bleve.SearchResult, fuzzy, partial bool, err error) {
	exact, _ := p.query(false, false)
	if exact == nil { // only stop words
		return &bleve.SearchResult{}, false, false, nil
	}
	if res, err = p.search(ctx, target, exact); err != nil {
		return nil, false, false, err
	}
	if res.Total >= fewHits {
		return res, false, false, nil
	}
	later := func(q query.Query) (*bleve.SearchResult, bool) {
		r, err2 := p.search(ctx, target, q)
		if err2 != nil {
			if res.Total == 0 && ctx.Err() != nil {
				err = err2
			}
			return nil, false
		}
		return r, true
	}
	if p.typos {
		if retry, differs := p.query(true, false); differs {
			if r, ok := later(retry); ok && r.Total > res.Total {
				// Fuzzy tells the reader "no exact results": with one or two
				// exact hits, they still lead the list, and it is not said.
				fuzzy = res.Total == 0
				res = r
			}
		}
	}
	if res.Total == 0 && err == nil {
		if some, differs := p.query(p.typos, true); some != nil {
			if r, ok := later(some); ok && r.Total > 0 {
				res, fuzzy, partial = r, differs, true
			}
		}
	}
	if err != nil {
		return nil, false, false, err
	}
	return res, fuzzy, partial, nil
}

// query is the conjunction (or, if partial, the disjunction) of the units'
// queries; retry adds typo tolerance. differs reports whether retry changed
// anything. It returns nil when every word is a stop word, or if partial
// when there are fewer than two units to choose from.
func (p plan) query(retry, partial bool) (q query.Query, differs bool) {
	var qs []query.Query
	for _, u := range p.units {
		uq, d := p.unitQuery(u, retry)
		differs = differs || d
		if uq != nil {
			qs = append(qs, uq)
		}
	}
	switch {
	case len(qs) == 0, partial && len(qs) == 1:
		return nil, differs
	case len(qs) == 1:
		return qs[0], differs
	case partial:
		return query.NewDisjunctionQuery(qs), differs
	}
	return query.NewConjunctionQuery(qs), differs
}

// unitQuery: the typed words (all of them), or any other term of their
// synonym group (a phrase when it has several words).
func (p plan) unitQuery(u unit, retry bool) (query.Query, bool) {
	var typed []query.Query
	differs := false
	for _, w := range u.words {
		q, d := p.wordQuery(w, retry)
		differs = differs || d
		if q != nil {
			typed = append(typed, q)
		}
	}
	var alts []query.Query
	switch len(typed) {
	case 0:
	case 1:
		alts = append(alts, typed[0])
	default:
		alts = append(alts, query.NewConjunctionQuery(typed))
	}
	for _, a := range u.alts {
		// Editors spell them right: no retry. A term that analyzes to
		// several words (aide médicale urgente, but also c.p.a.s.) must
		// match as a phrase.
		var q query.Query
		if _, surface := analyze(p.ix.analyzer(p.lang), a); positions(surface) > 1 {
			q = p.phraseQuery(a)
		} else {
			q, _ = p.wordQuery(a, false)
		}
		if q != nil {
			alts = append(alts, q)
		}
	}
	switch len(alts) {
	case 0:
		return nil, differs
	case 1:
		return alts[0], differs
	}
	return query.NewDisjunctionQuery(alts), differs
}

// wordQuery matches one typed word in any text field. It returns nil for a
// stop word, which would otherwise match nothing and sink the conjunction.
//
// The retry matches the folded word fuzzily and its stems exactly. Fuzzy on
// the stems too would cost a Levenshtein automaton per stem and field (the
// bulk of a retry's time) and little recall; and a stemmer can cut a long
// word to a short stem, on which the typed word's two edits match anything.
func (p plan) wordQuery(w string, retry bool) (query.Query, bool) {
	toks, surface := analyze(p.ix.analyzer(p.lang), w)
	if len(toks) == 0 {
		return nil, false
	}
	var qs []query.Query
	if !retry {
		for _, f := range textFields {
			m := query.NewMatchQuery(w)
			m.SetField(f.name)
			m.SetBoost(f.boost)
			qs = append(qs, m)
		}
		return query.NewDisjunctionQuery(qs), false
	}

	var fuzzy, exact []string
	for i, t := range toks {
		switch {
		case surface[i] && min(fuzziness(w), fuzziness(t)) > 0:
			fuzzy = append(fuzzy, t)
		case !slices.Contains(exact, t):
			exact = append(exact, t)
		}
	}
	var prefixes, variants []string
	if stemless(p.lang) && runeLen(w) >= 4 {
		prefixes = prefixTerms(p.lang, toks)
	}
	if p.lang == "fa" || p.lang == "prs" {
		variants = persianVariants(toks)
	}
	for _, f := range textFields {
		add := func(q interface {
			query.Query
			SetField(string)
			SetBoost(float64)
		}, boost float64) {
			q.SetField(f.name)
			q.SetBoost(f.boost * boost)
			qs = append(qs, q)
		}
		for _, t := range fuzzy {
			fq := query.NewFuzzyQuery(t)
			fq.SetFuzziness(min(fuzziness(w), fuzziness(t)))
			add(fq, 1)
		}
		for _, t := range exact {
			add(query.NewTermQuery(t), 1)
		}
		for _, t := range prefixes {
			add(query.NewPrefixQuery(t), prefixBoost)
		}
		for _, v := range variants {
			add(query.NewTermQuery(v), prefixBoost)
		}
	}
	return query.NewDisjunctionQuery(qs), len(fuzzy)+len(prefixes)+len(variants) > 0
}

// positions counts the positions in analyze's result.
func positions(surface []bool) int {
	n := 0
	for _, s := range surface {
		if s {
			n++
		}
	}
	return n
}

// phraseQuery matches a multi-word synonym as a phrase in any text field.
func (p plan) phraseQuery(s string) query.Query {
	if toks, _ := analyze(p.ix.analyzer(p.lang), s); len(toks) == 0 {
		return nil
	}
	var qs []query.Query
	for _, f := range textFields {
		m := query.NewMatchPhraseQuery(s)
		m.SetField(f.name)
		m.SetBoost(f.boost)
		qs = append(qs, m)
	}
	return query.NewDisjunctionQuery(qs)
}

// fuzziness is the edit distance allowed for a typed word, by runes:
// bleve's auto fuzziness counts bytes, which gives a 3-letter Arabic word 2.
func fuzziness(w string) int {
	switch n := runeLen(w); {
	case n < 4, n > maxFuzzyRunes:
		return 0
	case n < 8:
		return 1
	}
	return 2
}

// prefixTerms are the analyzed tokens to try as prefixes in languages with
// no stemmer (spitali finds spitalit). In Ethiopic script the last syllable
// changes its vowel before a suffix (ሆስፒታል, ሆስፒታላት), so it is dropped.
func prefixTerms(lang string, toks []string) []string {
	var out []string
	for _, t := range toks {
		r := []rune(t)
		if lang == "ti" && len(r) >= 4 {
			r = r[:len(r)-1]
		}
		if len(r) >= 3 && !slices.Contains(out, string(r)) {
			out = append(out, string(r))
		}
	}
	return out
}

// persianVariants strips the affixes that Persian writes joined, with a
// zero-width non-joiner or with a space (می‌خواهم, کتاب‌ها), so that a word
// typed without the non-joiner meets the indexed one. Tokens are already
// normalized (ی→ي).
func persianVariants(toks []string) []string {
	var out []string
	for _, t := range toks {
		for _, pre := range []string{"نمي", "مي"} {
			if rest, ok := strings.CutPrefix(t, pre); ok && runeLen(rest) >= 2 {
				out = append(out, rest)
				break
			}
		}
		for _, suf := range []string{"هايي", "هاي", "ها"} {
			if rest, ok := strings.CutSuffix(t, suf); ok && runeLen(rest) >= 2 {
				out = append(out, rest)
				break
			}
		}
	}
	return out
}

func (p plan) search(ctx context.Context, target bleve.Index, q query.Query) (*bleve.SearchResult, error) {
	var filters []query.Query
	for _, f := range [][2]string{{fSection, p.req.Section}, {fTopics, p.req.Topic}, {fAudience, p.req.Audience}} {
		if f[1] != "" {
			t := query.NewTermQuery(f[1])
			t.SetField(f[0])
			filters = append(filters, t)
		}
	}
	if len(filters) > 0 {
		b := query.NewBooleanQuery([]query.Query{q}, nil, nil)
		b.AddFilter(query.NewConjunctionQuery(filters))
		q = b
	}
	sr := bleve.NewSearchRequestOptions(q, p.size, p.from, false)
	sr.Fields = []string{fTitle, fSummary, fURL, fSection, fLang, fReviewed, fDate}
	sr.SortBy([]string{"-_score", "_id"}) // ties in a stable order, for paging
	sr.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
	sr.Highlight.AddField(fSummary)
	sr.Highlight.AddField(fBody)
	sr.AddFacet(fSection, bleve.NewFacetRequest(fSection, 10))
	sr.AddFacet(fTopics, bleve.NewFacetRequest(fTopics, 50))
	sr.AddFacet(fAudience, bleve.NewFacetRequest(fAudience, 5))
	res, err := target.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

func (r *Response) fill(res *bleve.SearchResult) {
	r.Total = int(res.Total)
	for _, m := range res.Hits {
		str := func(k string) string { s, _ := m.Fields[k].(string); return s }
		h := Hit{
			ID: m.ID, Lang: str(fLang), URL: str(fURL), Section: str(fSection),
			Title: str(fTitle), Summary: str(fSummary), Reviewed: str(fReviewed), Date: str(fDate),
			Score: m.Score,
		}
		h.Snippet = snippet(m.Fragments, h.Summary)
		r.Hits = append(r.Hits, h)
	}
	for name, f := range res.Facets {
		if f.Terms == nil {
			continue
		}
		var fs []Facet
		for _, t := range f.Terms.Terms() {
			fs = append(fs, Facet{Term: t.Term, Count: t.Count})
		}
		slices.SortFunc(fs, func(a, b Facet) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Term, b.Term)
		})
		r.Facets[name] = fs
	}
}

// snippet prefers a fragment with a match, body first; bleve's html
// highlighter has escaped the text around the <mark>s. A fragment that is
// not valid UTF-8 (offsets that cut a letter) is never shown.
func snippet(frags bsearch.FieldFragmentMap, summary string) template.HTML {
	for _, f := range []string{fBody, fSummary} {
		for _, s := range frags[f] {
			if strings.Contains(s, "<mark>") && utf8.ValidString(s) {
				return template.HTML(s)
			}
		}
	}
	if summary != "" {
		return template.HTML(html.EscapeString(summary))
	}
	if b := frags[fBody]; len(b) > 0 && utf8.ValidString(b[0]) {
		return template.HTML(b[0])
	}
	return ""
}
