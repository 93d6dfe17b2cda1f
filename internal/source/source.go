package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"

	"kb/internal/audio"
	"kb/internal/diag"
)

// File is one page in one language.
type File struct {
	Path     string // e.g. content/fiches/urgent-medical-aid/fr.md
	Section  string
	Key      string
	Lang     string
	Meta     Meta
	Body     []byte // Markdown, NFC
	BodyLine int    // file line of the body's first line
}

// Resource is a file beside the Markdown files of a group (image, PDF).
type Resource struct {
	Path    string
	Section string
	Key     string
	Name    string
	// A recording (.mp3, .ogg, .opus) is measured when read: its size and
	// what its header says, or why it could not be read.
	Size     int64
	Audio    *audio.Info
	AudioErr string
}

// Content is everything read from content/.
type Content struct {
	Settings  Settings
	Files     []*File     // sorted by path
	Resources []*Resource // sorted by path
	Synonyms  map[string]SynonymFile
}

// SynonymFile is the raw text of content/synonyms/<lang>.txt.
type SynonymFile struct {
	Path string
	Data []byte
}

// Load reads content/ from fsys (the site folder). langs holds the codes of
// the site's languages; a Markdown file for another language is an error.
func Load(fsys fs.FS, langs map[string]bool, problems *diag.List) *Content {
	return LoadCached(fsys, langs, problems, nil)
}

// LoadCached is Load with the pages' frontmatter taken from cache (nil:
// none) where a page's bytes are those it was parsed from (ParseCache).
// The folders are listed first; the files are then read and parsed in
// parallel.
func LoadCached(fsys fs.FS, langs map[string]bool, problems *diag.List, cache *ParseCache) *Content {
	c := &Content{Synonyms: map[string]SynonymFile{}}
	var jobs []*loadJob
	c.Settings = loadSettings(fsys, problems)
	checkLinks(fsys, problems)
	entries, err := fs.ReadDir(fsys, "content")
	if err != nil {
		problems.Errorf("content", 0, "cannot read the content folder: %v", err)
		return c
	}
	for _, e := range entries {
		name, p := e.Name(), path.Join("content", e.Name())
		switch {
		case strings.HasPrefix(name, "."):
		case name == "site.toml":
		case name == "synonyms" && e.IsDir():
			c.loadSynonyms(fsys, langs, problems)
		case e.IsDir():
			if sec, ok := SectionOf(name); ok {
				jobs = c.listSection(fsys, sec, langs, jobs, problems)
			} else {
				problems.Add(diag.Problem{Path: p, Msg: "unknown section " + name, Hint: "sections are " + strings.Join(Sections, ", ")})
			}
		default:
			problems.Add(diag.Problem{Path: p, Msg: "unexpected file in content/", Hint: "pages go in content/<section>/<key>/<lang>.md"})
		}
	}
	readAll(fsys, jobs, cache, problems)
	for _, j := range jobs {
		switch {
		case j.res != nil:
			c.Resources = append(c.Resources, j.res)
		case j.file != nil:
			c.Files = append(c.Files, j.file)
		}
	}
	sort.Slice(c.Files, func(i, j int) bool { return c.Files[i].Path < c.Files[j].Path })
	sort.Slice(c.Resources, func(i, j int) bool { return c.Resources[i].Path < c.Resources[j].Path })
	return c
}

func (c *Content) loadSynonyms(fsys fs.FS, langs map[string]bool, problems *diag.List) {
	entries := readDir(fsys, "content/synonyms", problems)
	for _, e := range entries {
		p := path.Join("content/synonyms", e.Name())
		code, ok := strings.CutSuffix(e.Name(), ".txt")
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if e.IsDir() || !ok {
			problems.Errorf(p, 0, "synonyms files are named <lang>.txt")
			continue
		}
		if !langs[code] {
			problems.Add(diag.Problem{Path: p, Msg: "no language " + code, Hint: "add i18n/" + code + ".toml or rename the file"})
			continue
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			problems.Errorf(p, 0, "%v", err)
			continue
		}
		if line := diag.InvalidUTF8Line(data); line > 0 {
			problems.Errorf(p, line, "invalid UTF-8: save the file as UTF-8")
			continue
		}
		c.Synonyms[code] = SynonymFile{Path: p, Data: norm.NFC.Bytes(data)}
	}
}

// loadJob is a file of a group folder to read: a page (res nil), or a
// resource to measure.
type loadJob struct {
	path, section, key, code string
	res                      *Resource
	audio                    bool  // res is a recording, to measure
	file                     *File // the page read, nil if it cannot be used
}

// listSection lists the files of a section's group folders, adding a job
// for each page and resource to jobs.
func (c *Content) listSection(fsys fs.FS, sec Section, langs map[string]bool, jobs []*loadJob, problems *diag.List) []*loadJob {
	section := sec.Name
	dir := path.Join("content", section)
	groups := readDir(fsys, dir, problems)
	for _, g := range groups {
		gp := path.Join(dir, g.Name())
		if strings.HasPrefix(g.Name(), ".") {
			continue
		}
		if !g.IsDir() {
			problems.Add(diag.Problem{Path: gp, Msg: "unexpected file", Hint: "a page goes in its own folder: " + dir + "/<key>/<lang>.md"})
			continue
		}
		key := g.Name()
		if !sec.ValidKey(key) {
			problems.Add(diag.Problem{Path: gp, Msg: "invalid folder name " + key, Hint: sec.KeyHint(key)})
			continue
		}
		files := readDir(fsys, gp, problems)
		for _, f := range files {
			fp := path.Join(gp, f.Name())
			if strings.HasPrefix(f.Name(), ".") || escapes(fsys, f, fp) {
				continue
			}
			if f.IsDir() || isDirLink(fsys, f, fp) {
				problems.Add(diag.Problem{Path: fp, Msg: "unexpected folder", Hint: "put images and PDFs directly in the page's folder"})
				continue
			}
			code, isMD := strings.CutSuffix(f.Name(), ".md")
			if !isMD {
				// The name is NFC, as the links to it are: a file saved on
				// macOS (NFD) is still found and published under one name.
				r := &Resource{Path: fp, Section: section, Key: key, Name: norm.NFC.String(f.Name())}
				jobs = append(jobs, &loadJob{path: fp, res: r, audio: IsAudio(f.Name())})
				continue
			}
			if !langs[code] {
				problems.Add(diag.Problem{Path: fp, Msg: "no language " + code, Hint: "name the file <lang>.md for a language of i18n/, or add i18n/" + code + ".toml"})
				continue
			}
			jobs = append(jobs, &loadJob{path: fp, section: section, key: key, code: code})
		}
	}
	return jobs
}

// readAll reads and parses the pages of jobs, and measures the recordings,
// on every core: parsing (UTF-8 checks, NFC, frontmatter) is most of the
// time Load takes.
func readAll(fsys fs.FS, jobs []*loadJob, cache *ParseCache, problems *diag.List) {
	next := make(chan *loadJob)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for j := range next {
				j.read(fsys, cache, problems)
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
}

func (j *loadJob) read(fsys fs.FS, cache *ParseCache, problems *diag.List) {
	if j.res != nil {
		if j.audio {
			probeAudio(fsys, j.res)
		}
		return
	}
	if info, err := fs.Stat(fsys, j.path); err == nil && info.Size() > MaxPageBytes {
		problems.Add(tooBig(j.path, int(info.Size())))
		return
	}
	data, err := fs.ReadFile(fsys, j.path)
	if err != nil {
		problems.Errorf(j.path, 0, "%v", err)
		return
	}
	j.file = cache.parse(j.path, j.section, j.key, j.code, data, problems)
}

// readDir lists a folder of content/. A folder that cannot be read (its
// permissions, a disk error) is a problem: its pages would otherwise be left
// out of the site without a word. What could be listed is still returned.
func readDir(fsys fs.FS, dir string, problems *diag.List) []fs.DirEntry {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			err = pe.Err // the path is the problem's
		}
		problems.Add(diag.Problem{Path: dir, Msg: "cannot read the folder: " + err.Error(),
			Hint: "the pages in it are not built; check the folder's permissions"})
	}
	return entries
}

// parseFile reads one page. It returns nil when the file cannot be used.
func parseFile(p, section, key, code string, data []byte, problems *diag.List) *File {
	if len(data) > MaxPageBytes {
		problems.Add(tooBig(p, len(data)))
		return nil
	}
	// A byte order mark is invisible in most editors: accept it.
	data = bytes.TrimPrefix(data, bom)
	if line := diag.InvalidUTF8Line(data); line > 0 {
		problems.Errorf(p, line, "invalid UTF-8: save the file as UTF-8")
		return nil
	}
	data = norm.NFC.Bytes(data)
	r, body, first, bodyLine, err := splitFrontmatter(data)
	if err != nil {
		problems.Errorf(p, 1, "%v", err)
		return nil
	}
	if len(r.data) > MaxFrontmatterBytes {
		problems.Errorf(p, first, "the frontmatter is %d KiB; it may have at most %d KiB", len(r.data)>>10, MaxFrontmatterBytes>>10)
		return nil
	}
	if line := frontmatterDepth(r.data, MaxFrontmatterDepth); line > 0 {
		problems.Add(diag.Problem{Path: p, Line: first + line - 1, Msg: fmt.Sprintf("brackets nested more than %d deep in the frontmatter", MaxFrontmatterDepth),
			Hint: "frontmatter values are text, dates or lists of text: [a, b]"})
		return nil
	}
	meta, errs := decodeMeta(r, first)
	for _, e := range errs {
		problems.Errorf(p, e.line, "%s", e.msg)
	}
	f := &File{Path: p, Section: section, Key: key, Lang: code, Meta: meta, Body: body, BodyLine: bodyLine}
	if meta.Title == "" && !(len(errs) == 1 && errs[0].syntax) {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("title"), Msg: "missing title", Hint: "add a line title: … to the frontmatter"})
	}
	if section == News && meta.Date.IsZero() {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("date"), Msg: "a news item needs a date", Hint: "add date: " + key[:10] + " to the frontmatter"})
	}
	if section == Newsletters && meta.Date.IsZero() {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("date"), Msg: "a newsletter edition needs a date (the day it is sent)", Hint: "add date: " + key + "-15 (the day of sending) to the frontmatter"})
	}
	if meta.Newsletter != nil && section != News {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("newsletter"), Msg: "newsletter is a key of news items only", Hint: "remove the line"})
	}
	if !meta.Since.IsZero() && section != Newsletters {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("since"), Msg: "since is a key of newsletter editions only", Hint: "remove the line"})
	}
	if !meta.Since.IsZero() && meta.Since.After(meta.Date) && !meta.Date.IsZero() {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("since"), Msg: "since is after the edition's date", Hint: "since is the first day of the news the edition gathers"})
	}
	if meta.Audience == "" {
		f.Meta.Audience = Sec(section).Audience
	}
	if meta.Slug != "" && !IsKey(meta.Slug) {
		problems.Add(diag.Problem{Path: p, Line: meta.Line("slug"), Msg: "invalid slug " + meta.Slug, Hint: "use lower-case letters a-z, digits and hyphens"})
		f.Meta.Slug = ""
	}
	if len(errs) > 0 && meta.Title == "" {
		return nil
	}
	return f
}

// IsAudio reports whether a file name is a recording kb can play.
func IsAudio(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".mp3", ".ogg", ".opus", ".oga":
		return true
	}
	return false
}

func probeAudio(fsys fs.FS, r *Resource) {
	f, err := fsys.Open(r.Path)
	if err != nil {
		r.AudioErr = err.Error()
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		r.AudioErr = err.Error()
		return
	}
	r.Size = st.Size()
	ra, ok := f.(io.ReaderAt)
	if !ok {
		data, err := io.ReadAll(f)
		if err != nil {
			r.AudioErr = err.Error()
			return
		}
		ra = bytes.NewReader(data)
	}
	info, err := audio.Probe(ra, r.Size)
	if err != nil {
		r.AudioErr = err.Error()
		return
	}
	r.Audio = &info
}
