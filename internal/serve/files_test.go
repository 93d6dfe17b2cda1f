package serve_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestRangeAndConditional: files answer byte ranges and conditional
// requests straight from the generation, as nginx does: a PDF (PDF viewers
// read a large one by ranges), and a page served precompressed, which
// comes whole, as nginx's gzip_static sends it (deploytest compares them).
func TestRangeAndConditional(t *testing.T) {
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var pdf strings.Builder
	pdf.WriteString("%PDF-1.4\n")
	for i := range 200 {
		fmt.Fprintf(&pdf, "%% line %03d of a sample form\n", i)
	}
	archive := strings.Replace(string(data), "la [carte](card.png).", "la [carte](card.png) et le [formulaire](form.pdf).", 1) +
		"-- content/fiches/urgent-care/form.pdf --\n" + pdf.String()
	fixture := sitetest.Build(t, archive, false)
	st, err := serve.Open(fixture.Result.Generation)
	if err != nil {
		t.Fatal(err)
	}
	ts := serveState(t, st)

	const pdfPath = "/files/fiches/urgent-care/form.pdf"
	const page = "/fr/fiches/aide-medicale-urgente/"
	full := get(t, ts, "GET", pdfPath)
	if full.status != 200 || full.body != pdf.String() || full.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("%s: %d %s, %d bytes", pdfPath, full.status, full.header.Get("Content-Type"), len(full.body))
	}
	etag := full.header.Get("ETag")
	gz := get(t, ts, "GET", page, "Accept-Encoding", "gzip")
	if gz.header.Get("Content-Encoding") != "gzip" || gz.body[:2] != "\x1f\x8b" {
		t.Fatalf("%s is not served precompressed: %v", page, gz.header)
	}
	plain := get(t, ts, "GET", page)
	n := len(pdf.String())
	tests := []struct {
		name     string
		method   string
		path     string
		headers  []string
		status   int
		body     string // "*": any
		crange   string
		encoding string
	}{
		{"pdf range", "GET", pdfPath, []string{"Range", "bytes=100-199"}, 206, pdf.String()[100:200], fmt.Sprintf("bytes 100-199/%d", n), ""},
		{"pdf suffix range", "GET", pdfPath, []string{"Range", "bytes=-50"}, 206, pdf.String()[n-50:], fmt.Sprintf("bytes %d-%d/%d", n-50, n-1, n), ""},
		{"pdf open range", "GET", pdfPath, []string{"Range", fmt.Sprintf("bytes=%d-", n-10)}, 206, pdf.String()[n-10:], fmt.Sprintf("bytes %d-%d/%d", n-10, n-1, n), ""},
		{"pdf range past the end", "GET", pdfPath, []string{"Range", fmt.Sprintf("bytes=%d-", n+10)}, 416, "*", fmt.Sprintf("bytes */%d", n), ""},
		{"pdf if-range current", "GET", pdfPath, []string{"Range", "bytes=0-9", "If-Range", etag}, 206, pdf.String()[:10], fmt.Sprintf("bytes 0-9/%d", n), ""},
		{"pdf if-range stale", "GET", pdfPath, []string{"Range", "bytes=0-9", "If-Range", `"stale"`}, 200, pdf.String(), "", ""},
		{"pdf if-none-match", "GET", pdfPath, []string{"If-None-Match", etag}, 304, "", "", ""},
		{"pdf head range", "HEAD", pdfPath, []string{"Range", "bytes=0-9"}, 206, "", fmt.Sprintf("bytes 0-9/%d", n), ""},
		{"gzip range", "GET", page, []string{"Accept-Encoding", "gzip", "Range", "bytes=0-99"}, 200, gz.body, "", "gzip"},
		{"gzip suffix range", "GET", page, []string{"Accept-Encoding", "gzip", "Range", "bytes=-20"}, 200, gz.body, "", "gzip"},
		{"plain range", "GET", page, []string{"Range", "bytes=0-99"}, 206, plain.body[:100], fmt.Sprintf("bytes 0-99/%d", len(plain.body)), ""},
		{"gzip if-none-match", "GET", page, []string{"Accept-Encoding", "gzip", "If-None-Match", gz.header.Get("ETag")}, 304, "", "", ""},
		{"gzip if-none-match plain's tag", "GET", page, []string{"Accept-Encoding", "gzip", "If-None-Match", plain.header.Get("ETag")}, 200, gz.body, "", "gzip"},
		{"plain if-none-match gzip's tag", "GET", page, []string{"If-None-Match", gz.header.Get("ETag")}, 200, plain.body, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, ts, tt.method, tt.path, tt.headers...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			if r.body != tt.body && tt.body != "*" {
				t.Errorf("body %q, want %q", r.body, tt.body)
			}
			if got := r.header.Get("Content-Range"); got != tt.crange {
				t.Errorf("Content-Range %q, want %q", got, tt.crange)
			}
			if got := r.header.Get("Content-Encoding"); got != tt.encoding && r.status != 304 {
				t.Errorf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			if tt.status == 206 && r.header.Get("Content-Length") != fmt.Sprint(len(tt.body)) && tt.method == "GET" {
				t.Errorf("Content-Length %q for %d bytes", r.header.Get("Content-Length"), len(tt.body))
			}
		})
	}
}
