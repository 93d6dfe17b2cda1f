package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"kb/internal/build"
	"kb/internal/diag"
)

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder` with content/, templates/ and i18n/")
	out := fs.String("out", "", "output `folder` (default: <site>/public)")
	drafts := fs.Bool("drafts", false, "include draft pages")
	pdf := fs.Bool("pdf", false, "also print every fiche, procedure and folder as a PDF (needs Chromium; KB_CHROMIUM names it)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kb build [--site DIR] [--out DIR] [--drafts] [--pdf]")
		fmt.Fprintln(stderr, "\nBuilds the site and its search index into public/. A failed build leaves the previous public/ as it was.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	tuneGC(building)
	// SIGTERM (systemd, CI, kill) stops a build as Ctrl-C does: the staging
	// folder is removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := build.Build(ctx, build.Options{Site: *site, Out: *out, Drafts: *drafts, PDF: *pdf, Chromium: os.Getenv("KB_CHROMIUM")})
	return report(res, err, stdout, stderr)
}

// report prints the problems of a build (warnings included) and its summary.
func report(res *build.Result, err error, stdout, stderr io.Writer) int {
	if res != nil {
		for _, p := range res.Problems {
			if p.Level == diag.Warning {
				fmt.Fprintln(stderr, p)
			}
		}
	}
	if err != nil {
		if errs, ok := errors.AsType[*diag.Errors](err); ok {
			diag.WriteText(stderr, errs.Problems)
			noun := "errors"
			if len(errs.Problems) == 1 {
				noun = "error"
			}
			fmt.Fprintf(stderr, "kb: %d %s; nothing was changed in the output\n", len(errs.Problems), noun)
		} else {
			fmt.Fprintln(stderr, "kb:", err)
		}
		return 1
	}
	fmt.Fprintln(stdout, res.Summary())
	return 0
}

func exitUsage(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}
