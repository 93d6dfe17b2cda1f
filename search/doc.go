// Package search builds and queries kb's full-text index: one bleve index
// per language, written by Build at site build time and opened read-only by
// the server with Open. It knows nothing of the site model: the build hands
// it Docs (plain text) and Synonyms.
//
// # Layout on disk
//
// Build(dir, docs, syn) writes:
//
//	dir/<lang>.bleve/     one scorch index per language that has documents,
//	                      in bleve's offline Builder's layout (one merged
//	                      segment), made by segments.go
//	dir/synonyms.json     the editors' synonym groups per language, as given
//
// Languages with no documents get no index (the Builder cannot write an
// empty one). dir is meant to be a fresh staging folder beside public/,
// swapped in with the rest of the build; Build fails on an existing
// <lang>.bleve. bleve writes files 0600 and folders 0700; kb build makes
// the whole generation 0644/0755 before the swap, for servers running as
// another user. The same documents give the same bytes, build after build
// (segments.go says what bleve left to chance and how kb fixes it), and
// so the same search results: each language's documents are indexed in ID
// order.
//
// # Fields
//
//	title      text, stored, term vectors   boost 3
//	summary    text, stored, term vectors   boost 2
//	headings   text, term vectors           boost 2
//	body       text                         boost 1
//	section    keyword, stored, doc values  filter and facet
//	topics     keyword, doc values          filter and facet
//	audience   keyword, doc values          filter and facet
//	lang       keyword, stored
//	residence  keyword
//	url, reviewed, date   stored only
//	excerpt    stored only: the body's first 2,000 bytes, for snippets
//
// Term vectors serve phrase queries (multi-word synonyms, the proximity
// bonus) and the summary's highlighting. The body has none and is not
// stored: the two were 70% of the index (14 of 20 KB per document at
// 10,000 pages). So a multi-word synonym matches in the body when all its
// words are there, not necessarily side by side (in the other fields, as a
// phrase), and the proximity bonus looks at the title and summary. No
// dynamic fields, nothing in _all.
//
// # Analysis
//
// Each index's default analyzer is its language's, registered with bleve by
// name in this package's init, so any process importing the package can open
// the index. All share: bleve's unicode tokenizer (UAX #29 words; it splits
// on the Ethiopic word space ፡; wordTokenizer gives its tokens without the
// segmenter for plain words), an own lower-case filter (bleve's to_lower
// corrupts the bytes after İ), NFKC, and a diacritic fold applied per token
// (bleve's asciifolding char filter would shift highlight offsets). The fold
// maps Latin letters as asciifolding does (é→e, ı→i, ș→s), removes the
// combining marks of the Latin, Cyrillic, Arabic and Ethiopic scripts
// (harakat; hamza above and below, so أ→ا, ؤ→و), maps ё→е, ї→і, ґ→г and
// typographic apostrophes to ', and keeps й. Every filter acts on one token
// alone, so each analyzer remembers what its filters make of a word
// (memoAnalyzer) instead of running them at every occurrence.
//
//	en            possessive, stop, Porter
//	fr            elision, stop, light stemmer
//	nl            stop, Snowball, then z→s and v→f at the end of a stem (huizen/huis)
//	es            stop, normalize, light stemmer
//	pt            stop, light stemmer
//	ro            ș ț → ş ţ (the stemmer's spelling), stop, Snowball
//	ru            stop, Snowball
//	tr            apostrophe (İstanbul'da → istanbul), stop, Snowball
//	ar            stop, Arabic normalization, Arabic stemmer
//	fa, prs       ZWNJ splits words, Arabic and Persian normalization, stop
//	ps            ZWNJ splits words, ګ→گ ې/ۍ→ی ك→ک, Arabic and Persian normalization, own stop list
//	uk, sq, ti    own short stop lists
//	other codes   the shared filters only
//
// Where there is a stemmer, each word is indexed as up to three terms at one
// position: the folded word, fold(stem(word)) and stem(fold(word)). Stemmers
// know accented forms (aiguë, sănătății, hastalığı) while readers type them
// bare; with both stems on both sides, either spelling meets the other. The
// folded word ranks the exact form first and gives the typo retry whole
// words to work on. The own stop lists are compared after the fold, so they
// match typed forms too.
//
// # Synonyms
//
// ParseSynonyms reads content/synonyms/<lang>.txt (see CONTENT.md). At
// query time the typed words are compared, lower-cased and folded, with the
// group terms, longest first; a matched span becomes "the typed words, or
// any other term of the group", the other terms as phrases when they have
// several words. So AMU finds pages that say aide médicale urgente, and the
// reverse. bleve's own synonyms are not used: they drop multi-word terms and
// the Builder cannot write them.
//
// # Query
//
// Search never hands user text to a query parser. CleanQuery keeps letters,
// marks, digits, apostrophes and ZWNJ inside words; everything else
// separates words. The words are split into units (a word, or a span that is
// a synonym term), and units that are a question word or filler of the
// reader's language (QuestionWords: "comment", "how", "hoe", "كيف", "где",
// "nasıl" …, compared after analysis and also typed without accents) are
// dropped, unless nothing would be left. Then, in the reader's language:
//
//  1. Main step (StepExact): a query of one to three typed words must match
//     every unit, as a short query always did; a longer one is a question,
//     and a page must match MinShouldMatch units (60%, at least two). A
//     word matches through a match query on each text field, with the
//     field's boost; stop words are dropped, not required. bleve's
//     coordination factor ranks pages matching more units first. For a
//     question, an optional phrase query per pair of neighbouring typed
//     words (title, summary, body) adds a bonus to pages where they stand
//     together.
//  2. Typo retry (StepFuzzy) if the main step found fewer than three pages:
//     the folded word fuzzily, with the edit distance counted in runes
//     (fewer than 4: 0; 4 to 7: 1; 8 or more: 2; over 32: 0), its stems
//     exactly; in languages with no stemmer (fa prs uk sq ps ti), the word
//     also as a prefix when it has 4 runes or more (in Ethiopic script
//     without its last syllable, whose vowel changes before a suffix); in
//     Persian and Dari, the word also without the affixes written joined or
//     apart (می, نمی, ها, های). Used if it finds more; Response.Fuzzy says
//     so when the exact query found nothing.
//
// The answer is weak when it has fewer than three pages, or when no page
// matches every unit of a long query. Then two kinds of results are added
// after it, each hit marked with its Step and counted in Response.Parts:
//
//  3. StepPartial: pages of the reader's language that match at least one
//     unit but not the main query, more units first; at most 10 when the
//     main step found something (the retry only when it found nothing).
//  4. StepOtherLanguage: the main query over an alias of the other
//     languages' indexes, each analyzing the query with its own analyzer;
//     at most 5.
//
// If the reader's language has nothing at all (or no index), steps 1 and 3
// run over the other languages' alias, uncapped: Response.Fallback, and each
// hit has its Lang. There is no typo retry there: the other analyzers'
// terms are unknown to the query and a fuzzy search of every index is
// costly. A Request with no Lang searches all languages this way, without
// Fallback. Paging walks the merged list: each step fetches only the part of
// the page that falls in its share.
//
// Section, Topic and Audience filter by exact keyword, without scoring.
// Within a step, hits are sorted by score, then ID, so pages are stable.
// Facets count section, topics and audience over the first step's results.
// A hit's Snippet is the best fragment of the excerpt with a match, else the
// best summary fragment with one, else the summary. The summary's comes
// from bleve's html highlighter; the excerpt's is made in excerpt.go: the
// words that the hit's query matches in the body (its terms, analyzed with
// the hit's language; fuzzy terms within their edit distance; prefixes) get
// a <mark> in the 200-rune window with the most of them, escaped, as bleve
// would have written it. The window starts and ends on whole words (words
// end at spaces and the Ethiopic wordspace ፡; a Persian word keeps its
// zero-width non-joiner), and a block boundary that does not end a
// sentence (after a heading or list item) shows as " · ". A match past the
// excerpt's end is not shown.
//
// # Limits
//
// A cleaned query has at most MaxQueryBytes (200) bytes and MaxQueryWords
// (16) words, else ErrQueryTooLong; input over 4 KiB is refused before any
// work. Size is at most MaxSize (50); results past the 1,000th are not
// served (Total and Facets still are). A search without a deadline in its
// context gets 2s. bleve's MaxTermSearchersKey caps the terms one search may
// expand to at 4096 per index: bleve checks the context only between hits,
// not while expanding fuzzy and prefix terms. A typo or partial step that
// fails (deadline, term cap) leaves the result of the step before.
//
// # Concurrency
//
// Open uses bleve's read_only mode with a 1s bolt_timeout: any number of
// processes may open the same folder, nothing is written, and no background
// goroutines run; an index still being written makes Open fail rather than
// wait. An Index is safe for concurrent searches. To deploy a new build,
// open the new folder and close the old Index; never rebuild in place.
package search
