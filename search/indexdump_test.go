package search

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// dumpIndex hashes, per field, every term with its postings (external doc
// ID, frequency, norm and term vectors), and the stored fields of every
// document: what queries can see of an index, without the layout of its
// files, which differs between two builds of the same documents.
func dumpIndex(t *testing.T, dir string) map[string]string {
	bi, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	ai, _ := bi.Advanced()
	r, err := ai.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fields, _ := bi.Fields()
	slices.Sort(fields)
	out := map[string]string{}
	for _, f := range fields {
		h := sha256.New()
		d, _ := r.FieldDict(f)
		nterms := 0
		for e, _ := d.Next(); e != nil; e, _ = d.Next() {
			nterms++
			fmt.Fprintf(h, "T %q %d\n", e.Term, e.Count)
			tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), f, true, true, true)
			if err != nil {
				t.Fatal(err)
			}
			var rows []string
			for p, _ := tfr.Next(nil); p != nil; p, _ = tfr.Next(nil) {
				id, _ := r.ExternalID(p.ID)
				row := fmt.Sprintf("%s %d %v", id, p.Freq, p.Norm)
				for _, v := range p.Vectors {
					row += fmt.Sprintf(" %s:%d:%d:%d", v.Field, v.Pos, v.Start, v.End)
				}
				rows = append(rows, row)
			}
			tfr.Close()
			slices.Sort(rows)
			for _, row := range rows {
				fmt.Fprintln(h, row)
			}
		}
		d.Close()
		out[f] = fmt.Sprintf("%d terms %x", nterms, h.Sum(nil)[:8])
	}
	// stored fields
	h := sha256.New()
	ids, _ := r.DocIDReaderAll()
	var docs []string
	for id, _ := ids.Next(); id != nil; id, _ = ids.Next() {
		ext, _ := r.ExternalID(id)
		doc, err := r.Document(ext)
		if err != nil {
			t.Fatal(err)
		}
		s := ext
		if doc != nil {
			var fs []string
			doc.VisitFields(func(fl index.Field) { fs = append(fs, fmt.Sprintf("%s=%q", fl.Name(), fl.Value())) })
			slices.Sort(fs)
			s += fmt.Sprint(fs)
		}
		docs = append(docs, s)
	}
	slices.Sort(docs)
	for _, s := range docs {
		fmt.Fprintln(h, s)
	}
	out["(stored)"] = fmt.Sprintf("%d docs %x", len(docs), h.Sum(nil)[:8])
	return out
}

// TestSameIndexes compares the indexes of two builds, KB_SAME_INDEX_A and
// KB_SAME_INDEX_B (search folders of kb build's output, e.g.
// out/.kb/public-1/search), language by language, as dumpIndex sees them:
// a change that must not change the index (a cheaper analysis) is checked
// on a whole generated site this way.
func TestSameIndexes(t *testing.T) {
	a, b := os.Getenv("KB_SAME_INDEX_A"), os.Getenv("KB_SAME_INDEX_B")
	if a == "" || b == "" {
		t.Skip("KB_SAME_INDEX_A and KB_SAME_INDEX_B are not set")
	}
	langs, _ := filepath.Glob(filepath.Join(a, "*.bleve"))
	if len(langs) == 0 {
		t.Fatalf("no index in %s", a)
	}
	for _, la := range langs {
		lb := filepath.Join(b, filepath.Base(la))
		da, db := dumpIndex(t, la), dumpIndex(t, lb)
		same := fmt.Sprint(da) == fmt.Sprint(db)
		t.Logf("%s same=%v %v", filepath.Base(la), same, da)
		if !same {
			t.Errorf("%s differs:\n%v\n%v", filepath.Base(la), da, db)
		}
	}
}
