package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"kb/internal/check"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder` with content/, templates/ and i18n/")
	format := fs.String("format", "text", "report `format`: text or json")
	strict := fs.Bool("strict", false, "fail on warnings too")
	translations := fs.Bool("translations", false, "print the translation status of every page in every language")
	nowFlag := fs.String("now", "", "today's `date` (YYYY-MM-DD) for the checks that depend on it (default: the clock)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kb check [--site DIR] [--format text|json] [--strict] [--translations] [--now YYYY-MM-DD]")
		fmt.Fprintln(stderr, "\nRuns every validation of kb build, writes nothing, and adds editorial warnings:")
		fmt.Fprintln(stderr, "outdated translations, old or missing reviews, images without alt text, empty summaries,")
		fmt.Fprintln(stderr, "pages in no topic, links to drafts, news dated in the future, missing interface strings,")
		fmt.Fprintln(stderr, "synonym groups whose words no page of their language uses.")
		fmt.Fprintln(stderr, "Exit status 1 on errors (and on warnings with --strict).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	if fs.NArg() > 0 || (*format != "text" && *format != "json") {
		fs.Usage()
		return 2
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse("2006-01-02", *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "kb check: --now %q: write the date as YYYY-MM-DD\n", *nowFlag)
			return 2
		}
		now = t
	}
	if _, err := os.Stat(*site); err != nil {
		fmt.Fprintln(stderr, "kb check:", err)
		return 1
	}
	rep := check.Run(*site, now)
	var err error
	switch {
	case *format == "json":
		err = rep.WriteJSON(stdout, *strict)
	case *translations:
		if err = rep.Status.WriteText(stdout); err == nil {
			_, err = fmt.Fprintln(stdout, "\n"+rep.Summary(*strict))
		}
	default:
		err = rep.WriteText(stdout, *strict)
	}
	if err != nil {
		fmt.Fprintln(stderr, "kb check:", err)
		return 1
	}
	if rep.Failed(*strict) {
		return 1
	}
	return 0
}
