package stats

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"kb/internal/diag"
)

// prefixSize is how much of a log identifies it: its first bytes, as
// written. A log that grows (access.log) or is rotated (access.log.1, then
// access.log.2.gz) starts with the same bytes.
const prefixSize = 4096

// ImportResult says what one log gave.
type ImportResult struct {
	Lines   int // lines read
	Skipped int // lines already imported from this log before
	Counted int // lines that counted something (visit, search, other)
}

// Import reads an nginx access log in the combined format, plain or gzip,
// and adds its counts to the store in one transaction. IP addresses,
// User-Agents and referrers are dropped as each line is read. A log is
// known by the hash of its first 4 KB (nothing else of it is kept) and the
// number of lines read: importing it again counts only the lines added
// since. Malformed lines are problems, at their line; the others count.
func Import(st *Store, name string, r io.Reader, paths *Paths) (ImportResult, []diag.Problem, error) {
	var res ImportResult
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return res, nil, fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	prefix, err := br.Peek(prefixSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return res, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(prefix) == 0 {
		return res, nil, nil
	}
	old, err := st.imports()
	if err != nil {
		return res, nil, err
	}
	skip := 0
	for _, rec := range old {
		if rec.size <= len(prefix) && rec.id == prefixID(prefix[:rec.size]) {
			skip = max(skip, rec.lines)
		}
	}
	var problems []diag.Problem
	b := Batch{}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		res.Lines++
		if res.Lines <= skip {
			res.Skipped++
			continue
		}
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		e, ok := parseCombined(line)
		if !ok {
			problems = append(problems, diag.Problem{Path: name, Line: res.Lines, Msg: "not an nginx combined log line", Hint: "kb reads the default log_format combined"})
			continue
		}
		if countEntry(b, e, paths) {
			res.Counted++
		}
	}
	if err := sc.Err(); err != nil {
		return res, problems, fmt.Errorf("%s: line %d: %w", name, res.Lines+1, err)
	}
	rec := &importRecord{id: prefixID(prefix), size: len(prefix), lines: res.Lines}
	if res.Lines == skip {
		return res, problems, nil // nothing new
	}
	return res, problems, st.Write(b, rec)
}

func prefixID(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// imports lists the logs already imported into the store.
func (s *Store) imports() ([]importRecord, error) {
	if _, err := os.Stat(s.Path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	db, err := bolt.Open(s.Path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Path, err)
	}
	defer db.Close()
	var out []importRecord
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketImports)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			size, n := binary.Uvarint(v)
			lines, _ := binary.Uvarint(v[max(n, 0):])
			out = append(out, importRecord{id: string(k), size: int(size), lines: int(lines)})
			return nil
		})
	})
	return out, err
}

// entry is what kb keeps of a log line while counting it.
type entry struct {
	day    string
	method string
	target string
	status int
	bot    bool
}

// parseCombined reads
//
//	$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
//
// keeping only the day, the request, the status and whether the agent is a
// bot.
func parseCombined(line string) (entry, bool) {
	var e entry
	_, rest, ok := strings.Cut(line, " [")
	if !ok {
		return e, false
	}
	j := strings.Index(rest, `] "`)
	if j < 0 {
		return e, false
	}
	t, err := time.Parse("02/Jan/2006:15:04:05 -0700", rest[:j])
	if err != nil {
		return e, false
	}
	e.day = t.Format(time.DateOnly)
	rest = rest[j+3:]
	j = strings.Index(rest, `" `)
	if j < 0 {
		return e, false
	}
	req := strings.Fields(rest[:j])
	rest = rest[j+2:]
	f := strings.SplitN(rest, " ", 3)
	if len(f) < 3 {
		return e, false
	}
	if e.status, err = strconv.Atoi(f[0]); err != nil || e.status < 100 || e.status > 599 {
		return e, false
	}
	if _, err := strconv.Atoi(f[1]); err != nil && f[1] != "-" {
		return e, false
	}
	_, rest, ok = quoted(f[2]) // the referrer, never kept
	if !ok {
		return e, false
	}
	ua, _, ok := quoted(strings.TrimPrefix(rest, " "))
	if !ok {
		return e, false
	}
	e.bot = IsBot(ua)
	if len(req) == 3 && strings.HasPrefix(req[2], "HTTP/") {
		e.method, e.target = req[0], req[1]
	} else {
		e.method = "" // "-" or garbage sent to the server: not a request
	}
	return e, true
}

// quoted reads a "..." field (nginx escapes quotes inside as \x22).
func quoted(s string) (string, string, bool) {
	if !strings.HasPrefix(s, `"`) {
		return "", "", false
	}
	j := strings.IndexByte(s[1:], '"')
	if j < 0 {
		return "", "", false
	}
	return s[1 : j+1], s[j+2:], true
}

// countEntry adds what a log line counts, as kb serve would have. Searches
// are left out: kb serve answers them and counts them itself.
func countEntry(b Batch, e entry, paths *Paths) bool {
	if e.method != http.MethodGet {
		return false
	}
	u, err := url.ParseRequestURI(e.target)
	if err != nil {
		return false
	}
	if e.bot {
		b.Add(e.day, Key{Kind: Other, Class: Bot}, 1)
		return true
	}
	if u.Path == "/api/search" || (strings.HasSuffix(u.Path, "/search/") && u.Query().Get("q") != "") {
		return false
	}
	pg, other, ok := paths.Classify(u.Path, e.status)
	switch {
	case ok:
		b.Add(e.day, Key{Visit, pg.Lang, pg.Kind, pg.Item}, 1)
		if ed := Edition(u.Query().Get("nl")); ed != "" {
			b.Add(e.day, Key{NL, pg.Lang, ed, pg.Item}, 1)
		}
		return true
	case other != "":
		b.Add(e.day, Key{Kind: Other, Class: other}, 1)
		return true
	}
	return false
}
