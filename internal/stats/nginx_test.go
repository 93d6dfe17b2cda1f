package stats

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

func logLine(ip, day, target string, status int, ua string) string {
	return fmt.Sprintf(`%s - - [%s:10:11:12 +0100] "GET %s HTTP/1.1" %d 5120 "https://ref.example/x?y=1" "%s"`, ip, day, target, status, ua)
}

// accessLog is a day of a static host's log.
func accessLog() string {
	return strings.Join([]string{
		logLine("203.0.113.7", "12/Mar/2025", "/fr/fiches/aide-medicale-urgente/", 200, firefox),
		logLine("203.0.113.8", "12/Mar/2025", "/fr/fiches/aide-medicale-urgente/?nl=2025-03", 200, firefox),
		logLine("203.0.113.9", "12/Mar/2025", "/en/fiches/urgent-care/index.html", 304, firefox),
		logLine("198.51.100.1", "12/Mar/2025", "/fr/", 200, "Mozilla/5.0 (compatible; Googlebot/2.1)"),
		logLine("203.0.113.7", "12/Mar/2025", "/style.css", 200, firefox),
		logLine("203.0.113.7", "12/Mar/2025", "/fr/fiches/nothing-here/", 404, firefox),
		logLine("203.0.113.7", "12/Mar/2025", "/fr/search/?q=aide", 200, firefox),
		logLine("203.0.113.7", "13/Mar/2025", "/ar/", 200, firefox),
		logLine("203.0.113.7", "13/Mar/2025", "/fr/?nl=jean.dupont", 200, firefox), // free text: no edition
		`203.0.113.7 - - [13/Mar/2025:10:11:12 +0100] "HEAD /fr/ HTTP/1.1" 200 0 "-" "` + firefox + `"`,
	}, "\n") + "\n"
}

func TestImportNginx(t *testing.T) {
	paths := testPaths(t)
	want := Batch{
		"2025-03-12": {
			{Visit, "fr", "fiches", "fiches/urgent-care"}: 2,
			{Visit, "en", "fiches", "fiches/urgent-care"}: 1,
			{NL, "fr", "2025-03", "fiches/urgent-care"}:   1,
			{Kind: Other, Class: Bot}:                     1,
			{Kind: Other, Class: NotFound}:                1,
		},
		"2025-03-13": {{Visit, "ar", "home", "home"}: 1, {Visit, "fr", "home", "home"}: 1},
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(accessLog()))
	zw.Close()
	tests := []struct {
		name string
		data []byte
	}{
		{"plain", []byte(accessLog())},
		{"gzip", gz.Bytes()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := OpenNamed(t.TempDir(), "nginx")
			res, problems, err := Import(st, "access.log", bytes.NewReader(tt.data), paths)
			if err != nil || len(problems) > 0 {
				t.Fatalf("Import: %v %v", err, problems)
			}
			if res.Lines != 10 || res.Counted != 7 {
				t.Errorf("result %+v", res)
			}
			got, _ := Merge([]string{st.Path}, "", "")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The same log again, even compressed by rotation: nothing new.
			res, _, err = Import(st, "access.log.1.gz", bytes.NewReader(gz.Bytes()), paths)
			if err != nil || res.Skipped != 10 || res.Counted != 0 {
				t.Errorf("second import: %+v %v", res, err)
			}
			got, _ = Merge([]string{st.Path}, "", "")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("after a second import (-want +got):\n%s", diff)
			}
			scanStore(t, st.Path, "203.0.113", "198.51.100", "Firefox", "Googlebot", "ref.example", "style.css", "dupont")
		})
	}
}

func TestImportGrownLog(t *testing.T) {
	paths := testPaths(t)
	st, _ := OpenNamed(t.TempDir(), "nginx")
	first := accessLog()
	if _, _, err := Import(st, "access.log", strings.NewReader(first), paths); err != nil {
		t.Fatal(err)
	}
	// Much later the same file has grown past the identifying prefix.
	more := first
	for i := 0; len(more) < 2*prefixSize; i++ {
		more += logLine("203.0.113.7", "14/Mar/2025", "/fr/", 200, firefox) + "\n"
	}
	added := strings.Count(more, "\n") - strings.Count(first, "\n")
	res, _, err := Import(st, "access.log", strings.NewReader(more), paths)
	if err != nil {
		t.Fatal(err)
	}
	if read := strings.Count(first, "\n"); res.Skipped != read || res.Counted != added {
		t.Errorf("grown log: %+v, want %d skipped and %d counted", res, read, added)
	}
	// Once it is past 4 KB, growing again still skips what was read.
	res, _, _ = Import(st, "access.log", strings.NewReader(more+logLine("203.0.113.7", "15/Mar/2025", "/fr/", 200, firefox)+"\n"), paths)
	if res.Counted != 1 {
		t.Errorf("third import: %+v, want 1 counted", res)
	}
	got, _ := Merge([]string{st.Path}, "2025-03-14", "2025-03-15")
	if n := got["2025-03-14"][Key{Visit, "fr", "home", "home"}]; n != uint64(added) {
		t.Errorf("14 March: %d home visits, want %d", n, added)
	}
}

func TestImportMalformed(t *testing.T) {
	paths := testPaths(t)
	st, _ := OpenNamed(t.TempDir(), "nginx")
	log := logLine("203.0.113.7", "12/Mar/2025", "/fr/", 200, firefox) + "\n" +
		"this is not a log line\n" +
		logLine("203.0.113.7", "12/Mar/2025", "/en/", 200, firefox) + "\n" +
		`203.0.113.7 - - [99/Mar/2025:10:11:12 +0100] "GET /fr/ HTTP/1.1" 200 1 "-" "x"` + "\n"
	res, problems, err := Import(st, "logs/access.log", strings.NewReader(log), paths)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{
		"logs/access.log:2: not an nginx combined log line (kb reads the default log_format combined)",
		"logs/access.log:4: not an nginx combined log line (kb reads the default log_format combined)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if res.Counted != 2 {
		t.Errorf("the good lines count: %+v", res)
	}
}

// scanStore fails when the store file holds any of the strings.
func scanStore(t *testing.T, path string, never ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range never {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("%s contains %q", path, s)
		}
	}
}
