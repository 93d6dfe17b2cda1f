package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"kb/internal/build"
	"kb/internal/preview"
	"kb/internal/serve"
)

// watchAndServe is kb serve --watch: build, serve, and rebuild on change.
func watchAndServe(ctx context.Context, srv *serve.Server, opt build.Options, write bool, addr string, stdout, stderr io.Writer) int {
	p := preview.New(opt, srv, stdout, stderr)
	p.Write = write
	if err := p.Start(ctx); err != nil {
		fmt.Fprintln(stderr, "kb serve:", err)
		return 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	err := serve.ListenAndServe(ctx, addr, p.Handler(), func(a string) {
		fmt.Fprintf(stdout, "kb: serving %s on http://%s/, watching %s (Ctrl-C to stop)\n",
			opt.Site, a, strings.Join(preview.Watched, "/, ")+"/")
	})
	cancel()
	<-done
	if err != nil {
		fmt.Fprintln(stderr, "kb serve:", err)
		return 1
	}
	return 0
}
