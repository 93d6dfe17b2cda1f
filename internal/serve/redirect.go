package serve

import (
	"fmt"
	"strings"
)

// sitePath makes a redirect target a path of this site: a Location that
// starts with "//" or "/\" is read by browsers as another host (an open
// redirect), so leading slashes and backslashes collapse to one slash.
// Redirects whose target comes from the request or the build go through it.
func sitePath(to string) string {
	return "/" + strings.TrimLeft(to, "/\\")
}

// queryPart percent-encodes the bytes of a raw query that a URL may not
// hold (controls, spaces, quotes, non-ASCII and invalid UTF-8), so that a
// Location, and the little page Go writes with it, stay valid; escapes
// already there are kept.
func queryPart(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>\^`+"`"+`{|}`, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
