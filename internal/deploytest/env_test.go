package deploytest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
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

	"kb/internal/generation"
	"kb/internal/sitetest"
)

// kbBin is the kb command, built once for the package.
var kbBin string

func TestMain(m *testing.M) {
	code := func() int {
		dir, err := os.MkdirTemp("", "kb-deploytest-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		os.Chmod(dir, 0o755) // kb serve may run as another user
		kbBin = filepath.Join(dir, "kb")
		cmd := exec.Command("go", "build", "-o", kbBin, "kb/cmd/kb")
		cmd.Dir = sitetest.Root()
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build kb: %v\n%s", err, out)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// nginxPath returns nginx, or skips the test (fails it under CI=true).
func nginxPath(t *testing.T) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	if testing.Short() && !ci {
		t.Skip("deploy tests are slow; not with -short")
	}
	for _, p := range []string{"/usr/sbin/nginx", "nginx"} {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	if ci {
		t.Fatal("nginx is not installed, and CI=true: scripts/ci-deps.sh installs nginx-light")
	}
	t.Skip("nginx is not installed (Debian: apt-get install nginx-light); these tests run it for real. Under CI=true this is a failure.")
	return ""
}

// asRoot: the tests run the servers as nobody, so that they read the build
// as a web server's user does.
var asRoot = os.Geteuid() == 0

// nobody runs cmd as the nobody user when we are root.
func nobody(cmd *exec.Cmd) {
	if asRoot {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
}

// openUp makes dir and its parents up to the temp folder searchable by
// others (t.TempDir makes them 0700), as a site folder under /srv is.
func openUp(t *testing.T, dir string) {
	t.Helper()
	tmp := filepath.Clean(os.TempDir())
	for d := dir; strings.HasPrefix(d, tmp+string(filepath.Separator)); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// site copies the included site to a temporary folder and builds it with
// the kb command.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	openUp(t, dir)
	for _, d := range []string{"content", "templates", "i18n"} {
		if err := sitetest.CopyDir(filepath.Join(sitetest.Root(), d), filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	kbBuild(t, dir)
	return dir
}

func kbBuild(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command(kbBin, "build", "--site", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("kb build: %v\n%s", err, out)
	}
}

// kbServe starts kb serve --no-build on a free loopback port and returns its
// address, a function that counts the requests it has logged, and one that
// stops it.
func kbServe(t *testing.T, dir string) (addr string, logged func() int, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	// kb serve writes its counts to .kb/stats/, which the README has the
	// administrator create for the server's user.
	statsDir := filepath.Join(dir, ".kb", "stats")
	if err := os.MkdirAll(statsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if asRoot {
		if err := os.Chown(statsDir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.CommandContext(ctx, kbBin, "serve", "--no-build", "--site", dir, "--addr", "127.0.0.1:0")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	nobody(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logBuf strings.Builder
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logBuf.Write(p)
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			cmd.Wait()
		})
	}
	t.Cleanup(stop)
	lines := bufio.NewScanner(stdout)
	re := regexp.MustCompile(`on http://([^/]+)/`)
	for lines.Scan() {
		if m := re.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cmd.Wait() // the rest of its stderr
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("kb serve did not start:\n%s", logBuf.String())
	}
	go io.Copy(io.Discard, stdout)
	return addr, func() int {
		mu.Lock()
		defer mu.Unlock()
		return strings.Count(logBuf.String(), " GET /")
	}, stop
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// nginx runs deploy/nginx/kb.conf, with the site folder, the listening
// address and the upstreams replaced, and returns its base URL and a reload
// function (SIGHUP, as nginx -s reload sends).
func nginx(t *testing.T, dir string, upstreams ...string) (base string, reload func()) {
	t.Helper()
	bin := nginxPath(t)
	conf, err := os.ReadFile(filepath.Join(sitetest.Root(), "deploy/nginx/kb.conf"))
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "server %s;\n", u)
	}
	s := string(conf)
	for _, r := range [][2]string{
		{"/srv/kb", dir},
		{"listen 80;", "listen " + port + ";"},
		{"server 127.0.0.1:8080;\n", servers.String()},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("deploy/nginx/kb.conf no longer has %q", r[0])
		}
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	prefix := t.TempDir()
	openUp(t, prefix)
	user := ""
	if asRoot {
		user = "user nobody nogroup;"
	}
	main := fmt.Sprintf(`%s
daemon off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    include %[2]s/kb.conf;
}
`, user, prefix)
	os.WriteFile(filepath.Join(prefix, "kb.conf"), []byte(s), 0o644)
	os.WriteFile(filepath.Join(prefix, "nginx.conf"), []byte(main), 0o644)
	if out, err := exec.Command(bin, "-t", "-p", prefix, "-c", filepath.Join(prefix, "nginx.conf")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-p", prefix, "-c", filepath.Join(prefix, "nginx.conf"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT) // graceful stop
		cmd.Wait()
		if t.Failed() {
			if log, _ := os.ReadFile(filepath.Join(prefix, "error.log")); len(log) > 0 {
				t.Logf("nginx error.log:\n%s", log)
			}
		}
	})
	for range 100 {
		if c, err := net.Dial("tcp", port); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "http://" + port, func() {
		t.Helper()
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type resp struct {
	status int
	header http.Header
	body   string
}

// client follows no redirect and leaves compression to the caller.
var client = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Transport:     &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16},
	Timeout:       10 * time.Second,
}

// get sends a GET for the path as written (dots included), with headers.
func get(t testing.TB, base, path string, headers ...string) resp {
	t.Helper()
	r, err := tryGet(base, path, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tryGet(base, path string, headers ...string) (resp, error) {
	req, err := http.NewRequest("GET", base+"/", nil)
	if err != nil {
		return resp{}, err
	}
	p, q, _ := strings.Cut(path, "?")
	req.URL.Opaque, req.URL.RawQuery = p, q // the path as written, ".." included
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, string(b)}, err
}

// generation returns the generation the site's public link points to.
func genDir(t *testing.T, dir string) string {
	t.Helper()
	gen, err := generation.Generation(filepath.Join(dir, "public"))
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

// waitFor asks until the body of path contains want: kb serve moves to a
// new generation at the first request after the build, in the background;
// nginx takes a reload in its own time.
func waitFor(t *testing.T, base, path, want string) {
	t.Helper()
	var r resp
	for range 400 {
		var err error
		r, err = tryGet(base, path)
		if err == nil && strings.Contains(r.body, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s%s never showed %q (last: %d)", base, path, want, r.status)
}
