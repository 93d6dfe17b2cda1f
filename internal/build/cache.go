package build

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"kb/internal/render"
	"kb/internal/site"
	"kb/internal/source"
	"kb/search"
)

// The build cache. A build spends most of its time on work whose result
// depends only on bytes it can hash: a rendered file depends on the pages
// it shows (and templates, i18n, settings), the .gz copy of a text file on
// the file's bytes, and a language's search index on that language's
// documents. The cache keeps those results in the state folder, by content
// hash, so that a build after a small change redoes only what changed:
//
//	.kb/cache/out/<xx>/<key>      a rendered file, and <key>.gz its .gz
//	.kb/cache/gz/<xx>/<key>       the .gz of a text file
//	.kb/cache/index/<xx>/<key>/   a language's <lang>.bleve folder (index/),
//	                              sizes.json, the size of each of its files,
//	                              and docs, its document list (see "Indexes
//	                              updated in place")
//	.kb/cache/used-<kind>         the keys of that kind the last build used
//	.kb/cache/bodies/bodies       every page's rendered body (bodies.go)
//
// A key is the SHA-256 of kb's identity (the SHA-256 of its executable, so
// that any change of code, the compressor and its level included, misses),
// the kind of entry, and its inputs: for a .gz, the compressor's name, the
// file's extension and its bytes; for an index, the language and its
// documents in ID order; for a rendered file, see "Rendered files" below.
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
// Once a build has written everything, the entries of each kind it looked
// up that neither it nor the build before it used are removed, so the cache holds about two builds' worth, most of
// it shared with the two generations kept.
type cache struct {
	dir     string // .kb/cache
	staging string // the build's staging folder, for index entries in the making
	id      []byte // kb's identity

	mu     sync.Mutex
	used   map[string]bool // "<kind>/<key>" of entries this build used or made
	active map[string]bool // kinds this build looked up (no index: not "index")

	out *outKeys // keys of rendered files; nil: not cached (see below)

	// dirs are the folders this build made or found (mkdirAll): a
	// site's files share few folders, and each asked costs a system call.
	dirs sync.Map

	gzHits, gzMisses, indexHits, indexMisses, outHits, outMisses atomic.Int64
	indexUpdates                                                 atomic.Int64
	tmpN                                                         atomic.Int64
}

// CacheStats counts what a build took from its cache.
type CacheStats struct {
	GzHits, GzMisses       int // .gz files linked from the cache / compressed
	IndexHits, IndexMisses int // languages' indexes linked / built or updated
	IndexUpdates           int // of the misses, those updated from an older index
	OutHits, OutMisses     int // rendered files linked / rendered
	BodyHits, BodyMisses   int // bodies from the last build's (bodies.go) / rendered
	PageHits, PageMisses   int // pages' frontmatter from the last build's (parsed.go) / parsed
}

// gzipName names the compressor writeGzip uses; change it with the
// compressor or its level. (The executable's hash already changes then;
// the name keeps keys apart even for a build that hashes the same.)
const gzipName = "klauspost-gzip-7"

// openCache returns the cache of the state folder gens, for a build whose
// staging folder is staging, and kb's identity id (nil: computed here). It
// returns nil, no cache, when kb cannot read its own executable.
func openCache(gens, staging string, id []byte) *cache {
	if id == nil {
		var err error
		if id, err = identity(); err != nil {
			return nil
		}
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
		IndexUpdates: int(c.indexUpdates.Load()),
		OutHits:      int(c.outHits.Load()), OutMisses: int(c.outMisses.Load()),
	}
}

// writeGzip is writeGzip through the cache: dst.gz is linked from the
// cache when it holds the .gz of these bytes, and otherwise written by
// writeGzip and linked into the cache.
func (c *cache) writeGzip(dst, name string, data []byte) (bool, error) {
	if c == nil {
		return writeGzip(dst, name, data)
	}
	c.look("gz")
	key := c.key("gz", []byte(gzipName), []byte(filepath.Ext(name)), data)
	entry := c.path("gz", key)
	if validGzip(entry, data) && os.Link(entry, dst+".gz") == nil {
		c.use("gz", key)
		c.gzHits.Add(1)
		return true, nil
	}
	if zipped, err := writeGzip(dst, name, data); err != nil || !zipped {
		return false, err // or not compressed (small, or not text): nothing to keep
	}
	c.gzMisses.Add(1)
	c.mkdirAll(filepath.Dir(entry))
	// link(2) makes the entry whole or not at all. An entry there already
	// failed validGzip (or another build just made it): c.link replaces it.
	// A failure (no hard links) costs only the reuse.
	if c.link(dst+".gz", entry) {
		c.use("gz", key)
	}
	return true, nil
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
	if err != nil || !fi.Mode().IsRegular() || fi.Size() < 18 || fi.Mode().Perm() != 0o644 {
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
// documents are those of a cached index are linked from the cache; a
// language whose documents differ from those of a cached index of it in
// few documents is updated from that index (search.Update: "Indexes
// updated in place" below); the others are built. Both are then linked
// into the cache.
func (c *cache) buildIndex(dir string, langs []*langDocs, syn search.Synonyms) error {
	var build []search.LangDocs
	if c == nil {
		for _, l := range langs {
			build = append(build, l.search())
		}
		return search.BuildLangs(dir, build, syn)
	}
	c.look("index")
	byLang := map[string]*langDocs{}
	keys := map[string]string{}
	lists := map[string]*docList{}
	var hits, misses []string
	for _, ld := range langs {
		lang := ld.lang
		byLang[lang] = ld
		l, err := newDocList(lang, ld.all())
		if err != nil {
			return err
		}
		lists[lang] = l
		keys[lang] = c.key("index", []byte(lang), l.body)
		if c.validIndex(keys[lang]) {
			hits = append(hits, lang)
		} else {
			misses = append(misses, lang)
		}
	}
	// A hit linked in part (an entry removed meanwhile by another build's
	// pruning) is built after all.
	var linked []string
	for _, lang := range hits {
		dst := filepath.Join(dir, lang+".bleve")
		if err := LinkTree(filepath.Join(c.path("index", keys[lang]), "index"), dst); err != nil {
			os.RemoveAll(dst)
			misses = append(misses, lang)
			continue
		}
		linked = append(linked, lang)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	slices.Sort(misses)
	for _, lang := range misses {
		if !c.updateIndex(dir, lang, lists[lang], byLang[lang]) {
			build = append(build, byLang[lang].search())
		}
	}
	if err := search.BuildLangs(dir, build, syn); err != nil {
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
		if err := c.storeIndex(keys[lang], filepath.Join(dir, lang+".bleve"), lists[lang].file(c.id)); err == nil {
			c.use("index", keys[lang])
		}
	}
	return nil
}

// storeIndex links the index folder src into the cache under key, with
// docs, its document list: made in the staging folder (swept if the build
// is killed), then renamed in whole.
func (c *cache) storeIndex(key, src string, docs []byte) error {
	tmp := filepath.Join(c.staging, "cache-"+key)
	defer os.RemoveAll(tmp)
	if err := LinkTree(src, filepath.Join(tmp, "index")); err != nil {
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
	if err := os.WriteFile(filepath.Join(tmp, docListFile), docs, 0o644); err != nil {
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

// # Indexes updated in place
//
// Re-indexing a language whose documents changed was about 40 % of a
// rebuild after a one-page change. Each index entry therefore also keeps
// its document list, docs: a header naming the language and kb's identity,
// one line per document (the SHA-256 of the document as the key hashes it,
// and its ID), in ID order, and a last line with the SHA-256 of all the
// lines before it, so that a torn list is never read as a shorter one.
// The lines between header and sum are what the entry's key hashes.
//
// When a language misses, the build looks for an entry of the same
// language and identity (the identity covers the mapping and the analysis;
// the synonyms are applied at query time, not in the index) whose index is
// whole and whose list differs from the language's documents in at most a
// fifth of them, the closest if several. It then calls search.Update with
// that entry's index folder as the base, which it only reads: the added
// and changed documents are indexed alone, then merged with the base's
// segment, the removed and changed ones left out, into a new folder in the
// staging folder. A killed build leaves nothing but the staging folder,
// which the next build sweeps; the new entry is stored by rename, as any.
// The result is one segment holding exactly the terms of the language's
// documents, as a build would make it, so the search results are those of
// a cold build (TestCachedRebuild compares them) and successive updates
// leave no small segments behind to slow queries down. Any failure falls
// back to building the language.

// docListFile is the name of an index entry's document list.
const docListFile = "docs"

// maxUpdate bounds an update: at most 1/maxUpdate of a language's
// documents added, changed or removed since the base. The bound is a
// choice, not a measured break-even: a large change (a new kb of the same
// identity cannot make one, but a mass edit can) is built from scratch,
// which is what a cold build does.
const maxUpdate = 5

// docList is a language's documents as an entry's list holds them.
type docList struct {
	lang string
	body []byte            // the document lines
	hash map[string]string // ID -> SHA-256 (hex)
}

func newDocList(lang string, docs iter.Seq2[search.Doc, error]) (*docList, error) {
	l := &docList{lang: lang, hash: map[string]string{}}
	var b strings.Builder
	var buf []byte
	for d, err := range docs {
		if err != nil {
			return nil, err
		}
		if buf, err = appendDoc(buf[:0], &d); err != nil {
			return nil, err
		}
		sum := sha256.Sum256(buf)
		h := hex.EncodeToString(sum[:])
		l.hash[d.ID] = h
		b.WriteString(h + " " + d.ID + "\n")
	}
	l.body = []byte(b.String())
	return l, nil
}

// appendDoc appends what a document's hash covers: each field by name,
// its text length-prefixed (a list as its length and items), a field of
// another kind in JSON. (JSON for the whole document took most of the time
// of a build with nothing changed that the index spent: escaping the text.)
func appendDoc(buf []byte, d *search.Doc) ([]byte, error) {
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	v := reflect.ValueOf(d).Elem()
	t := v.Type()
	for i := range v.NumField() {
		str(t.Field(i).Name)
		switch f := v.Field(i); {
		case f.Kind() == reflect.String:
			buf = append(buf, 's')
			str(f.String())
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			buf = append(buf, 'l')
			buf = binary.AppendUvarint(buf, uint64(f.Len()))
			for j := range f.Len() {
				str(f.Index(j).String())
			}
			if f.IsNil() {
				buf = append(buf, 0) // JSON tells nil from empty: so does this
			}
		default:
			data, err := json.Marshal(f.Interface())
			if err != nil {
				return nil, err
			}
			buf = append(buf, 'j')
			str(string(data))
		}
	}
	return buf, nil
}

func docListHeader(lang string, id []byte) string {
	return "kb-index-docs 1 " + lang + " " + hex.EncodeToString(id) + "\n"
}

// file is the list as the entry stores it.
func (l *docList) file(id []byte) []byte {
	data := append([]byte(docListHeader(l.lang, id)), l.body...)
	sum := sha256.Sum256(data)
	return append(data, "sum "+hex.EncodeToString(sum[:])+"\n"...)
}

// readDocList reads an entry's list, if it is of lang and identity id and
// whole.
func readDocList(p, lang string, id []byte) (map[string]string, bool) {
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	r := bufio.NewReader(f)
	header, err := r.ReadString('\n')
	if err != nil || header != docListHeader(lang, id) {
		return nil, false // most entries: another language
	}
	rest, err := io.ReadAll(r)
	if err != nil {
		return nil, false
	}
	body, sumLine, ok := cutLastLine(rest)
	if !ok {
		return nil, false
	}
	sum := sha256.Sum256(append([]byte(header), body...))
	if sumLine != "sum "+hex.EncodeToString(sum[:]) {
		return nil, false
	}
	hash := map[string]string{}
	for line := range strings.Lines(string(body)) {
		h, docID, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		if !ok {
			return nil, false
		}
		hash[docID] = h
	}
	return hash, true
}

// cutLastLine splits data, which ends with a newline, before its last line.
func cutLastLine(data []byte) (before []byte, last string, ok bool) {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return nil, "", false
	}
	i := strings.LastIndexByte(string(data[:len(data)-1]), '\n') + 1
	return data[:i], string(data[i : len(data)-1]), true
}

// updateIndex writes dir/<lang>.bleve by search.Update from the closest
// usable entry of lang, and reports whether it did.
func (c *cache) updateIndex(dir, lang string, l *docList, ld *langDocs) bool {
	entries, _ := filepath.Glob(filepath.Join(c.dir, "index", "*", "*", docListFile))
	slices.Sort(entries)
	var base string
	var drop []string
	var add []int // indexes in ld.ids
	best := len(ld.ids)/maxUpdate + 1
	for _, p := range entries {
		old, ok := readDocList(p, lang, c.id)
		if !ok || !c.validIndex(filepath.Base(filepath.Dir(p))) {
			continue
		}
		var d []string
		var a []int
		removed := 0
		for i, id := range ld.ids {
			if h, ok := old[id]; !ok || h != l.hash[id] {
				a = append(a, i)
				if ok {
					d = append(d, id)
				}
			}
		}
		for docID := range old {
			if _, ok := l.hash[docID]; !ok {
				d = append(d, docID)
				removed++
			}
		}
		if n := len(a) + removed; n < best {
			best, base, drop, add = n, filepath.Join(filepath.Dir(p), "index"), d, a
		}
	}
	if base == "" {
		return false
	}
	slices.Sort(drop)
	docs := make([]search.Doc, len(add))
	for j, i := range add {
		d, err := ld.doc(i)
		if err != nil {
			return false
		}
		docs[j] = d
	}
	if err := search.Update(dir, lang, base, drop, docs); err != nil {
		os.RemoveAll(filepath.Join(dir, lang+".bleve"))
		return false
	}
	c.indexUpdates.Add(1)
	return true
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

// LinkTree makes dst a copy of the folder src made of hard links (copies
// where the file system has none).
func LinkTree(src, dst string) error {
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
// used, and returns sweep, which removes those that neither it nor the
// build before used. (A build without index leaves the index entries
// alone.) sweep lists the whole cache: the build runs it after its swap,
// beside the removal of old generations.
func (c *cache) prune() (sweep func(), err error) {
	if c == nil {
		return func() {}, nil
	}
	var errs []error
	keeps := map[string]map[string]bool{}
	for _, kind := range []string{"gz", "index", "out"} {
		if c.active[kind] {
			keep, err := c.record(kind)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			keeps[kind] = keep
		}
	}
	return func() {
		var wg sync.WaitGroup
		for kind, keep := range keeps {
			wg.Go(func() { c.sweep(kind, keep) })
		}
		wg.Wait()
	}, errors.Join(errs...)
}

// record writes the keys of kind this build used, and returns them with
// those of the build before.
func (c *cache) record(kind string) (map[string]bool, error) {
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
		return nil, err
	}
	tmp := filepath.Join(c.staging, "cache-used-"+kind)
	if err := os.WriteFile(tmp, []byte(strings.Join(list, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, usedFile); err != nil {
		return nil, err
	}
	return keep, nil
}

// sweep removes the entries of kind not in keep.
func (c *cache) sweep(kind string, keep map[string]bool) {
	// Pruning is best-effort: what cannot be listed now stays until a later
	// build prunes it; entries are checked on use, so a stale one is harmless.
	shards, _ := os.ReadDir(filepath.Join(c.dir, kind))
	for _, s := range shards {
		entries, _ := os.ReadDir(filepath.Join(c.dir, kind, s.Name()))
		left := len(entries)
		for _, e := range entries {
			if name := strings.TrimSuffix(e.Name(), ".gz"); !keep[name] && os.RemoveAll(filepath.Join(c.dir, kind, s.Name(), e.Name())) == nil {
				left--
			}
		}
		if left == 0 {
			os.Remove(filepath.Join(c.dir, kind, s.Name()))
		}
	}
}

// String is for messages: "files 3000/40, gz 120/3, index 14/1 (1 updated),
// bodies 1000/1, pages 1000/1" (hits/misses).
func (s CacheStats) String() string {
	return "files " + strconv.Itoa(s.OutHits) + "/" + strconv.Itoa(s.OutMisses) +
		", gz " + strconv.Itoa(s.GzHits) + "/" + strconv.Itoa(s.GzMisses) +
		", index " + strconv.Itoa(s.IndexHits) + "/" + strconv.Itoa(s.IndexMisses) +
		" (" + strconv.Itoa(s.IndexUpdates) + " updated)" +
		", bodies " + strconv.Itoa(s.BodyHits) + "/" + strconv.Itoa(s.BodyMisses) +
		", pages " + strconv.Itoa(s.PageHits) + "/" + strconv.Itoa(s.PageMisses)
}

// # Rendered files
//
// A kb build (not the preview, which publishes a model it keeps in memory)
// also takes whole rendered files from the cache. A file's key hashes its
// path and what render.Output.Deps says it depends on: the groups it shows
// (a group is hashed as its pages' paths, frontmatter and Markdown, and its
// resources' names, sizes and recording data, as the assembled site holds
// them) and, for "list:*", every group; for "list:<lang>" every group too,
// but with the Markdown of its page in that language only, when no
// template shows what a body gives outside its own page
// (render.Templates.OwnBodyData): a body changed in French leaves the
// lists of the other languages as they were. Every key also
// hashes what any page may show: kb's identity, the build options,
// templates/, i18n/, every file of content/ outside the group folders and
// every file in them that is not a page or resource of the site (drafts),
// and the glossary (a body marks the terms of its language, which its Deps
// do not name). Those files are hashed before the site is read and again
// after it is written: when they changed meanwhile, the build keeps none of
// the files it rendered.
//
// An entry is out/<xx>/<key>, with out/<xx>/<key>.gz when the file has a
// .gz; a hit links both into the generation. When the .gz entry is there,
// its trailer's length must be the file's size; a file without a .gz (text
// under 512 bytes) is not checked.

// # Modes
//
// Every file of a generation is 0644 (build.go, "Permissions"). A build
// makes its files so, and links the cache's entries, which are files of
// earlier generations, into its own: once umaskKeeps has shown that the
// umask leaves 0644 and 0755 as they are, it does not walk its site folder
// to set them (readable). An entry of another mode (made under a stricter
// umask by a build killed before it set the modes) is not used.

// siteStamp hashes templates/, i18n/ and the files of content/ outside the
// group folders (content/<section>/<key>/), as they are on disk.
func siteStamp(siteDir string) (string, error) {
	fsys, err := source.SiteFS(siteDir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = walkFiles(fsys, func(p string, depth int) error {
		if p0 := strings.SplitN(p, "/", 2)[0]; p0 == "content" && depth >= 4 {
			return nil
		}
		return hashFile(h, fsys, p)
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// walkFiles calls f for each regular file under content/, templates/ and
// i18n/, in lexical order, with its depth (content/site.toml is 2).
func walkFiles(fsys fs.FS, f func(p string, depth int) error) error {
	for _, root := range []string{"content", "templates", "i18n"} {
		err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipDir
			}
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			return f(p, strings.Count(p, "/")+1)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func hashFile(h io.Writer, fsys fs.FS, p string) error {
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "%d:%s%d:", len(p), p, len(data))
	h.Write(data)
	return nil
}

// outputs prepares the keys of rendered files; stamp is siteStamp before
// the site was read ("" leaves rendered files out of the cache).
func (c *cache) outputs(opt Options, res *Result, stamp string) error {
	if c == nil || stamp == "" {
		return nil
	}
	s := res.Site
	fsys, err := source.SiteFS(opt.Site)
	if err != nil {
		return err
	}
	groups := map[string][]byte{}
	inModel := map[string]bool{}
	ids := make([]string, 0, len(s.Groups))
	var glossary []string
	for _, g := range s.Groups {
		for _, p := range g.Pages {
			inModel[p.File.Path] = true
		}
		for _, r := range g.Resources {
			inModel[r.Path] = true
		}
	}
	// The stray files are walked while the groups are hashed, the groups
	// on every core: each is a tenth of a second at 10,000 pages.
	type stamped struct {
		stray string
		err   error
	}
	strayc := make(chan stamped, 1)
	go func() {
		st, err := strayStamp(fsys, inModel)
		strayc <- stamped{st, err}
	}()
	sums := make([]groupSums, len(s.Groups))
	errs := make([]error, len(s.Groups))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(s.Groups); i = int(next.Add(1) - 1) {
				sums[i], errs[i] = groupSum(s.Groups[i], res.Bodies)
			}
		})
	}
	wg.Wait()
	for i, g := range s.Groups {
		if errs[i] != nil {
			<-strayc
			return errs[i]
		}
		id := g.Section + "/" + g.Key
		groups[id] = sums[i].all
		ids = append(ids, id)
		if g.Section == "glossary" {
			glossary = append(glossary, id)
		}
	}
	order := make([]int, len(s.Groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(ids[a], ids[b]) })
	all := sha256.New()
	// A list of a language keeps when only a body of another language
	// changed, if no template shows a body's data outside its own page.
	var lists map[string][]byte
	if res.Renderer.T.OwnBodyData() {
		lists = map[string][]byte{}
		for _, l := range s.Langs.List {
			h := sha256.New()
			for _, i := range order {
				fmt.Fprintf(h, "%q %x\n", ids[i], sums[i].in(l.Code))
			}
			lists[l.Code] = h.Sum(nil)
		}
	}
	for _, i := range order {
		fmt.Fprintf(all, "%q %x\n", ids[i], sums[i].all)
	}
	// What every file may show.
	global := sha256.New()
	pdfs, err := json.Marshal(res.Renderer.PDFs)
	if err != nil {
		return err
	}
	fmt.Fprintf(global, "stamp %s drafts %v script %q pdfs %s\n", stamp, opt.Drafts, res.Renderer.Script, pdfs)
	for _, id := range glossary {
		fmt.Fprintf(global, "glossary %q %x\n", id, groups[id])
	}
	st := <-strayc
	if st.err != nil {
		return st.err
	}
	stray := st.stray
	fmt.Fprintf(global, "stray %s\n", stray)
	c.out = &outKeys{stamp: stamp, stray: stray, inModel: inModel, global: global.Sum(nil), all: all.Sum(nil), lists: lists, groups: groups}
	return nil
}

// groupSums are a group's hashes as the keys of rendered files have them.
type groupSums struct {
	// all hashes its pages' paths, frontmatter and Markdown, and its
	// resources: what a page of the group, or a "list:*", may show.
	all []byte
	// lang hashes the same, but the Markdown of its page in that language
	// only, for a "list:<lang>" (what a list of a language may show of the
	// other languages' pages is their frontmatter: titles in the language
	// menu, not their bodies); other is the sum for a language the group
	// has no page in.
	lang  map[string][]byte
	other []byte
}

func (g groupSums) in(code string) []byte {
	if s, ok := g.lang[code]; ok {
		return s
	}
	return g.other
}

// groupSum hashes a group (groupSums). Each page's frontmatter and
// Markdown are hashed once; the group's sums hash those digests.
func groupSum(g *site.Group, bodies *site.Bodies) (groupSums, error) {
	codes := make([]string, 0, len(g.Pages))
	for code := range g.Pages {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	bare := make([][sha256.Size]byte, len(codes)) // path and frontmatter
	full := make([][sha256.Size]byte, len(codes)) // and the Markdown
	for i, code := range codes {
		f := g.Pages[code].File
		meta, err := json.Marshal(f.Meta)
		if err != nil {
			return groupSums{}, err
		}
		bare[i] = sha256.Sum256(fmt.Appendf(nil, "page %q %q %d %d:%s", code, f.Path, f.BodyLine, len(meta), meta))
		// The Markdown by its SHA-256: a build that spills has let it go.
		full[i] = sha256.Sum256(fmt.Appendf(bare[i][:], "%x", bodies.SourceSum(g.Pages[code])))
	}
	res := sha256.New()
	for _, r := range g.Resources {
		data, err := json.Marshal(r)
		if err != nil {
			return groupSums{}, err
		}
		fmt.Fprintf(res, "resource %d:%s", len(data), data)
	}
	resources := res.Sum(nil)
	// sum hashes the pages, each with its Markdown where with(i).
	sum := func(with func(i int) bool) []byte {
		h := sha256.New()
		for i := range codes {
			if with(i) {
				h.Write(full[i][:])
			} else {
				h.Write(bare[i][:])
			}
		}
		h.Write(resources)
		return h.Sum(nil)
	}
	gs := groupSums{
		all:   sum(func(int) bool { return true }),
		other: sum(func(int) bool { return false }),
		lang:  make(map[string][]byte, len(codes)),
	}
	for i, code := range codes {
		gs.lang[code] = sum(func(j int) bool { return j == i })
	}
	return gs, nil
}

// strayStamp hashes the files in group folders that the site does not
// hold (drafts, when they are left out): a link to a draft shows it.
func strayStamp(fsys fs.FS, inModel map[string]bool) (string, error) {
	h := sha256.New()
	err := walkFiles(fsys, func(p string, depth int) error {
		if strings.HasPrefix(p, "content/") && depth >= 4 && !inModel[p] {
			return hashFile(h, fsys, p)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// outKeys are the hashes that make the keys of rendered files.
type outKeys struct {
	stamp, stray string // siteStamp and strayStamp as the keys have them
	inModel      map[string]bool
	global, all  []byte
	lists        map[string][]byte // "list:<lang>": groupSums.in(lang) of every group
	groups       map[string][]byte

	mu     sync.Mutex
	stored []string // entries this build made
}

func (c *cache) outKey(o render.Output) string {
	deps := slices.Clone(o.Deps)
	slices.Sort(deps)
	deps = slices.Compact(deps)
	h := sha256.New()
	fmt.Fprintf(h, "%x %x %q\n", c.id, c.out.global, o.Path)
	for _, d := range deps {
		switch {
		case d == "list:*":
			fmt.Fprintf(h, "%q %x\n", d, c.out.all)
		case strings.HasPrefix(d, "list:"):
			sum, ok := c.out.lists[strings.TrimPrefix(d, "list:")]
			if !ok {
				sum = c.out.all // a language the site does not list
			}
			fmt.Fprintf(h, "%q %x\n", d, sum)
		default:
			fmt.Fprintf(h, "%q %x\n", d, c.out.groups[d]) // none: absent
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// reuse links a rendered file (and its .gz) from the cache to dst, and
// reports whether it did; key is the file's key, for keep ("": none).
func (c *cache) reuse(o render.Output, dst string) (key string, ok bool) {
	if c == nil || c.out == nil || o.Render == nil {
		return "", false
	}
	c.look("out")
	key = c.outKey(o)
	entry := c.path("out", key)
	fi, err := os.Stat(entry)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 {
		return key, false // see "Modes" above
	}
	gz := false
	size, err := gzipSize(entry + ".gz")
	switch {
	case errors.Is(err, errMode):
		return key, false
	case err == nil:
		if size != uint32(fi.Size()) {
			return key, false // torn
		}
		gz = true
	}
	if os.Link(entry, dst) != nil {
		return key, false
	}
	if gz {
		if os.Link(entry+".gz", dst+".gz") != nil {
			os.Remove(dst)
			return key, false
		}
	} else {
		// No .gz kept: make it as a miss would (from the .gz entries when
		// they have it).
		data, err := os.ReadFile(dst)
		if _, zerr := c.writeGzip(dst, dst, data); err != nil || zerr != nil {
			os.Remove(dst)
			return key, false
		}
	}
	c.use("out", key)
	c.outHits.Add(1)
	return key, true
}

// errMode is a cache entry that is not 0644.
var errMode = errors.New("not 0644")

// gzipSize reads the length a gzip file's trailer gives.
func gzipSize(p string) (uint32, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if fi.Mode().Perm() != 0o644 {
		return 0, errMode
	}
	if fi.Size() < 18 {
		return 0, errors.New("short")
	}
	var t [4]byte
	if _, err := f.ReadAt(t[:], fi.Size()-4); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(t[:]), nil
}

// keep links a rendered file just written to dst (and its .gz, if zipped)
// into the cache under key (from reuse): the .gz first, so that a file's
// entry is never there without it.
func (c *cache) keep(o render.Output, dst, key string, zipped bool) {
	if c == nil || c.out == nil || o.Render == nil || key == "" {
		return
	}
	c.outMisses.Add(1)
	entry := c.path("out", key)
	c.mkdirAll(filepath.Dir(entry))
	if zipped {
		if !c.link(dst+".gz", entry+".gz") {
			return
		}
	} else {
		os.Remove(entry + ".gz") // a .gz of other bytes would pass for this one
	}
	if c.link(dst, entry) {
		c.use("out", key)
		c.out.mu.Lock()
		c.out.stored = append(c.out.stored, entry)
		c.out.mu.Unlock()
	}
}

// mkdirAll is os.MkdirAll, asked once per folder in a build (c nil: each
// time).
func (c *cache) mkdirAll(dir string) error {
	if c == nil {
		return os.MkdirAll(dir, 0o755)
	}
	if _, ok := c.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c.dirs.Store(dir, true)
	return nil
}

// link makes entry a hard link to src, replacing (by rename) an entry
// there already.
func (c *cache) link(src, entry string) bool {
	err := os.Link(src, entry)
	if errors.Is(err, fs.ErrExist) {
		tmp := entry + ".tmp-" + strconv.FormatInt(c.tmpN.Add(1), 10)
		os.Remove(tmp)
		if err = os.Link(src, tmp); err == nil {
			if err = os.Rename(tmp, entry); err != nil {
				os.Remove(tmp)
			}
		}
	}
	return err == nil
}

// confirm runs once the files are written: when templates/, i18n/, the
// site's other files or the stray ones changed since the site was read,
// the rendered files this build kept are dropped (their keys may name the
// new files).
func (c *cache) confirm(siteDir string) {
	if c == nil || c.out == nil {
		return
	}
	if now, err := siteStamp(siteDir); err == nil && now == c.out.stamp {
		if fsys, err := source.SiteFS(siteDir); err == nil {
			if stray, err := strayStamp(fsys, c.out.inModel); err == nil && stray == c.out.stray {
				return
			}
		}
	}
	for _, e := range c.out.stored {
		os.Remove(e)
		os.Remove(e + ".gz")
	}
}
