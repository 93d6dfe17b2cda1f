package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/newsletter"
)

func runNewsletter(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("newsletter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder` with content/, templates/ and i18n/")
	out := fs.String("out", "", "output `folder` (default: <site>/newsletter)")
	since := fs.String("since", "", "first day of the news gathered, YYYY-MM-DD (default: after the previous edition)")
	until := fs.String("until", "", "last day, YYYY-MM-DD (default: the edition's date, or today); its month names the edition")
	langs := fs.String("lang", "", "languages, e.g. fr,nl (default: languages of [newsletter] in site.toml)")
	sendTo := fs.String("send-test", "", "send the edition to this one `address` instead of only writing it")
	smtpAddr := fs.String("smtp", "", "SMTP server `host:port` for --send-test; login from KB_SMTP_USER and KB_SMTP_PASSWORD")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kb newsletter [--site DIR] [--since DATE] [--until DATE] [--lang fr,nl] [--out DIR]")
		fmt.Fprintln(stderr, "       kb newsletter --lang fr --send-test ADDRESS --smtp HOST:PORT")
		fmt.Fprintln(stderr, "\nWrites each language's edition of the newsletter from the news: HTML, plain text and .eml.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	if fs.NArg() > 0 || (*sendTo == "") != (*smtpAddr == "") {
		fs.Usage()
		return 2
	}
	opt := newsletter.Options{Now: time.Now()}
	for _, f := range []struct {
		name, v string
		dst     *time.Time
	}{{"since", *since, &opt.Since}, {"until", *until, &opt.Until}} {
		if f.v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", f.v)
		if err != nil {
			fmt.Fprintf(stderr, "kb newsletter: --%s %q: write the date as YYYY-MM-DD\n", f.name, f.v)
			return 2
		}
		*f.dst = t
	}
	if !opt.Since.IsZero() && !opt.Until.IsZero() && opt.Since.After(opt.Until) {
		fmt.Fprintln(stderr, "kb newsletter: --since is after --until")
		return 2
	}
	if *langs != "" {
		opt.Langs = strings.Split(*langs, ",")
	}
	// Drafts are loaded: the edition being prepared is usually one.
	res, err := build.Load(*site, true)
	if err != nil {
		return report(res, err, stdout, stderr)
	}
	mails, err := newsletter.Make(res.Site, os.DirFS(*site), opt)
	if err != nil {
		if errs, ok := errors.AsType[*diag.Errors](err); ok {
			diag.WriteText(stderr, errs.Problems)
		} else {
			fmt.Fprintln(stderr, "kb newsletter:", err)
		}
		return 1
	}
	for _, m := range mails {
		summarize(stdout, m)
	}
	if *sendTo != "" {
		if len(mails) != 1 {
			fmt.Fprintln(stderr, "kb newsletter: --send-test sends one edition: choose its language with --lang")
			return 2
		}
		so := newsletter.SendOptions{Server: *smtpAddr, To: *sendTo, Username: os.Getenv("KB_SMTP_USER"), Password: os.Getenv("KB_SMTP_PASSWORD")}
		if err := newsletter.Send(so, res.Site.Settings.Newsletter.From, mails[0]); err != nil {
			fmt.Fprintln(stderr, "kb newsletter:", err)
			return 1
		}
		fmt.Fprintf(stdout, "sent the %s edition to %s\n", mails[0].Lang, *sendTo)
		return 0
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(*site, "newsletter")
	}
	for _, m := range mails {
		d := filepath.Join(dir, m.Key)
		if err := os.MkdirAll(d, 0o755); err != nil {
			fmt.Fprintln(stderr, "kb newsletter:", err)
			return 1
		}
		for ext, data := range map[string][]byte{".html": m.HTML, ".txt": m.Text, ".eml": m.EML} {
			if err := os.WriteFile(filepath.Join(d, m.Lang+ext), data, 0o644); err != nil {
				fmt.Fprintln(stderr, "kb newsletter:", err)
				return 1
			}
		}
		fmt.Fprintf(stdout, "wrote %s.{html,txt,eml}\n", filepath.Join(d, m.Lang))
	}
	return 0
}

// summarize says what an edition holds and what it left out, and why.
func summarize(w io.Writer, m *newsletter.Mail) {
	e := m.Edition
	from := "the first news item"
	if !e.Since.IsZero() {
		from = e.Since.Format("2006-01-02")
	}
	fmt.Fprintf(w, "%s %s: %q, %d news items from %s to %s\n", m.Lang, m.Key, m.Subject, len(e.Items()), from, e.Until.Format("2006-01-02"))
	if e.Intro == nil {
		fmt.Fprintf(w, "  no intro: add content/newsletters/%s/%s.md (title, date); it is also what puts the edition in the site's archive\n", m.Key, m.Lang)
	} else if e.Intro.Meta.Draft {
		fmt.Fprintf(w, "  %s is a draft: remove draft: true once the edition is sent, to archive it on the site\n", e.Intro.Path)
	}
	if len(e.Items()) == 0 {
		fmt.Fprintln(w, "  warning: no news in this period")
	}
	for _, l := range e.LeftOut {
		fmt.Fprintf(w, "  left out news/%s: %s (%s)\n", l.Key, l.Reason, l.Hint)
	}
}
