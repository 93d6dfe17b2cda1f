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
// Sections are fiches, procedures, topics, residence, news and glossary (one
// term per folder: title = the term, summary = its plain definition, terms
// = other forms of it marked in pages, e.g. OCMW for CPAS); a news key
// starts with its date (YYYY-MM-DD-…). Keys are lower-case ASCII letters,
// digits and hyphens. A Markdown file must be named for a language of the
// site.
//
// # Frontmatter
//
// YAML between "---" lines or TOML between "+++" lines, split by
// github.com/adrg/frontmatter and decoded strictly: an unknown key is an
// error with its line. Keys: title (required), summary, topics, audience
// (people | professionals), residence, date (required for news), updated,
// reviewed, aliases, slug, draft, weight, terms (glossary only). Dates are
// YYYY-MM-DD.
//
// The whole file must be valid UTF-8 and is normalised to NFC. The body keeps
// its line numbers: File.BodyLine is the file line of the body's first line.
package source
