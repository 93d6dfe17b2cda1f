package build_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"kb/internal/sitetest"
)

// TestGenerationReadable: a web server running as another user must read
// every folder and file of a generation, the search index included (the
// staging folder is made 0700 and bleve writes 0600 files).
func TestGenerationReadable(t *testing.T) {
	s := sitetest.Build(t, fixture(t), true)
	checkModes(t, filepath.Join(s.Dir, ".kb"))
}

// TestGenerationReadableUmask: under a umask that takes the modes away, a
// build sets them (it cannot count on its own files being 0644); and a
// cache whose entries are not 0644 (made by a build killed under such a
// umask before it set the modes) gives none of them to the next build.
func TestGenerationReadableUmask(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	out := filepath.Join(dir, "public")
	old := syscall.Umask(0o077)
	first := buildSite(t, dir, out)
	syscall.Umask(old)
	checkModes(t, first.Generation)

	var entries []string
	for _, kind := range []string{"out", "gz"} {
		m, _ := filepath.Glob(filepath.Join(dir, ".kb", "cache", kind, "*", "*"))
		entries = append(entries, m...)
	}
	if len(entries) == 0 {
		t.Fatal("no cache entries")
	}
	for _, p := range entries {
		if err := os.Chmod(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res := buildSite(t, dir, out)
	if c := res.Cache; c.OutHits != 0 {
		t.Errorf("rendered files of mode 0600 used: %v", c)
	}
	// The build does not walk its site folder now (the umask keeps the
	// modes): a .gz entry of mode 0600 linked would show here. (The old
	// generations share inodes with the entries: only the new one is
	// checked.)
	checkModes(t, res.Generation)
}

func checkModes(t *testing.T, kb string) {
	t.Helper()
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
	if n < 50 {
		t.Fatalf("walked %d entries", n)
	}
}
