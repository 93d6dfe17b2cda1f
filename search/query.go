package search

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	htmlhl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
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
	Query string // the cleaned query actually searched
	Total int    // the sum of the Parts' totals
	Page  int    // as used, after defaults and bounds
	Size  int
	Hits  []Hit
	// Parts are the steps that found the results, in the order their hits
	// are listed: the main step (StepExact or StepFuzzy), then, after a
	// weak answer, StepPartial and StepOtherLanguage.
	Parts []Part
	// Fuzzy: the main step found nothing exact; its results come from the
	// typo-tolerant retry.
	Fuzzy bool
	// Partial: some results (Step StepPartial) match only some of the words.
	Partial bool
	// Fallback: nothing in Request.Lang; every hit is from other languages.
	Fallback bool
	// TyposSkipped: Request.ExactOnly left out a typo retry that would have
	// run (fewer than a few exact results in the reader's language).
	TyposSkipped bool
	// Facets has "section", "topics" and "audience": terms with their
	// counts among the first step's results, sorted by count, then term.
	Facets map[string][]Facet
}

// Step says which step of a search found a hit; see the package
// documentation. Its values are stable words, also used in the JSON API.
type Step string

const (
	// StepExact: the main query in the reader's language. Every word of a
	// query of one to three words, most words of a longer one
	// (MinShouldMatch).
	StepExact Step = "exact"
	// StepFuzzy: the typo-tolerant retry of the main query, used when the
	// exact one found nothing.
	StepFuzzy Step = "fuzzy"
	// StepPartial: pages in the reader's language that match fewer words,
	// listed after a weak answer.
	StepPartial Step = "partial"
	// StepOtherLanguage: pages in other languages, listed after a weak
	// answer, or alone when the reader's language has nothing.
	StepOtherLanguage Step = "other-language"
)

// Part is one step's share of the results.
type Part struct {
	Step  Step
	Total int
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
	Step    Step // the step that found it
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
	fewHits          = 3  // fewer main hits than this is a weak answer
	maxFuzzyRunes    = 32 // longer words are not typed by hand: no fuzzy
	prefixBoost      = 0.5
	// After a weak answer that found something, at most this many partial
	// and other-language results are added: beyond them they are noise.
	maxAddedPartial = 10
	maxAddedOther   = 5
	proximityBoost  = 1.0 // two typed words side by side in a field
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

	words := strings.Fields(q)
	units := ix.syn[req.Lang].units(words) // a nil matcher finds no synonyms
	units = ix.dropFillers(req.Lang, units)
	p := plan{ix: ix, lang: req.Lang, units: units, typed: len(words), req: req, words: map[string]*wordAnalysis{}}
	w := window{from: (resp.Page - 1) * resp.Size, size: resp.Size}
	if w.from+w.size > maxWindow {
		w.from, w.size = 0, 0 // total and facets only
	}

	weak := true
	if own, ok := ix.idx[req.Lang]; ok {
		p.typos = !req.ExactOnly
		p.fuzz = ix.fuzz // own's fuzzy candidates are kept
		main, err := p.main(ctx, own, &w)
		if err != nil {
			return nil, err
		}
		if main != nil {
			resp.add(ix, main)
			resp.Fuzzy = main.fuzzy
			resp.TyposSkipped = req.ExactOnly && main.total < fewHits
			weak = main.total < fewHits || !main.complete
			if weak {
				cap := 0
				if main.total > 0 {
					cap = maxAddedPartial
				}
				// The typo retry of every word is costly: only when the
				// main step found nothing at all.
				if pt := p.partial(ctx, own, main.core, cap, p.typos && main.total == 0, &w); pt != nil && pt.total > 0 {
					resp.add(ix, pt)
					resp.Fuzzy = resp.Fuzzy || (main.total == 0 && pt.fuzzy)
				}
			}
		}
	}
	target, n := ix.all, len(ix.langs)
	if _, ok := ix.idx[req.Lang]; ok {
		target, n = ix.others[req.Lang], n-1
	}
	if weak && n > 0 { // bleve refuses to search an empty alias
		p.typos, p.fuzz = false, nil
		step := StepOtherLanguage
		if req.Lang == "" {
			step = StepExact
		}
		if resp.Total == 0 {
			// Nothing in the reader's language: the other languages'
			// results are the answer, paged as such.
			main, err := p.main(ctx, target, &w)
			if err != nil {
				return nil, err
			}
			if main != nil {
				main.step = step
				resp.add(ix, main)
				if main.total == 0 {
					if pt := p.partial(ctx, target, nil, 0, false, &w); pt != nil && pt.total > 0 {
						if req.Lang != "" {
							pt.step = step
						}
						resp.add(ix, pt)
						resp.Partial = true
					}
				}
				resp.Fallback = req.Lang != "" && resp.Total > 0
			}
		} else if core, _, _ := p.query(false, p.min()); core != nil {
			if r := p.extra(ctx, target, core, nil, maxAddedOther, &w); r != nil {
				r.step = step
				resp.add(ix, r)
			}
		}
	}
	return resp, nil
}

// window is the range of the merged result list that the page shows; off
// advances as parts are added.
type window struct{ from, size, off int }

// local is the range of a part of at most cap results (0: no cap) that
// falls in the window.
func (w *window) local(cap int) (from, size int) {
	from = max(0, w.from-w.off)
	end := w.from + w.size - w.off
	if cap > 0 {
		end = min(end, cap)
	}
	return from, max(0, end-from)
}

// part is one step's result.
type part struct {
	step     Step
	res      *bleve.SearchResult
	q        query.Query // the query that gave res, for the snippets
	total    int         // res.Total, capped
	core     query.Query // what it matched, to exclude from later parts
	fuzzy    bool        // found by the typo retry
	complete bool        // some page matches every unit
}

func (r *Response) add(ix *Index, pt *part) {
	if pt.total == 0 {
		return
	}
	if r.Total == 0 {
		r.fillFacets(pt.res)
	}
	r.Total += pt.total
	r.Parts = append(r.Parts, Part{Step: pt.step, Total: pt.total})
	if pt.step == StepPartial {
		r.Partial = true
	}
	r.fill(ix, pt)
}

// plan builds and runs the stages of one search against one target.
type plan struct {
	ix    *Index
	lang  string // the reader's language: analyzer and synonyms
	units []unit
	typed int // words typed, question words included
	req   Request
	// typos enables the typo retry. It is off for the other languages:
	// their analyzers differ from lang's, so the analyzed terms the retry
	// needs are not known, and a fuzzy search of every index is costly.
	typos bool
	// fuzz, when set, keeps the fuzzy queries' candidate terms: only for
	// the index of lang.
	fuzz *fuzzCache
	// words keeps each word's analyses for all the steps of the search: a
	// weak answer searches the fourteen other languages twice (main, then
	// partial), each analyzing the word with its analyzer.
	words map[string]*wordAnalysis
}

// analysis is w's shared analyses (sharedMatchQuery).
func (p plan) analysis(w string) *wordAnalysis {
	an := p.words[w]
	if an == nil {
		an = &wordAnalysis{}
		if p.words != nil {
			p.words[w] = an
		}
	}
	return an
}

// plain is p without the fuzzy cache: its queries are the ones excerpt.go's
// marker reads (it knows bleve's query types only).
func (p plan) plain() plan {
	p.fuzz = nil
	return p
}

// min is the minimum-should-match of the main step.
func (p plan) min() int {
	n := 0
	for _, u := range p.units {
		if q, _ := p.unitQuery(u, false); q != nil {
			n++
		}
	}
	return MinShouldMatch(n, p.typed)
}

// main runs the main query (all units, or most of a long query), ranked
// with a bonus for typed words side by side, then the typo retry if it found
// fewer than fewHits pages. It returns nil when every word is a stop word.
func (p plan) main(ctx context.Context, target bleve.Index, w *window) (*part, error) {
	m := p.min()
	core, n, _ := p.query(false, m)
	if core == nil {
		return nil, nil
	}
	from, size := w.local(0)
	ranked := core
	if p.typed > 3 {
		// A question: rank pages with the typed words side by side first.
		// A short query needs every word anyway, and phrase matching costs.
		ranked = p.withProximity(core)
	}
	res, err := p.search(ctx, target, ranked, from, size, true)
	if err != nil {
		return nil, err
	}
	pt := &part{step: StepExact, res: res, q: ranked, total: int(res.Total), core: core, complete: true}
	if pt.total >= fewHits && m < n {
		// Does any page match every unit? If not, the answer is weak.
		all, _, _ := p.query(false, 0)
		if r, err := p.search(ctx, target, all, 0, 0, false); err == nil {
			pt.complete = r.Total > 0
		}
	}
	// The retry of a long question costs an automaton per word and field;
	// when the main step found something, the partial results that follow
	// serve the reader better.
	if pt.total < fewHits && p.typos && (pt.total == 0 || p.typed <= 3) {
		if retry, _, differs := p.query(true, m); differs {
			r, err := p.search(ctx, target, retry, from, size, true)
			if err == nil && r.Total > res.Total {
				// Fuzzy tells the reader "no exact results": with one or
				// two exact hits, they still lead the list, and it is not
				// said.
				pt.fuzzy = res.Total == 0
				if pt.fuzzy {
					pt.step = StepFuzzy
				}
				mark := retry
				if p.fuzz != nil {
					mark, _, _ = p.plain().query(true, m)
				}
				pt.res, pt.q, pt.total, pt.core = r, mark, int(r.Total), retry
			} else if err != nil && res.Total == 0 && ctx.Err() != nil {
				return nil, err
			}
		}
	}
	w.off += pt.total
	return pt, nil
}

// partial finds pages matching at least one unit (more first: bleve's
// coordination factor) that exclude did not match; at most cap of them (0:
// no cap), with typo tolerance if retry. It needs two units or more.
func (p plan) partial(ctx context.Context, target bleve.Index, exclude query.Query, cap int, retry bool, w *window) *part {
	some, n, differs := p.query(retry, 1)
	if some == nil || n < 2 {
		return nil
	}
	pt := p.extra(ctx, target, some, exclude, cap, w)
	if pt != nil {
		pt.step, pt.fuzzy = StepPartial, differs
		if retry && p.fuzz != nil {
			// The marker reads only what must match, never the exclusion.
			pt.q, _, _ = p.plain().query(true, 1)
		}
	}
	return pt
}

// extra runs q minus exclude, for the part of the window after the results
// so far, at most cap results (0: no cap). A failure (deadline, term cap)
// leaves the results as they are: nil.
func (p plan) extra(ctx context.Context, target bleve.Index, q, exclude query.Query, cap int, w *window) *part {
	if exclude != nil {
		b := query.NewBooleanQuery([]query.Query{q}, nil, []query.Query{exclude})
		q = b
	}
	from, size := w.local(cap)
	res, err := p.search(ctx, target, q, from, size, w.off == 0) // facets of the first part with results
	if err != nil {
		return nil
	}
	total := int(res.Total)
	if cap > 0 {
		total = min(total, cap)
	}
	w.off += total
	return &part{res: res, q: q, total: total, core: q}
}

// query combines the units' queries: all of them (min 0), or at least min
// of them, more matching ranking first. n is the number of units that are
// not stop words; differs reports whether retry changed anything. q is nil
// when every unit is a stop word.
func (p plan) query(retry bool, min int) (q query.Query, n int, differs bool) {
	var qs []query.Query
	for _, u := range p.units {
		uq, d := p.unitQuery(u, retry)
		differs = differs || d
		if uq != nil {
			qs = append(qs, uq)
		}
	}
	switch {
	case len(qs) == 0:
		return nil, 0, differs
	case len(qs) == 1:
		return qs[0], 1, differs
	case min == 0 || min >= len(qs):
		return query.NewConjunctionQuery(qs), len(qs), differs
	}
	d := query.NewDisjunctionQuery(qs)
	d.SetMin(float64(min))
	return d, len(qs), differs
}

// withProximity adds to q an optional bonus for each pair of neighbouring
// typed words found side by side (stop words between them allowed) in the
// title, summary or body.
func (p plan) withProximity(q query.Query) query.Query {
	var spans []string
	prev := -1
	for i, u := range p.units {
		if len(u.alts) > 0 || len(u.words) != 1 {
			prev = -1
			continue
		}
		if toks, _ := analyze(p.ix.analyzer(p.lang), u.words[0]); len(toks) == 0 {
			continue // a stop word: a hole in the phrase
		}
		if prev >= 0 {
			var ws []string
			for _, v := range p.units[prev : i+1] {
				ws = append(ws, v.words...)
			}
			spans = append(spans, strings.Join(ws, " "))
		}
		prev = i
	}
	if len(spans) == 0 {
		return q
	}
	var should []query.Query
	for _, s := range spans {
		for _, f := range textFields {
			if f.name == fHeadings || f.name == fBody {
				continue // the body has no term vectors: no phrases
			}
			m := query.NewMatchPhraseQuery(s)
			m.SetField(f.name)
			m.SetBoost(f.boost * proximityBoost)
			should = append(should, m)
		}
	}
	return query.NewBooleanQuery([]query.Query{q}, should, nil)
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
// For the same reason the headings, which the body also holds, get no fuzzy
// or prefix queries: an automaton is built per word and field (about 200 KB
// for an Arabic-script word), for a boost, not a page more.
func (p plan) wordQuery(w string, retry bool) (query.Query, bool) {
	toks, surface := analyze(p.ix.analyzer(p.lang), w)
	if len(toks) == 0 {
		return nil, false
	}
	var qs []query.Query
	if !retry {
		an := p.analysis(w)
		for _, f := range textFields {
			m := query.NewMatchQuery(w)
			m.SetField(f.name)
			m.SetBoost(f.boost)
			qs = append(qs, &sharedMatchQuery{MatchQuery: m, an: an, fa: p.ix.fieldAn})
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
		for _, t := range exact {
			add(query.NewTermQuery(t), 1)
		}
		if f.name == fHeadings {
			continue // the body has them too: one automaton less per word
		}
		for _, t := range fuzzy {
			fq := query.NewFuzzyQuery(t)
			fq.SetFuzziness(min(fuzziness(w), fuzziness(t)))
			if p.fuzz != nil {
				add(&cachedFuzzyQuery{FuzzyQuery: fq, cache: p.fuzz, lang: p.lang}, 1)
			} else {
				add(fq, 1)
			}
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
		if f.name == fBody {
			// No term vectors, so no phrase: every word, anywhere.
			m := query.NewMatchQuery(s)
			m.SetOperator(query.MatchQueryOperatorAnd)
			m.SetField(f.name)
			m.SetBoost(f.boost)
			qs = append(qs, m)
			continue
		}
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

// search runs q for the hits from..from+size, with snippets, and with the
// facets if facets is set.
func (p plan) search(ctx context.Context, target bleve.Index, q query.Query, from, size int, facets bool) (*bleve.SearchResult, error) {
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
	own, single := p.ix.idx[p.lang]
	single = single && target == own && !p.ix.facets.off
	// One language's index counts its facets from its table (facets.go)
	// and its hits' fields are read by kb (load.go).
	var fc *facetCount
	if single && facets {
		if t := p.ix.facets.get(p.lang, own); t != nil {
			fc = newFacetCount(t)
		}
	}
	if single && (fc != nil || !facets) {
		sr := bleve.NewSearchRequestOptions(q, size, from, false)
		if size > 0 {
			sr.SortBy([]string{"-_score", "_id"}) // ties in a stable order, for paging
			sr.IncludeLocations = true            // for the summary's highlight
		}
		c := ctx
		if fc != nil {
			c = fc.context(ctx)
		}
		res, err := target.SearchInContext(c, sr)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if (fc == nil || !fc.bad) && loadHits(own, res.Hits) {
			if fc != nil {
				res.Facets = fc.results()
			}
			res.Request = sr // marks the summaries as not highlighted yet: fill
			return res, nil
		}
	}
	sr := bleve.NewSearchRequestOptions(q, size, from, false)
	if size > 0 {
		sr.Fields = hitFields
		sr.SortBy([]string{"-_score", "_id"}) // ties in a stable order, for paging
		sr.Highlight = bleve.NewHighlightWithStyle(htmlhl.Name)
		sr.Highlight.AddField(fSummary) // the body's snippet: excerpt.go
	}
	if facets {
		for _, f := range facetFields {
			sr.AddFacet(f.name, bleve.NewFacetRequest(f.name, f.size))
		}
	}
	res, err := target.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

func (r *Response) fill(ix *Index, pt *part) {
	markers := map[string]*marker{} // by the hit's language: its analyzer
	// search read the hits' fields itself and left the summaries to
	// highlight (load.go).
	deferred := pt.res.Request != nil && pt.res.Request.Highlight == nil
	for _, m := range pt.res.Hits {
		str := func(k string) string { s, _ := m.Fields[k].(string); return s }
		h := Hit{
			ID: m.ID, Lang: str(fLang), URL: str(fURL), Section: str(fSection),
			Title: str(fTitle), Summary: str(fSummary), Reviewed: str(fReviewed), Date: str(fDate),
			Score: m.Score, Step: pt.step,
		}
		var body []string
		if text := str(fExcerpt); text != "" {
			mk := markers[h.Lang]
			if mk == nil {
				mk = newMarker(ix.analyzer(h.Lang), pt.q)
				markers[h.Lang] = mk
			}
			body = []string{fragment(text, mk.spans(text))}
		}
		if deferred && !(len(body) > 0 && marked(body[0])) {
			// The snippet is the summary's, or needs to know it has no
			// match: highlight it as bleve would have.
			summaryFragments(m)
		}
		frags := m.Fragments
		if body != nil {
			if frags == nil {
				frags = bsearch.FieldFragmentMap{}
			}
			frags[fBody] = body
		}
		h.Snippet = snippet(frags, h.Summary)
		r.Hits = append(r.Hits, h)
	}
}

func (r *Response) fillFacets(res *bleve.SearchResult) {
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

// marked: a fragment snippet may show for its match.
func marked(s string) bool {
	return strings.Contains(s, "<mark>") && utf8.ValidString(s)
}

// snippet prefers a fragment with a match, body first; bleve's html
// highlighter has escaped the text around the <mark>s. A fragment that is
// not valid UTF-8 (offsets that cut a letter) is never shown.
func snippet(frags bsearch.FieldFragmentMap, summary string) template.HTML {
	for _, f := range []string{fBody, fSummary} {
		for _, s := range frags[f] {
			if marked(s) {
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

// sharedMatchQuery is a MatchQuery whose analysis it shares with the same
// word's queries in the other text fields: they have one analyzer per
// index, and analyzing each word once per field was about 4 % of an exact
// search. It builds the searcher MatchQuery builds (one term query per
// token, any of them, with the query's boost).
type sharedMatchQuery struct {
	*query.MatchQuery
	an *wordAnalysis
	fa *fieldAnalyzers // nil: ask the mapping each time
}

// fieldAnalyzers keeps each index mapping's analyzer per field: asking the
// mapping (AnalyzerNameForPath walks its document mappings) was about 4 %
// of a weak answer's search, four fields in fifteen indexes per word. An
// index's mapping never changes while it is open.
type fieldAnalyzers struct {
	mu sync.RWMutex
	m  map[fieldAnalyzerKey]fieldAnalyzer
}

type fieldAnalyzerKey struct {
	m     mapping.IndexMapping
	field string
}

type fieldAnalyzer struct {
	name string
	a    analysis.Analyzer
}

func (fa *fieldAnalyzers) get(m mapping.IndexMapping, field string) (string, analysis.Analyzer) {
	if fa == nil {
		name := m.AnalyzerNameForPath(field)
		return name, m.AnalyzerNamed(name)
	}
	k := fieldAnalyzerKey{m, field}
	fa.mu.RLock()
	v, ok := fa.m[k]
	fa.mu.RUnlock()
	if !ok {
		v.name = m.AnalyzerNameForPath(field)
		v.a = m.AnalyzerNamed(v.name)
		fa.mu.Lock()
		fa.m[k] = v
		fa.mu.Unlock()
	}
	return v.name, v.a
}

// wordAnalysis keeps a word's tokens per analyzer; the searches of several
// indexes (an alias) may use it at once.
type wordAnalysis struct {
	mu sync.Mutex
	by map[string][]string
}

func (w *wordAnalysis) tokens(name string, a analysis.Analyzer, text string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ts, ok := w.by[name]; ok {
		return ts
	}
	var ts []string
	for _, t := range a.Analyze([]byte(text)) {
		ts = append(ts, string(t.Term))
	}
	if w.by == nil {
		w.by = map[string][]string{}
	}
	w.by[name] = ts
	return ts
}

func (q *sharedMatchQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if q.FieldVal == "" || q.Analyzer != "" || q.Fuzziness != 0 || q.Prefix != 0 || q.Operator != query.MatchQueryOperatorOr {
		return q.MatchQuery.Searcher(ctx, i, m, options) // not the kind kb makes
	}
	name, a := q.fa.get(m, q.FieldVal)
	if a == nil {
		return q.MatchQuery.Searcher(ctx, i, m, options)
	}
	toks := q.an.tokens(name, a, q.Match)
	if len(toks) == 0 {
		return query.NewMatchNoneQuery().Searcher(ctx, i, m, options)
	}
	tqs := make([]query.Query, len(toks))
	for k, t := range toks {
		tq := query.NewTermQuery(t)
		tq.SetField(q.FieldVal)
		tq.SetBoost(q.BoostVal.Value())
		tqs[k] = tq
	}
	d := query.NewDisjunctionQuery(tqs)
	d.SetMin(1)
	d.SetBoost(q.BoostVal.Value())
	return d.Searcher(ctx, i, m, options)
}
