// Package preview is kb serve --watch: it keeps the site in memory, serves
// each page rendered when it is asked for (as hugo server does), brings the
// site up to date when a file of content/, templates/ or i18n/ changes, and
// reloads the pages open in a browser whose output changed. It writes
// nothing to public/ unless asked (Write, kb serve --watch --write).
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
// The preview runs the build's own phases (build.Assemble: the site's
// structure, then the bodies, then the collision check), so that it finds
// what kb build and kb check find, with the same messages. What it keeps
// between rebuilds is what was read (one source.File per page file) and the
// bodies (a site.BodyCache):
//
//   - Only the changed files are read again (source.Load on a file system
//     holding that file alone, so the checks and messages are the same).
//     A change of i18n/ reads everything again; anything else in content/
//     that is not a page or a file of a page's folder (synonyms, a new
//     section, a misnamed folder) reads content/ again.
//   - When only the Markdown body of pages changed, or only what their
//     outputs read when rendered (title, summary, review and update dates,
//     weight, audience, every key on the same line), the site stays as it
//     is and those pages get their file and body again in place
//     (site.Bodies.Update), which checks again their links, the links to
//     their headings and the files of their folder.
//   - A change of templates/ reads the templates again; the site stays.
//   - Otherwise the site is assembled again; a body is taken from the cache
//     when its Markdown, quotes and glossary are the same and each of its
//     links still resolves to the same URL and message.
//
// Each rebuild prints one line: what changed, what was done, and the time
// it took.
//
// # Serving
//
// The server (package serve) reads the site through an fs.FS that renders
// an output (render.Outputs) when it is first asked for and keeps it until
// the next rebuild. A template that shows another page's body is therefore
// always up to date: nothing decides in advance which outputs a change
// touches. It renders every not-available page too, listed or not (a build
// writes only those a page links to: render.Renderer.NotAvailable). While
// pages change in place, requests wait (a RWMutex).
//
// # Errors
//
// When the site has errors, a request for a page gets templates/errors.html
// listing every error with its file and line (a plain page when the
// templates themselves are broken); other files are served as they were
// in the last state without errors. A page whose template fails when it is
// rendered gets the same page with that error.
//
// # Search
//
// The search index is rebuilt in the background, once changes stop for a
// second, in a temporary folder of its own, for the languages whose pages
// changed (the others are hard links to the current index), and served once
// ready; the pages never wait for it.
//
// # Reload
//
// Every page gets Script, /_kb/reload.js, which listens to /_kb/events
// (server-sent events) and names the page open. After a rebuild, a page is
// told to reload when its output is another than the one it was served
// (both rendered and compared), or when the errors came or went. The
// script is a file, so the Content-Security-Policy only gains CSP. At most
// 64 streams are open at once; one more is answered 503, and that page does
// not reload by itself.
package preview
