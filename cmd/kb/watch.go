package main

import (
	"context"
	"fmt"
	"io"

	"kb/internal/build"
	"kb/internal/serve"
)

// watchAndServe is the live preview; a placeholder until the watcher lands.
func watchAndServe(ctx context.Context, srv *serve.Server, opt build.Options, addr string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kb serve --watch: not implemented yet")
	return 2
}
