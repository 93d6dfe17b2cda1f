// Package browsertest checks kb's pages as a reader's browser shows them:
// headless Chromium, driven by chromedp, opens every page kind of the site
// the repository ships, served by the real server on loopback. The package
// has tests only.
//
// # Running
//
// The tests skip unless KB_BROWSER=1. scripts/browser-deps.sh installs
// what they need: Debian's chromium (and the Noto fonts a phone has), and
// axe-core from the npm registry into testdata/node_modules (not committed).
// Nothing is downloaded while the tests run. With KB_BROWSER=1, a missing
// browser or axe-core is a failure, not a skip.
//
//	scripts/browser-deps.sh
//	KB_BROWSER=1 go test ./internal/browsertest/
//
// KB_CHROMIUM names another browser binary (default /usr/bin/chromium);
// KB_BROWSER_SITE another site folder to build (default: the repository's
// content/, templates/ and i18n/, copied into a temporary folder).
//
// # Pages
//
// Every page kind — home, fiche, procedure, topic, residence status, news
// list, news item, A–Z, search results, a page not available in the
// language, 404 — in fr, nl, en, ar and fa (a kind a language lacks is
// left out for it), and the language chooser. One browser and one tab
// visit them in turn at 360×640 CSS pixels (a phone).
//
// # What must hold
//
//   - axe-core reports no violation of WCAG 2.0, 2.1 and 2.2 A and AA, nor
//     of its best-practice rules on landmarks and headings.
//   - No horizontal scrolling at 360 px, nor with the text at 200 %; no
//     element clips its text.
//   - Touch targets in the header, navigation, footer and lists are at
//     least 24×24 px, or spaced as WCAG 2.5.8 allows.
//   - The first Tab focuses a skip link to main, which works; every focused
//     link shows an outline or shadow that it lacks unfocused.
//   - On ar and fa: dir=rtl; navigation, breadcrumbs, lists and language
//     switcher run from the right; Latin runs (OCMW/CPAS, Fedasil) keep
//     their order; entries in other languages carry their own lang and dir.
//   - With JavaScript off, every page shows its main content, and the search
//     form returns results.
//   - A fiche's HTML with its inlined CSS is at most 14 KiB gzip-compressed
//     as the server sends it; pages request nothing from another host and
//     no font.
//   - Printed (A4), a fiche or procedure has no navigation, shows the URL of
//     its links and its last-reviewed date.
//
// Screenshots at 360×640 of a fiche in fr and ar and of search results, and
// the printed PDFs, are written to screenshots/ at the repository root (not
// committed) for a person to look at.
package browsertest
