// Package scaffold creates new pages for kb new: a news item, a fiche or a
// procedure in one or more languages, or a translation of an existing page,
// each with complete frontmatter (see CONTENT.md).
//
// # Rules
//
//   - A key is made from the title (source.Key); news folders start with
//     the date.
//   - Pages are written with source.FormatPage: the frontmatter kb reads.
//   - A language must have its i18n/<code>.toml; without --lang, the site's
//     default language is used.
//   - No file is ever overwritten, and nothing is written when any file
//     would be; a page of an existing group is made with Translation.
//   - A translation copies the source's title, summary, topics, audience,
//     residence, weight, date and reviewed, sets updated to the day and
//     draft: true, and starts its body with a note line above the source's
//     text: a draft is not published, so the page never goes live half
//     translated. The source is the page check.Source picks.
//
// Every file written passes kb build's validation (its warnings say what is
// left to write: an empty summary, no topic).
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/source"
	"kb/internal/status"
)

// Options say where and when pages are made.
type Options struct {
	Site string    // site folder
	Date time.Time // the day written as date, updated and reviewed
}

// day is the day of opt.Date, in its own time zone.
func (opt Options) day() time.Time {
	y, m, d := opt.Date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// site is what scaffolding needs to know of a site.
type site struct {
	dir      string
	langs    *lang.Set
	settings source.Settings
	files    []*source.File
}

func load(dir string) (*site, error) {
	fsys := os.DirFS(dir)
	var problems diag.List
	langs := lang.Load(fsys, "i18n", &problems)
	if len(langs.List) == 0 {
		return nil, fmt.Errorf("%s has no languages (i18n/<code>.toml): run kb new in the site folder, or give it with --site", dir)
	}
	codes := map[string]bool{}
	for _, l := range langs.List {
		codes[l.Code] = true
	}
	c := source.Load(fsys, codes, &problems)
	return &site{dir: dir, langs: langs, settings: c.Settings, files: c.Files}, nil
}

// languages checks the codes, or returns the default language when there
// are none.
func (s *site) languages(codes []string) ([]string, error) {
	if len(codes) == 0 {
		if s.settings.DefaultLanguage == "" {
			return nil, errors.New("say which languages with --lang, e.g. --lang fr,nl (content/site.toml has no default_language)")
		}
		codes = []string{s.settings.DefaultLanguage}
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		if s.langs.Get(c) == nil {
			return nil, fmt.Errorf("unknown language %q: the site's languages are %s (a language is added with i18n/%s.toml)",
				c, strings.Join(s.langs.Codes(), ", "), c)
		}
		seen[c] = true
		out = append(out, c)
	}
	return out, nil
}

// exists refuses to make a page in a group that has pages already, naming
// the file when it is one of those to write.
func (s *site) exists(section, key string, langs []string) error {
	var other *source.File
	for _, f := range s.files {
		if f.Section != section || f.Key != key {
			continue
		}
		if slices.Contains(langs, f.Lang) {
			return fmt.Errorf("%s already exists: kb new never overwrites a file", f.Path)
		}
		other = f
	}
	if other != nil {
		return fmt.Errorf("%s/ already exists: add a language with kb new translation %s/%s <lang>", path.Dir(other.Path), section, key)
	}
	return nil
}

// News creates content/news/<date>-<key>/<lang>.md in each language, with
// the same title to translate. key is made from the title when empty. It
// returns the files written, relative to the site folder.
func News(opt Options, title string, langs []string, key string) ([]string, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New("a news item needs a title: kb new news \"Title\"")
	}
	s, err := load(opt.Site)
	if err != nil {
		return nil, err
	}
	if langs, err = s.languages(langs); err != nil {
		return nil, err
	}
	if key == "" {
		if key = source.Key(title, langs[0]); key == "" {
			return nil, fmt.Errorf("cannot make a key of ASCII letters from %q: give one with --key, e.g. --key winter-care", title)
		}
	}
	d := opt.Date.Format("2006-01-02")
	key = d + "-" + key
	if !source.ValidKey(source.News, key) {
		return nil, fmt.Errorf("invalid key %q: use lower-case letters a-z, digits and hyphens", strings.TrimPrefix(key, d+"-"))
	}
	if err := s.exists(source.News, key, langs); err != nil {
		return nil, err
	}
	day := opt.day()
	var files []newFile
	for _, code := range langs {
		m := source.Meta{Title: title, Audience: "people", Date: day, Reviewed: day}
		files = append(files, newFile{path.Join("content", source.News, key, code+".md"), source.FormatPage(m, newsBody, "summary", "topics")})
	}
	return s.write(files)
}

const (
	newsBody      = "Write the news item here: what changes, for whom and from when, and where to get help.\n"
	ficheBody     = "Write the information here, in plain language: who it is for, what the person can do, and where to go.\n"
	procedureBody = "Describe the procedure here, step by step: who can apply, where, with which documents, and how long it takes.\n"
)

// Page creates a fiche or a procedure (section source.Fiches or
// source.Procedures) in each language. name is its key, or a title to make
// the key from.
func Page(opt Options, section, name string, langs []string) ([]string, error) {
	if section != source.Fiches && section != source.Procedures {
		return nil, fmt.Errorf("kb new makes fiches and procedures, not %s", section)
	}
	name = strings.TrimSpace(name)
	s, err := load(opt.Site)
	if err != nil {
		return nil, err
	}
	if langs, err = s.languages(langs); err != nil {
		return nil, err
	}
	key, title := name, name
	if source.ValidKey(section, name) {
		title = strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ")
	} else if key = source.Key(name, langs[0]); key == "" {
		return nil, fmt.Errorf("cannot make a key of ASCII letters from %q: give a key such as urgent-medical-aid", name)
	}
	if err := s.exists(section, key, langs); err != nil {
		return nil, err
	}
	body := ficheBody
	if section == source.Procedures {
		body = procedureBody
	}
	day := opt.day()
	var files []newFile
	for _, code := range langs {
		m := source.Meta{Title: title, Audience: source.Sec(section).Audience, Updated: day, Reviewed: day}
		files = append(files, newFile{path.Join("content", section, key, code+".md"), source.FormatPage(m, body, "summary", "topics", "residence")})
	}
	return s.write(files)
}

// Translation creates content/<section>/<key>/<lang>.md as a draft copy of
// the group's source page. id is "section/key". It returns the file
// written and the source's path.
func Translation(opt Options, id, code string) (created, from string, err error) {
	section, key, ok := strings.Cut(strings.Trim(id, "/"), "/")
	if !ok || strings.Contains(key, "/") {
		return "", "", fmt.Errorf("name the page as section/key, e.g. fiches/urgent-medical-aid, not %q", id)
	}
	s, err := load(opt.Site)
	if err != nil {
		return "", "", err
	}
	if _, err := s.languages([]string{code}); err != nil {
		return "", "", err
	}
	var group []*source.File
	for _, f := range s.files {
		if f.Section == section && f.Key == key {
			group = append(group, f)
		}
	}
	src := status.Source(group, s.settings.DefaultLanguage)
	if src == nil {
		dir := path.Join("content", section, key)
		if _, err := os.Stat(filepath.Join(s.dir, filepath.FromSlash(dir))); err == nil {
			return "", "", fmt.Errorf("%s/ has no page kb can read: run kb check to see what is wrong", dir)
		}
		return "", "", fmt.Errorf("there is no page %s (no folder %s/)", id, dir)
	}
	m := src.Meta
	tm := source.Meta{Title: m.Title, Summary: m.Summary, Topics: m.Topics, Audience: m.Audience, Residence: m.Residence,
		Date: m.Date, Updated: opt.day(), Reviewed: m.Reviewed, Weight: m.Weight, Draft: true}
	blank := []string{"summary"}
	if source.Sec(section).Topical {
		blank = append(blank, "topics")
	}
	l := s.langs.Get(code)
	note := fmt.Sprintf("TO TRANSLATE into %s (%s) from %s: translate the title, the summary and the text below, delete this line, then set draft: false.",
		l.Name, code, src.Path)
	body := strings.TrimLeft(string(src.Body), "\n")
	p := path.Join("content", section, key, code+".md")
	if _, err := s.write([]newFile{{p, source.FormatPage(tm, note+"\n\n"+body, blank...)}}); err != nil {
		return "", "", err
	}
	return p, src.Path, nil
}

type newFile struct {
	path string // relative to the site folder
	data []byte
}

// write writes every file, or none when one exists.
func (s *site) write(files []newFile) ([]string, error) {
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(s.dir, filepath.FromSlash(f.path))); err == nil {
			return nil, fmt.Errorf("%s already exists: kb new never overwrites a file", f.path)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	var out []string
	for _, f := range files {
		p := filepath.Join(s.dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return out, err
		}
		w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return out, err
		}
		_, err = w.Write(f.data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return out, err
		}
		out = append(out, f.path)
	}
	return out, nil
}
