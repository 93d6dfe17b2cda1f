// Package check runs kb check: every validation of a build, writing nothing,
// plus editorial checks reported as warnings, and the translation status of
// every page in every language.
//
// # Editorial checks
//
// Each warning names the file and line and says what to do. Published pages
// only (drafts are not on the site):
//
//   - a translation older than its source: the source of a group is its page
//     in the site's default language, else the page updated last (see
//     Source); a translation whose version date (updated, else date) is
//     earlier than the source's, or that has none when the source has one,
//     is outdated;
//   - reviewed missing on a fiche or procedure, or older than
//     review_max_age_months (content/site.toml, default 12; 0 turns the age
//     check off) on any page but news;
//   - an image without alt text;
//   - an empty summary;
//   - a fiche, procedure or news item in no topic;
//   - an internal link to a page that exists only as a draft (the build
//     warns about it too; this check adds the line);
//   - a news item dated after today;
//   - an interface string missing in a language, compared with the union of
//     the keys of every i18n file; a string with plural forms needs each
//     CLDR category the language uses (lang.Language.Categories);
//   - a synonym group (content/synonyms/<lang>.txt) none of whose terms is
//     in a page of its language, analyzed as the search index does (so an
//     inflected or unaccented form counts; a phrase needs each of its
//     words): at the group's line.
//
// Frontmatter problems point at the key's line (the frontmatter's first
// line when the key is absent), image problems at the image's line.
//
// # Translation status
//
// Status is a matrix of pages (section/key) by languages. A cell is current
// (the source, or a translation at least as recent), outdated, draft or
// missing. StatusPage renders it as a standalone HTML page for editors; it
// depends only on the content, never on the clock: its "as of" date is the
// newest updated or reviewed date of the content.
//
// # Output
//
// WriteText prints "path:line: level: message (what to do)" lines, errors
// first, each sorted by file and line, then one summary line. WriteJSON
// prints one object with the counts, the problems and the status. A check
// fails when there are errors, or warnings with --strict.
package check
