package search

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// benchCorpus returns n docs made from the Markdown that the team's corpus
// generator writes (KB_GENCORPUS, default /work/shared/bench/gencorpus.py);
// without python3 or the script, from pseudo-words generated here.
func benchCorpus(b *testing.B, n int) []Doc {
	b.Helper()
	script := os.Getenv("KB_GENCORPUS")
	if script == "" {
		script = "/work/shared/bench/gencorpus.py"
	}
	dir := b.TempDir()
	if _, err := os.Stat(script); err == nil {
		out, err := exec.Command("python3", script, dir, fmt.Sprint(n)).CombinedOutput()
		if err == nil {
			return readCorpus(b, filepath.Join(dir, "content"))
		}
		b.Logf("gencorpus: %v\n%s", err, out)
	}
	b.Log("using the built-in synthetic corpus")
	return syntheticCorpus(n)
}

var (
	mdLink  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdTable = regexp.MustCompile(`^\|[-| ]+\|$`)
)

// readCorpus reads content/<section>/<key>/<lang>.md crudely: frontmatter
// key: value lines, headings, and the body with Markdown marks removed.
func readCorpus(b *testing.B, root string) []Doc {
	var docs []Doc
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		parts := strings.Split(filepath.ToSlash(rel), "/") // section, key, lang.md
		lang := strings.TrimSuffix(parts[2], ".md")
		doc := Doc{
			ID: lang + ":" + parts[0] + "/" + parts[1], Lang: lang, Section: parts[0],
			URL: "/" + lang + "/" + parts[0] + "/" + parts[1] + "/",
		}
		fm, body, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		for _, line := range strings.Split(fm, "\n") {
			k, v, _ := strings.Cut(line, ": ")
			v = strings.Trim(v, `"`)
			list := strings.Split(strings.Trim(v, "[]"), ", ")
			switch k {
			case "title":
				doc.Title = v
			case "summary":
				doc.Summary = v
			case "topics":
				doc.Topics = list
			case "residence":
				doc.Residence = list
			case "audience":
				doc.Audience = v
			case "reviewed":
				doc.Reviewed = v
			case "date":
				doc.Date = v
			}
		}
		var heads, text []string
		for _, line := range strings.Split(body, "\n") {
			switch {
			case strings.HasPrefix(line, "## "):
				heads = append(heads, line[3:])
			case mdTable.MatchString(line):
			default:
				line = strings.TrimPrefix(line, "- ")
				line = strings.ReplaceAll(line, "|", " ")
				text = append(text, mdLink.ReplaceAllString(line, "$1"))
			}
		}
		doc.Headings = strings.Join(heads, "\n")
		doc.Body = strings.Join(text, "\n")
		docs = append(docs, doc)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return docs
}

func syntheticCorpus(n int) []Doc {
	rng := rand.New(rand.NewPCG(1, 2))
	langs := []string{"fr", "nl", "en", "ar", "ru", "tr", "ti"}
	alpha := map[string][]rune{"ar": []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"), "ru": []rune("абвгдежзийклмнопрстуфхцчшщыьэюя"),
		"ti": []rune("ሀለሐመረሰሸቀበተቸነአከወዐዘየደገጠጸፈፐ"), "": []rune("abcdefghijklmnopqrstuvwxyzéèàçıöü")}
	words := func(lang string, k int) string {
		a := alpha[lang]
		if a == nil {
			a = alpha[""]
		}
		var ws []string
		for range k {
			w := make([]rune, 2+rng.IntN(9))
			for i := range w {
				w[i] = a[rng.IntN(len(a))]
			}
			ws = append(ws, string(w))
		}
		return strings.Join(ws, " ")
	}
	var docs []Doc
	for i := range n {
		l := langs[i%len(langs)]
		docs = append(docs, Doc{
			ID: fmt.Sprintf("%s:fiches/f%05d", l, i), Lang: l, URL: fmt.Sprintf("/%s/fiches/f%05d/", l, i), Section: "fiches",
			Title: words(l, 2+rng.IntN(5)), Summary: words(l, 12), Headings: words(l, 10), Body: words(l, 300+rng.IntN(600)),
			Topics: []string{"access-to-care"}, Audience: "people",
		})
	}
	return docs
}

// benchQueries draws queries from titles: exact (1 or 2 words of one
// title), typo (one word of 5+ runes with two letters swapped) and fallback
// (a Russian title word searched in Arabic, which cannot match).
func benchQueries(docs []Doc) map[string][]Request {
	rng := rand.New(rand.NewPCG(3, 4))
	titleWords := func(lang string) [][]string {
		var out [][]string
		for _, d := range docs {
			if d.Lang == lang {
				if c, err := CleanQuery(d.Title); err == nil && c != "" {
					out = append(out, strings.Fields(c))
				}
			}
		}
		return out
	}
	fr, ru := titleWords("fr"), titleWords("ru")
	if len(ru) == 0 {
		ru = titleWords("ti")
	}
	q := map[string][]Request{}
	for len(q["exact"]) < 200 {
		t := fr[rng.IntN(len(fr))]
		i := rng.IntN(len(t))
		s := t[i]
		if i+1 < len(t) && rng.IntN(2) == 0 {
			s += " " + t[i+1]
		}
		q["exact"] = append(q["exact"], Request{Lang: "fr", Query: s})
	}
	for len(q["typo"]) < 200 {
		t := fr[rng.IntN(len(fr))]
		w := []rune(t[rng.IntN(len(t))])
		if len(w) < 5 {
			continue
		}
		i := 1 + rng.IntN(len(w)-3)
		w[i], w[i+1] = w[i+1], w[i]
		q["typo"] = append(q["typo"], Request{Lang: "fr", Query: string(w)})
	}
	// A reader's question: question words around four to six words of a
	// title, one of them replaced by a word no page uses.
	for len(q["question"]) < 200 {
		t := fr[rng.IntN(len(fr))]
		if len(t) < 4 {
			continue
		}
		ws := slices.Clone(t[:min(len(t), 4+rng.IntN(3))])
		ws[rng.IntN(len(ws))] = "gratuitement"
		q["question"] = append(q["question"], Request{Lang: "fr", Query: "comment je peux " + strings.Join(ws, " ")})
	}
	for len(q["fallback"]) < 200 {
		t := ru[rng.IntN(len(ru))]
		q["fallback"] = append(q["fallback"], Request{Lang: "ar", Query: t[rng.IntN(len(t))]})
	}
	return q
}

// BenchmarkSearch measures whole searches (all stages, a page of 10 with
// snippets and facets) on an index of the 1,000-page corpus.
func BenchmarkSearch(b *testing.B) {
	docs := benchCorpus(b, 1000)
	ix, _ := buildIndex(b, docs, Synonyms{"fr": {{"AMU", "aide médicale urgente"}}})
	queries := benchQueries(docs)
	for _, name := range []string{"exact", "typo", "question", "fallback"} {
		b.Run(name, func(b *testing.B) {
			qs := queries[name]
			for _, q := range qs { // warm up: page in the index, as a running server has
				if _, err := ix.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
			var times []time.Duration
			zero, fuzzy, fallback := 0, 0, 0
			i := 0
			for b.Loop() {
				start := time.Now()
				r, err := ix.Search(context.Background(), qs[i%len(qs)])
				times = append(times, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if r.Total == 0 {
					zero++
				}
				if r.Fuzzy {
					fuzzy++
				}
				if r.Fallback {
					fallback++
				}
				i++
			}
			slices.Sort(times)
			ms := func(p float64) float64 {
				return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			n := float64(len(times))
			b.ReportMetric(100*float64(zero)/n, "zero-hit-%")
			b.ReportMetric(100*float64(fuzzy)/n, "fuzzy-%")
			b.ReportMetric(100*float64(fallback)/n, "fallback-%")
		})
	}
}

// BenchmarkSearchParallel measures throughput: exact searches from
// GOMAXPROCS goroutines, in queries per second.
func BenchmarkSearchParallel(b *testing.B) {
	docs := benchCorpus(b, 1000)
	ix, _ := buildIndex(b, docs, nil)
	qs := benchQueries(docs)["exact"]
	for _, q := range qs {
		if _, err := ix.Search(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
	var next atomic.Int64
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			q := qs[int(next.Add(1))%len(qs)]
			if _, err := ix.Search(context.Background(), q); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "q/s")
}

// BenchmarkBuild measures Build of the 1,000-page corpus in 15 languages.
func BenchmarkBuild(b *testing.B) {
	docs := benchCorpus(b, 1000)
	var size int64
	for b.Loop() {
		dir, err := os.MkdirTemp(b.TempDir(), "idx")
		if err != nil {
			b.Fatal(err)
		}
		if err := Build(dir, docs, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		size = 0
		filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
			if info, err := d.Info(); err == nil && !d.IsDir() {
				size += info.Size()
			}
			return nil
		})
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(size)/(1<<20), "index-MB")
	b.ReportMetric(float64(len(docs)), "docs")
}

// BenchmarkOpen measures Open and Close of the 15 indexes of the corpus,
// what a server pays at start and at each swap.
func BenchmarkOpen(b *testing.B) {
	docs := benchCorpus(b, 1000)
	dir := b.TempDir()
	if err := Build(dir, docs, nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ix, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}
