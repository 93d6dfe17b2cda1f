package lang

import (
	"errors"
	"io/fs"
	"strings"
)

// Shipped are the codes of the 15 languages whose i18n/ files come with kb,
// in the order the brief names them. A tool that needs a site's languages
// before the site has an i18n/ folder (kb import spip) takes these.
var Shipped = []string{"nl", "fr", "en", "es", "pt", "ar", "tr", "ru", "uk", "ro", "sq", "fa", "prs", "ps", "ti"}

// Codes returns the codes of the language files in dir of fsys, sorted,
// without reading the files: a language exists because <code>.toml does. A
// missing dir gives none.
func Codes(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var out []string
	for _, e := range entries {
		if code, ok := strings.CutSuffix(e.Name(), ".toml"); ok && !e.IsDir() && !strings.HasPrefix(code, ".") {
			out = append(out, code)
		}
	}
	return out, err
}
