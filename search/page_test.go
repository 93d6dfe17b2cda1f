package search

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"
)

func TestHighlight(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	tests := []struct {
		name, lang, query string
		id                string
		want              []string // substrings of the snippet
		not               []string
	}{
		{name: "accent typed", lang: "fr", query: "hôpital", id: "fr:fiches/aide-medicale-urgente",
			want: []string{"<mark>hôpital</mark>", "&lt;script&gt;"}, not: []string{"<script>"}},
		{name: "accent missing", lang: "fr", query: "hopital medicaments", id: "fr:fiches/aide-medicale-urgente",
			want: []string{"<mark>hôpital</mark>, <mark>médicaments</mark>"}},
		{name: "typo", lang: "fr", query: "pharmacei", id: "fr:procedures/amu-enquete-sociale",
			want: []string{"la <mark>pharmacie</mark>."}},
		{name: "summary only", lang: "fr", query: "recommandé", id: "fr:fiches/regularisation-medicale",
			want: []string{"<mark>recommandé</mark>"}},
		{name: "title only falls back to summary", lang: "nl", query: "dringende", id: "nl:fiches/dringende-medische-hulp",
			want: []string{"Zonder verblijfsvergunning"}, not: []string{"<mark>"}},
		{name: "turkish", lang: "tr", query: "ilac", id: "tr:fiches/urgent-medical-aid",
			want: []string{"<mark>İlaç</mark> masraflarını"}},
		{name: "arabic", lang: "ar", query: "الادوية", id: "ar:fiches/urgent-medical-aid",
			want: []string{"<mark>والأدوية</mark>"}},
		// The body has a zero-width non-joiner (بیمارستان‌ها) before the
		// match: the mark must still enclose the word, not cut a letter.
		{name: "persian after a non-joiner", lang: "fa", query: "داروها", id: "fa:fiches/urgent-medical-aid",
			want: []string{"و <mark>داروها</mark> را"}},
		{name: "persian word with a non-joiner", lang: "fa", query: "بیمارستان", id: "fa:fiches/urgent-medical-aid",
			want: []string{"<mark>بیمارستان</mark>\u200cها"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), Request{Lang: tc.lang, Query: tc.query})
			if err != nil {
				t.Fatal(err)
			}
			var snip string
			for _, h := range r.Hits {
				if h.ID == tc.id {
					snip = string(h.Snippet)
				}
			}
			if snip == "" {
				t.Fatalf("%s not in hits %v", tc.id, ids(r))
			}
			if !utf8.ValidString(snip) {
				t.Errorf("snippet %q is not valid UTF-8", snip)
			}
			for _, w := range tc.want {
				if !strings.Contains(snip, w) {
					t.Errorf("snippet %q: missing %q", snip, w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(snip, w) {
					t.Errorf("snippet %q: unexpected %q", snip, w)
				}
			}
		})
	}
}

func TestFacets(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	r, err := ix.Search(context.Background(), Request{Lang: "fr", Query: "AMU"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Facet{ // by count, then term
		"section":  {{"fiches", 1}, {"procedures", 1}},
		"topics":   {{"access-to-care", 2}, {"social-rights", 1}},
		"audience": {{"people", 1}, {"professionals", 1}},
	}
	if diff := cmp.Diff(want, r.Facets); diff != "" {
		t.Errorf("facets for %v (-want +got):\n%s", ids(r), diff)
	}
	// Filters narrow the facets too.
	r, err = ix.Search(context.Background(), Request{Lang: "fr", Query: "AMU", Topic: "social-rights"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Facet{{"procedures", 1}}, r.Facets["section"]); diff != "" {
		t.Errorf("filtered section facet (-want +got):\n%s", diff)
	}
}

func TestPagination(t *testing.T) {
	var docs []Doc
	for i := range 25 {
		docs = append(docs, Doc{
			ID: fmt.Sprintf("fr:fiches/f%02d", i), Lang: "fr", URL: fmt.Sprintf("/fr/fiches/f%02d/", i), Section: "fiches",
			Title: fmt.Sprintf("Fiche %d", i), Body: strings.Repeat("santé ", 1+i%5) + "et soins",
		})
	}
	ix, _ := buildIndex(t, docs, nil)
	search := func(page, size int) *Response {
		t.Helper()
		r, err := ix.Search(context.Background(), Request{Lang: "fr", Query: "sante", Page: page, Size: size})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 25 {
			t.Fatalf("Total = %d, want 25", r.Total)
		}
		return r
	}
	tests := []struct {
		name             string
		page, size       int
		wantPage, wantSz int
		wantHits         int
	}{
		{"defaults", 0, 0, 1, DefaultSize, 10},
		{"last page", 3, 10, 3, 10, 5},
		{"past the end", 4, 10, 4, 10, 0},
		{"size capped", 1, 1000, 1, MaxSize, 25},
		{"beyond the window", 1000, 50, 1000, 50, 0},
		{"negative", -3, -1, 1, DefaultSize, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := search(tc.page, tc.size)
			if r.Page != tc.wantPage || r.Size != tc.wantSz || len(r.Hits) != tc.wantHits {
				t.Errorf("page %d size %d hits %d, want %d %d %d", r.Page, r.Size, len(r.Hits), tc.wantPage, tc.wantSz, tc.wantHits)
			}
		})
	}
	// Pages are disjoint and together give every hit once, in score order.
	seen := map[string]bool{}
	var all []string
	for p := 1; p <= 3; p++ {
		for _, h := range search(p, 10).Hits {
			if seen[h.ID] {
				t.Errorf("%s on two pages", h.ID)
			}
			seen[h.ID] = true
			all = append(all, h.ID)
		}
	}
	if diff := cmp.Diff(ids(search(1, 50)), all); diff != "" {
		t.Errorf("pages differ from one big page (-want +got):\n%s", diff)
	}
}

// TestOpenTwice: the server and a second process (say a check, or the old
// server during a swap) can hold the same index at once.
func TestOpenTwice(t *testing.T) {
	_, dir := buildIndex(t, fixtureDocs, fixtureSyn(t))
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, ix := range []*Index{a, b} {
		r, err := ix.Search(context.Background(), Request{Lang: "fr", Query: "aide medicale"})
		if err != nil || r.Total == 0 {
			t.Errorf("search: %v, %d hits", err, r.Total)
		}
	}
	if diff := cmp.Diff([]string{"ar", "en", "fa", "fr", "nl", "ps", "ro", "sq", "ti", "tr"}, a.Languages()); diff != "" {
		t.Errorf("Languages (-want +got):\n%s", diff)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("Open of an empty folder: no error")
	}
	dir := t.TempDir()
	if err := Build(dir, fixtureDocs[:2], nil); err != nil {
		t.Fatal(err)
	}
	if err := Build(dir, fixtureDocs[:2], nil); err == nil {
		t.Error("Build over an existing index: no error")
	}
}

// TestDeterminism builds the same docs twice, in different orders, and
// compares results (the bytes on disk differ between builds).
func TestDeterminism(t *testing.T) {
	rev := make([]Doc, len(fixtureDocs))
	for i, d := range fixtureDocs {
		rev[len(rev)-1-i] = d
	}
	a, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	b, _ := buildIndex(t, rev, fixtureSyn(t))
	for _, req := range []Request{
		{Lang: "fr", Query: "aide medicale urgente"},
		{Lang: "fr", Query: "AMU"},
		{Lang: "fr", Query: "medicale urgnete"},
		{Lang: "fr", Query: "cpas", Section: "procedures"},
		{Lang: "nl", Query: "ziekenhuizen"},
		{Lang: "en", Query: "ziekenhuis"},
		{Lang: "tr", Query: "ilac"},
		{Lang: "ti", Query: "ሆስፒታል"},
	} {
		ra, err := a.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ra, rb); diff != "" {
			t.Errorf("%+v (-first +second):\n%s", req, diff)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		docs []Doc
		syn  Synonyms
		want []string
	}{
		{"no ID", []Doc{{Lang: "fr", URL: "/fr/x/"}}, nil, []string{`URL "/fr/x/" has no ID`}},
		{"duplicate", []Doc{{ID: "a", Lang: "fr"}, {ID: "a", Lang: "fr"}}, nil, []string{`duplicate document ID "a"`}},
		{"bad lang", []Doc{{ID: "a", Lang: "../x"}, {ID: "b", Lang: "FR"}}, nil, []string{`"../x"`, `"FR"`}},
		{"bad synonyms", []Doc{{ID: "a", Lang: "fr"}}, Synonyms{"fr": {{"AMU"}}}, []string{"group 1 has fewer than two terms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Build(t.TempDir(), tc.docs, tc.syn)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestBuildEmptyLanguage(t *testing.T) {
	// No docs at all: no language index (the Builder panics on Close when
	// empty), but an index that opens and answers nothing.
	dir := t.TempDir()
	if err := Build(dir, nil, Synonyms{"fr": {{"AMU", "aide médicale urgente"}}}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := ix.Search(context.Background(), Request{Lang: "fr", Query: "AMU"})
	if err != nil || r.Total != 0 || r.Fallback {
		t.Errorf("got %+v, %v", r, err)
	}
}

// TestOpenTwoProcesses opens the index in this process and in a child
// process at the same time, and checks that neither changes a file.
func TestOpenTwoProcesses(t *testing.T) {
	if dir := os.Getenv("KB_SEARCH_CHILD_DIR"); dir != "" {
		return // the child's part is TestOpenChild
	}
	_, dir := buildIndex(t, fixtureDocs, fixtureSyn(t)) // open here until the test ends
	before := snapshot(t, dir)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KB_SEARCH_CHILD_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "child hits: 1") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("files changed (-before +after):\n%s", diff)
	}
}

func TestOpenChild(t *testing.T) {
	dir := os.Getenv("KB_SEARCH_CHILD_DIR")
	if dir == "" {
		t.Skip("run by TestOpenTwoProcesses")
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := ix.Search(context.Background(), Request{Lang: "ro", Query: "asistenta"})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("child hits: %d\n", r.Total)
}

// snapshot maps every file under dir to its size and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		m[path] = fmt.Sprint(info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCancelled(t *testing.T) {
	ix, _ := buildIndex(t, fixtureDocs, fixtureSyn(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ix.Search(ctx, Request{Lang: "fr", Query: "aide"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestOpenWhileWritten: an index held for writing makes Open fail after
// bolt_timeout instead of hanging the server.
func TestOpenWhileWritten(t *testing.T) {
	dir := t.TempDir()
	if err := Build(dir, fixtureDocs[:1], nil); err != nil {
		t.Fatal(err)
	}
	w, err := bleve.Open(filepath.Join(dir, "fr.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	start := time.Now()
	if ix, err := Open(dir); err == nil {
		ix.Close()
		t.Fatal("Open succeeded while the index is open for writing")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Open took %v", d)
	}
}

// TestBuildLangsErrors: documents given one at a time are checked as they
// come, and the first problem of a language stops its build; a language's
// problems say which document.
func TestBuildLangsErrors(t *testing.T) {
	seq := func(docs ...Doc) iter.Seq2[Doc, error] { return docsOf(docs) }
	failing := func(yield func(Doc, error) bool) {
		if yield(Doc{ID: "fr:a", Lang: "fr", Title: "a"}, nil) {
			yield(Doc{}, errors.New("reading back fr:b"))
		}
	}
	tests := []struct {
		name  string
		langs []LangDocs
		want  []string
	}{
		{"no ID", []LangDocs{{Lang: "fr", Docs: seq(Doc{Lang: "fr", URL: "/fr/x/"})}}, []string{`URL "/fr/x/" has no ID`}},
		{"duplicate", []LangDocs{{Lang: "fr", Docs: seq(Doc{ID: "a", Lang: "fr"}, Doc{ID: "a", Lang: "fr"})}}, []string{`"a": not after "a"`}},
		{"out of order", []LangDocs{{Lang: "fr", Docs: seq(Doc{ID: "b", Lang: "fr"}, Doc{ID: "a", Lang: "fr"})}}, []string{`"a": not after "b"`}},
		{"another language", []LangDocs{{Lang: "fr", Docs: seq(Doc{ID: "a", Lang: "nl"})}}, []string{`language "nl" in the documents of "fr"`}},
		{"bad lang", []LangDocs{{Lang: "../x", Docs: seq(Doc{ID: "a", Lang: "../x"})}}, []string{`"../x"`}},
		{"twice", []LangDocs{{Lang: "fr", Docs: seq(Doc{ID: "a", Lang: "fr"})}, {Lang: "fr", Docs: seq(Doc{ID: "b", Lang: "fr"})}}, []string{`"fr" given twice`}},
		{"no documents", []LangDocs{{Lang: "fr", Docs: seq()}}, []string{"fr: no documents"}},
		{"the source fails", []LangDocs{{Lang: "fr", Docs: failing}, {Lang: "nl", Docs: seq(Doc{ID: "nl:a", Lang: "nl"}, Doc{Lang: "nl"})}},
			[]string{"reading back fr:b", "has no ID"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := BuildLangs(t.TempDir(), tc.langs, nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
