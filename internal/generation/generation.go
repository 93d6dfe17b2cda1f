// Package generation is the on-disk format of a build's output: what kb
// build writes and kb serve (or nginx, or a static host) reads.
//
// # Layout
//
// The output folder (public/ by default) is a symbolic link to the current
// generation, beside it in .kb/:
//
//	public -> .kb/public-<n>/site
//	.kb/public-<n>/site/           the static site, served as plain files,
//	                               with kb-headers.conf and _headers
//	.kb/public-<n>/search/         the bleve indexes (not served to browsers)
//	.kb/public-<n>/redirects.json  every alias, query-string ones included
//	.kb/public-<n>/kb.json         what the server needs: languages, CSP (Meta)
//	.kb/public-<n>/render/         what the server needs to render the
//	                               search page (see Renderer)
//	.kb/public-<n>/editors/        pages for editors (translation status), not
//	                               published; the preview serves them
//
// A build writes a new generation into a staging folder and then replaces
// the link with rename(2), which is atomic: a reader sees the old
// generation or the new one, never a mix. A generation does not change once
// linked (but for the preview, which updates its own in place).
//
// # Locks
//
// A server holds the generation it serves (Hold, a shared flock(2) on its
// folder) and a build removes no generation that is held. Builds lock
// their staging folders (Lock, TryLock) so that a build can tell the
// staging folder of a live build from one a killed build left behind.
package generation

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// The parts of a generation folder.
const (
	SiteDir       = "site"
	SearchDir     = "search"
	EditorsDir    = "editors"
	RenderDir     = "render"
	MetaFile      = "kb.json"
	RedirectsFile = "redirects.json"
)

// Meta is what kb.json holds: what the server needs to know of a build.
type Meta struct {
	DefaultLanguage string            `json:"default_language"`
	Languages       []MetaLang        `json:"languages"`
	CSPStyle        string            `json:"csp_style"`
	Redirects       map[string]string `json:"-"` // redirects.json
}

// MetaLang is a language as the server sees it.
type MetaLang struct {
	Code string `json:"code"`
	Tag  string `json:"tag"`
}

// Generation returns the generation folder the output link points to.
func Generation(out string) (string, error) {
	site, err := filepath.EvalSymlinks(out)
	if err != nil {
		return "", err
	}
	return filepath.Dir(site), nil
}

// WriteMeta writes kb.json and redirects.json into the generation folder
// gen, and the security headers into its site folder.
func WriteMeta(gen string, m *Meta) error {
	if err := writeJSON(filepath.Join(gen, MetaFile), m); err != nil {
		return err
	}
	if err := WriteHeaders(m.CSPStyle, filepath.Join(gen, SiteDir)); err != nil {
		return err
	}
	return writeJSON(filepath.Join(gen, RedirectsFile), m.Redirects)
}

// ReadMeta reads kb.json and redirects.json of a generation.
func ReadMeta(gen string) (*Meta, error) {
	var m Meta
	if err := readJSON(filepath.Join(gen, MetaFile), &m); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(gen, RedirectsFile), &m.Redirects); err != nil {
		return nil, err
	}
	return &m, nil
}

func writeJSON(p string, v any) error {
	data, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(p, append(data, '\n'), 0o644)
}

func readJSON(p string, v any) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}
