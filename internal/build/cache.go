package build

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"kb/search"
)

// The build cache. A build spends most of its time on work whose result
// depends only on bytes it can hash: the .gz copy of a text file depends on
// the file's bytes, and a language's search index on that language's
// documents. The cache keeps those results in the state folder, by content
// hash, so that a build after a small change redoes only what changed:
//
//	.kb/cache/gz/<xx>/<key>       the .gz of a text file
//	.kb/cache/index/<xx>/<key>/   a language's <lang>.bleve folder, and
//	                              sizes.json, the size of each of its files
//	.kb/cache/used-<kind>         the keys of that kind the last build used
//
// A key is the SHA-256 of kb's identity (the SHA-256 of its executable, so
// that any change of code, the compressor and its level included, misses),
// the kind of entry, and its inputs: for a .gz, the compressor's name, the
// file's extension and its bytes; for an index, the language and its
// documents in ID order.
//
// Entries are hard links to files of the generation that made them (a copy
// where the file system has no hard links), and a build links them into its
// own generation: neither costs a write of the data. Nothing writes a
// generation's files in place (the preview replaces them by rename), so a
// file never changes under the cache.
//
// A killed build never leaves a torn entry: a .gz is linked once complete,
// and link(2) is atomic; an index entry is assembled in the staging folder
// (which the next build sweeps) and renamed into the cache complete. A read
// checks what is cheap to check anyway: a .gz's trailer (its CRC-32 and
// length) against the bytes it stands for, an index's file sizes against
// sizes.json; an entry that fails is not used and the work is redone.
//
// After a successful build, entries that neither it nor the build before
// it used are removed, so the cache holds about two builds' worth, most of
// it shared with the two generations kept.
type cache struct {
	dir     string // .kb/cache
	staging string // the build's staging folder, for index entries in the making
	id      []byte // kb's identity

	mu     sync.Mutex
	used   map[string]bool // "<kind>/<key>" of entries this build used or made
	active map[string]bool // kinds this build looked up (no index: not "index")

	gzHits, gzMisses, indexHits, indexMisses atomic.Int64
}

// CacheStats counts what a build took from its cache.
type CacheStats struct {
	GzHits, GzMisses       int // .gz files linked from the cache / compressed
	IndexHits, IndexMisses int // languages' indexes linked / built
}

// gzipName names the compressor writeGzip uses; change it with the
// compressor or its level. (The executable's hash already changes then;
// the name keeps keys apart even for a build that hashes the same.)
const gzipName = "gzip"

// openCache returns the cache of the state folder gens, for a build whose
// staging folder is staging. It returns nil, no cache, when kb cannot read
// its own executable.
func openCache(gens, staging string) *cache {
	id, err := identity()
	if err != nil {
		return nil
	}
	return &cache{dir: filepath.Join(gens, "cache"), staging: staging, id: id, used: map[string]bool{}, active: map[string]bool{}}
}

// identity is the SHA-256 of the running executable: a dev build whose code
// changed hashes differently even when its version control revision does
// not.
func identity() ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// key hashes kb's identity, the kind and the parts, each length-prefixed.
func (c *cache) key(kind string, parts ...[]byte) string {
	h := sha256.New()
	h.Write(c.id)
	for _, p := range append([][]byte{[]byte(kind)}, parts...) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *cache) path(kind, key string) string {
	return filepath.Join(c.dir, kind, key[:2], key)
}

func (c *cache) look(kind string) {
	c.mu.Lock()
	c.active[kind] = true
	c.mu.Unlock()
}

func (c *cache) use(kind, key string) {
	c.mu.Lock()
	c.used[kind+"/"+key] = true
	c.mu.Unlock()
}

// Stats says what the build took from the cache.
func (c *cache) Stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	return CacheStats{
		GzHits: int(c.gzHits.Load()), GzMisses: int(c.gzMisses.Load()),
		IndexHits: int(c.indexHits.Load()), IndexMisses: int(c.indexMisses.Load()),
	}
}

// writeGzip is writeGzip through the cache: dst.gz is linked from the
// cache when it holds the .gz of these bytes, and otherwise written by
// writeGzip and linked into the cache.
func (c *cache) writeGzip(dst, name string, data []byte) error {
	if c == nil {
		return writeGzip(dst, name, data)
	}
	c.look("gz")
	key := c.key("gz", []byte(gzipName), []byte(filepath.Ext(name)), data)
	entry := c.path("gz", key)
	if validGzip(entry, data) && os.Link(entry, dst+".gz") == nil {
		c.use("gz", key)
		c.gzHits.Add(1)
		return nil
	}
	if err := writeGzip(dst, name, data); err != nil {
		return err
	}
	if _, err := os.Stat(dst + ".gz"); err != nil {
		return nil // not compressed (small, or not text): nothing to keep
	}
	c.gzMisses.Add(1)
	os.MkdirAll(filepath.Dir(entry), 0o755)
	// link(2) makes the entry whole or not at all. An entry there already
	// failed validGzip (or another build just made it): it is replaced,
	// by rename. A failure (no hard links) costs only the reuse.
	err := os.Link(dst+".gz", entry)
	if errors.Is(err, fs.ErrExist) {
		tmp := entry + ".tmp-" + strconv.FormatInt(c.gzMisses.Load(), 10)
		os.Remove(tmp)
		if err = os.Link(dst+".gz", tmp); err == nil {
			if err = os.Rename(tmp, entry); err != nil {
				os.Remove(tmp)
			}
		}
	}
	if err == nil {
		c.use("gz", key)
	}
	return nil
}

// validGzip reports whether the file at p ends with the gzip trailer of
// data: its CRC-32 and its length. A truncated or zeroed file fails.
func validGzip(p string, data []byte) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < 18 {
		return false
	}
	var t [8]byte
	if _, err := f.ReadAt(t[:], fi.Size()-8); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(t[:4]) == crc32.ChecksumIEEE(data) &&
		binary.LittleEndian.Uint32(t[4:]) == uint32(len(data))
}

// buildIndex is search.Build through the cache: the languages whose
// documents are those of a cached index are linked from the cache, the
// others built, then linked into the cache.
func (c *cache) buildIndex(dir string, docs []search.Doc, syn search.Synonyms) error {
	if c == nil {
		return search.Build(dir, docs, syn)
	}
	c.look("index")
	byLang := map[string][]search.Doc{}
	for _, d := range docs {
		byLang[d.Lang] = append(byLang[d.Lang], d)
	}
	keys := map[string]string{}
	var build []search.Doc
	var hits []string
	for lang, ds := range byLang {
		slices.SortFunc(ds, func(a, b search.Doc) int { return strings.Compare(a.ID, b.ID) })
		data, err := json.Marshal(ds)
		if err != nil {
			return err
		}
		keys[lang] = c.key("index", []byte(lang), data)
		if c.validIndex(keys[lang]) {
			hits = append(hits, lang)
		} else {
			build = append(build, ds...)
		}
	}
	// A hit linked in part (an entry removed meanwhile by another build's
	// pruning) is built after all.
	var linked []string
	for _, lang := range hits {
		dst := filepath.Join(dir, lang+".bleve")
		if err := linkTree(filepath.Join(c.path("index", keys[lang]), "index"), dst); err != nil {
			os.RemoveAll(dst)
			build = append(build, byLang[lang]...)
			continue
		}
		linked = append(linked, lang)
	}
	if err := search.Build(dir, build, syn); err != nil {
		return err
	}
	for _, lang := range linked {
		c.use("index", keys[lang])
		c.indexHits.Add(1)
	}
	for lang := range byLang {
		if slices.Contains(linked, lang) {
			continue
		}
		c.indexMisses.Add(1)
		if err := c.storeIndex(keys[lang], filepath.Join(dir, lang+".bleve")); err == nil {
			c.use("index", keys[lang])
		}
	}
	return nil
}

// storeIndex links the index folder src into the cache under key: made in
// the staging folder (swept if the build is killed), then renamed in whole.
func (c *cache) storeIndex(key, src string) error {
	tmp := filepath.Join(c.staging, "cache-"+key)
	defer os.RemoveAll(tmp)
	if err := linkTree(src, filepath.Join(tmp, "index")); err != nil {
		return err
	}
	sizes := map[string]int64{}
	err := filepath.WalkDir(filepath.Join(tmp, "index"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(tmp, "index"), p)
		sizes[filepath.ToSlash(rel)] = fi.Size()
		return nil
	})
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(tmp, "sizes.json"), sizes); err != nil {
		return err
	}
	entry := c.path("index", key)
	if err := os.MkdirAll(filepath.Dir(entry), 0o755); err != nil {
		return err
	}
	if c.validIndex(key) {
		return nil // another build made it meanwhile
	}
	os.RemoveAll(entry) // a torn entry, or none
	return os.Rename(tmp, entry)
}

// validIndex reports whether the index entry key is there, every file of
// it the size it had when it was made.
func (c *cache) validIndex(key string) bool {
	entry := c.path("index", key)
	data, err := os.ReadFile(filepath.Join(entry, "sizes.json"))
	if err != nil {
		return false
	}
	var sizes map[string]int64
	if json.Unmarshal(data, &sizes) != nil || len(sizes) == 0 {
		return false
	}
	n := 0
	err = filepath.WalkDir(filepath.Join(entry, "index"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(entry, "index"), p)
		if want, ok := sizes[filepath.ToSlash(rel)]; !ok || want != fi.Size() {
			return errors.New("changed")
		}
		n++
		return nil
	})
	return err == nil && n == len(sizes)
}

// linkTree makes dst a copy of the folder src made of hard links (copies
// where the file system has none).
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if os.Link(p, target) == nil {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

// prune runs once a build has written everything, before its swap. For
// each kind of entry the build looked up, it records the entries the build
// used, and removes those that neither it nor the build before used. (A
// build without index leaves the index entries alone.)
func (c *cache) prune() error {
	if c == nil {
		return nil
	}
	var errs []error
	for _, kind := range []string{"gz", "index"} {
		if c.active[kind] {
			errs = append(errs, c.pruneKind(kind))
		}
	}
	return errors.Join(errs...)
}

func (c *cache) pruneKind(kind string) error {
	keep := map[string]bool{}
	usedFile := filepath.Join(c.dir, "used-"+kind)
	if data, err := os.ReadFile(usedFile); err == nil {
		for _, k := range strings.Fields(string(data)) {
			keep[k] = true
		}
	}
	var list []string
	for k := range c.used {
		if key, ok := strings.CutPrefix(k, kind+"/"); ok {
			keep[key] = true
			list = append(list, key)
		}
	}
	slices.Sort(list)
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(c.staging, "cache-used-"+kind)
	if err := os.WriteFile(tmp, []byte(strings.Join(list, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, usedFile); err != nil {
		return err
	}
	shards, _ := os.ReadDir(filepath.Join(c.dir, kind))
	for _, s := range shards {
		entries, _ := os.ReadDir(filepath.Join(c.dir, kind, s.Name()))
		left := len(entries)
		for _, e := range entries {
			if !keep[e.Name()] && os.RemoveAll(filepath.Join(c.dir, kind, s.Name(), e.Name())) == nil {
				left--
			}
		}
		if left == 0 {
			os.Remove(filepath.Join(c.dir, kind, s.Name()))
		}
	}
	return nil
}

// String is for messages: "gz 120/3, index 14/1" (hits/misses).
func (s CacheStats) String() string {
	return "gz " + strconv.Itoa(s.GzHits) + "/" + strconv.Itoa(s.GzMisses) +
		", index " + strconv.Itoa(s.IndexHits) + "/" + strconv.Itoa(s.IndexMisses)
}
