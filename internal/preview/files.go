package preview

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"kb/internal/render"
)

// files is the site as the server sees it, from memory: each output of the
// assembled site (render.Outputs) is rendered when it is first asked for,
// and kept for as long as the files are served, one rebuild. Nothing is
// written to disk.
type files struct {
	site fs.FS // the site folder: the files pages publish are read there
	outs map[string]render.Output
	dirs map[string]bool
	// missing gives the not-available pages that outs leaves out (those no
	// page links to: render.Renderer.NotAvailable); nil: none.
	missing func(name string) (render.Output, bool)
	// Requests render while the rebuild loop may change bodies in place:
	// Preview.Handler holds Preview.mu for them.
	cache sync.Map // path -> []byte
}

// newFiles serves the outputs whose path starts with prefix, without it.
func newFiles(site fs.FS, outs []render.Output, prefix string) *files {
	f := &files{site: site, outs: map[string]render.Output{}, dirs: map[string]bool{".": true}}
	for _, o := range outs {
		name, ok := strings.CutPrefix(o.Path, prefix)
		if !ok || (prefix == "" && strings.HasPrefix(name, "_editors/")) {
			continue
		}
		f.outs[name] = o
		for d := path.Dir(name); d != "." && !f.dirs[d]; d = path.Dir(d) {
			f.dirs[d] = true
		}
	}
	return f
}

// read renders an output, or reads the file it copies.
func (f *files) read(name string) ([]byte, error) {
	if v, ok := f.cache.Load(name); ok {
		return v.([]byte), nil
	}
	o, ok := f.output(name)
	if !ok {
		return nil, fs.ErrNotExist
	}
	if o.Copy != "" {
		return fs.ReadFile(f.site, o.Copy) // not kept: a PDF can be large
	}
	data, err := o.Render()
	if err != nil {
		return nil, err
	}
	f.cache.Store(name, data)
	return data, nil
}

// output returns the output at name: a listed one, or a not-available page.
func (f *files) output(name string) (render.Output, bool) {
	if o, ok := f.outs[name]; ok {
		return o, true
	}
	if f.missing != nil {
		return f.missing(name)
	}
	return render.Output{}, false
}

// isDir reports whether name is a folder: of a listed output, or of a
// not-available page.
func (f *files) isDir(name string) bool {
	if f.dirs[name] {
		return true
	}
	if f.missing == nil {
		return false
	}
	_, ok := f.missing(name + "/index.html")
	return ok
}

// rendered returns the bytes of name if they were rendered.
func (f *files) rendered(name string) ([]byte, bool) {
	v, ok := f.cache.Load(name)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

// Open implements fs.FS.
func (f *files) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f.isDir(name) {
		return &memFile{info: info{name: path.Base(name), dir: true}}, nil
	}
	data, err := f.read(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &memFile{info: info{name: path.Base(name), size: int64(len(data))}, r: bytes.NewReader(data)}, nil
}

// ReadFile implements fs.ReadFileFS.
func (f *files) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	data, err := f.read(name)
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	return data, nil
}

// page returns the output a URL path names (a folder names its
// index.html), and whether there is one.
func (f *files) page(urlPath string) (string, bool) {
	name := strings.Trim(path.Clean(urlPath), "/")
	if name == "" || f.isDir(name) {
		name = path.Join(name, "index.html")
	}
	_, ok := f.output(name)
	return name, ok
}

type memFile struct {
	info
	r *bytes.Reader // nil for a folder
}

func (m *memFile) Stat() (fs.FileInfo, error) { return m.info, nil }
func (m *memFile) Close() error               { return nil }
func (m *memFile) Read(b []byte) (int, error) {
	if m.r == nil {
		return 0, &fs.PathError{Op: "read", Path: m.name, Err: fs.ErrInvalid}
	}
	return m.r.Read(b)
}

type info struct {
	name string
	size int64
	dir  bool
}

func (i info) Name() string { return i.name }
func (i info) Size() int64  { return i.size }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }
