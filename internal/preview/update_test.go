package preview

import (
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"

	"kb/internal/sitetest"
)

// unreadable is a file system in which one folder cannot be listed.
type unreadable struct {
	fs.FS
	dir string // "" while it can be
}

func (u *unreadable) ReadDir(name string) ([]fs.DirEntry, error) {
	if u.dir != "" && name == u.dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrPermission}
	}
	return fs.ReadDir(u.FS, name)
}

// A changed folder that cannot be listed is reported, as a full build
// reports it, not skipped with the pages in it.
func TestUpdateUnreadableFolder(t *testing.T) {
	dir := sitetest.Write(t, fixture(t))
	u := &unreadable{FS: os.DirFS(dir)}
	m := newModel(u, false, "")
	m.loadAll()
	m.assemble()
	const folder = "content/fiches/urgent-care"
	u.dir = folder
	var mu sync.RWMutex
	if ch := m.update([]string{folder}, &mu); !ch.site {
		t.Errorf("update of an unreadable folder: site not assembled again")
	}
	found := false
	for _, p := range m.shape {
		if p.Path == folder && strings.Contains(p.Msg, "cannot read the folder") {
			found = true
		}
	}
	if !found {
		t.Errorf("no problem for the unreadable folder; shape problems: %v", m.shape)
	}
	u.dir = ""
	m.update([]string{folder}, &mu)
	for _, p := range m.shape {
		if p.Path == folder {
			t.Errorf("problem kept once the folder is readable: %v", p)
		}
	}
}
