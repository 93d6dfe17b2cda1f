package deploytest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRangeAsNginx: kb serve answers byte ranges and conditional requests
// as nginx answers them from the same generation: a PDF (PDF viewers ask
// for ranges), a page served precompressed (the whole file: gzip_static
// ignores ranges) and the same page plain.
func TestRangeAsNginx(t *testing.T) {
	dir := site(t)
	var pdf strings.Builder
	pdf.WriteString("%PDF-1.4\n")
	for i := range 400 {
		fmt.Fprintf(&pdf, "%% line %03d of a sample form\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "content/fiches/care-for-asylum-seekers/form.pdf"), []byte(pdf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	edit(t, dir, "content/fiches/care-for-asylum-seekers/fr.md", func(s string) string {
		return s + "\n[Le formulaire](form.pdf)\n"
	})
	kbBuild(t, dir)
	addr, _, _ := kbServe(t, dir)
	base, _ := nginx(t, dir, addr)
	direct := "http://" + addr

	const doc = "/files/fiches/care-for-asylum-seekers/form.pdf"
	const page = "/fr/fiches/care-for-asylum-seekers/"
	n := pdf.Len()
	if r := get(t, base, doc); r.status != 200 || r.body != pdf.String() {
		t.Fatalf("%s through nginx: %d, %d bytes", doc, r.status, len(r.body))
	}
	gz := get(t, base, page, "Accept-Encoding", "gzip")
	if gz.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%s is not precompressed", page)
	}
	tests := []struct {
		name    string
		path    string
		headers []string
	}{
		{"pdf", doc, nil},
		{"pdf range", doc, []string{"Range", "bytes=100-199"}},
		{"pdf suffix range", doc, []string{"Range", "bytes=-64"}},
		{"pdf open range", doc, []string{"Range", fmt.Sprintf("bytes=%d-", n-10)}},
		{"pdf range over the end", doc, []string{"Range", fmt.Sprintf("bytes=%d-%d", n-10, n+100)}},
		{"pdf range past the end", doc, []string{"Range", fmt.Sprintf("bytes=%d-", n+10)}},
		{"pdf if-range stale", doc, []string{"Range", "bytes=0-9", "If-Range", `"stale"`}},
		{"gzip range", page, []string{"Accept-Encoding", "gzip", "Range", "bytes=0-99"}},
		{"gzip suffix range", page, []string{"Accept-Encoding", "gzip", "Range", "bytes=-20"}},
		{"plain range", page, []string{"Range", "bytes=10-19"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := get(t, base, tt.path, tt.headers...)
			got := get(t, direct, tt.path, tt.headers...)
			if got.status != want.status {
				t.Fatalf("kb serve %d, nginx %d", got.status, want.status)
			}
			for _, h := range []string{"Content-Range", "Content-Encoding", "Content-Length", "Content-Type", "Accept-Ranges"} {
				if got.status == 416 && h != "Content-Range" {
					continue // the error pages differ
				}
				if got.status == 206 && h == "Accept-Ranges" {
					continue // Go repeats it in a 206, nginx does not
				}
				if g, w := got.header.Get(h), want.header.Get(h); g != w {
					t.Errorf("%s: kb serve %q, nginx %q", h, g, w)
				}
			}
			if got.status != 416 && got.body != want.body {
				t.Errorf("bodies differ: kb serve %d bytes, nginx %d", len(got.body), len(want.body))
			}
		})
	}
}
