package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/site"
	"kb/internal/source"
	"kb/internal/status"
	"kb/search"
)

// Report is the outcome of a check.
type Report struct {
	Problems  []diag.Problem // errors and warnings, sorted by file and line
	Status    *status.Status
	Pages     int // published pages
	Languages int
}

// Count returns the number of errors and warnings.
func (r *Report) Count() (errors, warnings int) {
	for _, p := range r.Problems {
		if p.Level == diag.Warning {
			warnings++
		} else {
			errors++
		}
	}
	return errors, warnings
}

// Failed reports whether the check fails: on errors, or on warnings when
// strict.
func (r *Report) Failed(strict bool) bool {
	e, w := r.Count()
	return e > 0 || strict && w > 0
}

// Run checks the site in siteDir as kb build would, writing nothing, and
// adds the editorial checks. now gives today's date.
func Run(siteDir string, now time.Time) *Report {
	// Load's error is its problems, which res holds, unless the folder
	// cannot be opened as a site at all: then there is no result.
	res, err := build.Load(siteDir, false)
	if res == nil {
		return &Report{Problems: []diag.Problem{{Path: siteDir, Msg: "cannot open the site folder: " + err.Error()}}, Status: &status.Status{}}
	}
	all, _ := build.Load(siteDir, true) // drafts included; the same folder, opened just now
	var list diag.List
	for _, p := range res.Problems {
		list.Add(p)
	}
	c := &checker{
		site:  res.Site,
		dir:   siteDir,
		today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		list:  &list,
	}
	c.pages()
	c.glossary()
	c.plainLanguage()
	c.interfaceStrings()
	c.synonyms()
	r := &Report{Problems: list.Problems(), Status: status.New(all.Site), Languages: len(res.Site.Langs.List)}
	for _, n := range res.Pages {
		r.Pages += n
	}
	return r
}

type checker struct {
	site  *site.Site // as built
	dir   string
	today time.Time
	list  *diag.List
}

func (c *checker) warn(p *site.Page, line int, msg, hint string) {
	c.list.Add(diag.Problem{Path: p.Path, Line: line, Level: diag.Warning, Msg: msg, Hint: hint})
}

const day = "2006-01-02"

// pages runs the checks of each published page.
func (c *checker) pages() {
	for _, g := range c.site.Groups {
		src := status.GroupSource(g, c.site.Settings.DefaultLanguage)
		for _, code := range codes(g) {
			p := g.Pages[code]
			c.outdated(p, src)
			c.review(p)
			c.images(p)
			if p.Meta.Summary == "" {
				c.warn(p, p.Meta.Line("summary"), "empty summary",
					"write one or two sentences: they show in lists, in search results and as the page's description")
			}
			if len(p.Meta.Topics) == 0 && source.Sec(g.Section).Topical {
				c.warn(p, p.Meta.Line("topics"), "in no topic: no topic page lists it",
					"add topics: [key], with keys of content/topics/: "+strings.Join(groupKeys(c.site, source.Topics), ", "))
			}
			if g.Section == source.News && p.Meta.Date.After(c.today) {
				c.warn(p, p.Meta.Line("date"), "news item dated "+p.Meta.Date.Format(day)+", in the future",
					"the next build publishes it all the same: correct the date, or set draft: true until that day")
			}
		}
	}
}

func (c *checker) outdated(p *site.Page, src *site.Page) {
	if p == src {
		return
	}
	pv, sv := status.Version(p.File), status.Version(src.File)
	if sv.IsZero() || !pv.Before(sv) {
		return
	}
	hint := "bring it up to date with the source, then set updated: to the day you did"
	if pv.IsZero() {
		c.warn(p, p.Meta.Line("updated"), fmt.Sprintf("translation without an updated date; its source %s has one (%s)", src.Path, status.Version(src.File).Format(day)), hint)
		return
	}
	c.warn(p, p.Meta.Line("updated"), fmt.Sprintf("translation older than its source %s: %s, the source %s", src.Path, describe(p.File), describe(src.File)), hint)
}

// describe says which version date a page has.
func describe(f *source.File) string {
	if !f.Meta.Updated.IsZero() {
		return "updated " + f.Meta.Updated.Format(day)
	}
	return "dated " + f.Meta.Date.Format(day)
}

func (c *checker) review(p *site.Page) {
	r := p.Meta.Reviewed
	switch {
	case r.IsZero() && source.Sec(p.Section).Reviewed:
		c.warn(p, p.Meta.Line("reviewed"), "no reviewed date",
			"check the page against the law, then add the day you did, e.g. reviewed: "+c.today.Format(day))
	case r.IsZero() || source.Sec(p.Section).Dated: // records of a day
	case c.site.Settings.ReviewMaxAgeMonths > 0 && r.AddDate(0, c.site.Settings.ReviewMaxAgeMonths, 0).Before(c.today):
		c.warn(p, p.Meta.Line("reviewed"), fmt.Sprintf("reviewed %s, more than %d months ago", r.Format(day), c.site.Settings.ReviewMaxAgeMonths),
			"check the page against the law, then set reviewed: to the day you did")
	}
}

func (c *checker) images(p *site.Page) {
	for _, img := range p.Images {
		if strings.TrimSpace(img.Alt) == "" {
			c.warn(p, p.BodyLine+img.Line-1, "image "+img.Dest+" has no alt text",
				"say what it shows between the brackets, e.g. ![A medical card]("+img.Dest+")")
		}
	}
}

// interfaceStrings compares the interface strings of every language with the union
// of the keys of all i18n files.
func (c *checker) interfaceStrings() {
	langs := c.site.Langs.List
	plain, plural := map[string]string{}, map[string]string{} // key -> first file that has it
	ordered := append(langs[:0:0], langs...)
	// The default language's file is the one to translate from.
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].Code == c.site.Settings.DefaultLanguage })
	for _, l := range ordered {
		for k := range l.Strings {
			if plain[k] == "" {
				plain[k] = l.Path
			}
		}
		for k := range l.Plurals {
			if plural[k] == "" {
				plural[k] = l.Path
			}
		}
	}
	for _, l := range langs {
		// A file that cannot be read was reported by lang.Load; its
		// warnings then have no line.
		data, _ := os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(l.Path)))
		warn := func(line int, msg, hint string) {
			c.list.Add(diag.Problem{Path: l.Path, Line: line, Level: diag.Warning, Msg: msg, Hint: hint})
		}
		for _, k := range sortedKeys(plural) {
			forms, ok := l.Plurals[k]
			if !ok {
				if _, isPlain := l.Strings[k]; isPlain {
					warn(diag.TOMLKeyLine(data, "strings", k), fmt.Sprintf("interface string %q has no plural forms", k),
						fmt.Sprintf("make it a table [strings.%s] with the forms %s, as in %s", k, strings.Join(l.Categories(), ", "), plural[k]))
					continue
				}
				warn(diag.TOMLKeyLine(data, "strings"), fmt.Sprintf("missing interface string %q", k),
					fmt.Sprintf("add a table [strings.%s] with the forms %s, translated from %s", k, strings.Join(l.Categories(), ", "), plural[k]))
				continue
			}
			for _, cat := range l.Categories() {
				if _, ok := forms[cat]; !ok {
					warn(diag.TOMLKeyLine(data, "strings", k), fmt.Sprintf("interface string %q lacks the plural form %q", k, cat),
						fmt.Sprintf("%s uses the forms %s: add %s = \"…\" under [strings.%s]", l.Code, strings.Join(l.Categories(), ", "), cat, k))
				}
			}
		}
		for _, k := range sortedKeys(plain) {
			_, ok := l.Strings[k]
			_, isPlural := l.Plurals[k]
			if ok || isPlural || plural[k] != "" {
				continue
			}
			warn(diag.TOMLKeyLine(data, "strings"), fmt.Sprintf("missing interface string %q", k),
				fmt.Sprintf("add %s = \"…\" under [strings], translated from %s; until then pages show %q", k, plain[k], k))
		}
	}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func codes(g *site.Group) []string {
	out := make([]string, 0, len(g.Pages))
	for c := range g.Pages {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func groupKeys(s *site.Site, section string) []string {
	var out []string
	for _, g := range s.SectionGroups(section) {
		out = append(out, g.Key)
	}
	return out
}

// synonyms warns about a synonym group none of whose terms appears in any
// page of its language: it can only expand a query to words that find
// nothing, or it was written for pages that do not exist (yet). A file that
// does not parse is reported as kb build reports it.
func (c *checker) synonyms() {
	if _, err := build.Synonyms(c.site); err != nil {
		if errs, ok := errors.AsType[*diag.Errors](err); ok {
			for _, p := range errs.Problems {
				c.list.Add(p)
			}
		}
	}
	for _, code := range sortedSynonymCodes(c.site) {
		f := c.site.Synonyms[code]
		groups, err := search.ParseSynonymGroups(strings.NewReader(string(f.Data)))
		if err != nil {
			continue
		}
		voc, err := search.NewVocabulary(code)
		if err != nil {
			continue
		}
		for _, g := range c.site.Groups {
			if p := g.Pages[code]; p != nil {
				d := build.Doc(p)
				voc.Add(d.Title + "\n" + d.Summary + "\n" + d.Headings + "\n" + d.Body)
			}
		}
		for _, g := range groups {
			if !slices.ContainsFunc(g.Terms, voc.Has) {
				c.list.Add(diag.Problem{Path: f.Path, Line: g.Line, Level: diag.Warning,
					Msg:  fmt.Sprintf("no page in this language uses any word of the group %q", strings.Join(g.Terms, ", ")),
					Hint: "add to the group the word the pages use for it, or remove the group"})
			}
		}
	}
}

func sortedSynonymCodes(s *site.Site) []string {
	out := make([]string, 0, len(s.Synonyms))
	for c := range s.Synonyms {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
