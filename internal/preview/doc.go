// Package preview is kb serve --watch: it rebuilds the site when a file of
// content/, templates/ or i18n/ changes, writes only the files that the
// change touches, and reloads the pages open in a browser.
//
// # Watching
//
// The three folders are watched recursively (fsnotify); folders that
// appear are watched too, and the files already in them count as changed.
// Hidden files and editors' temporary files (.#x, #x#, x~, .x.swp, 4913,
// x.tmp) are ignored. Events are gathered until 50 ms pass without one, so
// that one save is one rebuild.
//
// # Rebuilding
//
// The first build, and a change to templates/, i18n/ or content/site.toml,
// writes everything as a new generation and swaps it in, as kb build does
// (build.Publish); bodies come from the cache below, so a template change
// renders no Markdown. Other changes update the current generation's site/
// folder in place, which a normal build never does:
//
//   - Only the changed files are read again (source.Load on a file system
//     holding that file alone, so the checks and messages are the same).
//     Anything else in content/ (synonyms, a new section, a misnamed
//     folder) reads content/ again.
//   - When only the Markdown body of pages changed, the site stays as it is
//     and those pages are rendered again. The files written are the page's
//     own and, for news, the language's feed: nothing else shows a body.
//   - Otherwise the site is assembled again (site.Assemble) from the files
//     read, without their Markdown, and every page then gets its body from
//     a cache: a body is a pure function of the Markdown, the language's
//     quotes and what each link resolves to, so a cached body is reused
//     when the Markdown is the same and each of its links still resolves to
//     the same URL and message. The outputs to write are those whose Deps
//     (render.Output) name a changed group, before or after the change, or
//     "list:<lang>" of a changed page's language, or "list:*"; pages whose
//     body was rendered anew; and new outputs. Outputs that are gone are
//     removed.
//   - Every output written is rendered and compared with the file on disk:
//     a file whose bytes did not change is not touched (its mtime stays), a
//     changed one is replaced by rename.
//
// Each rebuild prints one line: what changed, how many files were written,
// and the time it took.
//
// # Errors
//
// When the site has errors, nothing is written: a request for a page gets
// templates/errors.html listing every error with its file and line (a plain
// page when the templates themselves are broken), other files are served
// as they were. The next rebuild without errors writes everything that
// changed meanwhile.
//
// # Search
//
// The search index is rebuilt in the background, once changes stop for a
// second, for the languages whose pages changed (the others are hard links
// to the current index), and served once ready; the pages never wait for
// it.
//
// # Reload
//
// Every page gets Script, /_kb/reload.js, which listens to /_kb/events
// (server-sent events) and reloads the page after a rebuild. The script is
// a file, so the Content-Security-Policy only gains CSP. At most 64 streams
// are open at once; one more is answered 503, and that page does not reload
// by itself.
package preview
