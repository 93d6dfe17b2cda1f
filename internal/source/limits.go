package source

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"

	"kb/internal/diag"
)

// Limits on what a page may hold. They are far above any real page and far
// below what makes the parsers slow (deep nesting and huge files cost
// seconds to minutes), so that a broken or hostile file gets a clear error
// at once. CONTENT.md documents them.
const (
	MaxPageBytes        = 256 << 10 // a Markdown file, frontmatter included
	MaxFrontmatterBytes = 16 << 10
	MaxFrontmatterDepth = 8 // [ and { inside each other
)

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte("\uFEFF")

// frontmatterDepth returns the first line (1-based, within data) where
// brackets nest deeper than max, or 0. It skips quoted strings and comments
// roughly (YAML and TOML alike): a false alarm needs brackets nested deeper
// than max, which no frontmatter key allows.
func frontmatterDepth(data []byte, max int) int {
	depth, line := 0, 1
	var quote byte
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			line++
			if quote != 0 && !bytes.HasPrefix(data[i+1:], []byte{quote, quote}) {
				// Multi-line strings are rare in frontmatter; a newline ends
				// a string for this count, which errs towards counting.
				quote = 0
			}
			continue
		}
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return line
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return 0
}

// SiteFS opens the site folder as a file system that refuses to follow a
// symbolic link out of it (os.Root), so that no file outside the site can
// be read into a page or copied into the output.
func SiteFS(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return root.FS(), nil
}

// checkLinks reports every symbolic link under content/, templates/ and
// i18n/ that leads out of the site (or nowhere). On a SiteFS such a link
// cannot be opened; the report says which file it is and what to do.
func checkLinks(fsys fs.FS, problems *diag.List) {
	for _, dir := range []string{"content", "templates", "i18n"} {
		fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			if _, err := fs.Stat(fsys, p); err != nil {
				to, err := fs.ReadLink(fsys, p)
				if err != nil {
					to = "a place that cannot be read"
				}
				problems.Add(diag.Problem{Path: p, Msg: fmt.Sprintf("symbolic link to %s, which leads out of the site (or to nothing): kb does not follow it", to),
					Hint: "put the file itself here, not a link"})
			}
			return nil
		})
	}
}

// escapes reports whether p is a symbolic link that cannot be followed
// inside fsys (checkLinks reports it).
func escapes(fsys fs.FS, d fs.DirEntry, p string) bool {
	if d.Type()&fs.ModeSymlink == 0 {
		return false
	}
	_, err := fs.Stat(fsys, p)
	return err != nil
}

// isDirLink reports whether p is a symbolic link to a folder of the site.
func isDirLink(fsys fs.FS, d fs.DirEntry, p string) bool {
	if d.Type()&fs.ModeSymlink == 0 {
		return false
	}
	info, err := fs.Stat(fsys, p)
	return err == nil && info.IsDir()
}

func tooBig(p string, n int) diag.Problem {
	return diag.Problem{Path: p, Msg: fmt.Sprintf("the file is %d KiB; a page may have at most %d KiB", n>>10, MaxPageBytes>>10),
		Hint: "split " + path.Base(p) + " into several pages"}
}
