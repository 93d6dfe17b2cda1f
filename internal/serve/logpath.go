package serve

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// logPath is the request path as the log shows it: control characters
// (newlines, carriage returns, escape sequences), invisible format
// characters (bidi overrides, which reorder what a terminal shows) and
// invalid UTF-8 are percent-encoded, byte by byte, as in a URL, so that a
// request can neither forge a log line nor hide what it asked for. Letters
// of every script stay readable.
func logPath(p string) string {
	clean := true
	for _, r := range p {
		if r == utf8.RuneError || r == '%' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			clean = false
			break
		}
	}
	if clean {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		if (r == utf8.RuneError && n <= 1) || r == '%' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			for _, c := range []byte(p[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}
