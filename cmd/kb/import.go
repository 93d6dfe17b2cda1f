package main

import (
	"fmt"
	"io"
)

// runImport is a placeholder until the command lands.
func runImport(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kb import: not implemented yet")
	return 2
}
