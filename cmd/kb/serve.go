package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"kb/internal/build"
	"kb/internal/generation"
	"kb/internal/serve"
	"kb/internal/stats"
)

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder` with content/, templates/ and i18n/")
	out := fs.String("out", "", "output `folder` (default: <site>/public)")
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	noBuild := fs.Bool("no-build", false, "serve the existing build instead of building first")
	watch := fs.Bool("watch", false, "rebuild when content/, templates/ or i18n/ change and reload the browser (served from memory)")
	write := fs.Bool("write", false, "with --watch: also write --out after every change, as kb build does")
	drafts := fs.Bool("drafts", false, "include draft pages")
	quiet := fs.Bool("quiet", false, "do not log requests")
	noStats := fs.Bool("no-stats", false, "count nothing (kb stats; never with --watch)")
	statsEvery := fs.Duration("stats-interval", stats.Interval, "how often counts are written to .kb/stats/")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kb serve [--site DIR] [--out DIR] [--addr HOST:PORT] [--no-build] [--watch [--write]] [--drafts] [--no-stats]")
		fmt.Fprintln(stderr, "\nBuilds the site (unless --no-build), then serves public/ with search, language negotiation and redirects.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := &serve.Server{}
	if !*quiet {
		srv.Log = log.New(stderr, "", log.LstdFlags)
	}
	opt := build.Options{Site: *site, Out: *out, Drafts: *drafts}
	if *watch {
		return watchAndServe(ctx, srv, opt, *write, *addr, stdout, stderr)
	}
	if !*noBuild {
		tuneGC(building)
		res, err := build.Build(ctx, opt)
		if code := report(res, err, stdout, stderr); code != 0 {
			return code
		}
	}
	// The server reads what the build wrote, the search page's templates
	// included: no Markdown is read here.
	gen, err := generation.Generation(*out)
	if err != nil {
		fmt.Fprintf(stderr, "kb serve: no build at %s: run kb build first (%v)\n", *out, err)
		return 1
	}
	st, err := serve.Open(gen)
	if err != nil {
		fmt.Fprintln(stderr, "kb serve:", err)
		return 1
	}
	srv.Swap(st)
	defer func() { srv.Current().Close() }()
	// Follow the builds that run while we serve (kb build, CI): each new
	// generation is opened as it was built, its search page's templates
	// included.
	srv.Follow = &serve.Follow{Link: *out, Open: serve.Open,
		Logf: func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }}
	var h http.Handler = srv
	if !*noStats {
		stop, err := countStats(srv, &h, *out, *statsEvery, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "kb serve: stats: %v\n(the server's user must be able to write %s: create it for that user, or pass --no-stats)\n", err, stats.Dir(*out))
			return 1
		}
		defer stop()
	}
	tuneGC(serving)
	err = serve.ListenAndServe(ctx, *addr, h, func(a string) {
		fmt.Fprintf(stdout, "kb: serving %s on http://%s/ (Ctrl-C to stop)\n", *out, a)
	})
	if err != nil {
		fmt.Fprintln(stderr, "kb serve:", err)
		return 1
	}
	return 0
}

// countStats makes *h count requests into a store under .kb/stats/; stop
// writes the last counts and releases the store.
func countStats(srv *serve.Server, h *http.Handler, out string, every time.Duration, stderr io.Writer) (stop func(), err error) {
	store, err := stats.OpenServer(stats.Dir(out))
	if err != nil {
		return nil, err
	}
	c := stats.NewCounter(store, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Run(ctx, every, func(err error) { fmt.Fprintln(stderr, "kb serve: stats:", err) })
	}()
	*h = serve.Count(srv, c)
	return func() { cancel(); <-done; store.Close() }, nil
}
