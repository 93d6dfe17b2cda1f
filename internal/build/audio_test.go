package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"kb/internal/sitetest"
)

// TestAudio: a fiche's recording is played by the browser's own player,
// downloaded only on request, with its length and size read from the file,
// and listed in the sitemap; a length that disagrees is a warning.
func TestAudio(t *testing.T) {
	dir := sitetest.Write(t, base+"-- content/fiches/two/en.md --\n---\ntitle: Two\ntopics: [care]\naudio: { file: en.mp3, duration: \"0:26\", transcript: self }\n---\nText.\n"+
		"-- content/fiches/three/en.md --\n---\ntitle: Three\ntopics: [care]\naudio: { file: en.mp3, duration: \"3:00\" }\n---\nText.\n")
	// 1000 frames of MPEG-1 layer III at 128 kbit/s: 26 s, 417,000 bytes.
	frame := make([]byte, 417)
	copy(frame, []byte{0xFF, 0xFB, 0x90, 0x00})
	mp3 := bytes.Repeat(frame, 1000)
	for _, k := range []string{"two", "three"} {
		if err := os.WriteFile(filepath.Join(dir, "content", "fiches", k, "en.mp3"), mp3, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := sitetest.BuildDir(t, dir, false)
	s.Contains(t, "en/fiches/two/index.html",
		`<audio controls preload="none" src="/files/fiches/two/en.mp3"></audio>`,
		`<a href="/files/fiches/two/en.mp3" type="audio/mpeg">en.mp3</a>, 0:26, 0.4 MB)`)
	s.Contains(t, "files/fiches/two/en.mp3")
	s.Contains(t, "sitemap.xml", `<loc>https://kb.example/files/fiches/two/en.mp3</loc>`)
	var warned bool
	for _, p := range s.Result.Problems {
		if p.Path == "content/fiches/three/en.md" && p.Line == 4 && p.Msg == "audio duration 3:00, but content/fiches/three/en.mp3 lasts 0:26" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning about the wrong duration in %v", s.Result.Problems)
	}
}
