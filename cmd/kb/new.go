package main

import (
	"fmt"
	"io"
)

// runNew is a placeholder until the command lands.
func runNew(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "kb new: not implemented yet")
	return 2
}
