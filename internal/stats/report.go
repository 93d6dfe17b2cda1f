package stats

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Report is what kb stats prints for a period.
type Report struct {
	Since  string `json:"since"`
	Until  string `json:"until"`
	Stores int    `json:"stores"`
	Visits uint64 `json:"visits"`
	// Langs are the languages by visits, with their share of all visits.
	Langs  []LangShare `json:"languages"`
	Months []Month     `json:"months"`
	// Pages are the most visited pages of each language.
	Pages    map[string][]Count `json:"top_pages"`
	Searches []LangSearches     `json:"searches"`
	// Newsletter counts visits per edition and page.
	Newsletter []EditionVisits `json:"newsletter"`
	// Other counts what is not a visit: bots, redirects, errors, feeds.
	Other map[string]uint64 `json:"other"`
	// Unvisited lists, per language, the pages with no visit in the period
	// (when the report knows the site).
	Unvisited map[string][]string `json:"never_visited,omitempty"`
}

// LangShare is a language's visits and their share.
type LangShare struct {
	Lang   string  `json:"lang"`
	Visits uint64  `json:"visits"`
	Share  float64 `json:"share"` // percent
}

// Month is one month's visits, per language.
type Month struct {
	Month  string      `json:"month"` // YYYY-MM
	Visits uint64      `json:"visits"`
	Langs  []LangShare `json:"languages"`
}

// Count is an item (a page, a query) and its count.
type Count struct {
	Item  string `json:"item"`
	Kind  string `json:"kind,omitempty"`
	Count uint64 `json:"count"`
}

// LangSearches are the searches of one language.
type LangSearches struct {
	Lang     string            `json:"lang"`
	Total    uint64            `json:"total"`
	Outcomes map[string]uint64 `json:"outcomes"`
	// Top are the queries searched at least K times; Zero those of them
	// that found nothing.
	Top  []Count `json:"top"`
	Zero []Count `json:"zero_results"`
	// Rare counts the searches whose text is not shown: fewer than K share it.
	Rare uint64 `json:"rare"`
}

// EditionVisits are the visits a newsletter edition brought to a page.
type EditionVisits struct {
	Edition string `json:"edition"`
	Lang    string `json:"lang"`
	Item    string `json:"item"`
	Count   uint64 `json:"count"`
}

// Options shape a report.
type Options struct {
	Since, Until string // YYYY-MM-DD, inclusive
	Top          int    // items per list (default 10)
	Paths        *Paths // the site, for pages never visited (may be nil)
	Stores       int
}

// NewReport sums a batch, per day or per month (MergeMonths), into a
// report.
func NewReport(b Batch, opt Options) *Report {
	if opt.Top <= 0 {
		opt.Top = 10
	}
	r := &Report{Since: opt.Since, Until: opt.Until, Stores: opt.Stores, Pages: map[string][]Count{}, Other: map[string]uint64{}}
	langs := map[string]uint64{}
	months := map[string]map[string]uint64{}
	pages := map[string]map[Count]uint64{} // lang -> (item, kind)
	type sq struct{ lang, q string }
	queries := map[sq]map[string]uint64{} // -> outcome -> n
	searches := map[string]*LangSearches{}
	nl := map[EditionVisits]uint64{}
	for day, m := range b {
		if len(day) == len(time.DateOnly) && ((opt.Since != "" && day < opt.Since) || (opt.Until != "" && day > opt.Until)) {
			continue // a batch per month is already cut to the period
		}
		month := day[:7]
		for k, n := range m {
			switch k.Kind {
			case Visit:
				r.Visits += n
				langs[k.Lang] += n
				if months[month] == nil {
					months[month] = map[string]uint64{}
				}
				months[month][k.Lang] += n
				if pages[k.Lang] == nil {
					pages[k.Lang] = map[Count]uint64{}
				}
				pages[k.Lang][Count{Item: k.Item, Kind: k.Class}] += n
			case Search:
				ls := searches[k.Lang]
				if ls == nil {
					ls = &LangSearches{Lang: k.Lang, Outcomes: map[string]uint64{}}
					searches[k.Lang] = ls
				}
				ls.Total += n
				ls.Outcomes[k.Class] += n
				key := sq{k.Lang, k.Item}
				if queries[key] == nil {
					queries[key] = map[string]uint64{}
				}
				queries[key][k.Class] += n
			case NL:
				nl[EditionVisits{Edition: k.Class, Lang: k.Lang, Item: k.Item}] += n
			case Other:
				r.Other[k.Class] += n
			}
		}
	}
	r.Langs = shares(langs, r.Visits)
	for _, m := range sortedKeys(months) {
		var total uint64
		for _, n := range months[m] {
			total += n
		}
		r.Months = append(r.Months, Month{Month: m, Visits: total, Langs: shares(months[m], total)})
	}
	for code, m := range pages {
		var list []Count
		for c, n := range m {
			if n > 0 {
				list = append(list, Count{Item: c.Item, Kind: c.Kind, Count: n})
			}
		}
		r.Pages[code] = top(list, opt.Top)
	}
	for key, outcomes := range queries {
		ls := searches[key.lang]
		var total uint64
		for _, n := range outcomes {
			total += n
		}
		if total < K {
			ls.Rare += total
			continue
		}
		ls.Top = append(ls.Top, Count{Item: key.q, Count: total})
		if outcomes[None] >= K {
			ls.Zero = append(ls.Zero, Count{Item: key.q, Count: outcomes[None]})
		}
	}
	for _, code := range sortedKeys(searches) {
		ls := searches[code]
		ls.Top, ls.Zero = top(ls.Top, opt.Top), top(ls.Zero, opt.Top)
		if ls.Top == nil {
			ls.Top = []Count{}
		}
		if ls.Zero == nil {
			ls.Zero = []Count{}
		}
		r.Searches = append(r.Searches, *ls)
	}
	for e, n := range nl {
		e.Count = n
		r.Newsletter = append(r.Newsletter, e)
	}
	sort.Slice(r.Newsletter, func(i, j int) bool {
		a, b := r.Newsletter[i], r.Newsletter[j]
		if a.Edition != b.Edition {
			return a.Edition > b.Edition
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Lang+a.Item < b.Lang+b.Item
	})
	if opt.Paths != nil {
		r.Unvisited = map[string][]string{}
		for _, p := range opt.Paths.All() {
			if pages[p.Lang][Count{Item: p.Item, Kind: p.Kind}] == 0 {
				r.Unvisited[p.Lang] = append(r.Unvisited[p.Lang], p.Item)
			}
		}
		for _, l := range r.Unvisited {
			sort.Strings(l)
		}
	}
	return r
}

func shares(m map[string]uint64, total uint64) []LangShare {
	out := []LangShare{}
	for code, n := range m {
		out = append(out, LangShare{Lang: code, Visits: n, Share: percent(n, total)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Visits != out[j].Visits {
			return out[i].Visits > out[j].Visits
		}
		return out[i].Lang < out[j].Lang
	})
	return out
}

func percent(n, total uint64) float64 {
	if total == 0 {
		return 0
	}
	return float64(int64(float64(n)*1000/float64(total)+0.5)) / 10
}

// top sorts by count, then item, and keeps n.
func top(list []Count, n int) []Count {
	sort.Slice(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Item < list[j].Item
	})
	if len(list) > n {
		list = list[:n]
	}
	return list
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// langOrder lists the report's languages, most visited first, then those
// with searches only.
func (r *Report) langOrder() []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range r.Langs {
		out = append(out, l.Lang)
		seen[l.Lang] = true
	}
	for _, s := range r.Searches {
		if !seen[s.Lang] {
			out = append(out, s.Lang)
			seen[s.Lang] = true
		}
	}
	for _, code := range sortedKeys(r.Unvisited) {
		if !seen[code] {
			out = append(out, code)
		}
	}
	return out
}

// maxUnvisitedText bounds the pages never visited the text report lists
// per language; JSON and CSV list them all.
const maxUnvisitedText = 10

// WriteText writes the report for a reader.
func (r *Report) WriteText(w io.Writer) error {
	p := &printer{w: w}
	p.f("kb stats: %s to %s, %d store(s)\n", r.Since, r.Until, r.Stores)
	p.f("\nVisits: %d\n", r.Visits)
	for _, l := range r.Langs {
		p.f("  %-4s %8d  %5.1f %%\n", l.Lang, l.Visits, l.Share)
	}
	p.f("\nVisits per month\n")
	for _, m := range r.Months {
		var parts []string
		for _, l := range m.Langs {
			parts = append(parts, fmt.Sprintf("%s %d (%.1f %%)", l.Lang, l.Visits, l.Share))
		}
		p.f("  %s %8d  %s\n", m.Month, m.Visits, strings.Join(parts, ", "))
	}
	searches := map[string]LangSearches{}
	for _, s := range r.Searches {
		searches[s.Lang] = s
	}
	for _, code := range r.langOrder() {
		p.f("\n[%s]\n", code)
		if list := r.Pages[code]; len(list) > 0 {
			p.f("  Top pages\n")
			for _, c := range list {
				p.f("    %6d  %s (%s)\n", c.Count, c.Item, c.Kind)
			}
		}
		if s, ok := searches[code]; ok {
			var outs []string
			for _, o := range []string{Exact, Fuzzy, OtherLanguage, None} {
				outs = append(outs, fmt.Sprintf("%s %d", o, s.Outcomes[o]))
			}
			p.f("  Searches: %d (%s)\n", s.Total, strings.Join(outs, ", "))
			for _, c := range s.Top {
				p.f("    %6d  %s\n", c.Count, c.Item)
			}
			if len(s.Zero) > 0 {
				p.f("  Searches with no result\n")
				for _, c := range s.Zero {
					p.f("    %6d  %s\n", c.Count, c.Item)
				}
			}
			if s.Rare > 0 {
				p.f("  %d searches shared by fewer than %d: not shown\n", s.Rare, K)
			}
		}
		if list := r.Unvisited[code]; len(list) > 0 {
			p.f("  Never visited: %d page(s)\n", len(list))
			for i, item := range list {
				if i == maxUnvisitedText {
					p.f("    ... and %d more (--format csv lists them all)\n", len(list)-i)
					break
				}
				p.f("    %s\n", item)
			}
		}
	}
	if len(r.Newsletter) > 0 {
		p.f("\nNewsletter visits\n")
		for _, e := range r.Newsletter {
			p.f("  %s %-4s %6d  %s\n", e.Edition, e.Lang, e.Count, e.Item)
		}
	}
	p.f("\nNot counted as visits\n")
	for _, k := range sortedKeys(r.Other) {
		p.f("  %-10s %8d\n", k, r.Other[k])
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// WriteJSON writes the report as one JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteCSV writes the report as one table: table, month, lang, kind, item,
// outcome, count, share.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	row := func(table, month, lang, kind, item, outcome string, n uint64, share float64) {
		s := ""
		if share >= 0 {
			s = strconv.FormatFloat(share, 'f', 1, 64)
		}
		cw.Write([]string{table, month, lang, kind, item, outcome, strconv.FormatUint(n, 10), s})
	}
	cw.Write([]string{"table", "month", "lang", "kind", "item", "outcome", "count", "share"})
	for _, l := range r.Langs {
		row("language", "", l.Lang, "", "", "", l.Visits, l.Share)
	}
	for _, m := range r.Months {
		for _, l := range m.Langs {
			row("month", m.Month, l.Lang, "", "", "", l.Visits, l.Share)
		}
	}
	for _, code := range r.langOrder() {
		for _, c := range r.Pages[code] {
			row("page", "", code, c.Kind, c.Item, "", c.Count, -1)
		}
	}
	for _, s := range r.Searches {
		for _, o := range []string{Exact, Fuzzy, OtherLanguage, None} {
			row("searches", "", s.Lang, "", "", o, s.Outcomes[o], -1)
		}
		for _, c := range s.Top {
			row("search", "", s.Lang, "", c.Item, "", c.Count, -1)
		}
		for _, c := range s.Zero {
			row("search", "", s.Lang, "", c.Item, None, c.Count, -1)
		}
		row("search-rare", "", s.Lang, "", "", "", s.Rare, -1)
	}
	for _, e := range r.Newsletter {
		row("newsletter", "", e.Lang, e.Edition, e.Item, "", e.Count, -1)
	}
	for _, code := range sortedKeys(r.Unvisited) {
		for _, item := range r.Unvisited[code] {
			row("never-visited", "", code, "", item, "", 0, -1)
		}
	}
	for _, k := range sortedKeys(r.Other) {
		row("other", "", "", k, "", "", r.Other[k], -1)
	}
	cw.Flush()
	return cw.Error()
}

// Period resolves --now, --since and --until (YYYY-MM-DD or ""): by
// default the last 12 calendar months, this one included.
func Period(now, since, until string) (string, string, error) {
	today := time.Now()
	if now != "" {
		t, err := time.Parse(time.DateOnly, now)
		if err != nil {
			return "", "", fmt.Errorf("--now %q: write the date as YYYY-MM-DD", now)
		}
		today = t
	}
	for _, v := range []struct{ name, val string }{{"since", since}, {"until", until}} {
		if _, err := time.Parse(time.DateOnly, v.val); v.val != "" && err != nil {
			return "", "", fmt.Errorf("--%s %q: write the date as YYYY-MM-DD", v.name, v.val)
		}
	}
	if until == "" {
		until = today.Format(time.DateOnly)
	}
	if since == "" {
		t, _ := time.Parse(time.DateOnly, until) // checked above, or today
		since = time.Date(t.Year(), t.Month()-11, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	if since > until {
		return "", "", fmt.Errorf("--since %s is after --until %s", since, until)
	}
	return since, until, nil
}

// RefuseInside returns an error when file would be written inside the
// output folder out, the folder it links to, or a generation: a report is
// for the team, never published.
func RefuseInside(file, out string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	dir := filepath.Dir(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	var forbidden []string
	if o, err := filepath.Abs(out); err == nil {
		forbidden = append(forbidden, o, filepath.Join(filepath.Dir(o), ".kb"))
		if real, err := filepath.EvalSymlinks(o); err == nil {
			forbidden = append(forbidden, real)
		}
		if real, err := filepath.EvalSymlinks(filepath.Join(filepath.Dir(o), ".kb")); err == nil {
			forbidden = append(forbidden, real)
		}
	}
	for _, f := range forbidden {
		if dir == f || strings.HasPrefix(dir, f+string(filepath.Separator)) {
			return fmt.Errorf("%s is inside %s: write the report outside the published site", file, f)
		}
	}
	return nil
}
