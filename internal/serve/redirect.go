package serve

import "strings"

// sitePath makes a redirect target a path of this site: a Location that
// starts with "//" or "/\" is read by browsers as another host (an open
// redirect), so leading slashes and backslashes collapse to one slash.
// Redirects whose target comes from the request or the build go through it.
func sitePath(to string) string {
	return "/" + strings.TrimLeft(to, "/\\")
}
