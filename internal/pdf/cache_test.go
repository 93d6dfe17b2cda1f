package pdf

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFingerprintKB: a test binary carries no version control stamp, like kb
// built with -buildvcs=false; a new kb binary must still change the key, or
// a changed kb would install PDFs printed by the old one.
func TestFingerprintKB(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(exe, []byte("browser"), 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(self)
	if err != nil {
		t.Fatal(err)
	}
	before, err := fingerprint(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(self, fi.ModTime(), fi.ModTime().Add(time.Hour)); err != nil {
		t.Skip("cannot touch the test binary:", err)
	}
	defer os.Chtimes(self, fi.ModTime(), fi.ModTime())
	after, err := fingerprint(exe)
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Errorf("a rebuilt kb (no version stamp) keeps the print cache's keys")
	}
}
