// Command kb builds and serves a multilingual knowledge-base website.
//
// Usage:
//
//	kb build  [--site DIR] [--out DIR] [--drafts]
//	kb serve  [--site DIR] [--out DIR] [--addr HOST:PORT] [--no-build] [--watch]
//	kb check  [--site DIR] [--format text|json] [--strict] [--translations] [--now DATE]
//	kb new    news "Title" --lang fr,nl [--key KEY] [--date DATE]
//	kb new    fiche|procedure KEY | translation SECTION/KEY LANG
//	kb import spip BACKUP [--site DIR] [--img DIR] [--map FILE] [--drafts] [--force] [--report FILE]
//	kb stats  [--since DAY] [--until DAY] [--format text|json|csv] [--html FILE] | import --nginx FILE...
//	kb newsletter [--site DIR] [--since DATE] [--until DATE] [--lang fr,nl] [--out DIR] [--send-test ADDR --smtp HOST:PORT]
//
// Each subcommand lives in its own file and returns an exit code.
package main

import (
	"fmt"
	"io"
	"os"
)

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build the site from content/ into public/", runBuild},
		{"serve", "build, then serve the site and its search", runServe},
		{"check", "validate the site and report translation status; writes nothing", runCheck},
		{"new", "scaffold a news item, fiche or translation", runNew},
		{"import", "import another system's content (kb import spip BACKUP)", runImport},
		{"stats", "report visits and searches counted without tracking", runStats},
		{"newsletter", "write the newsletter editions from the news (HTML, text, .eml)", runNewsletter},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run([]string{args[1], "-h"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kb: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kb builds a multilingual knowledge-base website from Markdown.")
	fmt.Fprintln(w, "\nUsage: kb <command> [flags]\n\nCommands:")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'kb <command> -h' for the flags of a command.")
}
