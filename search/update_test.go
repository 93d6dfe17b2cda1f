package search

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestUpdate: an index made by Update from an older index of the language
// (one document changed, one added, one removed) answers every query as a
// Build of the same documents does, the typo retry included: the changed
// document's old words, which only the older index holds, must not be
// offered as expansions of a misspelt word.
func TestUpdate(t *testing.T) {
	var now []Doc
	for _, d := range fixtureDocs {
		if d.Lang == "fr" {
			now = append(now, d)
		}
	}
	if len(now) < 3 {
		t.Fatalf("the fixture has %d French documents, want at least 3", len(now))
	}
	changed, added := now[0], now[1]
	// Before: changed had other words, added was not there, gone was.
	before := []Doc{now[0]}
	before[0].Body += " Hopitalisation urgentissime au dispensaire."
	before = append(before, now[2:]...)
	gone := Doc{ID: "fr:fiches/ancienne", Lang: "fr", URL: "/fr/fiches/ancienne/", Section: "fiches",
		Title: "Ancienne fiche sur la pharmacie", Body: "Une pharmacie de garde ouvre la nuit: pharmacien."}
	before = append(before, gone)

	base := t.TempDir()
	if err := Build(base, before, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Update(dir, "fr", filepath.Join(base, "fr.bleve"), []string{changed.ID, gone.ID}, []Doc{changed, added}); err != nil {
		t.Fatal(err)
	}
	if err := Build(dir, nil, fixtureSyn(t)); err != nil { // synonyms.json
		t.Fatal(err)
	}
	got, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	want, _ := buildIndex(t, now, fixtureSyn(t))
	found := 0
	for _, req := range []Request{
		{Lang: "fr", Query: "aide medicale urgente"},
		{Lang: "fr", Query: "AMU"},
		{Lang: "fr", Query: "medicale urgnete"},
		{Lang: "fr", Query: "hopitalisatoin"}, // typo of a word only the old version had
		{Lang: "fr", Query: "dispensair"},     // prefix of one
		{Lang: "fr", Query: "pharmacie"},      // in the removed document too
		{Lang: "fr", Query: "pharmacein"},     // typo of a word only it had
		{Lang: "fr", Query: "cpas", Section: "procedures"},
		{Lang: "fr", Query: "séjour"},
	} {
		rg, err := got.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		rw, err := want.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		found += len(rw.Hits)
		if diff := cmp.Diff(rw, rg); diff != "" {
			t.Errorf("%+v (-built +updated):\n%s", req, diff)
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the comparison proves nothing")
	}
}

// TestUpdateRefuses: a base that is not in the Builder's layout (here, with
// a file more, as an index bleve updated itself would have) is refused.
func TestUpdateRefuses(t *testing.T) {
	base := t.TempDir()
	if err := Build(base, fixtureDocs, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "fr.bleve", "store", "000000000005.zap"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Update(t.TempDir(), "fr", filepath.Join(base, "fr.bleve"), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "not an index the Builder wrote") {
		t.Errorf("Update from a base with another layout: %v, want refused", err)
	}
	if err := Update(t.TempDir(), "fr", filepath.Join(base, "fr.bleve"), nil, []Doc{{ID: "en:x", Lang: "en"}}); err == nil {
		t.Error("Update with a document of another language: no error")
	}
}
