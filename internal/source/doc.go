// Package source reads a site's content/ folder: the Markdown files with their
// frontmatter, the files beside them, the site settings and the synonyms.
//
// # Layout
//
//	content/site.toml                  Settings
//	content/synonyms/<lang>.txt        raw synonym files (parsed by package search)
//	content/<section>/<key>/<lang>.md  one page in one language
//	content/<section>/<key>/<file>     a resource (image, PDF) of the group
//
// Sections are fiches, procedures, topics, residence, news, newsletters,
// about (the organisation's own pages: privacy policy) and glossary (one term
// per folder: title = the term, summary = its plain definition, terms = other
// forms of it marked in pages, e.g. OCMW for CPAS); a news key starts with its
// date (YYYY-MM-DD-…), a newsletter edition's key is its month (YYYY-MM).
// Keys are lower-case ASCII letters, digits and hyphens (IsKey). A Markdown
// file must be named for a language of the site.
//
// # Sections
//
// Section holds what differs between sections: URL folder, interface title,
// default audience, key form, dated or not, own list page, topic or status
// pages, listed on topic pages, expected in a topic, reviewed against the
// law. Code asks the table (Sec(name).Dated) rather than naming sections.
//
// # Keys and writing pages
//
// Key makes a key from a title in any of the site's scripts; kb new, kb
// import spip and the build's hints use it, so a title gives one key
// everywhere. FormatPage writes a page as Load reads it back (a round-trip
// test keeps them together); kb new and kb import spip write with it.
//
// # Frontmatter
//
// YAML between "---" lines or TOML between "+++" lines, split by
// github.com/adrg/frontmatter and decoded strictly: an unknown key is an
// error with its line. Keys: title (required), summary, topics, audience
// (people | professionals), residence, date (required for news), updated,
// reviewed, aliases, slug, draft, weight, terms (glossary only), audio, and
// two newsletter keys: on a news item, newsletter (languages whose newsletter
// lists the item although it has no translation in them); on an edition,
// since (first day of the news it gathers). date is required for news and
// editions. Dates are YYYY-MM-DD.
//
// The whole file must be valid UTF-8 and is normalised to NFC; a leading byte
// order mark is dropped. The body keeps its line numbers: File.BodyLine is the
// file line of the body's first line.
//
// Load lists the folders, then reads and parses the files on every core.
// LoadCached takes each page's parse from a ParseCache when the page's path
// and bytes are those it was parsed from (kb build keeps one across builds).
//
// # Limits and links
//
// A page is at most MaxPageBytes, its frontmatter MaxFrontmatterBytes with
// brackets nested at most MaxFrontmatterDepth deep: beyond, the parsers take
// seconds to minutes. Open the site with SiteFS (os.Root): a symbolic link
// that leads out of the site cannot be read, and Load reports every such
// link under content/, templates/ and i18n/.
package source
