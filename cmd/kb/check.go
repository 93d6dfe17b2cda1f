package main

import (
	"fmt"
	"io"
)

// runCheck is a placeholder until the command lands.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kb check: not implemented yet")
	return 2
}
