package source

import (
	"strings"
	"testing"

	"kb/internal/diag"
)

// TestYAMLErrorLine: a YAML syntax error is reported at the line an editor
// must fix, whether yaml.v3's scanner or its parser found it (the parser
// counts its lines from 0, the scanner from 1), and never past the
// frontmatter's last line.
func TestYAMLErrorLine(t *testing.T) {
	tests := []struct {
		name, file string
		line       int
	}{
		{"flow sequence not closed, at the end", "---\ntitle: A\nsummary: B\ntopics: [\n---\nbody\n", 4},
		{"flow sequence not closed, blank lines after", "---\ntitle: A\nsummary: B\ntopics: [\n\n\n---\nbody\n", 4},
		{"flow sequence not closed, a key after", "---\ntitle: A\nsummary: B\ntopics: [\nreviewed: 2026-01-01\n---\nbody\n", 4},
		{"flow sequence not closed, items", "---\ntitle: A\nsummary: B\ntopics: [a, b\nreviewed: 2026-01-01\n---\nbody\n", 4},
		{"flow mapping not closed", "---\ntitle: A\naudio: {file: x\nsummary: B\n---\nbody\n", 3},
		// The sequence starts on the frontmatter's first line: yaml.v3
		// then gives the line where it gave up, the next key's.
		{"flow sequence not closed, first line", "---\ntopics: [a, b\ntitle: A\n---\nbody\n", 3},
		{"block sequence item out of place", "---\ntitle: A\ntopics:\n  - a\n b\n---\nbody\n", 5},
		{"blank lines before the frontmatter", "\n\n---\ntitle: A\ntopics: [\nsummary: B\n---\nbody\n", 5},
		// Scanner errors were right, and stay so.
		{"mapping value in a value", "---\ntitle: A\ntopics: a: b\n---\n", 3},
		{"indented key", "---\ntitle: A\n summary: B\n---\nbody\n", 3},
		{"quote not closed", "---\ntitle: A\nsummary: \"B\nreviewed: 2026-01-01\n---\nbody\n", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var problems diag.List
			parseFile("x.md", "fiches", "a", "fr", []byte(tc.file), &problems)
			var got []string
			for _, p := range problems.Problems() {
				got = append(got, p.String())
			}
			if len(got) != 1 || !strings.Contains(got[0], "invalid YAML") {
				t.Fatalf("problems %q, want one invalid YAML", got)
			}
			if p := problems.Problems()[0]; p.Line != tc.line {
				t.Errorf("line %d, want %d: %s", p.Line, tc.line, got[0])
			}
		})
	}
}
