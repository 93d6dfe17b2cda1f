// Package status computes the translation status of a site: which page of
// each translation group is the source, and whether each language has it
// current, outdated, as a draft, or not at all. Page renders it for editors.
package status

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"kb/internal/site"
	"kb/internal/source"
)

const day = "2006-01-02"

// Source returns the page that the other pages of a translation group are
// translations of: the page in the default language, else the page with the
// latest version date (updated, else date; ties go to the lower language
// code). Published pages come before drafts.
func Source(pages []*source.File, defaultLang string) *source.File {
	var best *source.File
	better := func(f, than *source.File) bool {
		if than == nil {
			return true
		}
		if f.Meta.Draft != than.Meta.Draft {
			return !f.Meta.Draft
		}
		if (f.Lang == defaultLang) != (than.Lang == defaultLang) {
			return f.Lang == defaultLang
		}
		if fv, tv := Version(f), Version(than); !fv.Equal(tv) {
			return fv.After(tv)
		}
		return f.Lang < than.Lang
	}
	for _, f := range pages {
		if better(f, best) {
			best = f
		}
	}
	return best
}

// Version is the date of a page's content: updated, else date.
func Version(f *source.File) time.Time {
	if !f.Meta.Updated.IsZero() {
		return f.Meta.Updated
	}
	return f.Meta.Date
}

func GroupSource(g *site.Group, defaultLang string) *site.Page {
	files := make([]*source.File, 0, len(g.Pages))
	for _, p := range g.Pages {
		files = append(files, p.File)
	}
	src := Source(files, defaultLang)
	if src == nil {
		return nil
	}
	return g.Pages[src.Lang]
}

// State is the state of one page in one language.
type State string

// The states of a cell of the status.
const (
	Current  State = "current"  // the source, or a translation at least as recent
	Outdated State = "outdated" // a translation older than the source
	Draft    State = "draft"    // a translation in progress
	Missing  State = "missing"
	// None: not expected in the language (a newsletter edition outside
	// the newsletter's languages); not counted.
	None State = "none"
)

var symbols = map[State]string{Current: "✓", Outdated: "!", Draft: "d", Missing: "·", None: "–"}

// Status is the translation status of every page in every language.
type Status struct {
	AsOf      string            `json:"as_of,omitempty"` // newest updated or reviewed date of the content
	Languages []string          `json:"languages"`       // codes, in the site's order
	Pages     []Row             `json:"pages"`
	Totals    map[string]Totals `json:"totals"` // by language code
}

// Row is one translation group.
type Row struct {
	Section string `json:"section"`
	Key     string `json:"key"`
	Title   string `json:"title"`  // in the source's language
	Source  string `json:"source"` // the source's language code
	Cells   []Cell `json:"cells"`  // one per language, in the order of Status.Languages
}

// Cell is one group in one language.
type Cell struct {
	Lang    string `json:"lang"`
	State   State  `json:"state"`
	Updated string `json:"updated,omitempty"` // Version date: updated, else date
	Path    string `json:"path,omitempty"`
	URL     string `json:"url,omitempty"` // published pages only
}

// Totals counts the cells of one language.
type Totals struct {
	Current  int `json:"current"`
	Outdated int `json:"outdated"`
	Draft    int `json:"draft"`
	Missing  int `json:"missing"`
}

// New computes the status of a site. Draft pages appear as drafts when
// the site was assembled with them.
func New(s *site.Site) *Status {
	st := &Status{Languages: s.Langs.Codes(), Totals: map[string]Totals{}}
	var asOf time.Time
	for _, g := range s.Groups {
		src := GroupSource(g, s.Settings.DefaultLanguage)
		if src == nil {
			continue
		}
		row := Row{Section: g.Section, Key: g.Key, Title: src.Meta.Title, Source: src.Lang}
		sec := source.Sec(g.Section)
		for _, code := range st.Languages {
			c := Cell{Lang: code, State: Missing}
			if g.Pages[code] == nil && !sec.Expects(code, s.Settings) {
				c.State = None
				row.Cells = append(row.Cells, c)
				continue
			}
			if p := g.Pages[code]; p != nil {
				c.Path = p.Path
				if v := Version(p.File); !v.IsZero() {
					c.Updated = v.Format(day)
				}
				switch {
				case p.Meta.Draft:
					c.State = Draft
				case p != src && Version(p.File).Before(Version(src.File)):
					c.State = Outdated
				default:
					c.State = Current
				}
				if !p.Meta.Draft {
					c.URL = p.URL
				}
				for _, d := range []time.Time{p.Meta.Updated, p.Meta.Reviewed} {
					if d.After(asOf) {
						asOf = d
					}
				}
			}
			t := st.Totals[code]
			switch c.State {
			case Current:
				t.Current++
			case Outdated:
				t.Outdated++
			case Draft:
				t.Draft++
			case Missing:
				t.Missing++
			}
			st.Totals[code] = t
			row.Cells = append(row.Cells, c)
		}
		st.Pages = append(st.Pages, row)
	}
	if !asOf.IsZero() {
		st.AsOf = asOf.Format(day)
	}
	return st
}

// WriteText writes the status as a table for a terminal.
func (st *Status) WriteText(w io.Writer) error {
	var b strings.Builder
	asOf := ""
	if st.AsOf != "" {
		asOf = " as of " + st.AsOf
	}
	none := ""
	if st.hasNone() {
		none = ", " + symbols[None] + " not expected"
	}
	fmt.Fprintf(&b, "Translation status%s: %s up to date, %s older than the source, %s draft, %s missing%s; * marks the source.\n\n",
		asOf, symbols[Current], symbols[Outdated], symbols[Draft], symbols[Missing], none)
	first := len("up to date")
	for _, r := range st.Pages {
		first = max(first, len(r.Section)+1+len(r.Key))
	}
	widths := make([]int, len(st.Languages))
	for i, code := range st.Languages {
		widths[i] = max(len(code), 3) + 1
	}
	line := func(label string, cells []string) {
		b.WriteString(pad(label, first+2))
		for i, c := range cells {
			if i == len(cells)-1 {
				b.WriteString(c)
			} else {
				b.WriteString(pad(c, widths[i]))
			}
		}
		b.WriteString("\n")
	}
	line("", st.Languages)
	section := ""
	for _, r := range st.Pages {
		if r.Section != section && section != "" {
			b.WriteString("\n")
		}
		section = r.Section
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = symbols[c.State]
			if c.Lang == r.Source {
				cells[i] += "*"
			}
		}
		line(r.Section+"/"+r.Key, cells)
	}
	b.WriteString("\n")
	for _, tot := range []struct {
		label string
		n     func(Totals) int
	}{
		{"up to date", func(t Totals) int { return t.Current }},
		{"outdated", func(t Totals) int { return t.Outdated }},
		{"draft", func(t Totals) int { return t.Draft }},
		{"missing", func(t Totals) int { return t.Missing }},
	} {
		cells := make([]string, len(st.Languages))
		for i, code := range st.Languages {
			cells[i] = fmt.Sprint(tot.n(st.Totals[code]))
		}
		line(tot.label, cells)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hasNone reports whether a cell is not expected, for the legend.
func (st *Status) hasNone() bool {
	for _, r := range st.Pages {
		for _, c := range r.Cells {
			if c.State == None {
				return true
			}
		}
	}
	return false
}

// pad pads s with spaces to n characters.
func pad(s string, n int) string {
	if k := utf8.RuneCountInString(s); k < n {
		return s + strings.Repeat(" ", n-k)
	}
	return s + " "
}
