package pdf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAudioListed: a fiche's recording is listed in its PDF as a link with
// its address, which a reader of the paper can type.
func TestAudioListed(t *testing.T) {
	exe := chromium(t)
	dir := fixture(t)
	page := filepath.Join(dir, "content", "fiches", "urgent-care", "fr.md")
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("reviewed: 2026-11-10\n"), []byte("reviewed: 2026-11-10\naudio: { file: fr.mp3 }\n"), 1)
	if err := os.WriteFile(page, src, 0o644); err != nil {
		t.Fatal(err)
	}
	// 400 silent MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz: about 10 s.
	var mp3 bytes.Buffer
	for range 400 {
		f := make([]byte, 417)
		copy(f, []byte{0xFF, 0xFB, 0x90, 0x00})
		mp3.Write(f)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(page), "fr.mp3"), mp3.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	buildPDF(t, dir, exe)
	pub := filepath.Join(dir, "public")
	if _, err := os.Stat(filepath.Join(pub, "files", "fiches", "urgent-care", "fr.mp3")); err != nil {
		t.Errorf("the recording is not published: %v", err)
	}
	text := words(tool(t, "pdftotext", filepath.Join(pub, "fr", "fiches", "urgent-care", "urgent-care-fr.pdf"), "-"))
	// The print stylesheet writes the address after the link's text.
	for _, want := range []string{"Écouter cette page: fr.mp3, 0:10", "https://kb.example/files/fiches/", "urgent-care/fr.mp3"} {
		if !strings.Contains(text, words(want)) {
			t.Errorf("the PDF text lacks %q:\n%s", want, text)
		}
	}
	// The Russian PDF has no recording, and says nothing of one.
	ru := words(tool(t, "pdftotext", filepath.Join(pub, "ru", "fiches", "urgent-care", "urgent-care-ru.pdf"), "-"))
	if strings.Contains(ru, ".mp3") {
		t.Errorf("the Russian PDF lists a recording:\n%s", ru)
	}
}
