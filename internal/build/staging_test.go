package build

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestHoldStaging is not a test: TestStaleStaging runs it in a child
// process that makes a staging folder and waits to be killed.
func TestHoldStaging(t *testing.T) {
	gens := os.Getenv("KB_TEST_STAGING")
	if gens == "" {
		t.Skip("helper process of TestStaleStaging")
	}
	dir, _, err := newStaging(gens, "public-tmp-")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "half-written.html"), []byte("<p>"), 0o644)
	os.Stdout.WriteString(dir + "\n")
	select {}
}

// TestStaleStaging: the staging folder of a build killed with SIGKILL or
// SIGTERM stayed in .kb/ forever (issue 12, item 6). The next build removes
// it, and leaves alone the one a live build is writing.
func TestStaleStaging(t *testing.T) {
	gens := t.TempDir()
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHoldStaging$")
		cmd.Env = append(os.Environ(), "KB_TEST_STAGING="+gens)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			t.Fatalf("helper: %v", err)
		}
		return cmd, line[:len(line)-1]
	}
	killed, killedDir := start()
	termed, termedDir := start()
	live, liveDir := start()
	killed.Process.Signal(syscall.SIGKILL)
	termed.Process.Signal(syscall.SIGTERM)
	killed.Wait()
	termed.Wait()

	// What every build does first (Publish), in this process.
	build := func() {
		t.Helper()
		dir, release, err := newStaging(gens, "public-tmp-")
		if err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(dir)
		release()
	}
	build()
	for _, d := range []string{killedDir, termedDir} {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("stale %s is still there (%v)", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(liveDir, "half-written.html")); err != nil {
		t.Errorf("the build removed the staging folder of a live build: %v", err)
	}
	live.Process.Kill()
	live.Wait()
	build()
	entries, _ := filepath.Glob(filepath.Join(gens, "public-tmp-*"))
	if len(entries) != 0 {
		t.Errorf("left: %v", entries)
	}
}
