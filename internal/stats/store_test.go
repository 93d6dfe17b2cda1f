package stats

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"kb/internal/build"
	"kb/internal/sitetest"
)

// testPaths loads the build fixture site (no build, no index).
func testPaths(t testing.TB) *Paths {
	t.Helper()
	data, err := os.ReadFile("../build/testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.Write(t, string(data))
	res, err := build.Load(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return NewPaths(res.Site)
}

// events makes n random counts over a few days.
func events(n int) []struct {
	day string
	key Key
} {
	r := rand.New(rand.NewPCG(1, 2))
	keys := []Key{
		{Visit, "fr", "fiches", "fiches/urgent-care"},
		{Visit, "en", "fiches", "fiches/urgent-care"},
		{Visit, "fr", "home", "home"},
		{Search, "fr", Exact, "aide"},
		{Search, "ti", None, "ሕክምና"},
		{NL, "nl", "2025-03", "news/x"},
		{Other, "", Bot, ""},
	}
	out := make([]struct {
		day string
		key Key
	}, n)
	for i := range out {
		out[i].day = fmt.Sprintf("2025-0%d-1%d", 1+r.IntN(3), r.IntN(10))
		out[i].key = keys[r.IntN(len(keys))]
	}
	return out
}

func TestMergeTwoStoresEqualsOne(t *testing.T) {
	dir := t.TempDir()
	one, err := OpenNamed(dir, "one")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := OpenNamed(filepath.Join(dir, "split"), "a")
	b, _ := OpenNamed(filepath.Join(dir, "split"), "b")
	all, half := Batch{}, [2]Batch{{}, {}}
	for i, e := range events(5000) {
		all.Add(e.day, e.key, 1)
		half[i%2].Add(e.day, e.key, 1)
		if i%1000 == 999 { // several flushes, as a server does
			for _, w := range []struct {
				st *Store
				b  Batch
			}{{one, all}, {a, half[0]}, {b, half[1]}} {
				if err := w.st.Write(w.b, nil); err != nil {
					t.Fatal(err)
				}
			}
			all, half = Batch{}, [2]Batch{{}, {}}
		}
	}
	want, err := Merge([]string{one.Path}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := Files(filepath.Join(dir, "split"))
	if len(files) != 2 {
		t.Fatalf("files %v", files)
	}
	got, err := Merge(files, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("two stores merged differ from one (-one +two):\n%s", diff)
	}
	var total uint64
	for _, m := range got {
		for _, n := range m {
			total += n
		}
	}
	if total != 5000 {
		t.Errorf("total %d, want 5000", total)
	}
	// A report from counts per month is the report from counts per day.
	months, err := MergeMonths(files, "2025-01-12", "2025-03-15")
	if err != nil {
		t.Fatal(err)
	}
	days, _ := Merge(files, "2025-01-12", "2025-03-15")
	opt := Options{Since: "2025-01-12", Until: "2025-03-15"}
	if diff := cmp.Diff(NewReport(days, opt), NewReport(months, opt)); diff != "" {
		t.Errorf("report per month differs (-days +months):\n%s", diff)
	}
	// The period bounds are inclusive days.
	part, _ := Merge(files, "2025-02-01", "2025-02-28")
	for day := range part {
		if day < "2025-02-01" || day > "2025-02-28" {
			t.Errorf("day %s outside the period", day)
		}
	}
	if len(part) == 0 {
		t.Error("no day in February")
	}
}

func TestOpenServerSlots(t *testing.T) {
	dir := t.TempDir()
	s1, err := OpenServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := OpenServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(s1.Path) != "serve-1.db" || filepath.Base(s2.Path) != "serve-2.db" {
		t.Errorf("slots %s %s", s1.Path, s2.Path)
	}
	s1.Close()
	s3, err := OpenServer(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s3.Path != s1.Path {
		t.Errorf("a freed slot is reused: got %s, want %s", s3.Path, s1.Path)
	}
	s2.Close()
	s3.Close()
}

func TestCounterFlush(t *testing.T) {
	st, _ := OpenNamed(t.TempDir(), "c")
	day := time.Date(2025, 3, 31, 23, 59, 0, 0, time.UTC)
	now := day
	c := NewCounter(st, func() time.Time { return now })
	k := Key{Visit, "fr", "home", "home"}
	c.Add(k)
	c.Add(k)
	now = day.Add(2 * time.Minute) // the next day
	c.Add(k)
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil { // nothing pending: no write
		t.Fatal(err)
	}
	c.Add(k)
	c.Flush()
	got, _ := Merge([]string{st.Path}, "", "")
	want := Batch{"2025-03-31": {k: 2}, "2025-04-01": {k: 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// BenchmarkYear writes a simulated year, 365 days of 2,000 pages in 15
// languages all visited every day, one write per day, and reports the
// store's size.
func BenchmarkYear(b *testing.B) {
	for range b.N {
		st, _ := OpenNamed(b.TempDir(), "year")
		langs := []string{"fr", "nl", "en", "ar", "es", "pt", "tr", "ru", "uk", "ro", "sq", "fa", "prs", "ps", "ti"}
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		r := rand.New(rand.NewPCG(3, 4))
		for d := range 365 {
			day := start.AddDate(0, 0, d).Format(time.DateOnly)
			batch := Batch{}
			for p := range 2000 {
				for _, l := range langs {
					batch.Add(day, Key{Visit, l, "fiches", fmt.Sprintf("fiches/page-number-%04d", p)}, uint64(1+r.IntN(40)))
				}
			}
			if err := st.Write(batch, nil); err != nil {
				b.Fatal(err)
			}
			if os.Getenv("KB_YEAR_LOG") != "" && d%30 == 0 {
				fi, _ := os.Stat(st.Path)
				fmt.Fprintf(os.Stderr, "day %d: %s, %d bytes\n", d, time.Now().Format(time.TimeOnly), fi.Size())
			}
		}
		fi, err := os.Stat(st.Path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fi.Size())/1e6, "MB")
	}
}

// BenchmarkCountRequest is the work counting adds to one request: the bot
// check, the page lookup and the increment.
func BenchmarkCountRequest(b *testing.B) {
	paths := testPaths(b)
	st, _ := OpenNamed(b.TempDir(), "bench")
	c := NewCounter(st, nil)
	const ua = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if IsBot(ua) {
				b.Fatal("bot")
			}
			pg, _, ok := paths.Classify("/fr/fiches/aide-medicale-urgente/", 200)
			if !ok {
				b.Fatal("not a page")
			}
			c.Add(Key{Visit, pg.Lang, pg.Kind, pg.Item})
		}
	})
}
