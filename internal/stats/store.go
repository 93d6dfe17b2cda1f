package stats

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketKeys    = []byte("keys")
	bucketDays    = []byte("days")
	bucketImports = []byte("imports")
)

// lockWait bounds the wait for a store another process is writing.
const lockWait = 30 * time.Second

// Dir is the stats folder of an output folder: .kb/stats beside public/.
func Dir(out string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(out)), ".kb", "stats")
}

// Store is one store file that this process writes.
type Store struct {
	Path string
	lock *os.File
}

// OpenServer takes the first free serve-N.db slot in dir, so that several
// servers sharing the folder never write the same file, and a restarted
// server goes on with its old file.
func OpenServer(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for n := 1; n <= 64; n++ {
		name := filepath.Join(dir, fmt.Sprintf("serve-%d", n))
		f, err := os.OpenFile(name+".lock", os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, err
		}
		if err := tryLock(f); err != nil {
			f.Close()
			continue
		}
		return &Store{Path: name + ".db", lock: f}, nil
	}
	return nil, fmt.Errorf("%s: 64 servers already count here", dir)
}

// OpenNamed returns the store name.db in dir (nginx.db for imports).
func OpenNamed(dir, name string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Store{Path: filepath.Join(dir, name+".db")}, nil
}

// Close releases the store's slot.
func (s *Store) Close() error {
	if s.lock != nil {
		return s.lock.Close()
	}
	return nil
}

// importRecord is a log already imported: the hash of its first bytes and
// how many lines were read.
type importRecord struct {
	id    string
	size  int
	lines int
}

// Write adds a batch (and marks a log imported) in one transaction. The
// file is open only meanwhile.
func (s *Store) Write(b Batch, imp *importRecord) error {
	db, err := bolt.Open(s.Path, 0o600, &bolt.Options{Timeout: lockWait})
	if err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		keys, err := tx.CreateBucketIfNotExists(bucketKeys)
		if err != nil {
			return err
		}
		days, err := tx.CreateBucketIfNotExists(bucketDays)
		if err != nil {
			return err
		}
		for day, m := range b {
			counts, err := decodeDay(days.Get([]byte(day)))
			if err != nil {
				return fmt.Errorf("day %s: %w", day, err)
			}
			for k, n := range m {
				enc := []byte(k.encode())
				var id uint64
				if v := keys.Get(enc); v != nil {
					id, _ = binary.Uvarint(v)
				} else {
					id, err = keys.NextSequence()
					if err != nil {
						return err
					}
					if err := keys.Put(enc, binary.AppendUvarint(nil, id)); err != nil {
						return err
					}
				}
				counts[id] += n
			}
			if err := days.Put([]byte(day), encodeDay(counts)); err != nil {
				return err
			}
		}
		if imp != nil {
			ib, err := tx.CreateBucketIfNotExists(bucketImports)
			if err != nil {
				return err
			}
			v := binary.AppendUvarint(binary.AppendUvarint(nil, uint64(imp.size)), uint64(imp.lines))
			return ib.Put([]byte(imp.id), v)
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// encodeDay writes (id, count) pairs sorted by id, ids as deltas.
func encodeDay(counts map[uint64]uint64) []byte {
	ids := make([]uint64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]byte, 0, 3*len(ids))
	prev := uint64(0)
	for _, id := range ids {
		out = binary.AppendUvarint(out, id-prev)
		out = binary.AppendUvarint(out, counts[id])
		prev = id
	}
	return out
}

var errCorrupt = errors.New("corrupt counts")

func decodeDay(b []byte) (map[uint64]uint64, error) {
	counts := map[uint64]uint64{}
	prev := uint64(0)
	for len(b) > 0 {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errCorrupt
		}
		b = b[n:]
		c, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errCorrupt
		}
		b = b[n:]
		prev += d
		counts[prev] += c
	}
	return counts, nil
}

// Read adds the counts of the days since..until (YYYY-MM-DD, inclusive;
// "" for no bound) of a store file to b.
func Read(path, since, until string, b Batch) error { return read(path, since, until, b, false) }

// read adds to b per day, or per month (YYYY-MM) when months: a report
// needs no more, and a year of a large site then fits in little memory.
func read(path, since, until string, b Batch, months bool) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		keys, days := tx.Bucket(bucketKeys), tx.Bucket(bucketDays)
		if keys == nil || days == nil {
			return nil
		}
		names := map[uint64]Key{}
		err := keys.ForEach(func(k, v []byte) error {
			id, _ := binary.Uvarint(v)
			key, ok := decodeKey(string(k))
			if !ok {
				return fmt.Errorf("%s: %w", path, errCorrupt)
			}
			names[id] = key
			return nil
		})
		if err != nil {
			return err
		}
		c := days.Cursor()
		var k, v []byte
		if since != "" {
			k, v = c.Seek([]byte(since))
		} else {
			k, v = c.First()
		}
		for ; k != nil; k, v = c.Next() {
			day := string(k)
			if until != "" && day > until {
				break
			}
			counts, err := decodeDay(v)
			if err != nil {
				return fmt.Errorf("%s: day %s: %w", path, day, err)
			}
			bucket := day
			if months {
				bucket = day[:7]
			}
			for id, n := range counts {
				key, ok := names[id]
				if !ok {
					return fmt.Errorf("%s: day %s: %w", path, day, errCorrupt)
				}
				b.Add(bucket, key, n)
			}
		}
		return nil
	})
}

// Files lists the store files of a stats folder.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".db") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// Merge reads every file into one batch, per day.
func Merge(files []string, since, until string) (Batch, error) {
	return merge(files, since, until, false)
}

// MergeMonths reads every file into one batch, per month: what a report
// reads.
func MergeMonths(files []string, since, until string) (Batch, error) {
	return merge(files, since, until, true)
}

func merge(files []string, since, until string, months bool) (Batch, error) {
	b := Batch{}
	for _, f := range files {
		if err := read(f, since, until, b, months); err != nil {
			return nil, err
		}
	}
	return b, nil
}
