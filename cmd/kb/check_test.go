package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/sitetest"
)

func TestCheckCommand(t *testing.T) {
	data, err := os.ReadFile("../../internal/check/testdata/status.txtar")
	if err != nil {
		t.Fatal(err)
	}
	warnings := sitetest.Write(t, string(data)) // two warnings, no error
	broken := sitetest.Write(t, string(data))
	os.WriteFile(filepath.Join(broken, "content/fiches/amu/en.md"), []byte("---\ntitel: x\n---\n"), 0o644)

	tests := []struct {
		name string
		args []string
		code int
		want []string // lines of stdout, "! " for absent
	}{
		{"warnings", []string{"--site", warnings, "--now", "2026-11-24"}, 0, []string{
			"content/fiches/amu/ar.md:6: warning: translation older than its source content/fiches/amu/fr.md",
			"kb check: 0 errors, 2 warnings; 11 pages in 3 languages",
		}},
		{"warnings strict", []string{"--site", warnings, "--now", "2026-11-24", "--strict"}, 1, []string{
			"kb check: 2 warnings, which fail the check with --strict",
		}},
		{"errors", []string{"--site", broken, "--now", "2026-11-24"}, 1, []string{
			`content/fiches/amu/en.md:2: error: unknown frontmatter key "titel"`,
			"content/fiches/amu/en.md:1: error: missing title",
		}},
		{"no review warning before a year", []string{"--site", warnings, "--now", "2026-11-24"}, 0, []string{"! reviewed 2026"}},
		{"translations", []string{"--site", warnings, "--translations", "--now", "2026-11-24"}, 0, []string{
			"fiches/amu                ✓*  ✓   !",
			"procedures/steps          ✓*  d   ·",
			"kb check: 0 errors, 2 warnings",
			"! warning: translation older",
		}},
		{"json", []string{"--site", warnings, "--format", "json", "--strict", "--now", "2026-11-24"}, 1, []string{`"ok": false`, `"state": "outdated"`}},
		{"bad date", []string{"--site", warnings, "--now", "24/11/2026"}, 2, nil},
		{"bad format", []string{"--site", warnings, "--format", "xml"}, 2, nil},
		{"argument", []string{"content"}, 2, nil},
		{"no site", []string{"--site", filepath.Join(warnings, "nope")}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(append([]string{"check"}, tt.args...), &out, &errb); code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errb.String())
			}
			for _, w := range tt.want {
				if neg, ok := strings.CutPrefix(w, "! "); ok {
					if strings.Contains(out.String(), neg) {
						t.Errorf("stdout contains %q:\n%s", neg, out.String())
					}
				} else if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	data, err := os.ReadFile("../../internal/check/testdata/status.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.Write(t, string(data))
	var out, errb bytes.Buffer
	run([]string{"check", "--site", dir, "--format", "json", "--now", "2026-11-24"}, &out, &errb)
	var got struct {
		OK       bool
		Errors   int
		Warnings int
		Problems []struct {
			Path, Level, Message, Hint string
			Line                       int
		}
		Translations struct {
			Languages []string
			Pages     []struct{ Section, Key string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if !got.OK || got.Errors != 0 || got.Warnings != 2 || len(got.Problems) != 2 || got.Problems[0].Line != 6 ||
		strings.Join(got.Translations.Languages, " ") != "fr en ar" || len(got.Translations.Pages) != 6 {
		t.Errorf("unexpected report: %+v", got)
	}
}
