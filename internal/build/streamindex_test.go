package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"kb/internal/build"
	"kb/internal/sitetest"
	"kb/search"
)

// TestStreamedIndex: kb build gives the indexer one document at a time,
// each page's plain text read back from the spill file (the pages hold
// none once their bodies are spilled), yet its index answers every
// question of the relevance set, and the cache test's queries, exactly as
// an index built at once from the documents of a site loaded in memory
// (as kb check and the relevance tests build it).
func TestStreamedIndex(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	res, err := build.Build(context.Background(), build.Options{Site: sitetest.Root(), Out: out})
	if err != nil {
		t.Fatal(err)
	}
	spilled := 0
	for _, g := range res.Site.Groups {
		for _, p := range g.Pages {
			if p.Text == "" && p.Section != "news" {
				spilled++
			}
		}
	}
	if spilled == 0 {
		t.Fatal("no page's text was spilled: the test compares nothing new")
	}
	streamed, err := search.Open(filepath.Join(res.Generation, "search"))
	if err != nil {
		t.Fatal(err)
	}
	defer streamed.Close()
	whole, _ := includedIndex(t)

	reqs := append([]search.Request(nil), queries...)
	for _, q := range readQuestions(t) {
		reqs = append(reqs, search.Request{Lang: q.lang, Query: q.text})
	}
	found := 0
	for _, req := range reqs {
		want, err := whole.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := streamed.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		found += len(want.Hits)
		// Scores may differ in the last bit between two builds of the
		// same documents (bleve sums in no fixed order): equal to 1e-12.
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
			t.Errorf("%+v (-built at once +streamed):\n%s", req, diff)
		}
	}
	if found == 0 {
		t.Fatal("no query found anything: the comparison proves nothing")
	}
	t.Logf("%d queries, %d hits compared; %d pages' text spilled", len(reqs), found, spilled)
	// The spill file is unlinked: nothing of it is left.
	ents, _ := os.ReadDir(filepath.Join(dir, ".kb"))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "spill-") {
			t.Errorf("spill file %s left behind", e.Name())
		}
	}
}
