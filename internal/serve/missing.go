package serve

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"time"
)

// The build writes the "not available in your language" page of a group
// only where a page links to it (render.Renderer.Outputs); the URL of any
// page in any other language is a guess a reader may still make (editing
// the language in the address). The server answers those from the
// generation's templates and site data (generation.Renderer) with the
// bytes the build would have written, status 200, as it serves a file:
// same headers, ETag from the bytes, gzip when accepted. nginx sends every
// path that is not a file here (deploy/nginx/kb.conf); a static host
// without kb serve answers them with the language's 404 page.

// notAvailable answers the not-available page at name (the request's
// cleaned path, without its leading slash), and reports whether it did.
func (s *Server) notAvailable(w http.ResponseWriter, r *http.Request, st *State, p, name string) bool {
	if st.Renderer == nil {
		return false
	}
	out := name
	if path.Base(name) != "index.html" {
		out = name + "/index.html"
	}
	o, ok := st.Renderer.NotAvailable(out)
	if !ok {
		return false
	}
	if out != name && !strings.HasSuffix(p, "/") {
		folderRedirect(w, r, name)
		return true
	}
	data, err := o.Render()
	if err != nil {
		http.Error(w, "cannot render the page", http.StatusInternalServerError)
		return true
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		if z, err := compress(data); err == nil {
			data = z
			// As sendFile: the whole compressed page, never a range of it.
			if r.Header.Get("Range") != "" {
				r = r.Clone(r.Context())
				r.Header.Del("Range")
			}
			w = gzipped{w}
		}
	}
	// From the bytes sent, as State.etag: the gzip answer is its own
	// representation with its own tag, as a written page's .gz has.
	sum := sha256.Sum256(data)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(data))
	return true
}
