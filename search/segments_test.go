package search

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reproDocs are the fixture's documents plus enough French ones for three
// batches of the segment builder, so that both the order inside a batch
// and the merge of several segments are covered.
func reproDocs() []Doc {
	docs := append([]Doc(nil), fixtureDocs...)
	words := strings.Fields("soins hôpital médecin pharmacie CPAS séjour demande urgence carte enfant vaccin dentiste")
	for i := range 2*batchSize + 50 {
		var body strings.Builder
		for j := range 40 {
			fmt.Fprintf(&body, "%s%d ", words[(i*7+j*3)%len(words)], (i+j)%13)
		}
		docs = append(docs, Doc{
			ID: fmt.Sprintf("fr:fiches/page-%03d", i), Lang: "fr", URL: fmt.Sprintf("/fr/fiches/page-%03d/", i),
			Section: "fiches", Title: fmt.Sprintf("Page %d %s", i, words[i%len(words)]),
			Summary: words[(i+1)%len(words)] + " " + words[(i+5)%len(words)], Body: body.String(),
			Topics: []string{"access-to-care"}, Audience: "people", Reviewed: "2026-01-15",
		})
	}
	return docs
}

// files reads every file under dir by its path relative to dir.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBuildReproducible: two builds of the same documents write the same
// files, byte for byte (segments.go says what used to differ).
func TestBuildReproducible(t *testing.T) {
	docs := reproDocs()
	var trees []map[string][]byte
	for range 2 {
		dir := t.TempDir()
		if err := Build(dir, docs, fixtureSyn(t)); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, files(t, dir))
	}
	a, b := trees[0], trees[1]
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	zaps := 0
	for p, data := range a {
		if strings.HasSuffix(p, ".zap") {
			zaps++
		}
		if other, ok := b[p]; !ok {
			t.Errorf("%s is only in the first build", p)
		} else if string(other) != string(data) {
			t.Errorf("%s differs between two builds of the same documents", p)
		}
	}
	if zaps < 2 {
		t.Fatalf("%d segments: the test compares too little", zaps)
	}
}

// TestCanonicalSectionsRefuses: a segment whose checksum does not match is
// reported and left as it is, never rewritten.
func TestCanonicalSectionsRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := Build(dir, fixtureDocs, nil); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(dir, "fr"+indexExt, builderFiles[2])
	data, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := canonicalSections(seg); err != nil {
		t.Fatalf("a segment kb wrote: %v", err)
	}
	data[0] ^= 1
	if err := os.WriteFile(seg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := canonicalSections(seg); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("corrupt segment: error %v, want a checksum error", err)
	}
	after, _ := os.ReadFile(seg)
	if string(after) != string(data) {
		t.Error("a corrupt segment was rewritten")
	}
}
