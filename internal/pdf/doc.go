// Package pdf prints the site's downloadable PDFs: one A4 file per fiche and
// procedure in every language it exists in, one folder per language with
// all fiches for people, and one per residence status with the procedures
// that apply to it.
//
// # Rules
//
//   - The engine is Chromium (through chromedp), the same browser the browser
//     tests use: it shapes every script of the site (Arabic, Persian, Dari
//     and Pashto right to left, Tigrinya in Ge'ez, Cyrillic), embeds subset
//     fonts (Noto, from the system), writes a tagged PDF, takes the title
//     from <title> and the language from <html lang>, and makes the outline
//     from the headings. No Go library shapes all fifteen languages as well.
//   - A print page is the site's stylesheet (its print rules apply) plus
//     print.css, with no navigation and no search box: the organisation,
//     the emergency numbers, the page, the review date, the web address as
//     text and as a QR code, and the contact.
//   - A folder is a cover, a table of contents and the same parts printed
//     one after another. The page numbers of the contents are known before
//     the folder is printed: each part's page count is that of its own PDF,
//     and the cover and contents are printed once alone to count them.
//   - Every print goes through a cache keyed by the SHA-256 of the exact
//     HTML printed plus the printing environment (kb's build, the Chromium
//     binary, the installed fonts). Page content, templates, stylesheet,
//     settings and interface strings all reach the HTML, so a build where
//     nothing changed prints nothing, and a changed fiche reprints its PDF
//     and the folders it is in. Cache files are written under a temporary
//     name and renamed, so a killed build leaves no half file.
//   - Without Chromium, Make returns a warning saying what to install and
//     no PDFs; the rest of the site builds.
package pdf
