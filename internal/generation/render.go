package generation

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/render"
	"kb/internal/site"
	"kb/internal/source"
)

// What the server renders itself — the search page, with the site's own
// templates — it renders from the generation, not from the site folder:
// the search page then matches the pages it was built with, and kb serve
// --no-build (or a server following new builds) reads a few small files
// instead of parsing and rendering all the Markdown. render/ is laid out
// as a small site folder:
//
//	render/templates/   the site's templates (not its static files, but
//	                    static/style.css, which pages inline)
//	render/i18n/        the site's language files
//	render/site.json    the settings, and every page's frontmatter and URL
//	                    (no bodies: the search page shows none)
//
// A template rendered by the server sees the whole site as the build's
// templates see it, but for the pages' bodies, headings, aliases, glossary
// terms, files, recordings and source paths. Nothing here is secret: the
// templates and strings show in every page, and the frontmatter kept is
// what the pages publish.

// siteFile is render/site.json.
type siteFile struct {
	Settings source.Settings `json:"settings"`
	Groups   []groupData     `json:"groups"`
}

type groupData struct {
	Section string     `json:"section"`
	Key     string     `json:"key"`
	Pages   []pageData `json:"pages"` // in the site's language order
}

type pageData struct {
	Lang      string    `json:"lang"`
	Slug      string    `json:"slug"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Summary   string    `json:"summary,omitempty"`
	Topics    []string  `json:"topics,omitempty"`
	Audience  string    `json:"audience,omitempty"`
	Residence []string  `json:"residence,omitempty"`
	Date      time.Time `json:"date,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`
	Reviewed  time.Time `json:"reviewed,omitzero"`
	Weight    int       `json:"weight,omitempty"`
	MetaSlug  string    `json:"meta_slug,omitempty"`
}

// WriteRender writes render/ into the generation folder gen, from the site
// folder fsys and the assembled site.
func WriteRender(gen string, fsys fs.FS, s *site.Site) error {
	dir := filepath.Join(gen, RenderDir)
	err := fs.WalkDir(fsys, "templates", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p == "templates/static":
			return copyFile(fsys, "templates/static/style.css", dir)
		case d.IsDir() || strings.HasPrefix(d.Name(), "."):
			return nil
		}
		return copyFile(fsys, p, dir)
	})
	if err != nil {
		return err
	}
	entries, err := fs.ReadDir(fsys, "i18n")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && path.Ext(e.Name()) == ".toml" && !strings.HasPrefix(e.Name(), ".") {
			if err := copyFile(fsys, path.Join("i18n", e.Name()), dir); err != nil {
				return err
			}
		}
	}
	f := siteFile{Settings: s.Settings, Groups: make([]groupData, 0, len(s.Groups))}
	for _, g := range s.Groups {
		gd := groupData{Section: g.Section, Key: g.Key}
		for _, l := range s.GroupLangs(g) {
			p := g.Pages[l.Code]
			m := p.Meta
			gd.Pages = append(gd.Pages, pageData{Lang: l.Code, Slug: p.Slug, URL: p.URL,
				Title: m.Title, Summary: m.Summary, Topics: m.Topics, Audience: m.Audience, Residence: m.Residence,
				Date: m.Date, Updated: m.Updated, Reviewed: m.Reviewed, Weight: m.Weight, MetaSlug: m.Slug})
		}
		f.Groups = append(f.Groups, gd)
	}
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "site.json"), data, 0o644)
}

func copyFile(fsys fs.FS, name, dir string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	dst := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// Renderer reads render/ of a generation: a renderer for the pages the
// server renders, over a site without bodies (site.Restore).
func Renderer(gen string) (*render.Renderer, error) {
	dir := filepath.Join(gen, RenderDir)
	var f siteFile
	if err := readJSON(filepath.Join(dir, "site.json"), &f); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: made by an older kb: build again (%w)", gen, err)
		}
		return nil, err
	}
	fsys := os.DirFS(dir)
	var problems diag.List
	langs := lang.Load(fsys, "i18n", &problems)
	t := render.LoadTemplates(fsys, &problems)
	if err := problems.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	groups := make([]*site.Group, 0, len(f.Groups))
	for _, gd := range f.Groups {
		g := &site.Group{Section: gd.Section, Key: gd.Key, Pages: make(map[string]*site.Page, len(gd.Pages))}
		for _, pd := range gd.Pages {
			file := &source.File{Section: gd.Section, Key: gd.Key, Lang: pd.Lang, Meta: source.Meta{
				Title: pd.Title, Summary: pd.Summary, Topics: pd.Topics, Audience: pd.Audience, Residence: pd.Residence,
				Date: pd.Date, Updated: pd.Updated, Reviewed: pd.Reviewed, Weight: pd.Weight, Slug: pd.MetaSlug}}
			g.Pages[pd.Lang] = &site.Page{File: file, Slug: pd.Slug, URL: pd.URL}
		}
		groups = append(groups, g)
	}
	return &render.Renderer{Site: site.Restore(f.Settings, langs, groups), T: t}, nil
}
