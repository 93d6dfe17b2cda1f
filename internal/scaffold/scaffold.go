// Package scaffold creates new pages for kb new: a news item, a fiche or a
// procedure in one or more languages, or a translation of an existing page,
// each with complete frontmatter (see CONTENT.md).
//
// # Rules
//
//   - A key is made from the title (Key); news folders start with the date.
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
	"strconv"
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
		for _, code := range langs {
			if f.Lang == code {
				return fmt.Errorf("%s already exists: kb new never overwrites a file", f.Path)
			}
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
		if key = Key(title, langs[0]); key == "" {
			return nil, fmt.Errorf("cannot make a key of ASCII letters from %q: give one with --key, e.g. --key winter-care", title)
		}
	}
	d := opt.Date.Format("2006-01-02")
	key = d + "-" + key
	if !source.ValidKey("news", key) {
		return nil, fmt.Errorf("invalid key %q: use lower-case letters a-z, digits and hyphens", strings.TrimPrefix(key, d+"-"))
	}
	if err := s.exists("news", key, langs); err != nil {
		return nil, err
	}
	var files []newFile
	for _, code := range langs {
		fm := frontmatter{
			{"title", quote(title)},
			{"summary", `""`},
			{"topics", "[]"},
			{"audience", "people"},
			{"date", d},
			{"reviewed", d},
		}
		files = append(files, newFile{path.Join("content/news", key, code+".md"), fm.String() + "\n" + newsBody})
	}
	return s.write(files)
}

const (
	newsBody      = "Write the news item here: what changes, for whom and from when, and where to get help.\n"
	ficheBody     = "Write the information here, in plain language: who it is for, what the person can do, and where to go.\n"
	procedureBody = "Describe the procedure here, step by step: who can apply, where, with which documents, and how long it takes.\n"
)

// Page creates a fiche or a procedure (section "fiches" or "procedures")
// in each language. name is its key, or a title to make the key from.
func Page(opt Options, section, name string, langs []string) ([]string, error) {
	if section != "fiches" && section != "procedures" {
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
	} else if key = Key(name, langs[0]); key == "" {
		return nil, fmt.Errorf("cannot make a key of ASCII letters from %q: give a key such as urgent-medical-aid", name)
	}
	if err := s.exists(section, key, langs); err != nil {
		return nil, err
	}
	audience, body := "people", ficheBody
	if section == "procedures" {
		audience, body = "professionals", procedureBody
	}
	d := opt.Date.Format("2006-01-02")
	var files []newFile
	for _, code := range langs {
		fm := frontmatter{
			{"title", quote(title)},
			{"summary", `""`},
			{"topics", "[]"},
			{"audience", audience},
			{"residence", "[]"},
			{"updated", d},
			{"reviewed", d},
		}
		files = append(files, newFile{path.Join("content", section, key, code+".md"), fm.String() + "\n" + body})
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
	d := opt.Date.Format("2006-01-02")
	fm := frontmatter{{"title", quote(m.Title)}, {"summary", quote(m.Summary)}}
	if len(m.Topics) > 0 || section == "fiches" || section == "procedures" || section == "news" {
		fm = append(fm, field{"topics", list(m.Topics)})
	}
	if m.Audience != "" {
		fm = append(fm, field{"audience", m.Audience})
	}
	if len(m.Residence) > 0 {
		fm = append(fm, field{"residence", list(m.Residence)})
	}
	if !m.Date.IsZero() {
		fm = append(fm, field{"date", m.Date.Format("2006-01-02")})
	}
	fm = append(fm, field{"updated", d})
	if !m.Reviewed.IsZero() {
		fm = append(fm, field{"reviewed", m.Reviewed.Format("2006-01-02")})
	}
	if m.Weight != 0 {
		fm = append(fm, field{"weight", strconv.Itoa(m.Weight)})
	}
	fm = append(fm, field{"draft", "true"})
	l := s.langs.Get(code)
	note := fmt.Sprintf("TO TRANSLATE into %s (%s) from %s: translate the title, the summary and the text below, delete this line, then set draft: false.",
		l.Name, code, src.Path)
	body := strings.TrimLeft(string(src.Body), "\n")
	p := path.Join("content", section, key, code+".md")
	if _, err := s.write([]newFile{{p, fm.String() + "\n" + note + "\n\n" + body}}); err != nil {
		return "", "", err
	}
	return p, src.Path, nil
}

type newFile struct {
	path string // relative to the site folder
	data string
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
		_, err = w.WriteString(f.data)
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

type field struct{ key, value string }

type frontmatter []field

func (fm frontmatter) String() string {
	var b strings.Builder
	b.WriteString("---\n")
	for _, f := range fm {
		b.WriteString(f.key + ": " + f.value + "\n")
	}
	b.WriteString("---\n")
	return b.String()
}

// quote writes s as a YAML double-quoted string; Go's escapes are YAML's.
func quote(s string) string { return strconv.Quote(s) }

// list writes keys as a YAML flow sequence.
func list(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = k
		if !source.ValidKey("fiches", k) {
			q[i] = quote(k)
		}
	}
	return "[" + strings.Join(q, ", ") + "]"
}
