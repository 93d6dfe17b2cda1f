package pdf

import "regexp"

// pageObject matches the type entry of a page object, not of the page tree
// ("/Type /Pages"). Chromium (Skia) writes object dictionaries uncompressed,
// so counting them counts the pages; the tests check the count against
// poppler's pdfinfo.
var pageObject = regexp.MustCompile(`/Type\s*/Page[^s\w]`)

// PageCount returns the number of pages of a PDF written by Chromium.
func PageCount(data []byte) int {
	return len(pageObject.FindAllIndex(data, -1))
}
