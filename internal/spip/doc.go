// Package spip imports a SPIP 3/4 site into kb content. This comment is the
// specification of the mapping; CONTENT.md describes the files it writes.
//
// # Input
//
// The backup is the SQLite file SPIP's "dump" plugin writes under tmp/dump/
// (a MySQL site is backed up in the same format). It is opened read-only and
// checked (PRAGMA quick_check) before anything else; a file that is not
// SQLite, is damaged, or has no spip_articles table is an error, and nothing
// is written. Only the tables and columns listed in source.go are read:
// others are ignored, and missing optional tables or columns read as empty
// (the report lists them). Text that is not UTF-8 is read as Windows-1252.
//
// # Languages
//
// The site's languages are the names of its i18n/*.toml files, or the 15
// that come with kb (lang.Shipped) when it has none. An
// object's language is its lang column, else its rubrique's (inherited from
// the parents), else spip_meta langue_site. Text in another language is
// skipped and reported. In titles and texts, <multi>[fr]…[nl]…</multi>
// picks the file's language, else the text before the first [xx], else the
// first language given.
//
// # Objects
//
//	SPIP object                      kb file
//	article (publie)                 content/<section>/<key>/<lang>.md
//	brève (publie)                   content/news/<YYYY-MM-DD>-<key>/<lang>.md
//	rubrique in [rubrique_topics]    content/topics/<key>/<lang>.md
//	keyword mapped to a topic        content/topics/<key>/<lang>.md
//	keyword mapped to a residence    content/residence/<key>/<lang>.md
//	document linked or embedded      a copy beside the Markdown file
//
// Articles that share an id_trad are one folder with a file per language
// (id_trad 0: a folder of one). The reference article (id = id_trad) names
// the folder; a second article in a language already present becomes a
// folder of its own. Brèves, rubriques and keywords have no translations:
// each is one folder, with a file for its language and one for each
// language of the <multi> blocks of its title. Objects given the same topic
// key are merged, a file per language (the first one wins; others are
// reported).
//
// Keys are made from titles (in the reference article's language, then the
// other members') by source.Key, as kb new makes them: accents removed,
// Cyrillic, Greek, Arabic-script and Ethiopic letters transliterated,
// lower-case ASCII letters and digits, other runs of characters as one
// hyphen, at most 60 characters. A title that gives no key (another script)
// gives article-<id>, breve-<id>, mot-<id> or rubrique-<id>; a key already
// taken gets -<id> appended.
//
// Only status publie is imported. With --drafts, prop and prepa are
// imported too, with draft: true; refuse and poubelle never are. Virtual
// articles (virtuel set, or a chapo starting with "=") are redirects and are
// skipped. Brèves without a date are skipped. Unpublished rubriques make no
// topic.
//
// # The mapping file
//
// spip-map.toml in the site folder (or --map) says where objects go. The
// first import writes it with defaults: every sector's articles go to
// default_section ("fiches"), every published sector becomes a topic, and
// sub-rubriques, keywords and keyword groups are listed as comments:
//
//	default_section = "fiches"          # or "procedures"
//	[sections]                          # rubrique id → fiches | procedures | skip
//	[rubrique_topics]                   # rubrique id → topic key ("" = none)
//	[keywords]                          # keyword id → topic[:key] | residence[:key] | ignore
//	[keyword_groups]                    # group id → topic | residence | ignore
//
// A rubrique's section is its own entry, else its nearest parent's, else
// default_section. A keyword without a key takes one from its title.
// Keywords the file does not place are reported with their use count.
//
// # Frontmatter
//
// Pages are written with source.FormatPage, the frontmatter kb reads, keys
// in the order of source.Keys: title (plain text; a
// "01. " prefix is removed and becomes weight), summary (descriptif as plain
// text, else soustitre), topics (the topics of the article's rubrique and
// its parents, and of its keywords), audience (people for fiches,
// professionals for procedures), residence (from keywords), date (news:
// date_heure), updated and reviewed (date_modif, else date: SPIP does not
// know when a text was checked against the law, and the report says so),
// aliases, draft, weight.
//
// # Text
//
// The body is surtitre and soustitre (emphasised lines), chapo, texte, and
// ps under a "P.S." heading, converted together so that notes are numbered
// across them. Shortcuts become Markdown:
//
//	{{bold}} {italic}                    **bold** *italic*
//	{{{Title}}} {{{**Title}}}            ## Title, ### Title (one level per *)
//	[text->https://…] [->www.…] [->a@b]  [text](https://…), http://, mailto:
//	[text->art12] [->12] [->rub3] …      [text](/fiches/<key>), /topics/<key>,
//	                                     /news/<key>, /residence/<key>; an
//	                                     empty text takes the target's title
//	[->doc7] <doc7> <img7|left> <emb7>   [title](file.pdf), ![title](image.png)
//	[#anchor<-] before/in an intertitle  ## Title {#anchor}
//	-* -** -# -## and old "- "           - item, nested, 1. item
//	|{{a}}|{{b}}| rows                   a GFM table (no {{}} row: empty header)
//	[[note]]                             [^n] and its definition at the end
//	<quote> <code> <cadre> <poesie>      > block, `code`, fenced block, lines
//	_ at a line start, ----              hard break (\), ---
//	~                                    no-break space
//
// A rubrique that is not a topic links to its nearest parent that is. A
// #fragment is kept only if the target page (in the linking page's
// language) gives a heading that id, as kb checks fragments. Links
// to old URLs of the site (spip.php?article12, a propre URL, IMG/…) are
// resolved like object links. A link to an object that is not imported (or
// is a draft, from a page that is not) becomes its text and is reported, as
// kb fails a build on a broken internal link. Common HTML (p, br, b,
// strong, i, em, a href, h1–h6, ul/ol/li, hr, blockquote) becomes the
// equivalent shortcut; other tags are removed and reported, and nothing
// comes out as HTML: Markdown-significant characters of the text are
// escaped. Glossary links, table cell spans and anchors away from a heading
// are reported too.
//
// # Documents
//
// Documents linked to an object (spip_documents_liens) or shown in its text
// are copied from --img (SPIP's IMG/ folder; fichier is relative to it)
// into the object's folder, named after their file (made safe; a clash
// gets the id in front). Linked documents the text does not show are listed
// at the end of the text, as SPIP listed them under it. A document whose
// file is missing, or every document when there is no --img, is reported
// and its links become text. Remote documents are linked, never embedded.
//
// # Old URLs
//
// Every imported object gets aliases in the file that replaces it (each
// language file, as each SPIP translation has its own id):
//
//	/spip.php?article12  /spip.php?page=article&id_article=12  /article.php3?id_article=12
//
// and the same for rubrique, breve and mot; /article12.html when type_urls
// is "html". Every spip_urls row of the object (old slugs too) gives /<url>
// and, by type_urls: propres the typed forms /-<url>- (rubrique), /+<url>+
// (brève), /+-<url>-+ (keyword); propres2 those plus .html; arbo
// /<parents>/<url> (propres_qs's /?<url> cannot be redirected: / is kb's
// language chooser; the report says so). A row with a langue goes to that
// language's file. When the site was multilingual (langues_multilingue set,
// or spip_urls rows with a langue), each alias also gets a ?lang=<code> (or
// &lang=) form. A published rubrique that is not a topic has its URLs on
// its nearest topic. An alias already taken, unclean, or that would hide
// kb's own paths (/<lang>/, /sitemap.xml, …) is dropped and reported.
//
// # Writing
//
// Everything is planned in memory, then written. .spip-import.json in the
// site folder records the SHA-256 of every file written. A file is
// overwritten only when it is still what the previous import wrote; if any
// file was changed since, nothing is written and the conflicts are reported
// (ErrConflict), unless Force. Files the previous import wrote that are no
// longer produced are removed if unchanged, else left and reported; an
// entry that is not a clean path under content/ stops the import, and files
// are read and removed through os.Root, so no entry reaches outside the
// site. Documents are read from --img through os.Root too: a link there that
// leads out of it is reported as a missing document. The
// output has no timestamps and a fixed order: importing the same backup
// twice gives the same files.
//
// # Report
//
// The report counts files by section and language, translation groups and
// multilingual ones, copied documents and aliases, and lists skipped objects
// with the reason, markup not converted, broken links, missing documents,
// unmapped keywords, dropped aliases and notes, each with the object's id.
package spip
