package build_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"kb/internal/sitetest"
)

// TestGenerationReadable: a web server running as another user must read
// every folder and file of a generation, the search index included (the
// staging folder is made 0700 and bleve writes 0600 files).
func TestGenerationReadable(t *testing.T) {
	s := sitetest.Build(t, fixture(t), true)
	kb := filepath.Join(s.Dir, ".kb")
	n := 0
	err := filepath.WalkDir(kb, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o644)
		if d.IsDir() {
			want = 0o755
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(kb, "public-1", "search")); err != nil || n < 50 {
		t.Fatalf("walked %d entries; search index: %v", n, err)
	}
}
