package spip

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testLinker knows a few objects, as the importer would.
type testLinker struct{}

func (testLinker) link(kind string, id int) (string, string, bool) {
	switch {
	case kind == "article" && id == 12:
		return "/fiches/aide-medicale-urgente", "Aide médicale urgente", true
	case kind == "article" && id == 13:
		return "/procedures/demande-amu", "Demande d'AMU [procédure]", true
	case kind == "article" && id == 99:
		return "", "Un brouillon", false
	case kind == "rubrique" && id == 3:
		return "/topics/acces-aux-soins", "Accès aux soins", true
	case kind == "breve" && id == 5:
		return "/news/2024-06-12-pharmacies", "Pharmacies", true
	case kind == "mot" && id == 4:
		return "/residence/sans-titre-de-sejour", "Sans titre de séjour", true
	}
	return "", "", false
}

func (testLinker) hasAnchor(kind string, id int, frag string) bool { return frag == "conditions" }

func (testLinker) doc(id int) (docRef, bool) {
	switch id {
	case 7:
		return docRef{file: "formulaire.pdf", title: "Formulaire AMU"}, true
	case 8:
		return docRef{file: "carte-medicale.png", title: "La carte médicale", image: true}, true
	case 9:
		return docRef{title: "Document absent", missing: true}, true
	case 10:
		return docRef{url: "https://example.net/photo.jpg", title: "Photo", image: true}, true
	case 11:
		return docRef{file: "schema.png", image: true}, true
	}
	return docRef{}, false
}

func (testLinker) oldURL(u string) (string, bool) {
	u = strings.TrimPrefix(u, "https://ancien.example.org")
	switch {
	case u == "spip.php?article12" || u == "/spip.php?article12":
		return "/fiches/aide-medicale-urgente", true
	case strings.HasPrefix(u, "/") || !strings.Contains(u, ":"):
		return "", true
	}
	return "", false
}

func formatIssues(is []issue) string {
	var b strings.Builder
	for _, i := range is {
		b.WriteString(i.kind + ": " + i.msg + "\n")
	}
	return b.String()
}

// TestConvert runs testdata/convert/*.txtar: the SPIP text in "in" (in the
// language of "lang", default fr) must give "want" and the issues in
// "issues".
func TestConvert(t *testing.T) {
	files, err := filepath.Glob("testdata/convert/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sec := map[string]string{}
			for _, f := range ar.Files {
				sec[f.Name] = string(f.Data)
			}
			lang := strings.TrimSpace(sec["lang"])
			if lang == "" {
				lang = "fr"
			}
			got, issues := convert(strings.TrimSuffix(sec["in"], "\n"), lang, testLinker{})
			gotIssues := formatIssues(issues)
			if *update {
				var out []txtar.File
				for _, f := range ar.Files {
					switch f.Name {
					case "want", "issues":
					default:
						out = append(out, f)
					}
				}
				out = append(out, txtar.File{Name: "want", Data: []byte(got)})
				if gotIssues != "" {
					out = append(out, txtar.File{Name: "issues", Data: []byte(gotIssues)})
				}
				ar.Files = out
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(sec["want"], got); diff != "" {
				t.Errorf("Markdown (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(sec["issues"], gotIssues); diff != "" {
				t.Errorf("issues (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct {
		name, in, lang, want string
	}{
		{"multi", "<multi>[fr]Accès aux soins[nl]Toegang tot zorg</multi>", "nl", "Toegang tot zorg"},
		{"multi default", "<multi>Défaut[nl]Standaard</multi>", "en", "Défaut"},
		{"multi first", "<multi>[fr]Français[nl]Nederlands</multi>", "ar", "Français"},
		{"shortcuts", "{{Aide}} {médicale} [urgente->art12][[note]]", "fr", "Aide médicale urgente"},
		{"entities and tags", "L&#8217;aide <b>&amp;</b> l&nbsp;accès", "fr", "L’aide & l\u00a0accès"},
		{"spaces", "  a\n_ b\t c  ", "fr", "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plain(tt.in, tt.lang); got != tt.want {
				t.Errorf("plain(%q, %s) = %q, want %q", tt.in, tt.lang, got, tt.want)
			}
		})
	}
}

func TestSplitNumber(t *testing.T) {
	tests := []struct {
		in, title string
		weight    int
	}{
		{"01. Aide médicale urgente", "Aide médicale urgente", 1},
		{"12) Procédure", "Procédure", 12},
		{"9ter", "9ter", 0},
		{"2024. ", "2024. ", 0},
		{"Sans numéro", "Sans numéro", 0},
	}
	for _, tt := range tests {
		title, w, _ := splitNumber(tt.in)
		if title != tt.title || w != tt.weight {
			t.Errorf("splitNumber(%q) = %q, %d; want %q, %d", tt.in, title, w, tt.title, tt.weight)
		}
	}
}

// TestKeys: keys are made by source.Key, as kb new makes them; a title in
// a script Key does not transliterate falls back, and a taken key gets the
// SPIP id.
func TestKeys(t *testing.T) {
	ks := keys{}
	tests := []struct {
		name, title, lang, fallback string
		id                          int
		want                        string
	}{
		{"latin", "Aide médicale urgente", "fr", "x", 1, "aide-medicale-urgente"},
		{"taken", "Aide médicale urgente", "fr", "x", 2, "aide-medicale-urgente-2"},
		{"taken twice", "Aide médicale urgente", "fr", "x", 2, "aide-medicale-urgente-2-2"},
		{"arabic", "المساعدة الطبية العاجلة", "ar", "article-3", 3, "almsada-altbya-alajla"},
		{"russian", "Медицинская помощь AMU", "ru", "article-4", 4, "meditsinskaya-pomoshch-amu"},
		{"ukrainian", "Медична допомога", "uk", "article-5", 5, "medychna-dopomoha"},
		{"tigrinya", "ሕክምናዊ ሓገዝ", "ti", "article-6", 6, "hikiminawi-hagez"},
		{"no key", "医療", "ja", "article-7", 7, "article-7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ks.make(tt.title, tt.lang, tt.fallback, tt.id); got != tt.want {
				t.Errorf("make(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob("testdata/convert/*.txtar")
	for _, file := range files {
		if ar, err := txtar.ParseFile(file); err == nil {
			for _, fl := range ar.Files {
				if fl.Name == "in" {
					f.Add(string(fl.Data))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, _ := convert(s, "fr", testLinker{})
		if !utf8.ValidString(out) {
			t.Errorf("convert(%q) is not valid UTF-8: %q", s, out)
		}
		if strings.ContainsAny(out, "\uE000\uE001\uE002\uE003") {
			t.Errorf("convert(%q) left a token: %q", s, out)
		}
		if p := plain(s, "fr"); !utf8.ValidString(p) {
			t.Errorf("plain(%q) is not valid UTF-8", s)
		}
	})
}

// TestQuoteNesting: thousands of nested <quote> took about a minute and
// made a page kb cannot build (issue 12, item 8); the tags beyond
// MaxQuoteDepth are dropped, with a report, and the text kept. Quotes
// closed in order still convert as before.
func TestQuoteNesting(t *testing.T) {
	src := strings.Repeat("<quote>", 8000) + "deep text" + strings.Repeat("</quote>", 8000)
	out, issues := convert(src, "fr", testLinker{})
	if !strings.Contains(out, "deep text") || strings.Contains(out, "quote>") {
		t.Errorf("out = %.200q", out)
	}
	if strings.Contains(out, strings.Repeat("> ", MaxQuoteDepth+1)) || !strings.Contains(out, strings.Repeat("> ", MaxQuoteDepth)) {
		t.Errorf("depth of %.300q is not %d", out, MaxQuoteDepth)
	}
	if len(issues) != 1 || !strings.Contains(issues[0].msg, "nested more than 8 deep") {
		t.Errorf("issues = %v", issues)
	}
	out, issues = convert("a <quote>one</quote> b <quote>two <quote>three</quote></quote> </quote> <quote>open", "fr", testLinker{})
	for _, want := range []string{"> one", "> two", "> > three", "open"} {
		if !strings.Contains(out, want) {
			t.Errorf("out = %q lacks %q", out, want)
		}
	}
	if len(issues) != 2 || !strings.Contains(issues[0].msg, "</quote> without <quote>") || !strings.Contains(issues[1].msg, "tag <quote> removed") {
		t.Errorf("issues = %v", issues)
	}
}

// TestDeepListsAndEmphasis: -**** lists and {{emphasis}} nested thousands
// deep took seconds each (issue 12, item 8); levels beyond MaxQuoteDepth are
// flattened (a list, once reported) or kept as text.
func TestDeepListsAndEmphasis(t *testing.T) {
	for name, src := range map[string]string{
		"list":     "-" + strings.Repeat("*", 50000) + " deep item\n",
		"emphasis": strings.Repeat("{{", 50000) + "deep item" + strings.Repeat("}}", 50000),
	} {
		t.Run(name, func(t *testing.T) {
			out, issues := convert(src, "fr", testLinker{})
			if !strings.Contains(out, "deep item") || len(out) > len(src) {
				t.Errorf("out = %.200q", out)
			}
			if name == "list" && (len(issues) != 1 || !strings.Contains(issues[0].msg, "nested more than 8 deep")) {
				t.Errorf("issues = %v", issues)
			}
		})
	}
}
