package stats

import (
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzNginxLine: any line of an access log, however broken, is either
// refused or read into a day, a status and a request that count as kb serve
// would; nothing of the client (its address, User-Agent or referrer) reaches
// a counter.
func FuzzNginxLine(f *testing.F) {
	f.Add(logLine("203.0.113.7", "12/Mar/2025", "/fr/fiches/aide-medicale-urgente/?nl=2025-03", 200, firefox))
	f.Add(logLine("198.51.100.1", "12/Mar/2025", "/fr/", 200, "Mozilla/5.0 (compatible; Googlebot/2.1)"))
	f.Add(`203.0.113.7 - - [13/Mar/2025:10:11:12 +0100] "HEAD /fr/ HTTP/1.1" 200 0 "-" "-"`)
	f.Add(`::1 - - [13/Mar/2025:10:11:12 +0100] "-" 400 0 "-" "-"`)
	f.Add(`203.0.113.7 - - [13/Mar/2025:10:11:12 +0100] "GET /ar/\xff HTTP/1.1" 404 1 "\x22" "a\"b"`)
	paths := testPaths(f)
	f.Fuzz(func(t *testing.T, line string) {
		e, ok := parseCombined(line)
		if !ok {
			return
		}
		if _, err := time.Parse(time.DateOnly, e.day); err != nil {
			t.Fatalf("%q: day %q", line, e.day)
		}
		if e.status < 100 || e.status > 599 {
			t.Fatalf("%q: status %d", line, e.status)
		}
		b := Batch{}
		countEntry(b, e, paths)
		ip, _, _ := strings.Cut(line, " ")
		if net.ParseIP(ip) == nil {
			ip = "" // not an address: nothing to look for
		}
		for day, keys := range b {
			if day != e.day {
				t.Fatalf("%q: counted on %s, read %s", line, day, e.day)
			}
			for k := range keys {
				for _, s := range []string{k.Lang, k.Class, k.Item} {
					if !utf8.ValidString(s) {
						t.Fatalf("%q: key %+v is not valid UTF-8", line, k)
					}
					if ip != "" && strings.Contains(s, ip) {
						t.Fatalf("%q: key %+v holds the client's address", line, k)
					}
				}
			}
		}
	})
}
