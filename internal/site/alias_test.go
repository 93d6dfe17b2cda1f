package site

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

func TestCleanAlias(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"/old/page.html", "/old/page.html", true},
		{"/spip.php?article12", "/spip.php?article12", true},
		{"/spip.php?page=article&id_article=12", "/spip.php?page=article&id_article=12", true},
		{"/old/", "/old/", true},
		{"old.html", "", false},
		{"//evil.example/x", "", false},
		{"/../etc/passwd", "", false},
		{"/a/./b", "", false},
		{"/%2e%2e/x", "", false},
		{"/a%2f..%2f..%2fx", "", false},
		{"/a\\b", "", false},
		{"/a//b", "", false},
		{"/x?", "", false},
		{"/a\x00b", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, msg := CleanAlias(tt.in)
			if (msg == "") != tt.ok || got != tt.want {
				t.Errorf("CleanAlias(%q) = %q, %q", tt.in, got, msg)
			}
		})
	}
}

// FuzzCleanAlias checks that an accepted alias never leaves the output
// folder, however it is written or encoded.
func FuzzCleanAlias(f *testing.F) {
	for _, s := range []string{"/old.html", "/spip.php?article1", "/../x", "/%2e%2e/x", "/a/b/", "/a%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, a string) {
		got, msg := CleanAlias(a)
		if msg != "" {
			return
		}
		p, _, _ := strings.Cut(got, "?")
		dec, err := url.PathUnescape(p)
		if err != nil {
			t.Fatalf("accepted %q, which does not unescape", a)
		}
		if !strings.HasPrefix(path.Clean("/"+dec), "/") || strings.Contains(dec, "..") || strings.ContainsAny(dec, "\\\x00") {
			t.Fatalf("accepted %q, which escapes: %q", a, dec)
		}
	})
}
