package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"kb/internal/stats"
)

// TestHelperKB is not a test: run by kbProcess in a child process, it is
// the kb command.
func TestHelperKB(t *testing.T) {
	if os.Getenv("KB_HELPER_PROCESS") != "1" {
		t.Skip("runs only as a child process")
	}
	os.Exit(run(childArgs(), os.Stdout, os.Stderr))
}

// childArgs are the arguments after "--" of a helper process's command
// line: kb's own.
func childArgs() []string {
	for i, a := range os.Args {
		if a == "--" {
			return os.Args[i+1:]
		}
	}
	return nil
}

// kbProcess starts kb serve as a real process and returns it with its
// base URL.
func kbProcess(t *testing.T, args ...string) (*exec.Cmd, string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperKB$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "KB_HELPER_PROCESS=1")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
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
	select {
	case base, ok := <-addr:
		if !ok {
			t.Fatalf("kb serve stopped:\n%s", stderr.String())
		}
		return cmd, base, &stderr
	case <-time.After(90 * time.Second):
		t.Fatalf("kb serve did not start:\n%s", stderr.String())
	}
	return nil, "", nil
}

// hammer sends n GETs of path from 20 goroutines.
func hammer(t *testing.T, base, path string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	for range 20 {
		wg.Go(func() {
			for range jobs {
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("User-Agent", "Mozilla/5.0 Firefox/128.0")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Errorf("GET %s: %d", path, res.StatusCode)
				}
			}
		})
	}
	wg.Wait()
}

func visits(t *testing.T, dir string) uint64 {
	t.Helper()
	files, err := stats.Files(stats.Dir(filepath.Join(dir, "public")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := stats.Merge(files, "", "")
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, m := range b {
		for k, c := range m {
			if k.Kind == stats.Visit {
				n += c
			}
		}
	}
	return n
}

func wait(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("kb serve did not stop")
	}
}

// TestStatsSurviveKill: counts written before a kill -9 stay, the store
// opens, a restarted server goes on in the same file and writes its last
// counts on a clean stop.
func TestStatsSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts kb serve twice")
	}
	dir := fixture(t)
	const page = "fr/fiches/aide-medicale-urgente/"
	cmd, base, _ := kbProcess(t, "serve", "--site", dir, "--addr", "127.0.0.1:0", "--quiet", "--stats-interval", "50ms")
	hammer(t, base, page, 200)
	deadline := time.Now().Add(60 * time.Second)
	for visits(t, dir) < 200 {
		if time.Now().After(deadline) {
			t.Fatalf("the 200 visits were not written: %d", visits(t, dir))
		}
		time.Sleep(20 * time.Millisecond)
	}
	hammer(t, base, page, 30)
	cmd.Process.Signal(syscall.SIGKILL)
	wait(t, cmd)
	after := visits(t, dir)
	if after < 200 || after > 230 {
		t.Fatalf("after kill -9: %d visits, want 200 to 230", after)
	}

	// A restart, an interval longer than the test: only the stop writes.
	cmd, base, stderr := kbProcess(t, "serve", "--site", dir, "--addr", "127.0.0.1:0", "--quiet", "--no-build", "--stats-interval", "1h")
	hammer(t, base, page, 25)
	cmd.Process.Signal(syscall.SIGTERM)
	wait(t, cmd)
	if got := visits(t, dir); got != after+25 {
		t.Errorf("after a restart and a clean stop: %d visits, want %d\n%s", got, after+25, stderr)
	}
	files, _ := stats.Files(stats.Dir(filepath.Join(dir, "public")))
	if len(files) != 1 || filepath.Base(files[0]) != "serve-1.db" {
		t.Errorf("store files %v, want serve-1.db reused", files)
	}

	// kb stats reads it.
	var out, errb bytes.Buffer
	today := time.Now().Format(time.DateOnly)
	if code := run([]string{"stats", "--site", dir, "--format", "json", "--now", today}, &out, &errb); code != 0 {
		t.Fatalf("kb stats: exit %d\n%s", code, errb.String())
	}
	var rep stats.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Visits != after+25 || rep.Stores != 1 {
		t.Errorf("kb stats: %d visits in %d stores", rep.Visits, rep.Stores)
	}
}

func TestStatsCommand(t *testing.T) {
	dir := fixture(t)
	log := filepath.Join(t.TempDir(), "access.log")
	line := func(p string) string {
		return fmt.Sprintf(`203.0.113.7 - - [12/Mar/2025:10:11:12 +0100] "GET %s HTTP/1.1" 200 5120 "-" "Mozilla/5.0 Firefox/128.0"`, p)
	}
	os.WriteFile(log, []byte(line("/fr/")+"\n"+line("/en/")+"\nnot a line\n"+line("/fr/")+"\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"import", []string{"stats", "import", "--nginx", "--site", dir, log}, 1, "access.log:3: not an nginx combined log line"},
		{"import again", []string{"stats", "import", "--nginx", "--site", dir, log}, 0, "4 lines, 4 already imported, 0 counted"},
		{"import needs --nginx", []string{"stats", "import", "--site", dir, log}, 2, "usage: kb stats import"},
		{"text", []string{"stats", "--site", dir, "--since", "2025-01-01", "--until", "2025-12-31"}, 0, "fr          2   66.7 %"},
		{"store named twice", []string{"stats", "--site", dir, "--since", "2025-01-01", "--until", "2025-12-31", "--store", filepath.Join(stats.Dir(filepath.Join(dir, "public")), "nginx.db"), "--store", stats.Dir(filepath.Join(dir, "public"))}, 0, "fr          2   66.7 %"},
		{"csv", []string{"stats", "--site", dir, "--since", "2025-01-01", "--until", "2025-12-31", "--format", "csv"}, 0, "month,2025-03,en,,,,1,33.3"},
		{"bad format", []string{"stats", "--site", dir, "--format", "xml"}, 2, "usage: kb stats"},
		{"bad date", []string{"stats", "--site", dir, "--since", "March"}, 2, "write the date as YYYY-MM-DD"},
		{"html inside public", []string{"stats", "--site", dir, "--html", filepath.Join(dir, "public", "stats.html")}, 2, "outside the published site"},
		{"html", []string{"stats", "--site", dir, "--since", "2025-01-01", "--html", filepath.Join(dir, "stats.html")}, 0, "wrote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "html inside public" {
				// public/ must exist for the check to see through the link.
				if code := run([]string{"build", "--site", dir}, io.Discard, io.Discard); code != 0 {
					t.Fatal("build failed")
				}
			}
			var out, errb bytes.Buffer
			code := run(tt.args, &out, &errb)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errb.String())
			}
			if all := out.String() + errb.String(); !strings.Contains(all, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, all)
			}
		})
	}
	html, err := os.ReadFile(filepath.Join(dir, "stats.html"))
	if err != nil || !bytes.Contains(html, []byte("<svg")) || bytes.Contains(html, []byte("<script")) {
		t.Errorf("HTML report: %v", err)
	}
}
