package site

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/unicode/norm"

	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/markdown"
	"kb/internal/source"
)

// Site is an assembled site.
type Site struct {
	Settings source.Settings
	Langs    *lang.Set
	Groups   []*Group // sorted by section order, then key
	Synonyms map[string]source.SynonymFile
	Aliases  []Alias // sorted by From

	files  []*source.Resource         // every file of content/, by path
	byKey  map[string]*Group          // "section/key"
	drafts map[string]bool            // groups that exist only as drafts (not built)
	terms  map[string][]markdown.Term // glossary terms by language (glossary.go)
	// termKeys are termsKey of each language's terms, made once: every
	// page but a glossary entry keeps its language's (glossary.go).
	termKeys map[string]string
	// targets sums up what links resolve against (body.go, linkTargets).
	targets [32]byte
}

// Group is one page in all the languages it exists in.
type Group struct {
	Section   string
	Key       string
	Pages     map[string]*Page   // by language code
	Resources []*source.Resource // every file of the folder; see Published
}

// Published returns the files of the group that one of its pages links to
// or plays (audio:), in path order: any other file is not published.
func (g *Group) Published() []*source.Resource {
	linked := map[*source.Resource]bool{}
	played := map[string]bool{}
	for _, p := range g.Pages {
		for _, r := range p.Files {
			linked[r] = true
		}
		if p.Audio != nil {
			played[p.Audio.Name] = true
		}
	}
	var out []*source.Resource
	for _, r := range g.Resources {
		if linked[r] || played[r.Name] {
			out = append(out, r)
		}
	}
	return out
}

// unlinkedFiles warns about every file of a page folder that is not
// published: no page links to it, or the folder has no page.
func (s *Site) unlinkedFiles(problems *diag.List) {
	for _, r := range s.files {
		g := s.byKey[r.Section+"/"+r.Key]
		if g == nil {
			problems.Add(diag.Problem{Path: r.Path, Level: diag.Warning, Msg: "not published: the folder has no published page",
				Hint: "add a page to the folder, or remove the file"})
			continue
		}
		if slices.Contains(g.Published(), r) {
			continue
		}
		if p, line := bareLink(g, r.Name); p != nil {
			problems.Add(diag.Problem{Path: p.Path, Line: line, Level: diag.Warning,
				Msg:  fmt.Sprintf("the link to %q is shown as text: Markdown ends a link at a space, so the file is not published", r.Name),
				Hint: "write [the form](<" + r.Name + ">) or [the form](" + escapeName(r.Name) + ")"})
			continue
		}
		problems.Add(diag.Problem{Path: r.Path, Level: diag.Warning, Msg: "not published: no page links to it",
			Hint: "link it from a page of its folder, e.g. [the form](" + escapeName(r.Name) + "), or remove it"})
	}
}

// bareChars end a Markdown link's destination, or nest in it.
const bareChars = " ()<>"

// bareLink finds a page of g that writes "](name" with the name as it is:
// Markdown ends a link at a space, so a name with one is shown as text.
func bareLink(g *Group, name string) (*Page, int) {
	if !strings.ContainsAny(name, bareChars) {
		return nil, 0
	}
	for _, code := range sortedCodes(g) {
		p := g.Pages[code]
		if i := bytes.Index(p.File.Body, []byte("]("+name)); i >= 0 {
			return p, p.BodyLine + bytes.Count(p.File.Body[:i], []byte("\n"))
		}
	}
	return nil, 0
}

// Page is one page in one language.
type Page struct {
	*source.File
	Group    *Group
	Language *lang.Language
	Slug     string
	URL      string // site path: /fr/fiches/slug/
	Body     template.HTML
	Text     string // plain text of the body, for search
	Headings []markdown.Heading
	Images   []markdown.Image

	// Links lists the groups ("section/key") the body links to, sorted: a
	// change to one of them (a new translation) changes this page.
	Links []string
	// Files lists the files of the group the body links to: only those are
	// published.
	Files []*source.Resource

	anchors idSet // ids written in the body

	// Terms are the glossary entries marked in the body, in text order;
	// the page shows their definitions after the body.
	Terms []*Page
	// Audio is the page's recording (audio: in the frontmatter), or nil.
	Audio *Audio
}

// Alias is an old URL that redirects to a page.
type Alias struct {
	From string // path, possibly with a query string
	To   *Page
	Line int // in To's file
}

// Options change what is assembled.
type Options struct {
	Drafts bool // include draft pages
}

// Sections lists the page sections in display order.
var Sections = source.Sections

// Group returns the group of section/key, or nil.
func (s *Site) Group(section, key string) *Group { return s.byKey[section+"/"+key] }

// GroupLangs returns the languages the group exists in, in site order.
func (s *Site) GroupLangs(g *Group) []*lang.Language {
	var out []*lang.Language
	for _, l := range s.Langs.List {
		if g.Pages[l.Code] != nil {
			out = append(out, l)
		}
	}
	return out
}

// SectionGroups returns the groups of a section.
func (s *Site) SectionGroups(section string) []*Group {
	var out []*Group
	for _, g := range s.Groups {
		if g.Section == section {
			out = append(out, g)
		}
	}
	return out
}

// Pages returns the pages of a section in one language (all sections when
// section is ""), sorted by weight, then title in the language's order.
func (s *Site) Pages(code, section string) []*Page {
	var out []*Page
	for _, g := range s.Groups {
		if section != "" && g.Section != section {
			continue
		}
		if p := g.Pages[code]; p != nil {
			out = append(out, p)
		}
	}
	SortPages(out, s.Langs.Get(code))
	return out
}

// SortPages sorts by weight, then title in the language's collation order.
func SortPages(ps []*Page, l *lang.Language) {
	var col *collate.Collator
	if l != nil {
		col = l.Collator()
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Meta.Weight != b.Meta.Weight {
			return a.Meta.Weight < b.Meta.Weight
		}
		if col != nil {
			if c := col.CompareString(a.Meta.Title, b.Meta.Title); c != 0 {
				return c < 0
			}
		}
		return a.Key < b.Key
	})
}

// News returns the news items of a language, newest first.
func (s *Site) News(code string) []*Page {
	var out []*Page
	for _, g := range s.Groups {
		if p := g.Pages[code]; p != nil && g.Section == source.News {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Meta.Date.Equal(out[j].Meta.Date) {
			return out[i].Meta.Date.After(out[j].Meta.Date)
		}
		return out[i].Key > out[j].Key
	})
	return out
}

// MissingURL is the URL of the not-available page of g in a language.
func MissingURL(code string, g *Group) string {
	return "/" + code + "/" + URLSection(g.Section) + "/" + g.Key + "/"
}

// ResourceURL is the URL of a group's file: its name escaped.
func ResourceURL(r *source.Resource) string {
	return "/files/" + r.Section + "/" + r.Key + "/" + escapeName(r.Name)
}

// ResourceFile is the output path of a group's file: its real name (NFC),
// which a web server finds from the escaped URL.
func ResourceFile(r *source.Resource) string {
	return "files/" + r.Section + "/" + r.Key + "/" + r.Name
}

func escapeName(name string) string { return url.PathEscape(name) }

// Assemble builds the site from the loaded content: its structure, URLs and
// the checks across pages that need no body. The pages have no body until
// the body phase (RenderBodies).
func Assemble(c *source.Content, langs *lang.Set, opt Options, problems *diag.List) *Site {
	s := &Site{Settings: c.Settings, Langs: langs, Synonyms: c.Synonyms, byKey: map[string]*Group{}, files: c.Resources}
	langs.Order(c.Settings.LanguageOrder)
	s.checkSettings(problems)

	drafts := map[string]bool{}
	s.drafts = drafts
	for _, f := range c.Files {
		id := f.Section + "/" + f.Key
		if f.Meta.Draft && !opt.Drafts {
			if s.byKey[id] == nil {
				drafts[id] = true
			}
			continue
		}
		delete(drafts, id)
		g := s.byKey[id]
		if g == nil {
			g = &Group{Section: f.Section, Key: f.Key, Pages: map[string]*Page{}}
			s.byKey[id] = g
			s.Groups = append(s.Groups, g)
		}
		p := &Page{File: f, Group: g, Language: langs.Get(f.Lang), Slug: f.Key}
		if f.Meta.Slug != "" {
			p.Slug = f.Meta.Slug
		}
		p.URL = "/" + f.Lang + "/" + URLSection(f.Section) + "/" + p.Slug + "/"
		g.Pages[f.Lang] = p
	}
	order := map[string]int{}
	for i, sec := range Sections {
		order[sec] = i
	}
	sort.Slice(s.Groups, func(i, j int) bool {
		a, b := s.Groups[i], s.Groups[j]
		if a.Section != b.Section {
			return order[a.Section] < order[b.Section]
		}
		return a.Key < b.Key
	})
	for _, r := range c.Resources {
		if g := s.byKey[r.Section+"/"+r.Key]; g != nil {
			g.Resources = append(g.Resources, r)
		}
	}
	s.checkSlugs(problems)
	s.checkKeys(problems)
	s.checkAliases(problems)
	s.checkNewsletterKeys(problems)
	s.collectTerms(problems)
	s.attachAudio(problems)
	return s
}

func (s *Site) checkSettings(problems *diag.List) {
	st := s.Settings
	if st.DefaultLanguage != "" && s.Langs.Get(st.DefaultLanguage) == nil {
		problems.Add(diag.Problem{Path: source.SettingsPath, Msg: "default_language " + st.DefaultLanguage + " has no i18n file", Hint: "add i18n/" + st.DefaultLanguage + ".toml or choose another language"})
	}
	for _, code := range st.LanguageOrder {
		if s.Langs.Get(code) == nil {
			problems.Errorf(source.SettingsPath, 0, "language_order names %s, which has no i18n file", code)
		}
	}
	for _, e := range st.Emergency {
		for _, l := range s.Langs.List {
			if _, ok := l.Strings[e.Label]; !ok {
				problems.Add(diag.Problem{Path: l.Path, Msg: fmt.Sprintf("missing string %q, the label of emergency number %s", e.Label, e.Number), Hint: "add it under [strings]"})
			}
		}
	}
}

func (s *Site) checkSlugs(problems *diag.List) {
	type slot struct{ lang, section, slug string }
	seen := map[slot]*Page{}
	for _, g := range s.Groups {
		for _, code := range sortedCodes(g) {
			p := g.Pages[code]
			k := slot{code, g.Section, p.Slug}
			if q := seen[k]; q != nil {
				problems.Add(diag.Problem{Path: p.Path, Line: p.Meta.Line("slug"), Msg: fmt.Sprintf("duplicate URL %s: %s has it too", p.URL, q.Path), Hint: "give one of them another slug"})
				continue
			}
			seen[k] = p
			if p.Slug != g.Key {
				if other := s.byKey[g.Section+"/"+p.Slug]; other != nil && other != g {
					problems.Add(diag.Problem{Path: p.Path, Line: p.Meta.Line("slug"), Msg: fmt.Sprintf("slug %s is the key of another page (%s/%s)", p.Slug, g.Section, p.Slug), Hint: "choose another slug"})
				}
			}
		}
	}
}

func (s *Site) checkKeys(problems *diag.List) {
	for _, g := range s.Groups {
		for _, code := range sortedCodes(g) {
			p := g.Pages[code]
			for _, field := range []struct {
				name, section string
				keys          []string
			}{{"topics", source.Topics, p.Meta.Topics}, {"residence", source.Residence, p.Meta.Residence}} {
				if len(field.keys) > 0 && source.Sec(g.Section).Taxonomy {
					problems.Errorf(p.Path, p.Meta.Line(field.name), "a %s page has no %s: remove the line", source.Sec(g.Section).Singular(), field.name)
					continue
				}
				for _, k := range field.keys {
					if s.byKey[field.section+"/"+k] == nil {
						hint := "known: " + strings.Join(s.keys(field.section), ", ")
						if len(s.keys(field.section)) == 0 {
							hint = "there are no " + field.section + " pages yet: add content/" + field.section + "/" + k + "/" + code + ".md"
						} else if kk := source.Key(k, code); kk != k && s.byKey[field.section+"/"+kk] != nil {
							hint = "write " + kk + ", the key of content/" + field.section + "/" + kk + "/"
						}
						problems.Add(diag.Problem{Path: p.Path, Line: p.Meta.Line(field.name), Msg: fmt.Sprintf("unknown %s key %q", strings.TrimSuffix(field.name, "s"), k), Hint: hint})
					}
				}
			}
		}
	}
}

func (s *Site) keys(section string) []string {
	var out []string
	for _, g := range s.SectionGroups(section) {
		out = append(out, g.Key)
	}
	return out
}

// checkAliases validates aliases: a path on this site, inside the output,
// not a page and not another page's alias.
func (s *Site) checkAliases(problems *diag.List) {
	pages := map[string]*Page{}
	for _, g := range s.Groups {
		for _, p := range g.Pages {
			pages[p.URL] = p
			pages[strings.TrimSuffix(p.URL, "/")] = p
		}
	}
	seen := map[string]*Page{}
	for _, g := range s.Groups {
		for _, code := range sortedCodes(g) {
			p := g.Pages[code]
			for i, a := range p.Meta.Aliases {
				line := p.Meta.AliasLine(i)
				from, msg := CleanAlias(a)
				if msg != "" {
					problems.Errorf(p.Path, line, "alias %q %s", a, msg)
					continue
				}
				if q := pages[from]; q != nil {
					problems.Add(diag.Problem{Path: p.Path, Line: line, Msg: fmt.Sprintf("alias %q is the URL of the page %s", a, q.Path),
						Hint: "remove the alias: that page answers there already"})
					continue
				}
				if reserved(from, s.Langs) {
					problems.Add(diag.Problem{Path: p.Path, Line: line, Msg: fmt.Sprintf("alias %q is a URL kb uses itself", a),
						Hint: `choose another path; CONTENT.md, "Old URLs", lists the reserved ones`})
					continue
				}
				if q := seen[from]; q != nil {
					if q != p {
						problems.Errorf(p.Path, line, "alias %q is also an alias of %s", a, q.Path)
					}
					continue
				}
				seen[from] = p
				s.Aliases = append(s.Aliases, Alias{From: from, To: p, Line: line})
			}
		}
	}
	sort.Slice(s.Aliases, func(i, j int) bool { return s.Aliases[i].From < s.Aliases[j].From })
}

// reserved reports whether an alias would land on a folder or file kb
// writes, or on a path kb serve answers itself. Any other collision with an
// output is found by render.Collisions.
func reserved(from string, langs *lang.Set) bool {
	p, _, _ := strings.Cut(from, "?")
	first := strings.Split(strings.Trim(p, "/"), "/")[0]
	switch {
	case p == "/", langs.Get(first) != nil, strings.HasSuffix(p, ".gz"):
		return true
	}
	switch first {
	case "files", "api", "_kb", "_editors":
		return true
	}
	switch strings.Trim(p, "/") {
	case "index.html", "404.html", "sitemap.xml", "robots.txt", "_redirects", "redirects.map", "_headers":
		return true
	}
	return false
}

// unsafeAliasChars cannot be in an alias: they mean something in the
// redirect files kb writes (Netlify's * and :placeholders, nginx's quotes,
// $ and ;) or in shells and HTML.
const unsafeAliasChars = "*:\"'<>{}|^`$;"

// CleanAlias checks an alias and returns its canonical form, or a message
// saying what is wrong with it.
func CleanAlias(a string) (string, string) {
	if !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
		return "", "must be a path starting with a single /, e.g. /old/page.html"
	}
	p, q, hasQ := strings.Cut(a, "?")
	if strings.ContainsAny(p, "\\\x00#") || strings.ContainsFunc(a, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "", "contains a character that cannot be in a path"
	}
	if strings.ContainsFunc(a, unicode.IsSpace) {
		return "", "contains a space: write it %20"
	}
	if strings.ContainsFunc(a, func(r rune) bool { return !unicode.IsGraphic(r) }) {
		return "", "contains an invisible character"
	}
	// The query string is answered by kb serve alone; the path goes into
	// _redirects and redirects.map too.
	if i := strings.IndexAny(p, unsafeAliasChars); i >= 0 {
		return "", fmt.Sprintf("contains %q, which redirect files read as a pattern or a quote: write it percent-encoded", p[i])
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", "leaves the site folder (.. or . in the path)"
		}
	}
	if u, err := url.PathUnescape(p); err != nil || strings.Contains(u, "..") || strings.ContainsAny(u, "\\\x00") || strings.ContainsFunc(u, unicode.IsControl) {
		return "", "leaves the site folder or is not a valid path"
	}
	if path.Clean(p) != strings.TrimSuffix(p, "/") && path.Clean(p) != p {
		return "", "is not a clean path (double slashes?)"
	}
	if hasQ {
		if _, err := url.ParseQuery(q); err != nil || q == "" {
			return "", "has an invalid query string"
		}
		return p + "?" + q, ""
	}
	return p, ""
}

func sortedCodes(g *Group) []string {
	codes := make([]string, 0, len(g.Pages))
	for c := range g.Pages {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// HasAnchor reports whether the page has an element with the id.
func (p *Page) HasAnchor(id string) bool {
	for _, h := range p.Headings {
		if h.ID == id {
			return true
		}
	}
	// Footnotes (fn:1, fnref:1) and ids written in the text are not checked.
	return strings.HasPrefix(id, "fn") || p.anchors.has(id)
}

// bodyIDs returns the id="…" attributes of a rendered body, in one pass.
func bodyIDs(body string) idSet {
	var b strings.Builder
	for {
		i := strings.Index(body, `id="`)
		if i < 0 {
			break
		}
		body = body[i+4:]
		j := strings.IndexByte(body, '"')
		if j < 0 {
			break
		}
		b.WriteString("\x00" + body[:j])
		body = body[j:]
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("\x00")
	// A copy to its length (the builder grew by doubling); not a piece of
	// body, which it outlives (spill.go).
	return idSet(strings.Clone(b.String()))
}

// idSet is a set of ids in one string, each after a NUL, with one at the
// end: a map per page was a tenth of what a large build holds.
type idSet string

func (s idSet) has(id string) bool { return strings.Contains(string(s), "\x00"+id+"\x00") }

// list returns the ids, each once.
func (s idSet) list() []string {
	if s == "" {
		return nil
	}
	ids := strings.Split(string(s[1:len(s)-1]), "\x00")
	slices.Sort(ids)
	return slices.Compact(ids)
}

func makeIDSet(ids []string) idSet {
	if len(ids) == 0 {
		return ""
	}
	return idSet("\x00" + strings.Join(ids, "\x00") + "\x00")
}

// lists maps the name of a list page in a link (/news) to its folder under
// /{lang}/.
var lists = listMap()

// ListFolders returns the folders of a language's list pages (news, a-z,
// fiches, …), sorted: /{lang}/{folder}/ is a list, not a page.
func ListFolders() []string {
	var out []string
	for _, f := range lists {
		if f != "" {
			out = append(out, strings.TrimSuffix(f, "/"))
		}
	}
	slices.Sort(out)
	return out
}

// Resolve maps a link written in page p to a URL. It returns a message when
// the link is wrong; warn says the message is a warning and the URL usable.
func (s *Site) Resolve(p *Page, dest string) (u, msg string, warn bool) {
	if !strings.HasPrefix(dest, "/") {
		name, _, _ := strings.Cut(dest, "#")
		if strings.Contains(name, "?") {
			return "", "link " + dest + ": a query string cannot name a file", false
		}
		unesc, err := url.PathUnescape(name)
		if err == nil {
			unesc = norm.NFC.String(unesc)
			for _, r := range p.Group.Resources {
				if r.Name == unesc {
					return ResourceURL(r), "", false
				}
			}
		}
		return "", fmt.Sprintf("link %s: there is no file %s in %s", dest, name, path.Dir(p.Path)), false
	}
	target, frag, _ := strings.Cut(dest, "#")
	if frag != "" {
		frag = "#" + frag
	}
	if strings.Contains(target, "?") {
		return "", "link " + dest + ": internal links have no query string; write /section/key", false
	}
	target = strings.TrimSuffix(target, "/")
	rest := strings.TrimPrefix(target, "/")
	section, key, two := strings.Cut(rest, "/")
	if !two {
		if l, ok := lists[rest]; ok {
			return "/" + p.Lang + "/" + l + frag, "", false
		}
	}
	if two && !strings.Contains(key, "/") {
		if g := s.byKey[rest]; g != nil {
			if q := g.Pages[p.Lang]; q != nil {
				return q.URL + frag, "", false
			}
			return MissingURL(p.Lang, g), "", false
		}
		if s.drafts[rest] {
			return "/" + p.Lang + "/a-z/", "link " + dest + " goes to a draft: it leads to the A–Z list until the page is published", true
		}
		for _, sec := range Sections {
			if sec == section {
				return "", "broken link " + dest + ": there is no page " + dest + " (content" + target + "/ does not exist)", false
			}
		}
	}
	return "", "unknown internal link " + dest + ": link pages as /section/key, e.g. /fiches/urgent-medical-aid", false
}

// linkGroup returns the group id of an internal link, or "".
func linkGroup(dest string) string {
	target, _, _ := strings.Cut(dest, "#")
	parts := strings.Split(strings.Trim(target, "/"), "/")
	if !strings.HasPrefix(dest, "/") || len(parts) != 2 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// Reviewed returns the date a page was last reviewed, or zero.
func (p *Page) Reviewed() time.Time { return p.Meta.Reviewed }
