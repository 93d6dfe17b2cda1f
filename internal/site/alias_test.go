package site

import (
	"net/url"
	"path"
	"strings"
	"testing"
	"unicode"
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
		{"/* /b 302!", "", false},
		{"/old/*", "", false},
		{"/old/:id", "", false},
		{"/a b", "", false},
		{"/a\u00a0b", "", false},
		{"/a\u200bb", "", false},
		{"/a%0ab", "", false},
		{"/x\";include", "", false},
		{"/spip.php?page=x:y", "/spip.php?page=x:y", true},
		{"/r%C3%A9sum%C3%A9.html", "/r%C3%A9sum%C3%A9.html", true},
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
	for _, s := range []string{"/old.html", "/spip.php?article1", "/../x", "/%2e%2e/x", "/a/b/", "/a%00", "/* /b 302!", "/a:b", "/a\u00a0b", "/a%0a"} {
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
		// One line of _redirects or redirects.map each, never a pattern.
		if strings.ContainsFunc(got, unicode.IsSpace) || strings.ContainsAny(p, unsafeAliasChars) || strings.ContainsFunc(dec, unicode.IsControl) {
			t.Fatalf("accepted %q, which a redirect file would misread", a)
		}
	})
}
