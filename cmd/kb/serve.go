package main

import (
	"fmt"
	"io"
)

// runServe is a placeholder until the command lands.
func runServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kb serve: not implemented yet")
	return 2
}
