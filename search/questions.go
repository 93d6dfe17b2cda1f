package search

// questionWords are, per kb language code, the words a reader adds around
// what they look for when they type a whole question: question words,
// pronouns of the asker, modal verbs, greetings and politeness. They are
// dropped from a query like stop words (many already are stop words of the
// language's analyzer; listing them again does no harm). Only whole words,
// compared after the language's analysis (case, accents, Arabic-script
// letter forms, French elision), so "comment", "Comment" and "coment" do
// not all match: a typo keeps the word, which then only lowers the
// minimum-should-match share.
//
// A word belongs here only if it never names what a page is about: a test
// checks that each word the analyzer does not already drop is either absent
// from the included site's pages of its language or spread over many of
// them (a function word), never concentrated in a few.
var questionWords = map[string][]string{
	"en": {"how", "what", "where", "when", "who", "whom", "why", "which", "whose", "can", "could", "would",
		"should", "shall", "will", "may", "might", "must", "do", "does", "did", "i", "i'm", "im", "me", "my",
		"mine", "we", "us", "our", "please", "hello", "hi", "thanks", "thank", "anyone", "someone", "somebody",
		"anybody", "tell", "know", "want", "wanna", "cant", "can't", "dont", "don't", "is", "are", "am", "there"},
	"fr": {"comment", "quoi", "que", "qu", "quel", "quelle", "quels", "quelles", "où", "quand", "pourquoi",
		"qui", "combien", "je", "j", "moi", "mon", "ma", "mes", "me", "m", "peux", "puis", "pouvez",
		"dois", "veux", "voudrais", "aimerais", "ai", "suis", "svp", "stp", "plait", "plaît", "bonjour",
		"merci"},
	"nl": {"hoe", "wat", "waar", "wanneer", "wie", "waarom", "welke", "welk", "ik", "mij", "me", "mijn",
		"kan", "kun", "kunt", "kunnen", "moet", "mag", "wil", "wilt", "zou", "graag", "alstublieft", "aub",
		"hallo", "bedankt", "dank", "iemand", "heb", "ben"},
	"es": {"cómo", "como", "qué", "que", "dónde", "donde", "cuándo", "cuando", "quién", "quien", "porqué",
		"cuál", "cual", "yo", "me", "mi", "mis", "puedo", "debo", "necesito", "quiero", "hola", "gracias",
		"favor", "alguien", "estoy", "tengo"},
	"pt": {"como", "que", "onde", "quando", "quem", "porque", "porquê", "qual", "quais", "eu", "me", "meu",
		"minha", "posso", "devo", "preciso", "quero", "tenho", "estou", "olá", "ola", "obrigado", "obrigada",
		"favor", "alguém"},
	"tr": {"nasıl", "ne", "nerede", "nereye", "neden", "niçin", "niye", "kim", "kime", "hangi", "mı", "mi",
		"mu", "mü", "ben", "bana", "benim", "miyim", "mıyım", "yapmalıyım", "yapabilirim", "lütfen", "merhaba",
		"teşekkürler", "istiyorum", "acaba"},
	"ro": {"cum", "ce", "unde", "când", "cine", "care", "eu", "mă", "meu", "mea", "pot", "vreau", "aș", "rog",
		"bună", "salut", "mulțumesc", "sunt", "am"},
	"sq": {"si", "çfarë", "ku", "kur", "kush", "pse", "cili", "cila", "cilat", "unë", "mua", "më", "im",
		"ime", "dua", "lutem", "përshëndetje", "faleminderit", "a", "jam", "kam", "bëj"},
	"ru": {"как", "что", "где", "когда", "кто", "почему", "зачем", "какой", "какая", "какие", "куда", "я",
		"мне", "меня", "мой", "моя", "мои", "можно", "могу", "надо", "хочу", "пожалуйста", "здравствуйте",
		"привет", "спасибо", "ли", "делать"},
	"uk": {"як", "що", "де", "коли", "хто", "чому", "навіщо", "який", "яка", "які", "куди", "я", "мені",
		"мене", "мій", "моя", "мої", "можна", "можу", "треба", "хочу", "ласка", "будь", "привіт", "дякую",
		"чи", "робити"},
	"ar": {"كيف", "ماذا", "ما", "أين", "اين", "متى", "لماذا", "هل", "أي", "أنا", "انا", "أريد", "اريد", "ممكن",
		"يمكنني", "أستطيع", "استطيع", "لو", "سمحت", "فضلك", "مرحبا", "شكرا", "أحتاج", "احتاج", "أفعل", "افعل"},
	"fa": {"چطور", "چطوری", "چگونه", "چه", "چی", "کجا", "چرا", "کدام", "آیا", "من", "میخواهم", "می\u200cخواهم",
		"میتوانم", "می\u200cتوانم", "لطفا", "لطفاً", "سلام", "ممنون", "مرسی", "هستم", "کنم"},
	"prs": {"چطور", "چگونه", "چه", "چی", "کجا", "چرا", "کدام", "آیا", "من", "میخواهم", "می\u200cخواهم", "میتوانم",
		"می\u200cتوانم", "لطفا", "لطفاً", "سلام", "تشکر", "هستم", "کنم"},
	"ps": {"څنګه", "څه", "چېرته", "چیرته", "کله", "څوک", "ولې", "کوم", "آیا", "ایا", "زه", "زما", "غواړم",
		"مهرباني", "سلام", "مننه", "یم", "وکړم"},
	"ti": {"ከመይ", "ብኸመይ", "እንታይ", "ኣበይ", "መዓስ", "መን", "ስለምንታይ", "ኣየናይ", "ኣነ", "ንዓይ", "ናተይ", "ክገብር",
		"በጃኹም", "ሰላም", "የቐንየለይ", "እየ"},
}

// QuestionWords returns the question words and fillers dropped from queries
// in lang (nil for a language with no list).
func QuestionWords(lang string) []string {
	return append([]string(nil), questionWords[lang]...)
}

// fillerTerms are the lists as the analyzers see them: lang -> surface
// term. Words the analyzer drops entirely (its own stop words) are left
// out, since they are dropped anyway, but not their unaccented forms.
func (ix *Index) fillerTerms() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for lang, words := range questionWords {
		m := map[string]bool{}
		for _, w := range words {
			// The word as written, and typed without its accents: the
			// analyzer's stop list may know only the first (nasıl, nasil).
			for _, v := range []string{w, foldString(w)} {
				if t := ix.surface(lang, v); t != "" {
					m[t] = true
				}
			}
		}
		out[lang] = m
	}
	return out
}

// surface is the first analyzed term of word in lang (the folded word,
// before stemming), or "" for a stop word.
func (ix *Index) surface(lang, word string) string {
	toks, surface := analyze(ix.analyzer(lang), word)
	for i, t := range toks {
		if surface[i] {
			return t
		}
	}
	return ""
}

// dropFillers removes the units that are a single question word or filler.
// If that leaves nothing (the reader typed only "how?"), the units are kept.
func (ix *Index) dropFillers(lang string, units []unit) []unit {
	fill := ix.fillers[lang]
	if len(fill) == 0 {
		return units
	}
	out := make([]unit, 0, len(units))
	for _, u := range units {
		if len(u.words) == 1 && len(u.alts) == 0 && fill[ix.surface(lang, u.words[0])] {
			continue
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return units
	}
	return out
}

// MinShouldMatch is how many of n query units (words or synonym spans that
// are not stop or question words) a page must match in the main step, for a
// query typed as typed words. A short query, one to three typed words,
// must match entirely, as before questions were handled. A longer one is a
// question: it carries words no page uses ("get", "free", "always"), and
// requiring them all hides the page that answers. From three units on, 60%
// of them, rounded up, and at least two.
func MinShouldMatch(n, typed int) int {
	if typed <= 3 || n <= 2 {
		return n
	}
	return max(2, (6*n+9)/10)
}
