package search

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
	bolt "go.etcd.io/bbolt"
)

// Reproducible indexes. Two builds of the same documents write the same
// bytes, because bleve's offline Builder is not used for the documents:
//
//   - its batch is a Go map (index.Batch.IndexOps), so the documents of each
//     batch of 200 got random numbers inside the segment: the stored
//     values, postings and doc values came out in a random order. buildLang
//     instead analyses the documents itself, as the Builder does
//     (mapping, _id field, then each indexed field), and gives them to the
//     zap plugin in the order they come: ID order;
//   - a document given as a map has its fields walked in map order, which
//     numbers the fields: docFields gives a struct (build.go);
//   - the root (store/root.bolt) holds the time it was written, for
//     scorch's snapshot retention, which a read-only index never does:
//     normalizeRoot rewrites it with a fixed time into a fresh bolt file.
//
// The search results are those of the Builder's index: the same terms,
// statistics and stored values; only the documents' order inside the
// segment differs, which no result shows (ties are sorted by ID).

// buildLang writes dir/<lang>.bleve: the documents in batches of
// batchSize, each made into a segment in order, merged into one segment.
// No documents is an error.
func buildLang(dir, lang string, docs iter.Seq2[Doc, error]) error {
	m := newMapping(lang)
	tmp, err := os.MkdirTemp(dir, "build-"+lang+"-") // same file system as dir
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	zp := &zap.ZapPlugin{}
	var segs []string
	var batch []index.Document
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		seg, _, err := zp.New(batch)
		batch = nil
		if err != nil {
			return fmt.Errorf("search: %s: %w", lang, err)
		}
		p := filepath.Join(tmp, fmt.Sprintf("%06d.zap", len(segs)))
		us, ok := seg.(segment.UnpersistedSegment)
		if !ok {
			return fmt.Errorf("search: %s: zap segment %T cannot be written", lang, seg)
		}
		err = us.Persist(p)
		if cerr := seg.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("search: %s: %w", lang, err)
		}
		segs = append(segs, p)
		return nil
	}
	for d, err := range docs {
		if err != nil {
			return err
		}
		doc := document.NewDocument(d.ID)
		if err := m.MapDocument(doc, docFields(d)); err != nil {
			return fmt.Errorf("search: %s: %w", d.ID, err)
		}
		doc.AddIDField()
		analyzeDoc(doc)
		batch = append(batch, doc)
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if len(segs) == 0 {
		return fmt.Errorf("search: %s: no documents", lang)
	}

	path := filepath.Join(dir, lang+indexExt)
	if err := writeRoot(tmp, path, lang); err != nil {
		return err
	}
	final := filepath.Join(path, builderFiles[2])
	if len(segs) == 1 {
		err = os.Rename(segs[0], final)
	} else {
		err = mergeSegments(zp, segs, final)
	}
	if err == nil {
		err = canonicalSections(final)
	}
	return err
}

// analyzeDoc is what scorch's Builder does to each document before it makes a
// segment (index/scorch/scorch.go, analyze): analyse every indexed field and
// feed the composite fields (_all). kb's mapping has no geo fields, the
// only other case there.
func analyzeDoc(d index.Document) {
	d.VisitFields(func(f index.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if d.HasComposite() && f.Name() != "_id" {
			d.VisitComposite(func(cf index.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}

// mergeSegments merges the segment files segs, in order, into one at path.
func mergeSegments(zp *zap.ZapPlugin, segs []string, path string) (err error) {
	open := make([]segment.Segment, 0, len(segs))
	defer func() {
		for _, s := range open {
			if cerr := s.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
	}()
	for _, p := range segs {
		s, err := zp.Open(p)
		if err != nil {
			return err
		}
		open = append(open, s)
	}
	_, _, err = zp.Merge(open, make([]*roaring.Bitmap, len(open)), path, nil, nil)
	return err
}

// writeRoot writes the index's metadata and root at path, as bleve's
// Builder writes them for lang's mapping: they depend on nothing else (the
// root names the one segment by its fixed file name, builderFiles). The
// Builder indexes one empty document, whose segment the caller replaces.
func writeRoot(tmp, path, lang string) (err error) {
	b, err := bleve.NewBuilder(path, newMapping(lang), map[string]interface{}{
		"buildPathPrefix": tmp,
		// The segment format Update reads and merges (bleve's default
		// today), named so that a new default cannot part them.
		"forceSegmentType":    zap.Type,
		"forceSegmentVersion": int(zap.Version),
	})
	if err != nil {
		return fmt.Errorf("search: %s: %w", lang, err)
	}
	err = b.Index("root", struct{}{})
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = normalizeRoot(filepath.Join(path, builderFiles[1]))
	}
	if err != nil {
		return fmt.Errorf("search: %s: %w", lang, err)
	}
	return nil
}

// rootTime is the time normalizeRoot writes in a root: scorch reads it only
// to choose which old snapshots to keep, which a built index has none of.
var rootTime = time.Unix(0, 0).UTC()

// normalizeRoot rewrites the bolt file at path, with every timestamp of a
// snapshot's metadata set to rootTime, into a fresh bolt file: the same
// buckets and values written in one transaction in key order, so the pages
// hold nothing of the first file (a value changed in place would leave the
// old time in a freed page).
func normalizeRoot(path string) (err error) {
	ts, err := rootTime.MarshalText()
	if err != nil {
		return err
	}
	src, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".tmp"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	err = src.View(func(stx *bolt.Tx) error {
		return dst.Update(func(dtx *bolt.Tx) error {
			return stx.ForEach(func(name []byte, sb *bolt.Bucket) error {
				db, err := dtx.CreateBucket(name)
				if err != nil {
					return err
				}
				return copyBucket(db, sb, ts, false)
			})
		})
	})
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return os.Rename(tmp, path)
}

// copyBucket copies src into dst, nested buckets included; in a bucket
// named util.BoltMetaDataKey, the value of scorch's timestamp key is
// replaced by ts.
func copyBucket(dst, src *bolt.Bucket, ts []byte, meta bool) error {
	if err := dst.SetSequence(src.Sequence()); err != nil {
		return err
	}
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			nb, err := dst.CreateBucket(k)
			if err != nil {
				return err
			}
			return copyBucket(nb, src.Bucket(k), ts, string(k) == string(util.BoltMetaDataKey))
		}
		if meta && string(k) == string(util.BoltMetaDataTimeStamp) {
			v = ts
		}
		return dst.Put(k, v)
	})
}

// canonicalSections rewrites the zap segment at path with the list of
// sections of each field sorted by section type. zapx writes that list by
// ranging over its map of section kinds (write.go, persistFieldsSection),
// so its order is random, and zapx reads it back into a map: the order
// means nothing, and this is the one part of a segment that differs
// between two writes of the same documents. Each entry is a 2-byte type
// and an 8-byte address, so sorting keeps every offset; the checksum is
// computed again. A file whose version or checksum is not what this code
// knows is left alone and reported.
func canonicalSections(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	bad := func(why string) error {
		return fmt.Errorf("search: %s: not a zap v%d segment this code can read: %s", path, zap.Version, why)
	}
	// The footer, from the end: crc 4, version 4, chunk mode 4, sections
	// index offset 8, stored index offset 8, number of documents 8, writer
	// id length 4 (write.go, persistFooter).
	n := len(b)
	if n < zap.FooterSize {
		return bad("too short")
	}
	if v := binary.BigEndian.Uint32(b[n-8:]); v != zap.Version {
		return bad(fmt.Sprintf("version %d", v))
	}
	if crc32.ChecksumIEEE(b[:n-4]) != binary.BigEndian.Uint32(b[n-4:]) {
		return bad("checksum")
	}
	pos := binary.BigEndian.Uint64(b[n-20:])
	uvarint := func() (uint64, bool) {
		if pos >= uint64(n) {
			return 0, false
		}
		v, sz := binary.Uvarint(b[pos:])
		if sz <= 0 {
			return 0, false
		}
		pos += uint64(sz)
		return v, true
	}
	numFields, ok := uvarint()
	if !ok || pos+8*numFields > uint64(n) {
		return bad("fields index")
	}
	index := pos
	const entry = 2 + 8
	for f := range numFields {
		pos = binary.BigEndian.Uint64(b[index+8*f:])
		nameLen, ok := uvarint()
		pos += nameLen
		if ok {
			_, ok = uvarint() // the field's options
		}
		var secs uint64
		if ok {
			secs, ok = uvarint()
		}
		if !ok || pos+secs*entry > uint64(n) {
			return bad(fmt.Sprintf("field %d", f))
		}
		list := b[pos : pos+secs*entry]
		entries := make([][entry]byte, secs)
		for i := range entries {
			copy(entries[i][:], list[i*entry:])
		}
		slices.SortFunc(entries, func(x, y [entry]byte) int {
			return cmp.Compare(binary.BigEndian.Uint16(x[:]), binary.BigEndian.Uint16(y[:]))
		})
		for i := range entries {
			copy(list[i*entry:], entries[i][:])
		}
	}
	binary.BigEndian.PutUint32(b[n-4:], crc32.ChecksumIEEE(b[:n-4]))
	return os.WriteFile(path, b, 0o644)
}
