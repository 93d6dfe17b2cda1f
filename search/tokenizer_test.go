package search

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// tokenizerSame fails t if wordTokenizer and bleve's unicode tokenizer give
// different tokens for s.
func tokenizerSame(t testing.TB, s string) {
	got := tokenDump(newWordTokenizer().Tokenize([]byte(s)))
	want := tokenDump(unicodetok.NewUnicodeTokenizer().Tokenize([]byte(s)))
	if got != want {
		t.Fatalf("text %.200q:\nwordTokenizer:\n%.3000s\nunicode:\n%.3000s", s, got, want)
	}
}

// tokenizerSeeds are the cases that a cut point or a piece could get wrong:
// marks and joiners after spaces, middle punctuation between letters and
// digits, CR LF, quotes, underscores, scripts without spaces.
var tokenizerSeeds = []string{
	"", " ", "a", "A b", "abc, def. ghi; jkl: mno! pqr? (stu) 12 34, 5.6 7,8 9.",
	"3.14 1,000 1.000,50 a.b a:b a'b a’b a_b _a a_ 3a a3 a-b -a a- \"a\" 'a'",
	"a \u0301b a\u0301 b \u0301 \u200d\u200db \u200c x \u00ad y",
	"l'hôpital L’HÔPITAL aiguë İstanbul'da İLAÇ tıbbi sănătății приём ё",
	"a\r\nb\rc\nd\v e\f f\t g  \n\n h", "\r\n", " \u0301", "\u0301 a", "a\u0301",
	"می\u200cخواهم بیمه درمانی دارم؟ أَهْلًا وَسَهْلًا ١٢٣ ۱۲۳", "ሆስፒታል፡ሆስፒታላት። ኣብ ቤት ጽሕፈት",
	"日本語の文章です。カタカナ ひらがな 한국어 텍스트 中文文本", "🇧🇪🇫🇷 🇧 a🇧🇪b 👍🏽 👨‍👩‍👧",
	"ﻻ ﷺ ① ｆｕｌｌ ＦＵＬＬ ½ x²", "e-mail: info@example.org https://example.org/a_b?c=d#e",
	"\xff\xfe a \xc3 b", "\xc5 0", "a.", ".a", "a..b", "1..2", "a:", ":a", "(a)", "((a))", "a),b",
}

func TestWordTokenizerSame(t *testing.T) {
	for _, s := range tokenizerSeeds {
		tokenizerSame(t, s)
	}
	texts := siteTexts(t, "..")
	if site := os.Getenv("KB_BENCH_SITE"); site != "" {
		for l, ts := range siteTexts(t, site) {
			texts[l] = append(texts[l], ts...)
		}
	}
	n := 0
	for _, ts := range texts {
		for _, s := range ts {
			tokenizerSame(t, s)
			n++
		}
	}
	// Random text from pieces that meet at cut points in every way.
	pieces := []string{" ", "  ", "\n", "\r\n", "\r", "\t", "a", "Zz", "word", "123", "4", ".", ",", ";", ":",
		"!", "?", "(", ")", "'", "’", "\"", "_", "-", "é", "\u0301", "\u200d", "\u200c", "\u00ad", "ß",
		"ı", "ع", "ب", "\u064e", "١", "ሆ", "я", "ی", "፡", "ሓ", "Ä", "日", "カ", "ひ", "한", "🇧", "👍", "\u2028", "\u00a0", "\xff", "@", "/"}
	rng := rand.New(rand.NewPCG(16, 20))
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		tokenizerSame(t, b.String())
	}
	t.Logf("%d site texts, %d seeds, 200000 random texts", n, len(tokenizerSeeds))
}

func FuzzWordTokenizer(f *testing.F) {
	for _, s := range tokenizerSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { tokenizerSame(t, s) })
}

// TestWordLetters checks each letter the tokenizer takes without the
// segmenter, in the places a piece can put it.
func TestWordLetters(t *testing.T) {
	contexts := []string{"%s", " %s", "%s ", "%s%s", "a%s", "%sa", "%s.", ".%s", "(%s)", "%s1", "1%s", "%s'", "'%s",
		"%s\u0301", "\u0301%s", " \u0301%s", "%s %s", "%s, %s", "%s_", "_%s", "x\u200d%s", "%s:a", "%s\n\u064e%s", "日%s", "%sカ"}
	n := 0
	for _, rg := range wordLetters {
		for r := rg[0]; r <= rg[1]; r++ {
			for _, c := range contexts {
				tokenizerSame(t, strings.ReplaceAll(c, "%s", string(r)))
				n++
			}
		}
	}
	t.Logf("%d texts", n)
}
