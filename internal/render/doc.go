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
// Every template gets a *View: .L is the reader's language (.L.Code,
// .L.TagString, .L.Dir), .T "key" "name" value… an interface string,
// .N "key" n a plural string, .Date t a date in the language, .Page the
// page, .Alternates its translations (each with .Name in itself, .URL,
// .Tag, .Dir, .Current), .Emergency the emergency numbers, .Crumbs the
// breadcrumbs.
//
// # Outputs
//
// The translation status page for editors, _editors/translations.html,
// comes from package status; it is not linked, not in the sitemap, and
// robots.txt disallows it. The build writes it out of the published site
// (build.OutputFile); only the preview serves it.
//
// Outputs lists every file with the groups it depends on (Deps, which
// nothing reads since the preview renders on request). Render functions
// are pure: the same site gives the same bytes.
package render
