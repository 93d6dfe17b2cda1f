package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"kb/internal/sitetest"
)

func fixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../internal/build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.Write(t, string(data))
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 0, "Commands:"},
		{[]string{"help"}, 0, "  build       build the site"},
		{[]string{"help", "build"}, 0, "usage: kb build"},
		{[]string{"build", "-h"}, 0, "--drafts"},
		{[]string{"serve", "-h"}, 0, "--no-build"},
		{[]string{"help"}, 0, "  newsletter  write the newsletter"}, // the longest name sets the column
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "--nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if all := out.String() + errb.String(); !strings.Contains(all, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, all)
			}
		})
	}
}

func TestBuildCommand(t *testing.T) {
	dir := fixture(t)
	var out, errb bytes.Buffer
	if code := run([]string{"build", "--site", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
	if !regexp.MustCompile(`^built \d+ pages in 3 languages \(fr \d+, en \d+, ar \d+\), 2 aliases, \d+ files in \S+\n$`).MatchString(out.String()) {
		t.Errorf("summary = %q", out.String())
	}
	os.WriteFile(filepath.Join(dir, "content/fiches/only-fr/fr.md"), []byte("---\ntitel: x\n---\n"), 0o644)
	out.Reset()
	errb.Reset()
	if code := run([]string{"build", "--site", dir}, &out, &errb); code != 1 {
		t.Fatalf("exit %d for a broken site", code)
	}
	for _, want := range []string{`content/fiches/only-fr/fr.md:2: unknown frontmatter key "titel"`, "content/fiches/only-fr/fr.md:1: missing title", "kb: 4 errors; nothing was changed"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
	// One problem is one error, not "1 errors".
	os.WriteFile(filepath.Join(dir, "content/fiches/only-fr/fr.md"), []byte("---\ntitle: x\n---\n\n[a](/fiches/nope)\n"), 0o644)
	errb.Reset()
	if code := run([]string{"build", "--site", dir}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "kb: 1 error; nothing was changed") {
		t.Errorf("exit %d, stderr:\n%s", code, errb.String())
	}
}

// TestServeProcess runs kb serve as a process on a loopback port, fetches
// pages and search results, and stops it with SIGTERM.
func TestServeProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kb binary")
	}
	bin := filepath.Join(t.TempDir(), "kb")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := fixture(t)
	cmd := exec.Command(bin, "serve", "--site", dir, "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`on (http://\S+/)`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	var base string
	select {
	case base = <-addr:
	case <-time.After(60 * time.Second):
		t.Fatalf("kb serve did not start:\n%s", stderr.String())
	}
	for path, want := range map[string]string{
		"fr/":                       "Santé sans papiers",
		"fr/search/?q=aide":         "Aide médicale urgente",
		"api/search?q=aide&lang=en": `"hits":[`,
	} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d, body lacks %q", path, res.StatusCode, want)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("kb serve exited with %v:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Error("kb serve did not stop on SIGTERM")
	}
	// The log has requests but no query strings and no addresses.
	log := stderr.String()
	if !strings.Contains(log, "GET /fr/search/ 200") || strings.Contains(log, "q=aide") || strings.Contains(log, "127.0.0.1") {
		t.Errorf("request log:\n%s", log)
	}
}
