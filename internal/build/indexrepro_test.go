package build_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIndexReproducible: two cold builds of the included site write the
// same search index folder, byte for byte (search/segments.go says how).
// TestDeterministic covers the rest of the generation.
func TestIndexReproducible(t *testing.T) {
	resA, _ := buildRepo(t)
	resB, _ := buildRepo(t)
	a := tree(t, filepath.Join(resA.Generation, "search"))
	b := tree(t, filepath.Join(resB.Generation, "search"))
	if len(a) != len(b) {
		t.Fatalf("%d files vs %d", len(a), len(b))
	}
	zaps := 0
	for p, data := range a {
		if strings.HasSuffix(p, ".zap") {
			zaps++
		}
		if b[p] != data {
			t.Errorf("%s differs between two cold builds", p)
		}
	}
	if zaps == 0 {
		t.Fatal("no segments: the test compares nothing")
	}
}
