// Package sitetest builds real sites from txtar fixtures, for tests.
//
// A fixture is a txtar archive of the site's files. Its comment may say
// "langs: fr en ar" to copy those i18n files from the repository, and
// templates/ is copied from the repository unless the archive has its own.
// Build writes the fixture to a temporary folder and runs the real build.
package sitetest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"kb/internal/build"
	"kb/internal/diag"
)

// Root is the repository's folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Write writes the fixture into a new temporary folder and returns it.
func Write(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	WriteTo(t, dir, archive)
	return dir
}

// WriteTo writes the fixture into dir.
func WriteTo(t testing.TB, dir, archive string) {
	t.Helper()
	a := txtar.Parse([]byte(archive))
	hasTemplates := false
	for _, f := range a.Files {
		if strings.HasPrefix(f.Name, "templates/") {
			hasTemplates = true
		}
		writeFile(t, filepath.Join(dir, f.Name), f.Data)
	}
	if !hasTemplates {
		if err := CopyDir(filepath.Join(Root(), "templates"), filepath.Join(dir, "templates")); err != nil {
			t.Fatal(err)
		}
	}
	for line := range strings.SplitSeq(string(a.Comment), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "langs:"); ok {
			for code := range strings.FieldsSeq(rest) {
				data, err := os.ReadFile(filepath.Join(Root(), "i18n", code+".toml"))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, "i18n", code+".toml"), data)
			}
		}
	}
}

func writeFile(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// CopyDir copies a folder tree.
func CopyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// Site is a built fixture.
type Site struct {
	Dir    string // the site folder
	Public string // the output link
	Result *build.Result
}

// Build writes the fixture and builds it (without the search index unless
// withIndex); the build must succeed.
func Build(t testing.TB, archive string, withIndex bool) *Site {
	t.Helper()
	dir := Write(t, archive)
	return BuildDir(t, dir, withIndex)
}

// BuildDir builds a site folder; the build must succeed.
func BuildDir(t testing.TB, dir string, withIndex bool) *Site {
	t.Helper()
	out := filepath.Join(dir, "public")
	res, err := build.Build(context.Background(), build.Options{Site: dir, Out: out, NoIndex: !withIndex})
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return &Site{Dir: dir, Public: out, Result: res}
}

// BuildErr builds the fixture, which must fail, and returns the problems
// as "path:line: message" lines.
func BuildErr(t testing.TB, archive string) []string {
	t.Helper()
	dir := Write(t, archive)
	_, err := build.Build(context.Background(), build.Options{Site: dir, NoIndex: true})
	var errs *diag.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("build error = %v, want problems", err)
	}
	var out []string
	for _, p := range errs.Problems {
		out = append(out, p.String())
	}
	return out
}

// Read returns a file of the built site.
func (s *Site) Read(t testing.TB, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.Public, filepath.FromSlash(p)))
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return string(data)
}

// Exists reports whether the built site has the file.
func (s *Site) Exists(p string) bool {
	_, err := os.Stat(filepath.Join(s.Public, filepath.FromSlash(p)))
	return err == nil
}

// Contains checks that a file contains each string; a string that starts
// with "! " must be absent.
func (s *Site) Contains(t testing.TB, p string, want ...string) {
	t.Helper()
	got := s.Read(t, p)
	for _, w := range want {
		if neg, ok := strings.CutPrefix(w, "! "); ok {
			if strings.Contains(got, neg) {
				t.Errorf("%s contains %q", p, neg)
			}
		} else if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q", p, w)
		}
	}
}
