// Package stats counts visits and searches without tracking anyone, stores
// the counts, merges stores, imports nginx access logs and reports.
//
// # What is counted
//
// Only aggregate counters, per day: a Key names what is counted and the
// store keeps one number per day and Key. Nothing about a reader is kept:
// no IP address (not even hashed), no User-Agent, no referrer, no cookie, no
// time finer than the day.
//
//	visit   lang  page kind    section/key    a page view (200 or 304) of a
//	                                          page, list or home page
//	search  lang  outcome      masked query   a search (its first page only);
//	                                          outcome: exact, fuzzy,
//	                                          other-language, none
//	nl      lang  edition      section/key    a visit that came with ?nl=EDITION
//	other   ""    what         ""             bot, redirect, not-found, error,
//	                                          feed, chooser: one number a day
//
// Page kinds are the sections (fiches, procedures, news, topics, residence,
// about, ...), "missing" for the page that says a translation does not exist,
// "home" and "list" (section indexes, news pages, a-z, the empty search
// page). Not counted at all: HEAD requests, assets (CSS, files/, sitemap,
// robots.txt, anything that is not a page) and requests other than GET.
// Requests from crawlers and bots, known by their User-Agent (Bot), are
// counted only as "other bot"; the User-Agent is matched and forgotten.
//
// # Queries
//
// A query is normalised (NFC, lower case, spaces collapsed, at most 80
// characters), e-mail addresses are removed and every run of two or more
// digits, even split by spaces, dots, dashes or slashes, becomes "#": a
// phone, national register or file number never reaches the store. A single
// digit stays (9ter). A query text is reported only when at least K (3)
// searches in the period share it; below that only the counts per language.
//
// # Store
//
// A store is a bbolt file under the output's state folder, .kb/stats/ beside
// public/ and outside every generation: serve-N.db for the N-th kb serve
// process running at once (a lock file says which slots are taken),
// nginx.db for imported logs. Counts are batched in memory and written
// every Interval (10 s) and on shutdown, in one transaction: a kill -9
// loses the last interval, never the store. The file is opened only for the
// write, so kb stats can read it while the server runs.
//
// Inside, bucket "keys" maps each Key (encoded) to a small number and bucket
// "days" maps a day (YYYY-MM-DD) to the sorted list of (number, count)
// pairs as varints: the store grows with pages × days, not with requests.
// Bucket "imports" remembers the logs imported (see Import).
//
// # Merging
//
// Stores are merged by adding the counts of equal Keys and days; the
// numbers inside each file are private to it. So several servers behind one
// load balancer each write their own file, and kb stats reads them all.
package stats
