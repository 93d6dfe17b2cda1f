// Package render turns an assembled site into files: HTML pages from the
// templates/ folder, and the machine formats (Atom, sitemap, redirect maps,
// robots.txt) from code.
//
// # Templates
//
// templates/base.html is the layout; it calls {{template "main" .}}, which
// each page kind defines in its own file: home, page (fiche, procedure, news
// item), list (section index, topic, residence status), news, az,
// notavailable, chooser, 404, search, errors, newsletter (the archive of
// newsletter editions and each edition). redirect.html stands alone. A
// missing template is an error. templates/static/style.css is inlined in every
// page, so that a page arrives in one round trip; its SHA-256 goes into the
// Content-Security-Policy.
//
// # Template data
//
// Each template gets its own type (Views): a struct that embeds Base, which
// holds what base.html and every page use (.L the reader's language, .T
// "key" "name" value… an interface string, .N a plural, .Date, .Title,
// .Alternates, .Crumbs, .Emergency, .Query…), plus the kind's own fields:
// HomeView, PageView (.Page, .TopicLinks…), ListView (a section index's
// .Items, or a topic or status page's .Page and .Groups), NewsView, AZView,
// NotAvailableView, ChooserView, NotFoundView, SearchView (.Search),
// ErrorsView, NewsletterView and RedirectView (.Target). TEMPLATES.md at the
// repository's root lists every field for site owners; a test keeps it
// complete.
//
// LoadTemplates checks each template against its type before any page is
// drawn: a field the type does not have is a problem at the template's file
// and line, even in a branch no page reaches (html/template would say so
// only on executing it). The check follows with, range, variables and
// {{template}} calls, and passes what it cannot know (index, and, or).
// Execute refuses data of another type than the one checked.
//
// Execute draws the parts of base.html that depend only on the language
// and kind once, and copies them into every page (fold.go): exact for any
// template, by what the parts read, and checked once per language and kind.
//
// # Outputs
//
// The translation status page for editors, _editors/translations.html,
// comes from package status; it is not linked, not in the sitemap, and
// robots.txt disallows it. The build writes it out of the published site
// (build.OutputFile); only the preview serves it.
//
// Outputs lists every file with the groups it depends on (Deps: kb
// build's cache of rendered files hashes them into a file's key; the
// preview renders on request and does not read them). Render functions
// are pure: the same site gives the same bytes. The not-available page of
// a group in a language it lacks is listed only where an output links to
// it; NotAvailable gives any of them, for kb serve and the preview
// (missing.go).
package render
