package search

import (
	"bytes"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fa"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/nl"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/lang/ro"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/lang/tr"
	"github.com/blevesearch/bleve/v2/analysis/token/apostrophe"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// An analyzerDef is one language's analysis chain. The order is always:
// char filters, unicode tokenizer, first, own lower, NFKC, runes, pre,
// then the stemmer wrapped in the dual fold (or the fold alone), then stop.
type analyzerDef struct {
	chars []string            // stock char filters
	first []string            // stock token filters that must see the original case
	runes map[rune]rune       // language-specific letter mapping before pre
	pre   []string            // stock token filters (elision, stop, normalizers)
	stem  string              // stock stemmer; "" means no stemmer exists
	post  func([]byte) []byte // applied to each stem
	stop  []string            // own stop list, compared after folding
}

// analyzerDefs are registered with bleve under these names in init, so that
// an index written by Build opens in any process that imports this package.
var analyzerDefs = map[string]analyzerDef{
	"kb_en": {first: []string{en.PossessiveName}, pre: []string{en.StopName}, stem: porter.Name},
	"kb_fr": {pre: []string{fr.ElisionName, fr.StopName}, stem: fr.LightStemmerName},
	"kb_nl": {pre: []string{nl.StopName}, stem: nl.SnowballStemmerName, post: nlUndouble},
	"kb_es": {pre: []string{es.StopName, es.NormalizeName}, stem: es.LightStemmerName},
	"kb_pt": {pre: []string{pt.StopName}, stem: pt.LightStemmerName},
	// The Snowball Romanian stemmer and stop list spell ş ţ with a cedilla;
	// current Romanian text uses the comma below (ș ț).
	"kb_ro": {runes: map[rune]rune{'ș': 'ş', 'ț': 'ţ'}, pre: []string{ro.StopName}, stem: ro.SnowballStemmerName},
	"kb_ru": {pre: []string{ru.StopName}, stem: ru.SnowballStemmerName},
	"kb_tr": {first: []string{apostrophe.Name}, pre: []string{tr.StopName}, stem: tr.SnowballStemmerName},
	"kb_ar": {pre: []string{ar.StopName, ar.NormalizeName}, stem: ar.StemmerName},
	"kb_fa": {chars: []string{zwnjName}, pre: []string{ar.NormalizeName, fa.NormalizeName, fa.StopName}},
	"kb_uk": {stop: ukStop},
	"kb_sq": {stop: sqStop},
	// Pashto letters that are written (or typed on Persian/Arabic keyboards)
	// in several ways are mapped to one form before the Arabic and Persian
	// normalizers.
	"kb_ps": {chars: []string{zwnjName}, runes: map[rune]rune{'ګ': 'گ', 'ې': 'ی', 'ۍ': 'ی', 'ك': 'ک'},
		pre: []string{ar.NormalizeName, fa.NormalizeName}, stop: psStop},
	"kb_ti":      {stop: tiStop},
	"kb_generic": {},
}

// langAnalyzer maps a kb language code to its analyzer. Codes not listed
// (a language added later) get kb_generic.
var langAnalyzer = map[string]string{
	"en": "kb_en", "fr": "kb_fr", "nl": "kb_nl", "es": "kb_es", "pt": "kb_pt",
	"ro": "kb_ro", "ru": "kb_ru", "tr": "kb_tr", "ar": "kb_ar",
	"fa": "kb_fa", "prs": "kb_fa", // Dari is written like Persian
	"uk": "kb_uk", "sq": "kb_sq", "ps": "kb_ps", "ti": "kb_ti",
}

func analyzerFor(lang string) string {
	if a, ok := langAnalyzer[lang]; ok {
		return a
	}
	return "kb_generic"
}

// stemless reports whether lang's analyzer has no stemmer, so the typo retry
// also tries the typed words as prefixes.
func stemless(lang string) bool {
	return analyzerDefs[analyzerFor(lang)].stem == ""
}

// zwnjName is a char filter that splits words at the zero-width non-joiner,
// as bleve's zero_width_spaces does, but replaces it with three spaces
// instead of one: the text keeps its length in bytes, so that token offsets
// are those of the original text and highlights never cut a letter.
const zwnjName = "kb_zwnj"

type zwnjFilter struct{}

func (zwnjFilter) Filter(input []byte) []byte {
	return bytes.ReplaceAll(input, []byte("\u200c"), []byte("   "))
}

func init() {
	err := registry.RegisterCharFilter(zwnjName, func(map[string]any, *registry.Cache) (analysis.CharFilter, error) {
		return zwnjFilter{}, nil
	})
	if err != nil {
		panic(err)
	}
	for name, def := range analyzerDefs {
		err := registry.RegisterAnalyzer(name, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
			return def.build(cache)
		})
		if err != nil {
			panic(err)
		}
	}
}

func (d analyzerDef) build(cache *registry.Cache) (analysis.Analyzer, error) {
	a := &analysis.DefaultAnalyzer{}
	for _, name := range d.chars {
		f, err := cache.CharFilterNamed(name)
		if err != nil {
			return nil, err
		}
		a.CharFilters = append(a.CharFilters, f)
	}
	a.Tokenizer = newWordTokenizer() // bleve's unicode tokenizer, cheaper: tokenizer.go
	named := func(names []string) error {
		for _, name := range names {
			f, err := cache.TokenFilterNamed(name)
			if err != nil {
				return err
			}
			a.TokenFilters = append(a.TokenFilters, f)
		}
		return nil
	}
	if err := named(d.first); err != nil {
		return nil, err
	}
	a.TokenFilters = append(a.TokenFilters, lowerFilter{}, unicodenorm.MustNewUnicodeNormalizeFilter(unicodenorm.NFKC))
	if d.runes != nil {
		a.TokenFilters = append(a.TokenFilters, runeMapFilter(d.runes))
	}
	if err := named(d.pre); err != nil {
		return nil, err
	}
	if d.stem != "" {
		s, err := cache.TokenFilterNamed(d.stem)
		if err != nil {
			return nil, err
		}
		a.TokenFilters = append(a.TokenFilters, dualFilter{stem: s, post: d.post})
	} else {
		a.TokenFilters = append(a.TokenFilters, foldFilter{})
	}
	if len(d.stop) > 0 {
		// Stop words are written naturally; pass them through the chain
		// so that they compare with what the chain produces.
		m := analysis.NewTokenMap()
		for _, w := range d.stop {
			for _, t := range a.Analyze([]byte(w)) {
				m.AddToken(string(t.Term))
			}
		}
		a.TokenFilters = append(a.TokenFilters, stop.NewStopTokensFilter(m))
	}
	return &memoAnalyzer{a: a, m: map[string][]memoForm{}}, nil
}

// memoAnalyzer is a DefaultAnalyzer that remembers what its token filters
// make of each word. Every filter of the chains above acts on one token at
// a time (lower, NFKC, letter maps, elision, normalizers, stemmers, stop
// words: none looks at a neighbour), so the terms a word becomes depend on
// the word alone, and a site's words repeat: running the chain once per
// distinct word instead of once per occurrence was most of the analysis
// of the index build (stemming each word twice alone was a quarter of it).
// The output is the DefaultAnalyzer's, token for token. The memo stops
// growing at memoMax words (about 8 MB), so that a server fed made-up words
// keeps its memory; a site's frequent words come first. Nothing downstream
// writes to a token's term, so the remembered terms are shared.
type memoAnalyzer struct {
	a  *analysis.DefaultAnalyzer
	mu sync.Mutex
	m  map[string][]memoForm // by the tokenizer's term, for AlphaNumeric tokens
}

const memoMax = 1 << 15

// A memoForm is one token the chain makes of a word, at the word's position
// and offsets.
type memoForm struct {
	term    []byte
	typ     analysis.TokenType
	keyWord bool
}

func (ma *memoAnalyzer) Analyze(input []byte) analysis.TokenStream {
	for _, cf := range ma.a.CharFilters {
		input = cf.Filter(input)
	}
	tokens := ma.a.Tokenizer.Tokenize(input)
	var out analysis.TokenStream
	for i, t := range tokens {
		forms, ok := ma.lookup(t)
		if !ok {
			forms, ok = ma.fill(t)
		}
		if !ok {
			// A form that would not be the same at every occurrence:
			// analyze the rest as the DefaultAnalyzer does.
			rest := tokens[i:]
			for _, tf := range ma.a.TokenFilters {
				rest = tf.Filter(rest)
			}
			return append(out, rest...)
		}
		if out == nil {
			out = make(analysis.TokenStream, 0, len(tokens)+len(tokens)/2)
		}
		for j, f := range forms {
			t2 := t
			if j > 0 {
				t2 = new(analysis.Token)
				*t2 = *t
			}
			t2.Term, t2.Type, t2.KeyWord = f.term, f.typ, f.keyWord
			out = append(out, t2)
		}
	}
	if out == nil {
		return tokens[:0]
	}
	return out
}

func (ma *memoAnalyzer) lookup(t *analysis.Token) ([]memoForm, bool) {
	if t.Type != analysis.AlphaNumeric || t.KeyWord {
		return nil, false
	}
	ma.mu.Lock()
	forms, ok := ma.m[string(t.Term)]
	ma.mu.Unlock()
	return forms, ok
}

// fill runs the chain on t alone and remembers the forms it makes. It
// reports false, remembering nothing, when a filter moved a token away from
// t's position or offsets, which no filter of this package's chains does.
func (ma *memoAnalyzer) fill(t *analysis.Token) ([]memoForm, bool) {
	one := *t
	one.Term = bytes.Clone(t.Term) // the text stays the caller's
	s := analysis.TokenStream{&one}
	for _, tf := range ma.a.TokenFilters {
		s = tf.Filter(s)
	}
	forms := make([]memoForm, len(s))
	for i, o := range s {
		if o.Start != t.Start || o.End != t.End || o.Position != t.Position {
			return nil, false
		}
		forms[i] = memoForm{term: o.Term, typ: o.Type, keyWord: o.KeyWord}
	}
	if t.Type == analysis.AlphaNumeric && !t.KeyWord {
		ma.mu.Lock()
		if len(ma.m) < memoMax {
			ma.m[string(t.Term)] = forms
		}
		ma.mu.Unlock()
	}
	return forms, true
}

// lowerFilter lower-cases by rune. bleve's to_lower corrupts the bytes after
// a rune whose lower case is shorter (İ), which breaks Turkish.
type lowerFilter struct{}

func (lowerFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = bytes.ToLower(t.Term)
	}
	return input
}

type runeMapFilter map[rune]rune

func (m runeMapFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = bytes.Map(func(r rune) rune {
			if s, ok := m[r]; ok {
				return s
			}
			return r
		}, t.Term)
	}
	return input
}

// foldFilter removes diacritics per token. It is a token filter, unlike
// bleve's asciifolding char filter, so highlight offsets stay right.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = fold(t.Term)
	}
	return input
}

// dualFilter emits, at the same position, the folded word, fold(stem(t))
// and stem(fold(t)), without repeats. Stemmers know the accented forms
// (aiguë, sănătății, hastalığı) but readers type them without accents;
// emitting both stems on both sides of the search makes either spelling meet
// the other. The folded word itself (Elasticsearch's keyword_repeat) ranks
// the typed form first and lets the typo retry work on whole words: the
// light French stemmer cuts régularisation to "regula", out of reach of one
// typo in the suffix.
type dualFilter struct {
	stem analysis.TokenFilter
	post func([]byte) []byte
}

func (f dualFilter) forms(term []byte) (folded, a, b []byte) {
	folded = fold(term)
	return folded, fold(f.stemOne(term)), f.stemOne(folded)
}

func (f dualFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, 2*len(input))
	for _, t := range input {
		folded, a, b := f.forms(t.Term)
		t.Term = folded
		out = append(out, t)
		if !bytes.Equal(a, folded) {
			out = append(out, sameAt(t, a))
		}
		if !bytes.Equal(b, folded) && !bytes.Equal(b, a) {
			out = append(out, sameAt(t, b))
		}
	}
	return out
}

// sameAt is a token with term at t's position and offsets.
func sameAt(t *analysis.Token, term []byte) *analysis.Token {
	t2 := *t
	t2.Term = term
	return &t2
}

func (f dualFilter) stemOne(term []byte) []byte {
	t := &analysis.Token{Term: append([]byte(nil), term...), Type: analysis.AlphaNumeric}
	s := f.stem.Filter(analysis.TokenStream{t})
	if len(s) != 1 {
		return term
	}
	if f.post != nil {
		return f.post(s[0].Term)
	}
	return s[0].Term
}

// nlUndouble restores the consonant that Dutch spelling changes before a
// vowel (huizen/huis, brieven/brief), which the Snowball stemmer leaves.
func nlUndouble(stem []byte) []byte {
	if n := len(stem); n > 3 {
		switch stem[n-1] {
		case 'z':
			stem[n-1] = 's'
		case 'v':
			stem[n-1] = 'f'
		}
	}
	return stem
}

// fold maps a lower-cased term to its form without diacritics: Latin letters
// as bleve's asciifolding does (é→e, ı→i, ș→s, ß→ss), combining marks of the
// Latin, Cyrillic, Arabic and Ethiopic scripts removed (harakat, hamza
// above/below: أ→ا, ؤ→و), ё→е, ї→і, ґ→г, and apostrophes to '. It keeps й,
// a letter of its own in Russian and Ukrainian. ASCII input is returned as is.
func fold(term []byte) []byte {
	i := 0
	for i < len(term) && term[i] < utf8.RuneSelf {
		i++
	}
	if i == len(term) {
		return term
	}
	out := make([]byte, i, len(term)+4)
	copy(out, term[:i])
	for _, r := range string(term[i:]) {
		out = appendFolded(out, r)
	}
	return out
}

func appendFolded(out []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		return append(out, byte(r))
	case r == 'й' || r == 'Й':
		return utf8.AppendRune(out, r)
	case isFoldMark(r):
		return out
	}
	if s, ok := foldSpecial[r]; ok {
		return append(out, s...)
	}
	if r < rune(len(latinFold)) && latinFold[r] != "" {
		return append(out, latinFold[r]...)
	}
	if r >= 0x1E00 && r <= 0x1EFF {
		if s := latinExtFold[r-0x1E00]; s != "" {
			return append(out, s...)
		}
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFD.Properties(buf[:n]).Decomposition(); d != nil {
		for _, dr := range string(d) {
			if !isFoldMark(dr) {
				out = utf8.AppendRune(out, dr)
			}
		}
		return out
	}
	return append(out, buf[:n]...)
}

var foldSpecial = map[rune]string{
	'ё': "е", 'ґ': "г", 'ٱ': "ا",
	'’': "'", '‘': "'", 'ʼ': "'",
}

// isFoldMark reports combining marks that carry diacritics in the scripts
// kb serves. Marks of other scripts (Indic vowel signs) are letters' parts
// and are kept.
func isFoldMark(r rune) bool {
	switch {
	case r >= 0x0300 && r <= 0x036F, // combining diacritical marks
		r >= 0x0483 && r <= 0x0489, // Cyrillic
		r >= 0x0610 && r <= 0x061A, r >= 0x064B && r <= 0x065F, r == 0x0670,
		r >= 0x06D6 && r <= 0x06ED, r >= 0x08D3 && r <= 0x08FF, // Arabic
		r >= 0x135D && r <= 0x135F, // Ethiopic
		r >= 0x1AB0 && r <= 0x1AFF, r >= 0x1DC0 && r <= 0x1DFF,
		r >= 0x20D0 && r <= 0x20FF, r >= 0xFE20 && r <= 0xFE2F:
		return true
	}
	return false
}

// latinFold and latinExtFold hold asciifolding's mapping of the Latin
// blocks, computed once.
var latinFold, latinExtFold = func() ([]string, []string) {
	af := asciifolding.New()
	one := func(r rune) string {
		s := string(r)
		if f := string(af.Filter([]byte(s))); f != s {
			return f
		}
		return ""
	}
	a := make([]string, 0x250)
	for r := rune(0x80); r < 0x250; r++ {
		a[r] = one(r)
	}
	b := make([]string, 0x100)
	for r := rune(0x1E00); r <= 0x1EFF; r++ {
		b[r-0x1E00] = one(r)
	}
	return a, b
}()

// foldString lower-cases and folds s as the analyzers do, for comparing
// synonyms with typed words.
func foldString(s string) string {
	return string(fold(bytes.ToLower([]byte(s))))
}

// analyze runs an analyzer and returns the terms; used to drop stop words
// from queries and to get the terms of the typo retry. surface[i] reports
// whether term i is the first at its position: the folded word, before any
// stemming.
func analyze(a analysis.Analyzer, s string) (terms []string, surface []bool) {
	last := -1
	for _, t := range a.Analyze([]byte(s)) {
		terms = append(terms, string(t.Term))
		surface = append(surface, t.Position != last)
		last = t.Position
	}
	return terms, surface
}

// Own stop lists for the languages bleve has none for: short, only words
// that carry no meaning in a search.
var (
	ukStop = []string{"і", "й", "та", "а", "в", "у", "на", "з", "із", "зі", "до", "що", "не", "це", "як", "за",
		"для", "від", "по", "або", "але", "чи", "ж", "же", "би", "б", "то", "при", "про", "під", "над", "є"}
	sqStop = []string{"dhe", "në", "të", "i", "e", "për", "me", "nga", "një", "që", "është", "janë", "së",
		"ka", "se", "si", "nuk", "do", "po", "u", "ose", "por", "edhe", "kur", "ku", "ky", "kjo", "këtë", "atë"}
	psStop = []string{"د", "او", "په", "چې", "له", "ته", "کې", "دې", "دا", "هم", "یو", "څخه", "سره", "لپاره", "یا", "خو"}
	tiStop = []string{"ናይ", "ኣብ", "ካብ", "ምስ", "ናብ", "እዩ", "እቲ", "ከም", "ወይ", "ግን"}
)
