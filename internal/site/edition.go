package site

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/source"
)

// URLSection is the first URL segment of a section's pages: the folder
// content/newsletters/ holds editions, which live under /{lang}/newsletter/.
func URLSection(section string) string {
	if s, ok := source.SectionOf(section); ok {
		return s.URL
	}
	return section
}

// Edition is a newsletter edition in one language: its intro and the news
// items it gathers, grouped by topic.
type Edition struct {
	Key     string // YYYY-MM: the edition's folder and its ?nl= tag
	Lang    *lang.Language
	Intro   *Page // content/newsletters/<Key>/<lang>.md, or nil
	Title   string
	Since   time.Time // first day gathered; zero: from the first news item
	Until   time.Time // last day gathered
	Topics  []EditionTopic
	LeftOut []LeftOut
}

// EditionTopic is the news items of one topic, newest first. Key is "" for
// the items without a topic, which come last.
type EditionTopic struct {
	Key, Title string
	Items      []*Page
}

// LeftOut is a news item of the period that an edition does not list.
type LeftOut struct {
	Key    string // news key
	Reason string
	Hint   string
}

// Items returns the edition's news items in the order they are shown.
func (e *Edition) Items() []*Page {
	var out []*Page
	for _, t := range e.Topics {
		out = append(out, t.Items...)
	}
	return out
}

// Editions returns a language's edition pages, newest first.
func (s *Site) Editions(code string) []*Page {
	var out []*Page
	for _, g := range s.SectionGroups(source.Newsletters) {
		if p := g.Pages[code]; p != nil {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key > out[j].Key })
	return out
}

// EditionPeriod returns the period an edition gathers by default: from its
// since key, or the day after the previous edition of the language, or from
// the start; to its date, or to today when it has no file yet.
func (s *Site) EditionPeriod(code, key string, today time.Time) (since, until time.Time) {
	until = today
	var intro *Page
	if g := s.Group(source.Newsletters, key); g != nil {
		intro = g.Pages[code]
	}
	if intro != nil {
		until = intro.Meta.Date
		if !intro.Meta.Since.IsZero() {
			return intro.Meta.Since, until
		}
	}
	for _, p := range s.Editions(code) {
		if p.Key < key {
			return p.Meta.Date.AddDate(0, 0, 1), until
		}
	}
	return time.Time{}, until
}

// Edition gathers the news items of language code dated from since to until
// (both included) into the edition key. A news item without a translation in
// the language is listed, in its own language, only if one of its files
// names the language in its newsletter key; otherwise it is left out, and
// so is a draft, each with the reason.
func (s *Site) Edition(code, key string, since, until time.Time) *Edition {
	l := s.Langs.Get(code)
	e := &Edition{Key: key, Lang: l, Since: since, Until: until}
	if g := s.Group(source.Newsletters, key); g != nil {
		e.Intro = g.Pages[code]
	}
	e.Title = EditionTitle(l, key)
	if e.Intro != nil {
		e.Title = e.Intro.Meta.Title
	}
	var items []*Page
	for _, g := range s.SectionGroups(source.News) {
		d := groupDate(g)
		if d.IsZero() || d.Before(since) || d.After(until) {
			continue
		}
		if p := g.Pages[code]; p != nil {
			if p.Meta.Draft {
				e.LeftOut = append(e.LeftOut, LeftOut{Key: g.Key, Reason: "it is a draft", Hint: "publish it (remove draft: true from " + p.Path + ") to include it"})
				continue
			}
			items = append(items, p)
			continue
		}
		var have []string
		var chosen *Page
		for _, gl := range s.GroupLangs(g) {
			p := g.Pages[gl.Code]
			if p.Meta.Draft {
				continue
			}
			have = append(have, gl.Code)
			if chosen == nil && slices.Contains(p.Meta.Newsletter, code) {
				chosen = p
			}
		}
		switch {
		case chosen != nil:
			items = append(items, chosen)
		case len(have) > 0:
			first := g.Pages[have[0]]
			e.LeftOut = append(e.LeftOut, LeftOut{Key: g.Key,
				Reason: fmt.Sprintf("no %s translation (it exists in %s)", code, strings.Join(have, ", ")),
				Hint:   fmt.Sprintf("add content/news/%s/%s.md, or add newsletter: [%s] to %s to list it in %s", g.Key, code, code, first.Path, first.Lang)})
		default:
			e.LeftOut = append(e.LeftOut, LeftOut{Key: g.Key, Reason: "it is a draft in every language", Hint: "publish it to include it"})
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].Meta.Date.Equal(items[j].Meta.Date) {
			return items[i].Meta.Date.After(items[j].Meta.Date)
		}
		return items[i].Key > items[j].Key
	})
	e.Topics = s.byTopic(code, items)
	return e
}

// EditionOf returns the edition of an edition page, over its default period.
func (s *Site) EditionOf(p *Page) *Edition {
	since, until := s.EditionPeriod(p.Lang, p.Key, p.Meta.Date)
	return s.Edition(p.Lang, p.Key, since, until)
}

// EditionTitle is the title of an edition without an intro file.
func EditionTitle(l *lang.Language, key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return l.T("newsletter")
	}
	month := t.Month().String()
	if len(l.Months) == 12 {
		month = l.Months[t.Month()-1]
	}
	return fmt.Sprintf("%s — %s %d", l.T("newsletter"), month, t.Year())
}

// groupDate is the date of a news item: that of its files, the earliest if
// they differ.
func groupDate(g *Group) time.Time {
	var d time.Time
	for _, code := range sortedCodes(g) {
		if pd := g.Pages[code].Meta.Date; d.IsZero() || (!pd.IsZero() && pd.Before(d)) {
			d = pd
		}
	}
	return d
}

// byTopic groups items (already in order) under their first topic, topics
// in the language's order of topic pages, items without a topic last.
func (s *Site) byTopic(code string, items []*Page) []EditionTopic {
	byKey := map[string]*EditionTopic{}
	var keys []string
	for _, p := range items {
		k := ""
		if len(p.Meta.Topics) > 0 {
			k = p.Meta.Topics[0]
		}
		if byKey[k] == nil {
			byKey[k] = &EditionTopic{Key: k}
			keys = append(keys, k)
		}
		byKey[k].Items = append(byKey[k].Items, p)
	}
	rank := map[string]int{}
	for i, t := range s.Pages(code, source.Topics) {
		rank[t.Key] = i + 1
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if (a == "") != (b == "") {
			return b == ""
		}
		ra, rb := rank[a], rank[b]
		if ra == 0 {
			ra = len(rank) + 1
		}
		if rb == 0 {
			rb = len(rank) + 1
		}
		if ra != rb {
			return ra < rb
		}
		return a < b
	})
	l := s.Langs.Get(code)
	var out []EditionTopic
	for _, k := range keys {
		t := byKey[k]
		switch g := s.Group(source.Topics, k); {
		case k == "":
			t.Title = l.T("other_news")
		case g != nil && g.Pages[code] != nil:
			t.Title = g.Pages[code].Meta.Title
		default:
			t.Title = k
		}
		out = append(out, *t)
	}
	return out
}

// checkNewsletterKeys checks that a news item's newsletter key names
// languages of the site.
func (s *Site) checkNewsletterKeys(problems *diag.List) {
	for _, g := range s.SectionGroups(source.News) {
		for _, code := range sortedCodes(g) {
			p := g.Pages[code]
			for _, c := range p.Meta.Newsletter {
				if s.Langs.Get(c) == nil {
					problems.Add(diag.Problem{Path: p.Path, Line: p.Meta.Line("newsletter"), Msg: fmt.Sprintf("newsletter names %q, which is not a language of the site", c), Hint: "list language codes, e.g. newsletter: [fr]"})
				}
			}
		}
	}
}
