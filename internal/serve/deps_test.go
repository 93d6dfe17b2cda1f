package serve_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoBuildDependency: the server reads generations (package
// generation); it cannot load or build a site, so it never parses the
// Markdown of one.
func TestNoBuildDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "kb/internal/serve").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "kb/internal/build" || pkg == "kb/internal/preview" {
			t.Errorf("kb/internal/serve depends on %s", pkg)
		}
	}
}
