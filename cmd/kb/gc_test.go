package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
)

// TestHelperKBGC is not a test: run by TestServeGC in a child process, it
// is the kb command, each line of its output prefixed with the collector's
// settings at the moment it is written.
func TestHelperKBGC(t *testing.T) {
	if os.Getenv("KB_HELPER_PROCESS") != "1" {
		t.Skip("runs only as a child process")
	}
	os.Exit(run(childArgs(), gcWriter{}, os.Stderr))
}

// gcWriter writes to stdout, after GOGC and the soft memory limit.
type gcWriter struct{}

func (gcWriter) Write(b []byte) (int, error) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	fmt.Printf("[gc %d %d] %s", s[0].Value.Uint64(), s[1].Value.Uint64(), b)
	return len(b), nil
}

// TestServeGC: kb serve builds with kb build's setting of the collector
// (GOGC 200, a soft limit of 3 GiB), then serves with its own (GOGC 400, a
// limit of at least 256 MB); GOGC or GOMEMLIMIT in the environment turns
// both off.
func TestServeGC(t *testing.T) {
	dir := fixture(t)
	tests := []struct {
		name        string
		env         []string
		built, serv string // the settings when the build reports, and when serving starts
	}{
		{"kb's settings", []string{"GOGC=", "GOMEMLIMIT="}, fmt.Sprintf("200 %d", 3<<30), "400 "},
		{"GOGC set", []string{"GOGC=150", "GOMEMLIMIT="}, fmt.Sprintf("150 %d", uint64(math.MaxInt64)), fmt.Sprintf("150 %d", uint64(math.MaxInt64))},
		{"GOMEMLIMIT set", []string{"GOGC=", "GOMEMLIMIT=1GiB"}, fmt.Sprintf("100 %d", 1<<30), fmt.Sprintf("100 %d", 1<<30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKBGC$", "--",
				"serve", "--site", dir, "--out", t.TempDir()+"/public", "--addr", "127.0.0.1:0", "--quiet", "--no-stats")
			cmd.Env = append(append(os.Environ(), "KB_HELPER_PROCESS=1"), tt.env...)
			stdout, _ := cmd.StdoutPipe()
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			var built, serving string
			sc := bufio.NewScanner(stdout)
			for serving == "" && sc.Scan() {
				line := sc.Text()
				gc, text, _ := strings.Cut(strings.TrimPrefix(line, "[gc "), "] ")
				switch {
				case strings.HasPrefix(text, "kb: serving"):
					serving = gc
				default: // the build's summary
					built = gc
				}
			}
			if serving == "" {
				t.Fatalf("kb serve did not start:\n%s", stderr.String())
			}
			cmd.Process.Signal(syscall.SIGTERM)
			wait(t, cmd)
			if built != tt.built {
				t.Errorf("building: GOGC and limit %q, want %q", built, tt.built)
			}
			if !strings.HasPrefix(serving, tt.serv) {
				t.Errorf("serving: GOGC and limit %q, want %q", serving, tt.serv)
			}
			if tt.serv == "400 " {
				var limit uint64
				fmt.Sscanf(strings.TrimPrefix(serving, "400 "), "%d", &limit)
				if limit < 256<<20 || limit >= 3<<30 {
					t.Errorf("serving: limit %d, want 256 MB or four times the live heap", limit)
				}
			}
		})
	}
}
