// Package site assembles the loaded content into a site, in two phases:
// Assemble makes the structure (translation groups, URLs, the checks across
// pages that need no body), then RenderBodies renders every page's body with
// its links resolved and checks the links (body.go).
//
// # URLs
//
//	/{lang}/                          home
//	/{lang}/{section}/                section index (fiches, procedures, topics, residence, about)
//	/{lang}/{section}/{slug}/         a page (slug defaults to the group key)
//	/{lang}/{section}/{key}/          a translation that does not exist: a page that
//	                                  says so and links the languages that do
//	/{lang}/news/, /{lang}/news/page/N/
//	/{lang}/a-z/, /{lang}/search/, /{lang}/feed.xml
//	/{lang}/newsletter/, /{lang}/newsletter/{YYYY-MM}/
//	                                  newsletter editions (content/newsletters/): the
//	                                  list, and each edition with the news it gathered
//	/files/{section}/{key}/{name}     a resource of a group (image, PDF), one copy,
//	                                  published only when a page of the group links
//	                                  to it; on disk under its real name (NFC)
//
// # Internal links
//
// Editors link by section and key: /fiches/urgent-medical-aid, with an
// optional #fragment. The link goes to the page in the same language, or to
// the not-available page of that language. /news, /a-z, /search, /topics,
// /residence, /fiches, /procedures and / go to the lists of the same
// language. A relative link (card.png) names a file in the page's folder. Any
// other link starting with / is an error, and so is a link to a page that
// does not exist. A link to a page that exists only as a draft is a warning
// and goes to the A–Z list.
//
// # Checks across pages
//
// Unknown topic or residence keys, two pages of a section and language with
// the same slug (or a slug equal to another group's key), aliases that
// collide with a page, with each other, with kb's own files and routes, or
// leave the site, or hold spaces or redirect-pattern characters (* : …), files
// of a page folder no page links to (a warning), a default language
// without an i18n file, an emergency label without an interface string.
package site
