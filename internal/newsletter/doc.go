// Package newsletter makes the e-mail editions of the newsletter from a
// site's news, and sends one to a test address.
//
// # Editions
//
// An edition is named for its month (YYYY-MM), which is also its tag. Its
// optional file content/newsletters/<YYYY-MM>/<lang>.md gives the title
// (the e-mail's Subject), the date, an optional since, and an intro in
// Markdown. The edition gathers the news items dated from since to its date,
// both included, as site.Edition defines: grouped by their first topic,
// newest first; an item without a translation in the edition's language
// only if one of its files says newsletter: [<lang>]. Everything else of the
// period is left out and reported, with the reason.
//
// Without --since and --until, kb newsletter makes the edition of the
// current month: to the date of its file (or today), from its since (or the
// day after the previous edition of the language). The archive pages of the
// site use the same period, so the e-mail and the page list the same news.
//
// # Files
//
// For each language, in <out>/<YYYY-MM>/:
//
//	<lang>.html  the HTML e-mail: tables, inline styles, 600 px wide, lang
//	             and dir, light and dark colour schemes, no script, web font,
//	             remote image or tracking pixel (an image of the intro is
//	             replaced by its text)
//	<lang>.txt   the same as plain text, wrapped at 72 columns, its links
//	             numbered and listed at the end
//	<lang>.eml   a complete message: multipart/alternative with both,
//	             UTF-8, quoted-printable, Subject (RFC 2047 encoded words
//	             when it is not ASCII), Date, From, Reply-To, List-Unsubscribe
//	             from the [newsletter] table of content/site.toml
//
// # Tags, not tracking
//
// Every link to the site carries ?nl=<YYYY-MM>, the same for every
// subscriber: the statistics can count visits that came from an edition,
// per page, and nothing about who made them. There is no pixel, and no
// per-subscriber link.
//
// # Test send
//
// Send delivers one message to one address through an SMTP server, with
// STARTTLS when the server offers it; a login, if any, comes from the
// environment (KB_SMTP_USER, KB_SMTP_PASSWORD) and is only sent over TLS.
// kb keeps no list of subscribers: the organisation's mailing tool does.
package newsletter
