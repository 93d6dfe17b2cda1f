package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"kb/internal/scaffold"
)

const newUsage = `usage:
  kb new news "Title" [--lang fr,nl] [--key KEY] [--date YYYY-MM-DD] [--site DIR]
  kb new fiche KEY|"Title" [--lang fr,nl] [--date YYYY-MM-DD] [--site DIR]
  kb new procedure KEY|"Title" [--lang fr,nl] [--date YYYY-MM-DD] [--site DIR]
  kb new translation SECTION/KEY LANG [--date YYYY-MM-DD] [--site DIR]

Creates pages with complete frontmatter and never overwrites a file. Without
--lang, pages are made in the site's default language. A translation is a
draft copy of the page in the default language, to translate and publish.`

func runNew(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder` with content/ and i18n/")
	langs := fs.String("lang", "", "comma-separated language `codes` (default: the site's default language)")
	key := fs.String("key", "", "news only: the `key` of the news folder (default: made from the title)")
	date := fs.String("date", "", "the `day` (YYYY-MM-DD) written as date, updated and reviewed (default: today)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, newUsage)
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage(err)
	}
	opt := scaffold.Options{Site: *site, Date: time.Now()}
	if *date != "" {
		if opt.Date, err = time.Parse("2006-01-02", *date); err != nil {
			fmt.Fprintf(stderr, "kb new: --date %q: write the date as YYYY-MM-DD\n", *date)
			return 2
		}
	}
	var codes []string
	if *langs != "" {
		codes = strings.Split(*langs, ",")
	}
	kind := ""
	if len(pos) > 0 {
		kind = pos[0]
	}
	want := map[string]int{"news": 2, "fiche": 2, "procedure": 2, "translation": 3}[kind]
	if want == 0 || len(pos) != want || (*key != "" && kind != "news") || (*langs != "" && kind == "translation") {
		fs.Usage()
		return 2
	}
	var created []string
	next := "Next: write the title, the summary, the topics and the text; preview with kb serve --watch; then run kb check."
	switch kind {
	case "news":
		created, err = scaffold.News(opt, pos[1], codes, *key)
		if len(codes) > 1 {
			next = "Next: translate the title in each file, then write the summary, the topics and the text; preview with kb serve --watch; then run kb check."
		}
	case "fiche", "procedure":
		created, err = scaffold.Page(opt, kind+"s", pos[1], codes)
	case "translation":
		var p, from string
		p, from, err = scaffold.Translation(opt, pos[1], pos[2])
		if err == nil {
			created = []string{p}
			next = fmt.Sprintf("This draft is a copy of %s. Next: translate it, delete its first line of text, set draft: false; preview with kb serve --drafts --watch; then run kb check.",
				filepath.Join(*site, filepath.FromSlash(from)))
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "kb new:", err)
		return 1
	}
	for _, p := range created {
		fmt.Fprintln(stdout, filepath.Join(*site, filepath.FromSlash(p)))
	}
	fmt.Fprintln(stderr, next)
	return 0
}

// parseInterspersed parses flags placed before, between or after the
// positional arguments ("kb new news "Title" --lang fr").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil // after --, nothing is a flag
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
