package spip

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"kb/internal/source"
)

// ManifestFile is where an import records what it wrote, relative to the
// site folder. It sits outside content/ so that kb never reads it as content.
const ManifestFile = ".spip-import.json"

// ErrConflict is returned when files changed since the previous import
// would be overwritten; nothing is written then.
var ErrConflict = errors.New("files changed since the previous import (use --force to overwrite them)")

// output is one file to write: data, or a copy of src.
type output struct {
	path string // slash-separated, relative to the site
	data []byte
	src  string
	sum  string // hex SHA-256 of the content
}

func (o *output) hash() string {
	if o.sum == "" {
		s := sha256.Sum256(o.data)
		o.sum = hex.EncodeToString(s[:])
	}
	return o.sum
}

type manifest struct {
	Comment string            `json:"comment"`
	Files   map[string]string `json:"files"` // path → hex SHA-256
}

// fileSum hashes the file name of root. Through os.Root, a symbolic link
// that leads out of root is refused, not followed.
func fileSum(root *os.Root, name string) (string, error) {
	f, err := root.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", name)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// placeDoc puts document id in the folder of pf and returns its file name
// there, or "" (reported) when its file is not available.
func (im *importer) placeDoc(pf *pageFile, id int) string {
	f := pf.f
	if name, ok := f.docNames[id]; ok {
		return name
	}
	rel := strings.TrimPrefix(path.Clean("/"+im.docs[id]["fichier"]), "/")
	rel = strings.TrimPrefix(rel, "IMG/")
	miss := func(why string) string {
		f.docNames[id] = ""
		im.rep.add(&im.rep.MissingDocuments, objKey("document", id), "IMG/%s (for %s): %s", rel, f.path(), why)
		return ""
	}
	if im.opt.Img == "" {
		return miss("no --img folder given")
	}
	if im.img == nil {
		root, err := os.OpenRoot(im.opt.Img)
		if err != nil {
			return miss(err.Error())
		}
		im.img = root
	}
	src := filepath.FromSlash(rel)
	sum, err := fileSum(im.img, src)
	if err != nil {
		if st, lerr := im.img.Lstat(src); lerr == nil && st.Mode()&os.ModeSymlink != 0 {
			return miss("a symbolic link that leads out of " + im.opt.Img + ": refused")
		}
		return miss("not found in " + im.opt.Img)
	}
	name := docName(rel, id)
	if strings.HasSuffix(name, ".md") {
		name += ".txt" // a .md file in a page folder is a page to kb
	}
	if f.used[name] {
		name = fmt.Sprintf("%d-%s", id, name)
	}
	f.used[name] = true
	f.docNames[id] = name
	f.copies = append(f.copies, output{path: "content/" + f.path() + "/" + name, src: src, sum: sum})
	return name
}

// docName makes a safe file name from a document's path.
func docName(rel string, id int) string {
	base := path.Base(rel)
	ext := strings.ToLower(path.Ext(base))
	stem := source.Key(strings.TrimSuffix(base, path.Ext(base)), "")
	if stem == "" {
		stem = fmt.Sprintf("document-%d", id)
	}
	if strings.Trim(ext, ".abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		ext = ""
	}
	return stem + ext
}

// manifestPath reports whether p can be an entry of the manifest: a clean
// path under content/. Anything else was edited by hand, and following it
// could delete a file outside the site.
func manifestPath(p string) bool {
	return strings.HasPrefix(p, "content/") && fs.ValidPath(p) && !strings.ContainsAny(p, "\\\x00")
}

// commit writes the planned files. A file is overwritten only if it is
// still what the previous import wrote (or --force); otherwise nothing at
// all is written and the conflicts are reported. Files of the site are
// read and removed through os.Root, so that no path or symbolic link in
// the manifest reaches outside the site.
func (im *importer) commit() error {
	site := im.opt.Site
	prev := manifest{Files: map[string]string{}}
	if data, err := os.ReadFile(filepath.Join(site, ManifestFile)); err == nil {
		if err := json.Unmarshal(data, &prev); err != nil {
			return fmt.Errorf("%s: %v (delete it to start afresh)", filepath.Join(site, ManifestFile), err)
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	for _, p := range sortedKeys(prev.Files) {
		if !manifestPath(p) {
			return fmt.Errorf("%s: %q is not a file of content/: the file was edited; remove that entry, or delete the file to start afresh", filepath.Join(site, ManifestFile), p)
		}
	}
	if err := os.MkdirAll(site, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(site)
	if err != nil {
		return err
	}
	defer root.Close()
	next := manifest{Comment: "Files written by kb import spip, with their SHA-256; do not edit.", Files: map[string]string{}}
	var todo []output
	planned := map[string]bool{}
	for i := range im.outputs {
		o := &im.outputs[i]
		planned[o.path] = true
		next.Files[o.path] = o.hash()
		disk, err := fileSum(root, filepath.FromSlash(o.path))
		switch {
		case err != nil && os.IsNotExist(err):
			todo = append(todo, *o)
		case err != nil:
			return err
		case disk == o.hash():
			im.rep.Unchanged = append(im.rep.Unchanged, o.path)
		case disk == prev.Files[o.path] || im.opt.Force:
			todo = append(todo, *o)
		default:
			im.rep.Conflicts = append(im.rep.Conflicts, o.path)
		}
	}
	var remove []string
	for _, p := range sortedKeys(prev.Files) {
		if planned[p] {
			continue
		}
		disk, err := fileSum(root, filepath.FromSlash(p))
		switch {
		case err != nil:
			// already gone
		case disk == prev.Files[p]:
			remove = append(remove, p)
		default:
			im.rep.Kept = append(im.rep.Kept, p)
		}
	}
	im.rep.sort()
	if len(im.rep.Conflicts) > 0 {
		return ErrConflict
	}
	if im.mapData != nil {
		if err := writeFile(im.opt.Map, im.mapData); err != nil {
			return err
		}
	}
	for _, o := range todo {
		dst := filepath.Join(site, filepath.FromSlash(o.path))
		var err error
		if o.src != "" {
			err = copyFile(dst, im.img, o.src, o.sum)
		} else {
			err = writeFile(dst, o.data)
		}
		if err != nil {
			return err
		}
		im.rep.Written = append(im.rep.Written, o.path)
	}
	for _, p := range remove {
		if err := root.Remove(filepath.FromSlash(p)); err != nil {
			return err
		}
		// Remove the folders it leaves empty, up to content/.
		for dir := path.Dir(p); dir != "content" && strings.HasPrefix(dir, "content/"); dir = path.Dir(dir) {
			if root.Remove(filepath.FromSlash(dir)) != nil {
				break
			}
		}
		im.rep.Removed = append(im.rep.Removed, p)
	}
	data, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if old, err := os.ReadFile(filepath.Join(site, ManifestFile)); err != nil || !bytes.Equal(old, data) {
		if err := writeFile(filepath.Join(site, ManifestFile), data); err != nil {
			return err
		}
	}
	im.rep.sort()
	return nil
}

// writeFile writes through a temporary file and a rename, so that a file is
// never left half-written.
func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".spip-import-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func copyFile(dst string, root *os.Root, src, sum string) error {
	data, err := root.ReadFile(src)
	if err != nil {
		return err
	}
	s := sha256.Sum256(data)
	if hex.EncodeToString(s[:]) != sum {
		return fmt.Errorf("%s changed during the import", src)
	}
	return writeFile(dst, data)
}
