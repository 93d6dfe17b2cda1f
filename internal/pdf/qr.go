package pdf

import (
	"fmt"
	"html/template"
	"strings"

	"rsc.io/qr"
)

// qrSVG draws the QR code of text as inline SVG: one path of black
// modules and the four-module quiet zone scanners need. Vector, so it stays
// sharp at any print size and costs a few hundred bytes in the PDF.
func qrSVG(text, label string) (template.HTML, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="kb-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`,
		n, n, template.HTMLEscapeString(label), n, n)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if !c.Black(x, y) {
				continue
			}
			// Join a run of black modules into one rectangle.
			end := x
			for end+1 < c.Size && c.Black(end+1, y) {
				end++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, end-x+1, end-x+1)
			x = end
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
