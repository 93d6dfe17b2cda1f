package render

import (
	"html/template"
	"reflect"
	"time"

	"golang.org/x/text/message"

	"kb/internal/lang"
	"kb/internal/site"
)

// Views pairs each template with the type of the data it gets: a template
// may use the fields of its own type only (LoadTemplates checks). list.html
// and newsletter.html each draw two kinds of page, told apart by .Page.
var Views = []struct {
	Template string // file in templates/
	Data     any    // a nil pointer of the data's type
}{
	{"home.html", (*HomeView)(nil)},
	{"page.html", (*PageView)(nil)},
	{"list.html", (*ListView)(nil)},
	{"news.html", (*NewsView)(nil)},
	{"az.html", (*AZView)(nil)},
	{"notavailable.html", (*NotAvailableView)(nil)},
	{"chooser.html", (*ChooserView)(nil)},
	{"404.html", (*NotFoundView)(nil)},
	{"search.html", (*SearchView)(nil)},
	{"errors.html", (*ErrorsView)(nil)},
	{"newsletter.html", (*NewsletterView)(nil)},
	{"redirect.html", (*RedirectView)(nil)},
}

// viewType is the type of the data a template gets, or nil.
func viewType(file string) reflect.Type {
	for _, v := range Views {
		if v.Template == file {
			return reflect.TypeOf(v.Data)
		}
	}
	return nil
}

// page is the data of a page kind: a struct that embeds Base.
type page interface{ base() *Base }

// Base is what every page kind gets, base.html included.
type Base struct {
	Site        *site.Site
	L           *lang.Language // the reader's language
	Kind        string         // the page kind: home, page, list…
	Title       string
	Description string       // the meta description, or ""
	Path        string       // this file's URL path
	Canonical   string       // absolute URL, or "" for pages that are not canonical
	NoIndex     bool         // ask search engines not to index the page
	Alternates  []Alt        // the page in each language it exists in
	Emergency   []Emergency  // the emergency numbers
	Crumbs      []Link       // the breadcrumbs, home first
	CSS         template.CSS // the stylesheet, inlined
	PrintURL    string       // the address printed in the footer, or ""
	Query       string       // the search box's value
	// Script is extra markup at the end of body (the preview's reload).
	Script template.HTML
}

func (b *Base) base() *Base { return b }

// T returns an interface string of the reader's language.
func (b *Base) T(key string, args ...any) string { return b.L.T(key, args...) }

// N returns a plural interface string.
func (b *Base) N(key string, n int, args ...any) string { return b.L.N(key, n, args...) }

// Date formats a date in the reader's language.
func (b *Base) Date(t time.Time) string { return b.L.FormatDate(t) }

// Clock writes a duration as m:ss.
func (b *Base) Clock(d time.Duration) string { return site.Clock(d) }

// MB writes a size in megabytes with one decimal, in the reader's language.
func (b *Base) MB(n int64) string {
	return b.L.T("megabytes", "n", message.NewPrinter(b.L.Tag).Sprintf("%.1f", float64(n)/1e6))
}

// ISO formats a date as YYYY-MM-DD for datetime attributes.
func (b *Base) ISO(t time.Time) string { return t.Format("2006-01-02") }

// HomeView is the data of home.html, a language's home page.
type HomeView struct {
	Base
	PDF        *PDFFile     // the booklet of all fiches, if printed
	Topics     []*site.Page // the topic pages
	Residence  []*site.Page // the residence status pages
	Fiches     []*site.Page
	Procedures []*site.Page
	News       []*site.Page // the five latest news items
}

// PageView is the data of page.html: a fiche, procedure, news item, glossary
// entry or about page.
type PageView struct {
	Base
	Page           *site.Page
	PDF            *PDFFile // the page printed, if it is
	TopicLinks     []Link   // the topics the page is in
	ResidenceLinks []Link   // the residence statuses it applies to
}

// ListView is the data of list.html: a section index (Items, and Intro on the
// residence index), or a topic or residence status page (Page, then its
// pages in Groups).
type ListView struct {
	Base
	Page   *site.Page   // the topic or status page; nil on a section index
	PDF    *PDFFile     // the status page's pages printed, if they are
	Intro  string       // a line above a section index, or ""
	Items  []*site.Page // a section index's pages
	Groups []ListGroup  // a topic or status page's pages: for people, for professionals
	// Pager is always nil: no list page is paginated. The list.html of
	// older sites tests it, and must go on building.
	Pager *Pager
}

// NewsView is the data of news.html, a page of the news list.
type NewsView struct {
	Base
	Items []*site.Page // this page's news items, newest first
	Pager *Pager       // nil when all news fit on one page
}

// AZView is the data of az.html, the A–Z list of a language's pages.
type AZView struct {
	Base
	Letters []Letter
}

// NotAvailableView is the data of notavailable.html, shown at a page's URL
// in a language it is not written in; .Alternates are the languages it is.
type NotAvailableView struct{ Base }

// ChooserView is the data of chooser.html, the language chooser at /;
// .Alternates are the languages.
type ChooserView struct{ Base }

// NotFoundView is the data of 404.html.
type NotFoundView struct{ Base }

// SearchView is the data of search.html. The built file has no Search: only
// kb serve fills it.
type SearchView struct {
	Base
	Search *SearchData // the results, or nil
}

// ErrorsView is the data of errors.html, the preview's page of build errors.
type ErrorsView struct {
	Base
	Problems []string // one a line: file:line: message
}

// NewsletterView is the data of newsletter.html: the archive of editions
// (Items), or an edition (Page, with its news in Groups).
type NewsletterView struct {
	Base
	Page   *site.Page   // the edition; nil on the archive
	Items  []*site.Page // the archive's editions, newest first
	Groups []ListGroup  // the edition's news, by topic
}

// RedirectView is the data of redirect.html, the page left at an old or key
// URL that sends the reader on. It does not use base.html.
type RedirectView struct {
	Base
	Page   *site.Page // the page redirected to
	Target string     // its URL
}
