package plain

import (
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"french", "Le CPAS paie. Il faut une carte ! Et après ?", []string{"Le CPAS paie.", "Il faut une carte !", "Et après ?"}},
		{"numbers and abbreviations", "Le taux est de 2.5 %. Voir p. ex. la fiche.", []string{"Le taux est de 2.5 %.", "Voir p. ex. la fiche."}},
		{"quotes stay", "Il a dit « oui. » Puis il est parti.", []string{"Il a dit « oui. »", "Puis il est parti."}},
		{"arabic question mark, comma is not an end", "هل لديك بطاقة؟ اذهب إلى CPAS، ثم إلى الطبيب.", []string{"هل لديك بطاقة؟", "اذهب إلى CPAS، ثم إلى الطبيب."}},
		{"arabic full stop after latin", "اسأل OCMW. ثم اذهب.", []string{"اسأل OCMW.", "ثم اذهب."}},
		{"geez full stop and question mark, comma is not an end", "ሕክምና ኣሎ። ካርድ ኣለኩም፧ ናብ CPAS፣ ድሕሪኡ ናብ ሓኪም ኪዱ።", []string{"ሕክምና ኣሎ።", "ካርድ ኣለኩም፧", "ናብ CPAS፣ ድሕሪኡ ናብ ሓኪም ኪዱ።"}},
		{"geez full stop without a space", "ሕክምና ኣሎ።ካርድ ኣሎ።", []string{"ሕክምና ኣሎ።", "ካርድ ኣሎ።"}},
		{"pashto full stop", "دا پاڼه ده۔ بله پاڼه.", []string{"دا پاڼه ده۔", "بله پاڼه."}},
		{"no end mark", "Un titre sans point", []string{"Un titre sans point"}},
		{"ellipsis", "Attendez… Puis appelez.", []string{"Attendez…", "Puis appelez."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tt.in) {
				got = append(got, s.Text)
				if !strings.HasPrefix(tt.in[s.Start:], s.Text) {
					t.Errorf("sentence %q does not start at offset %d", s.Text, s.Start)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"french elision", "Aujourd'hui, c'est l'aide médicale urgente (AMU).", 6},
		{"hyphen", "Vous pouvez vous-même demander", 4},
		{"persian zero-width non-joiner", "پناه\u200cجویان درمان می\u200cشوند", 3},
		{"geez wordspace", "ሕክምና፡ኣሎ ካርድ", 3},
		{"numbers", "article 9ter, annexe 26", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Words(tt.in); len(got) != tt.want {
				t.Errorf("Words(%q) = %q, want %d words", tt.in, got, tt.want)
			}
		})
	}
}

func TestMeasure(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		in     []string
		sent   int
		words  int
		long   int
		lix    float64
	}{
		// 2 sentences, 10 words, 2 long (> 6 letters): 5 + 20.
		{"latin", Limits{}, []string{"Le médecin soigne bien. La pharmacie donne des médicaments aux gens."}, 2, 11, 3, 11.0/2 + 100*3.0/11},
		// Ge'ez: long is > 4 characters here.
		{"geez", Limits{LongWord: 4}, []string{"ሕክምናዊ ረድኤት ኣሎ። ናብ ሓኪም ኪዱ።"}, 2, 6, 1, 3 + 100*1.0/6},
		// No spaces: 16 letters (the tone mark is not one) at 4 per word =
		// 4 words; no word is long.
		{"chars per word", Limits{CharsPerWord: 4}, []string{"ผมไปโรงพยาบาลแล้ว"}, 1, 4, 0, 4},
		{"empty", Limits{}, nil, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := tt.limits.Measure(tt.in)
			if sc.Sentences != tt.sent || sc.Words != tt.words || sc.Long != tt.long || (sc.LIX-tt.lix) > 1e-9 || (tt.lix-sc.LIX) > 1e-9 {
				t.Errorf("got %+v, want %d sentences, %d words, %d long, LIX %.2f", sc, tt.sent, tt.words, tt.long, tt.lix)
			}
		})
	}
}
