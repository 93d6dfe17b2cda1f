package search

import (
	"html"
	"html/template"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

// TestSnippet: a fragment with a match, body first; never one that is not
// valid UTF-8 (offsets that cut a letter); else the summary, escaped.
func TestSnippet(t *testing.T) {
	cut := "…\xd8<mark>المستشفى</mark>"
	tests := []struct {
		name    string
		frags   bsearch.FieldFragmentMap
		summary string
		want    template.HTML
	}{
		{"body match first", bsearch.FieldFragmentMap{fBody: {"no match", "a <mark>b</mark>"}, fSummary: {"<mark>s</mark>"}}, "s", "a <mark>b</mark>"},
		{"summary match", bsearch.FieldFragmentMap{fBody: {"no match"}, fSummary: {"<mark>s</mark>"}}, "s", "<mark>s</mark>"},
		{"cut letter skipped", bsearch.FieldFragmentMap{fBody: {cut}, fSummary: {"x <mark>المستشفى</mark>"}}, "x", "x <mark>المستشفى</mark>"},
		{"cut letter, no other: summary escaped", bsearch.FieldFragmentMap{fBody: {cut}}, "a < b", "a &lt; b"},
		{"cut letter, no summary: nothing", bsearch.FieldFragmentMap{fBody: {"\xd8 text"}}, "", ""},
		{"no match, no summary: body start", bsearch.FieldFragmentMap{fBody: {"text"}}, "", "text"},
	}
	for _, tc := range tests {
		if got := snippet(tc.frags, tc.summary); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestFragment: the window with the most matches, marked and escaped, cut
// with "…"; no match gives the start of the text.
func TestFragment(t *testing.T) {
	long := strings.Repeat("mot ", 60)
	tests := []struct {
		name  string
		text  string
		spans []span
		want  string
	}{
		{"short, escaped", "a <b> c", []span{{0, 1}}, "<mark>a</mark> &lt;b&gt; c"},
		{"no match", "x & y", nil, "x &amp; y"},
		// A heading, a list item or a table cell does not run into the
		// next block: the newline between them is set off.
		{"heading set off", "Pour les urgences\nLe nom est ici.\nUn\n\nDeux", nil, "Pour les urgences · Le nom est ici. Un · Deux"},
		{"heading marked", "Pour les urgences\n\nLe nom", []span{{9, 17}}, "Pour les <mark>urgences</mark> · Le nom"},
		{"mark after a sentence", "Il est ouvert.\nHôpital", []span{{15, 23}}, "Il est ouvert. <mark>Hôpital</mark>"},
		{"mark after a heading", "Urgences\n\nHôpital", []span{{10, 18}}, "Urgences · <mark>Hôpital</mark>"},
		{"tigrinya preface colon", "ትኽእሉ ኢኹም፦\nኣብ", nil, "ትኽእሉ ኢኹም፦ ኣብ"},
		{"arabic heading", "المساعدة الطبية العاجلة\nمن يدفع؟\nالمركز", nil, "المساعدة الطبية العاجلة · من يدفع؟ المركز"},
		{"no match, cut at a word", strings.Repeat("santé ", 40) + "fin", nil, strings.TrimSpace(strings.Repeat("santé ", 33)) + "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fragment(tc.text, tc.spans); got != tc.want {
				t.Errorf("fragment:\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
	// Two matches side by side beat one alone; the window is centred on
	// them and cut on both sides.
	text := long + "aa bb " + long + "aa"
	got := fragment(text, []span{{240, 242}, {243, 245}, {len(text) - 2, len(text)}})
	plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
	before, after, ok := strings.Cut(got, "<mark>aa</mark> <mark>bb</mark>")
	switch {
	case !ok || strings.Count(got, "<mark>") != 2:
		t.Errorf("most matches: %q", got)
	case !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…"):
		t.Errorf("no … where the text is cut: %q", got)
	case utf8.RuneCountInString(plain) > fragmentRunes+2 || utf8.RuneCountInString(plain) < fragmentRunes+2-2*len("mot"):
		// the window, cut back to whole words, and two "…"
		t.Errorf("%d runes, want %d less up to a word on each side: %q", utf8.RuneCountInString(plain), fragmentRunes+2, got)
	case len(before) < 80 || len(after) < 80:
		t.Errorf("not centred: %q", got)
	}
}

// TestWithinEdits: Levenshtein in runes, a swap counting one.
func TestWithinEdits(t *testing.T) {
	tests := []struct {
		a, b string
		k    int
		want bool
	}{
		{"urgnete", "urgente", 1, true},
		{"pharmacei", "pharmacie", 1, true},
		{"hopital", "hopitaux", 1, false},
		{"hopital", "hopitaux", 2, true},
		{"ሆስፒታል", "ሆስፒታላት", 2, true},
		{"abc", "abcdef", 2, false},
	}
	for _, tc := range tests {
		if got := withinEdits([]rune(tc.a), []rune(tc.b), tc.k); got != tc.want {
			t.Errorf("withinEdits(%q, %q, %d) = %v", tc.a, tc.b, tc.k, got)
		}
	}
}

// TestWithinEditsBand: the banded distance decides as the whole table
// does (fullEdits), for every pair of short words over a small alphabet,
// with one marker reused throughout as a search reuses it (its rows hold
// the last pair's cells).
func TestWithinEditsBand(t *testing.T) {
	var words [][]rune
	var gen func(w []rune)
	gen = func(w []rune) {
		words = append(words, slices.Clone(w))
		if len(w) < 5 {
			for _, r := range "abc" {
				gen(append(w, r))
			}
		}
	}
	gen(nil)
	m := new(marker)
	n := 0
	for _, a := range words {
		for _, b := range words {
			for k := 1; k <= 2; k++ {
				if got, want := m.withinEdits(a, b, k), fullEdits(a, b) <= k; got != want {
					t.Fatalf("withinEdits(%q, %q, %d) = %v, the whole table says %v", string(a), string(b), k, got, want)
				}
				n++
			}
		}
	}
	t.Logf("%d pairs", n)
}

// TestMaybeWithin: the letter masks never rule out a pair within k edits,
// over random words of letters that share mask bits (a and !, é and ኡ),
// and they rule most unrelated pairs out.
func TestMaybeWithin(t *testing.T) {
	letters := []rune("ab!cdé\u12a1xyz")
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() []rune {
		w := make([]rune, 1+rng.IntN(9))
		for i := range w {
			w[i] = letters[rng.IntN(len(letters))]
		}
		return w
	}
	near, out := 0, 0
	for range 200000 {
		a := word()
		b := word()
		if rng.IntN(2) == 0 { // a few edits of a
			b = slices.Clone(a)
			for range 1 + rng.IntN(3) {
				if i := rng.IntN(len(b)); rng.IntN(2) == 0 && i+1 < len(b) {
					b[i], b[i+1] = b[i+1], b[i]
				} else {
					b[i] = letters[rng.IntN(len(letters))]
				}
			}
		}
		for k := 1; k <= 2; k++ {
			ok := maybeWithin(letterMask(a), letterMask(b), k)
			if fullEdits(a, b) <= k {
				near++
				if !ok {
					t.Fatalf("maybeWithin rules out %q, %q within %d", string(a), string(b), k)
				}
			} else if !ok {
				out++
			}
		}
	}
	if near == 0 || out == 0 {
		t.Fatalf("near %d, ruled out %d: the test tests nothing", near, out)
	}
	t.Logf("%d pairs within k, %d ruled out", near, out)
}

// fullEdits is the edit distance with swaps, the whole table, no cut-off.
func fullEdits(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := d[i-1][j-1]
			if a[i-1] != b[j-1] {
				c = 1 + min(c, d[i-1][j], d[i][j-1])
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				c = min(c, d[i-2][j-2]+1)
			}
			d[i][j] = c
		}
	}
	return d[len(a)][len(b)]
}

// TestExcerpt: at most excerptBytes, cut between words, never inside a
// letter; a short body is kept whole.
func TestExcerpt(t *testing.T) {
	for _, word := range []string{"santé ", "ሆስፒታል ", "المستشفى "} {
		body := strings.Repeat(word, 1000)
		e := excerpt(body)
		if len(e) > excerptBytes || len(e) < excerptBytes-len(word) || !utf8.ValidString(e) || !strings.HasPrefix(body, e) || !strings.HasSuffix(e+" ", word) {
			t.Errorf("%q: excerpt of %d bytes ends %q", word, len(e), e[max(0, len(e)-20):])
		}
	}
	if e := excerpt("court"); e != "court" {
		t.Errorf("short body: %q", e)
	}
}

// TestFragmentWords: a window cut inside the text starts and ends on whole
// words, in every script: Latin with elisions, Arabic, Persian with its
// zero-width non-joiner inside words, Tigrinya with spaces and the Ethiopic
// wordspace ፡. Whatever the match's place, the fragment keeps its mark,
// its "…" and at most fragmentRunes runes.
func TestFragmentWords(t *testing.T) {
	tests := []struct {
		name, sentence, match string
	}{
		{"fr", "Le CPAS paie l'aide médicale urgente depuis longtemps pour les personnes sans titre de séjour, après l'enquête sociale du CPAS ou de l'OCMW. ", "enquête"},
		{"ar", "يدفع المركز العام للرعاية الاجتماعية تكاليف المساعدة الطبية العاجلة للأشخاص الذين ليس لديهم إقامة، بعد البحث الاجتماعي فقط. ", "البحث"},
		{"fa", "مرکز خدمات اجتماعی هزینه\u200cهای کمک پزشکی فوری را برای کسانی که اجازه\u200cی اقامت ندارند، پس از بررسی اجتماعی در بیمارستان\u200cها می\u200cپردازد. ", "بررسی"},
		{"ti", "ሲ.ፒ.ኤ.ኤስ ናይ ህጹጽ ሕክምናዊ ሓገዝ ወጻኢታት፡ንዘይብሎም ሰባት ይኸፍል፣ ድሕሪ ማሕበራዊ መጽናዕቲ ኣብ ሆስፒታላት ክኸዱ ይኽእሉ። ", "መጽናዕቲ"},
	}
	sep := func(r rune) bool { return unicode.IsSpace(r) || r == '፡' }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			words := map[string]bool{}
			for _, w := range strings.FieldsFunc(tc.sentence, sep) {
				words[w] = true
			}
			text := strings.Repeat(tc.sentence, 12)
			// Each occurrence of the match in turn, so that the window's
			// edges fall in many places.
			for i, from := 0, 0; ; i++ {
				at := strings.Index(text[from:], tc.match)
				if at < 0 {
					break
				}
				at += from
				from = at + len(tc.match)
				got := fragment(text, []span{{at, at + len(tc.match)}})
				mark := "<mark>" + html.EscapeString(tc.match) + "</mark>"
				if !strings.Contains(got, mark) {
					t.Fatalf("occurrence %d: no %s in %q", i, mark, got)
				}
				plain := html.UnescapeString(strings.Replace(got, mark, tc.match, 1))
				plain, cutStart := strings.CutPrefix(plain, "…")
				plain, cutEnd := strings.CutSuffix(plain, "…")
				if !cutStart && !strings.HasPrefix(text, plain) || !cutEnd && !strings.HasSuffix(text, plain) {
					t.Fatalf("occurrence %d: cut without …: %q", i, got)
				}
				if n := utf8.RuneCountInString(plain); n > fragmentRunes || n < fragmentRunes*3/4 {
					t.Errorf("occurrence %d: %d runes, want at most %d and not much fewer: %q", i, n, fragmentRunes, got)
				}
				if strings.TrimSpace(plain) != plain {
					t.Errorf("occurrence %d: space inside the …: %q", i, got)
				}
				f := strings.FieldsFunc(plain, sep)
				if first, last := f[0], f[len(f)-1]; !words[first] || !words[last] {
					t.Errorf("occurrence %d: starts with %q, ends with %q, not whole words: %q", i, first, last, got)
				}
			}
		})
	}
}

// FuzzFragment: any text and any words marked give valid UTF-8 with at
// least one mark, and never more than fragmentRunes runes of the text.
func FuzzFragment(f *testing.F) {
	f.Add("Le CPAS paie l'aide médicale urgente depuis longtemps.\nUrgences\nLe nom", 3)
	f.Add(strings.Repeat("ሆስፒታል፡ሕክምና ", 40), 2)
	f.Add(strings.Repeat("بیمارستان\u200cها و داروها ", 30), 5)
	f.Fuzz(func(t *testing.T, text string, every int) {
		if !utf8.ValidString(text) || every < 1 {
			return
		}
		var spans []span
		start, n := -1, 0
		for i, r := range text + " " {
			switch {
			case isWordRune(r) && start < 0:
				start = i
			case !isWordRune(r) && start >= 0:
				if n%every == 0 {
					spans = append(spans, span{start, i})
				}
				start, n = -1, n+1
			}
		}
		got := fragment(text, spans)
		if !utf8.ValidString(got) {
			t.Fatalf("not UTF-8: %q", got)
		}
		if len(spans) > 0 && !strings.Contains(got, "<mark>") {
			t.Fatalf("no mark: %q", got)
		}
		plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "", "…", "", " · ", " ").Replace(got))
		if n := utf8.RuneCountInString(plain); n > fragmentRunes+2*strings.Count(got, " · ") {
			t.Fatalf("%d runes: %q", n, got)
		}
	})
}

// TestAppendLooseFold: the table-driven fold of the snippet marker gives
// what loose(foldString(w)) gives, for every rune of the table, beyond it,
// and for words of kb's scripts, invalid UTF-8 included.
func TestAppendLooseFold(t *testing.T) {
	words := []string{"", "Aide", "MÉDICALE", "straße", "İstanbul", "Ёлка", "Їжак", "ЙОД",
		"المساعدة", "أطبّاء", "يكي", "ሕክምና", "درمانگاه", "Œuvre", "ǅemal", "K\u212a", "x\xffy", "日本語", "🙂ok"}
	for r := rune(0); r < looseFoldRunes+0x100; r++ {
		words = append(words, string(r), "A"+string(r)+"b")
	}
	for _, w := range words {
		if got, want := string(appendLooseFold(nil, w)), loose(foldString(w)); got != want {
			t.Errorf("%q: %q, want %q", w, got, want)
		}
	}
}
