package source

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"reflect"
	"slices"
	"sync"

	"kb/internal/diag"
)

// ParseCache keeps what parsing a page gave, across runs of Load (kb build
// saves it in its state folder): the frontmatter decoded, where the body
// starts and on which line, and the problems found, by the SHA-256 of the
// page's path and bytes. Parsing (the UTF-8 check, NFC, the frontmatter)
// was most of the time a build after a small change spent reading
// content/; with the cache, an unchanged page costs its read and hash.
//
// What parsing gives is a function of the path (section, key and language
// are parts of it) and the bytes, given kb's code: the caller keys the file
// by kb's identity (Save, LoadParseCache). A page is kept only when its body
// is the bytes of the file from an offset on (NFC left the body as it was,
// as it does for any page saved in NFC) and it could be used: a hit is then
// the body sliced from the bytes just read and the kept frontmatter, the
// same File and the same problems as a parse. Entries are kept encoded and
// decoded on each hit, so nothing a build does to a File changes what the
// next build reads.
type ParseCache struct {
	mu                 sync.Mutex
	old                map[[32]byte][]byte // entries read back
	now                map[[32]byte][]byte // entries this run used or made
	hits, misses, made int
}

// parsedPage is an entry: a parse's result without the bytes.
type parsedPage struct {
	Meta     Meta
	BodyOff  int // where the body starts in the file (after a byte order mark)
	BodyLine int
	Problems []parsedProblem
}

// parsedProblem is a diag.Problem of the page (its path is the page's).
type parsedProblem struct {
	Line     int
	Level    int
	Msg      string
	Hint     string `json:",omitempty"`
	Elsewhen string `json:",omitempty"` // the problem's path, when not the page's
}

// NewParseCache returns an empty cache.
func NewParseCache() *ParseCache {
	return &ParseCache{old: map[[32]byte][]byte{}, now: map[[32]byte][]byte{}}
}

// Changed reports whether the last Load made an entry or left one unused:
// whether the cache is worth saving again.
func (c *ParseCache) Changed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.made > 0 || len(c.now) != len(c.old)
}

// Hits and Misses count the pages of the last Load taken from the cache
// and parsed.
func (c *ParseCache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// Misses: see Hits.
func (c *ParseCache) Misses() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.misses
}

func parseKey(p string, data []byte) [32]byte {
	h := sha256.New()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
	h.Write(n[:])
	h.Write([]byte(p))
	h.Write(data)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// parse is parseFile through the cache (nil: none).
func (c *ParseCache) parse(p, section, key, code string, data []byte, problems *diag.List) *File {
	if c == nil {
		return parseFile(p, section, key, code, data, problems)
	}
	k := parseKey(p, data)
	c.mu.Lock()
	entry, ok := c.old[k]
	c.mu.Unlock()
	trimmed := bytes.TrimPrefix(data, bom)
	if ok {
		var e parsedPage
		if json.Unmarshal(entry, &e) == nil && e.BodyOff >= 0 && e.BodyOff <= len(trimmed) {
			for _, pr := range e.Problems {
				path := p
				if pr.Elsewhen != "" {
					path = pr.Elsewhen
				}
				problems.Add(diag.Problem{Path: path, Line: pr.Line, Level: diag.Level(pr.Level), Msg: pr.Msg, Hint: pr.Hint})
			}
			c.mu.Lock()
			c.now[k] = entry
			c.hits++
			c.mu.Unlock()
			return &File{Path: p, Section: section, Key: key, Lang: code, Meta: e.Meta, Body: trimmed[e.BodyOff:], BodyLine: e.BodyLine}
		}
	}
	var own diag.List
	f := parseFile(p, section, key, code, data, &own)
	probs := own.Problems()
	for _, pr := range probs {
		problems.Add(pr)
	}
	c.mu.Lock()
	c.misses++
	c.mu.Unlock()
	if f == nil {
		return nil
	}
	off := len(trimmed) - len(f.Body)
	if off < 0 || !bytes.Equal(trimmed[off:], f.Body) {
		return f // NFC changed the body: not kept
	}
	e := parsedPage{Meta: f.Meta, BodyOff: off, BodyLine: f.BodyLine}
	for _, pr := range probs {
		pp := parsedProblem{Line: pr.Line, Level: int(pr.Level), Msg: pr.Msg, Hint: pr.Hint}
		if pr.Path != p {
			pp.Elsewhen = pr.Path
		}
		e.Problems = append(e.Problems, pp)
	}
	entry, err := json.Marshal(e)
	if err != nil {
		return f // a date JSON cannot write: not kept
	}
	// Kept only if it reads back as the same Meta: JSON drops nothing of
	// it today, and a field it would drop must not go unnoticed.
	var back parsedPage
	if json.Unmarshal(entry, &back) != nil || !reflect.DeepEqual(back.Meta, f.Meta) {
		return f
	}
	c.mu.Lock()
	c.now[k] = entry
	c.made++
	c.mu.Unlock()
	return f
}

// parseCacheFormat names the file's encoding; change it with parsedPage.
const parseCacheFormat = "kb-parsed-1"

// Save writes the entries the last Load used or made, for the next one,
// with id, what the caller keys them by: LoadParseCache reads no entry of
// another id. The file ends with the SHA-256 of what comes before, so that
// a torn file is never read as a shorter one.
func (c *ParseCache) Save(w io.Writer, id []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := sha256.New()
	bw := bufio.NewWriter(io.MultiWriter(w, h))
	bw.WriteString(parseCacheFormat + " " + hex.EncodeToString(id) + "\n")
	var n [binary.MaxVarintLen64]byte
	for _, k := range slices.SortedFunc(maps.Keys(c.now), func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) }) {
		e := c.now[k]
		bw.Write(k[:])
		bw.Write(n[:binary.PutUvarint(n[:], uint64(len(e)))])
		bw.Write(e)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(h.Sum(nil))
	return err
}

// LoadParseCache reads what Save wrote with the same id. A file of another
// id or format, torn or otherwise unreadable gives an empty cache and the
// error: every page is then parsed.
func LoadParseCache(r io.Reader, id []byte) (*ParseCache, error) {
	c := NewParseCache()
	data, err := io.ReadAll(r)
	if err != nil {
		return c, err
	}
	header := parseCacheFormat + " " + hex.EncodeToString(id) + "\n"
	if len(data) < len(header)+sha256.Size || string(data[:len(header)]) != header {
		return c, errors.New("parsed pages: another format or another kb")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return c, errors.New("parsed pages: torn file")
	}
	entries := map[[32]byte][]byte{}
	for rest := body[len(header):]; len(rest) > 0; {
		if len(rest) < 32 {
			return c, errors.New("parsed pages: torn entry")
		}
		k := [32]byte(rest[:32])
		size, w := binary.Uvarint(rest[32:])
		if w <= 0 || size > uint64(len(rest)-32-w) {
			return c, errors.New("parsed pages: torn entry")
		}
		start := 32 + w
		entries[k] = rest[start : start+int(size) : start+int(size)]
		rest = rest[start+int(size):]
	}
	c.old = entries
	return c, nil
}
