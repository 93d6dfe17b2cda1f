package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"kb/internal/lang"
	"kb/internal/site"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Href     string `xml:"href,attr"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   string     `xml:"summary,omitempty"`
	Content   atomText   `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func atomDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// feed writes the Atom feed of a language's news. Its dates come from the
// content, never from the clock, so that builds are reproducible.
func (r *Renderer) feed(l *lang.Language) ([]byte, error) {
	base := r.Site.Settings.BaseURL
	news := FeedPages(r.Site, l.Code)
	f := atomFeed{Lang: l.TagString(), ID: base + "/" + l.Code + "/news/", Title: l.T("site_name") + " — " + l.T("news"),
		Links: []atomLink{
			{Rel: "self", Href: base + "/" + l.Code + "/feed.xml", Type: "application/atom+xml"},
			{Rel: "alternate", Href: base + "/" + l.Code + "/news/", Type: "text/html"},
		},
		Author: atomAuthor{Name: l.T("site_name")}}
	for _, p := range news {
		updated := p.Meta.Date
		if p.Meta.Updated.After(updated) {
			updated = p.Meta.Updated
		}
		if u := atomDate(updated); u > f.Updated {
			f.Updated = u
		}
		f.Entries = append(f.Entries, atomEntry{
			ID: base + p.URL, Title: p.Meta.Title, Updated: atomDate(updated), Published: atomDate(p.Meta.Date),
			Links: []atomLink{{Rel: "alternate", Href: base + p.URL, Type: "text/html"}}, Summary: p.Meta.Summary,
			// A glossary mark links to the definition on the page itself.
			Content: atomText{Type: "html", Body: absolute(strings.ReplaceAll(string(p.Body), `href="#def-`, `href="`+p.URL+`#def-`), base)},
		})
	}
	if len(f.Entries) == 0 {
		f.Updated = atomDate(r.newest(l.Code))
	}
	return marshalXML(f)
}

// newest is the latest date of the language's pages (date, updated or
// reviewed): a feed with no entries yet is as new as the language's pages,
// never a made-up date. A language with no dated page takes the
// newest date of the site.
func (r *Renderer) newest(code string) time.Time {
	var newest, site time.Time
	for _, g := range r.Site.Groups {
		for c, p := range g.Pages {
			for _, d := range []time.Time{p.Meta.Date, p.Meta.Updated, p.Meta.Reviewed} {
				if d.After(site) {
					site = d
				}
				if c == code && d.After(newest) {
					newest = d
				}
			}
		}
	}
	if newest.IsZero() {
		return site
	}
	return newest
}

// absolute makes the site's root-relative links absolute, for feed readers.
func absolute(html, base string) string {
	html = strings.ReplaceAll(html, `href="/`, `href="`+base+`/`)
	return strings.ReplaceAll(html, `src="/`, `src="`+base+`/`)
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	LastMod string        `xml:"lastmod,omitempty"`
	Links   []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// SitemapPaths returns the URL paths the sitemap lists, for tests.
func (r *Renderer) SitemapPaths() []string {
	var out []string
	for _, u := range r.sitemapURLs() {
		out = append(out, strings.TrimPrefix(u.Loc, r.Site.Settings.BaseURL))
	}
	return out
}

func (r *Renderer) sitemapURLs() []sitemapURL {
	s := r.Site
	base := s.Settings.BaseURL
	var urls []sitemapURL
	// x-default: the language chooser, for readers of none of the languages.
	xDefault := sitemapLink{"alternate", "x-default", base + "/"}
	listAlts := func(suffix string) []sitemapLink {
		var links []sitemapLink
		for _, l := range s.Langs.List {
			links = append(links, sitemapLink{"alternate", l.TagString(), base + "/" + l.Code + "/" + suffix})
		}
		if len(links) < 2 {
			return nil
		}
		return append(links, xDefault)
	}
	for _, l := range s.Langs.List {
		for _, suffix := range listSuffixes() {
			urls = append(urls, sitemapURL{Loc: base + "/" + l.Code + "/" + suffix, Links: listAlts(suffix)})
		}
		news := s.News(l.Code)
		pages := (len(news) + s.Settings.NewsPerPage - 1) / s.Settings.NewsPerPage
		for n := 2; n <= pages; n++ {
			urls = append(urls, sitemapURL{Loc: base + "/" + newsPagePath(l.Code, n)})
		}
	}
	for _, g := range s.Groups {
		var links []sitemapLink
		for _, l := range s.GroupLangs(g) {
			links = append(links, sitemapLink{"alternate", l.TagString(), base + g.Pages[l.Code].URL})
		}
		if len(links) < 2 {
			links = nil
		} else {
			links = append(links, xDefault)
		}
		for _, l := range s.GroupLangs(g) {
			p := g.Pages[l.Code]
			mod := p.Meta.Updated
			if p.Meta.Reviewed.After(mod) {
				mod = p.Meta.Reviewed
			}
			if mod.IsZero() {
				mod = p.Meta.Date
			}
			u := sitemapURL{Loc: base + p.URL, Links: links}
			if !mod.IsZero() {
				u.LastMod = mod.Format("2006-01-02")
			}
			urls = append(urls, u)
			if a := p.Audio; a != nil {
				// The recording is a resource of its own for search engines.
				urls = append(urls, sitemapURL{Loc: base + a.URL, LastMod: u.LastMod})
			}
		}
	}
	urls = append(urls, sitemapURL{Loc: base + "/", Links: listAlts("")})
	sort.Slice(urls, func(i, j int) bool { return urls[i].Loc < urls[j].Loc })
	return urls
}

func (r *Renderer) sitemap() ([]byte, error) {
	return marshalXML(urlset{XHTML: "http://www.w3.org/1999/xhtml", URLs: r.sitemapURLs()})
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func (r *Renderer) robots() ([]byte, error) {
	var b strings.Builder
	b.WriteString("User-agent: *\nDisallow: /_editors/\n")
	for _, l := range r.Site.Langs.List {
		fmt.Fprintf(&b, "Disallow: /%s/search/\n", l.Code)
	}
	fmt.Fprintf(&b, "\nSitemap: %s/sitemap.xml\n", r.Site.Settings.BaseURL)
	return []byte(b.String()), nil
}

// Redirects returns every alias (query-string ones included) and its target,
// sorted, for the server.
func (r *Renderer) Redirects() map[string]string {
	m := map[string]string{}
	for _, a := range r.Site.Aliases {
		m[a.From] = a.To.URL
	}
	return m
}

func (r *Renderer) staticAliases() []site.Alias {
	var out []site.Alias
	for _, a := range r.Site.Aliases {
		if !strings.Contains(a.From, "?") {
			out = append(out, a)
		}
	}
	return out
}

// netlifyRedirects writes a _redirects file for Netlify and Cloudflare
// Pages. kb writes a redirect page at every alias, so on Netlify a plain rule
// would be shadowed by it (Netlify serves an existing file before an
// unforced rule): each alias gets a forced rule (301!) first. Cloudflare
// Pages always redirects but rejects "301!" as malformed (it skips the line
// and names it in the build log), so a plain 301 rule follows; Netlify never
// reaches it, the first matching rule being the forced one.
func (r *Renderer) netlifyRedirects() ([]byte, error) {
	var b strings.Builder
	b.WriteString("# Old URLs of this site; generated by kb build. Query-string forms are answered by kb serve.\n")
	b.WriteString("# Each alias twice: 301! for Netlify (a redirect page exists at the same path),\n")
	b.WriteString("# 301 for Cloudflare Pages (always redirects; skips the 301! lines as malformed).\n")
	for _, a := range r.staticAliases() {
		fmt.Fprintf(&b, "%s %s 301!\n", a.From, a.To.URL)
	}
	for _, a := range r.staticAliases() {
		fmt.Fprintf(&b, "%s %s 301\n", a.From, a.To.URL)
	}
	// Netlify: each language's 404 page for what no file matches (unforced,
	// so files win). Cloudflare finds the nearest 404.html by itself and
	// skips these lines (it has no 404 rules); they come last, as its
	// dynamic rules must.
	b.WriteString("# Netlify: the 404 page of the path's language.\n")
	for _, l := range r.Site.Langs.List {
		fmt.Fprintf(&b, "/%s/* /%s/404.html 404\n", l.Code, l.Code)
	}
	return []byte(b.String()), nil
}

// nginxRedirects writes entries for an nginx map:
//
//	map $uri $kb_redirect { include /srv/site/public/redirects.map; }
//	if ($kb_redirect) { return 301 $kb_redirect; }
func (r *Renderer) nginxRedirects() ([]byte, error) {
	var b strings.Builder
	b.WriteString("# nginx: map $uri $kb_redirect { include redirects.map; }  then  if ($kb_redirect) { return 301 $kb_redirect; }\n")
	for _, a := range r.staticAliases() {
		fmt.Fprintf(&b, "%q %q;\n", a.From, a.To.URL)
	}
	return []byte(b.String()), nil
}

func htmlScript(s string) template.HTML { return template.HTML(s) }
