package source

import (
	"bytes"
	"reflect"
	"testing"
	"testing/fstest"

	"kb/internal/diag"
)

// parseCachePages are pages of every kind of frontmatter and problem. kept
// says whether the cache keeps the page (its body is the file's bytes from
// an offset on, and the page can be used).
var parseCachePages = []struct {
	path, data string
	kept       bool
}{
	{"content/fiches/care/fr.md", "---\ntitle: Soins\nsummary: Un résumé\ntopics: [access, rights]\nresidence: [no-legal-residence]\nreviewed: 2026-10-01\nupdated: 2026-09-01\naliases:\n  - /old.html\n  - /older.html\nweight: 3\n---\n\n# Titre\n\nTexte « cité ».\n", true},
	{"content/fiches/care/nl.md", "\ufeff---\ntitle: Zorg\naudience: professionals\nslug: zorg-nl\ndraft: true\naudio: { file: nl.mp3, duration: \"2:35\", transcript: self }\n---\nTekst\n", true},
	{"content/fiches/care/en.md", "+++\ntitle = \"Care\"\ntopics = [\"access\"]\nreviewed = 2026-01-02\n+++\nText\n", true},
	{"content/glossary/cpas/fr.md", "---\ntitle: CPAS\nterms: [OCMW, C.P.A.S.]\nsummary: Le service social.\n---\n", true},
	{"content/news/2024-06-12-pay/fr.md", "---\ntitle: Paiements\ndate: 2024-06-12\nnewsletter: [nl]\n---\nTexte\n", true},
	{"content/newsletters/2024-06/fr.md", "---\ntitle: Juin\ndate: 2024-06-15\nsince: 2024-06-01\n---\n", true},
	// Usable with problems: kept, with them.
	{"content/fiches/unknown/fr.md", "---\ntitle: A\nsumary: x\n---\nTexte\n", true},
	{"content/fiches/badslug/fr.md", "---\ntitle: A\nslug: Not A Slug\n---\n", true},
	{"content/news/2024-01-01-nodate/fr.md", "---\ntitle: Sans date\n---\n", true},
	// NFC changes the body (a file saved as NFD): parsed each time.
	{"content/fiches/nfd/fr.md", "---\ntitle: Cafe\u0301\n---\nCafe\u0301 cre\u0300me\n", false},
	// NFC changes the frontmatter alone: the body is the file's.
	{"content/fiches/nfdtitle/fr.md", "---\ntitle: Cafe\u0301\n---\nTexte\n", true},
	// Not usable: parsed each time.
	{"content/fiches/notitle/fr.md", "---\nsummary: x\ntopics: a: b\n---\n", false},
	{"content/fiches/nofm/fr.md", "# Title\n", false},
	{"content/fiches/badutf/fr.md", "---\ntitle: A\n---\nok\n\xff\n", false},
}

func parseCacheFS() fstest.MapFS {
	fsys := fstest.MapFS{"content/site.toml": {Data: []byte(settings)}}
	for _, p := range parseCachePages {
		fsys[p.path] = &fstest.MapFile{Data: []byte(p.data)}
	}
	return fsys
}

var parseCacheLangs = map[string]bool{"fr": true, "nl": true, "en": true}

// loadCached loads fsys through c and returns the content and problems.
func loadCached(fsys fstest.MapFS, c *ParseCache) (*Content, []diag.Problem) {
	var problems diag.List
	content := LoadCached(fsys, parseCacheLangs, &problems, c)
	return content, problems.Problems()
}

// sameLoad fails unless got is what want (a Load without cache) read.
func sameLoad(t *testing.T, what string, got, want *Content, gotP, wantP []diag.Problem) {
	t.Helper()
	if len(got.Files) != len(want.Files) {
		t.Fatalf("%s: %d files, want %d", what, len(got.Files), len(want.Files))
	}
	for i := range want.Files {
		if !reflect.DeepEqual(got.Files[i], want.Files[i]) {
			t.Errorf("%s: %s\n got %+v\nwant %+v", what, want.Files[i].Path, got.Files[i], want.Files[i])
		}
	}
	if !reflect.DeepEqual(gotP, wantP) {
		t.Errorf("%s: problems\n got %v\nwant %v", what, gotP, wantP)
	}
}

func saveLoad(t *testing.T, c *ParseCache, id []byte) *ParseCache {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Save(&buf, id); err != nil {
		t.Fatal(err)
	}
	back, err := LoadParseCache(&buf, id)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestParseCache(t *testing.T) {
	fsys := parseCacheFS()
	want, wantP := loadCached(fsys, nil)
	if len(wantP) == 0 || len(want.Files) < 10 {
		t.Fatalf("the fixture has %d pages and %d problems: it tests too little", len(want.Files), len(wantP))
	}
	kept := 0
	for _, p := range parseCachePages {
		if p.kept {
			kept++
		}
	}
	id := []byte("kb-1")

	first := NewParseCache()
	got, gotP := loadCached(fsys, first)
	sameLoad(t, "empty cache", got, want, gotP, wantP)
	if first.Hits() != 0 || first.Misses() != len(parseCachePages) || !first.Changed() {
		t.Errorf("empty cache: %d hits, %d misses, want 0 and %d", first.Hits(), first.Misses(), len(parseCachePages))
	}
	// A build may change what a File holds: the next build reads the page
	// as it was parsed.
	for _, f := range got.Files {
		f.Meta.Title = "changed"
		if len(f.Meta.Topics) > 0 {
			f.Meta.Topics[0] = "changed"
		}
		f.Meta.Lines["title"] = 99
	}

	second := saveLoad(t, first, id)
	got, gotP = loadCached(fsys, second)
	sameLoad(t, "saved cache", got, want, gotP, wantP)
	if second.Hits() != kept || second.Misses() != len(parseCachePages)-kept {
		t.Errorf("saved cache: %d hits, %d misses, want %d and %d", second.Hits(), second.Misses(), kept, len(parseCachePages)-kept)
	}

	// One page changed: parsed again, the others from the cache.
	third := saveLoad(t, second, id)
	fsys["content/fiches/care/fr.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Soins urgents\n---\nTexte.\n")}
	want, wantP = loadCached(fsys, nil)
	got, gotP = loadCached(fsys, third)
	sameLoad(t, "one page changed", got, want, gotP, wantP)
	if third.Hits() != kept-1 || third.Misses() != len(parseCachePages)-kept+1 {
		t.Errorf("one page changed: %d hits, %d misses, want %d and %d", third.Hits(), third.Misses(), kept-1, len(parseCachePages)-kept+1)
	}

	// The same bytes under another path are another page.
	fourth := saveLoad(t, third, id)
	moved := parseCacheFS()
	moved["content/fiches/moved/fr.md"] = moved["content/fiches/care/fr.md"]
	delete(moved, "content/fiches/care/fr.md")
	want, wantP = loadCached(moved, nil)
	got, gotP = loadCached(moved, fourth)
	sameLoad(t, "page moved", got, want, gotP, wantP)
	if fourth.Hits() != kept-1 {
		t.Errorf("page moved: %d hits, want %d", fourth.Hits(), kept-1)
	}
}

// TestParseCacheFile: a file of another kb, or torn anywhere, gives an
// empty cache and an error.
func TestParseCacheFile(t *testing.T) {
	fsys := parseCacheFS()
	c := NewParseCache()
	loadCached(fsys, c)
	var buf bytes.Buffer
	if err := c.Save(&buf, []byte("kb-1")); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	tests := []struct {
		name string
		data []byte
		id   string
	}{
		{"another kb", data, "kb-2"},
		{"empty", nil, "kb-1"},
		{"cut at the end", data[:len(data)-1], "kb-1"},
		{"cut in half", data[:len(data)/2], "kb-1"},
		{"a byte changed", append(append(append([]byte(nil), data[:len(data)/2]...), data[len(data)/2]^1), data[len(data)/2+1:]...), "kb-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			back, err := LoadParseCache(bytes.NewReader(tt.data), []byte(tt.id))
			if err == nil {
				t.Error("no error")
			}
			loadCached(fsys, back)
			if back.Hits() != 0 {
				t.Errorf("%d pages from the cache, want none", back.Hits())
			}
		})
	}
	back, err := LoadParseCache(bytes.NewReader(data), []byte("kb-1"))
	if err != nil {
		t.Fatal(err)
	}
	loadCached(fsys, back)
	if back.Hits() == 0 || back.Changed() {
		t.Errorf("the whole file: %d hits, changed %v, want hits and no change", back.Hits(), back.Changed())
	}
}
