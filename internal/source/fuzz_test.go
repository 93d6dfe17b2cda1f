package source

import (
	"testing"

	"kb/internal/diag"
)

// FuzzParseFile checks that no file, however broken, panics the loader, and
// that every problem has a line inside the file.
func FuzzParseFile(f *testing.F) {
	for _, s := range []string{"---\ntitle: A\n---\nbody\n", "+++\ntitle = \"A\"\n+++\n", "---\n", "---\ntitle: [\n---\n", "\xff", "---\ntitle: A\nreviewed: 2026-13-40\n---\n",
		"\uFEFF---\ntitle: A\n---\n", "+++\ntitle = \"A\"\nx = {a={b={c={d={e={f={g={h={i=1}}}}}}}}}\n+++\n", "---\ntitle: '[[[['\n---\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var problems diag.List
		parseFile("x.md", "news", "2024-01-01-a", "fr", []byte(data), &problems)
		lines := 1
		for _, c := range data {
			if c == '\n' {
				lines++
			}
		}
		for _, p := range problems.Problems() {
			if p.Line < 0 || p.Line > lines+1 {
				t.Fatalf("problem %q at line %d of a %d-line file", p.Msg, p.Line, lines)
			}
		}
	})
}
