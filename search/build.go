package search

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/keyword" // keyword fields
	"github.com/blevesearch/bleve/v2/mapping"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// Doc is one page of one language, as the index sees it.
type Doc struct {
	ID       string // unique, e.g. "fr:fiches/urgent-medical-aid"
	Lang     string // kb language code, e.g. "fr", "prs"
	URL      string // site path, e.g. "/fr/fiches/urgent-medical-aid/"
	Section  string // fiches | procedures | news | topics | residence
	Title    string // plain text, as are Summary, Headings and Body
	Summary  string
	Headings string
	Body     string

	Topics    []string
	Residence []string
	Audience  string // people | professionals | ""
	Reviewed  string // YYYY-MM-DD or ""
	Date      string // news date YYYY-MM-DD or ""
}

// Field names in the index.
const (
	fTitle     = "title"
	fSummary   = "summary"
	fHeadings  = "headings"
	fBody      = "body"
	fSection   = "section"
	fTopics    = "topics"
	fAudience  = "audience"
	fLang      = "lang"
	fResidence = "residence"
	fURL       = "url"
	fReviewed  = "reviewed"
	fDate      = "date"
	fExcerpt   = "excerpt" // the start of the body, for snippets: excerpt.go
)

// textFields are searched, with their boosts.
var textFields = []struct {
	name  string
	boost float64
}{{fTitle, 3}, {fSummary, 2}, {fHeadings, 2}, {fBody, 1}}

const (
	synonymsFile = "synonyms.json"
	indexExt     = ".bleve"
	batchSize    = 200 // Builder batch: the notes' best peak memory for the same time
)

// Build writes one index per language found in docs, dir/<lang>.bleve, and
// the synonyms, dir/synonyms.json. dir is created if needed and must not
// hold an index of the same language already. Languages are built in
// parallel, at most GOMAXPROCS at once; the documents of a language are
// indexed in ID order, so the same docs give the same search results.
// All problems with docs are reported together.
func Build(dir string, docs []Doc, syn Synonyms) error {
	byLang := map[string][]Doc{}
	var errs []error
	seen := map[string]bool{}
	for _, d := range docs {
		switch {
		case d.ID == "":
			errs = append(errs, fmt.Errorf("search: document with URL %q has no ID", d.URL))
			continue
		case seen[d.ID]:
			errs = append(errs, fmt.Errorf("search: duplicate document ID %q", d.ID))
			continue
		case !validLang(d.Lang):
			errs = append(errs, fmt.Errorf("search: document %q: invalid language code %q", d.ID, d.Lang))
			continue
		}
		seen[d.ID] = true
		byLang[d.Lang] = append(byLang[d.Lang], d)
	}
	if err := checkSynonyms(syn); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	langs := make([]LangDocs, 0, len(byLang))
	for l, ds := range byLang {
		slices.SortFunc(ds, func(a, b Doc) int { return strings.Compare(a.ID, b.ID) })
		ld := LangDocs{Lang: l, Docs: docsOf(ds)}
		for _, d := range ds {
			ld.Size += int64(len(d.Body) + len(d.Title) + len(d.Summary) + len(d.Headings))
		}
		langs = append(langs, ld)
	}
	return BuildLangs(dir, langs, syn)
}

// LangDocs are the documents of one language, given one at a time: a
// caller that keeps their text elsewhere (kb build reads it back from
// disk) holds only the documents being indexed, never a whole language.
type LangDocs struct {
	Lang string
	// Size is about how much text the documents hold: the largest
	// languages are built first. It changes no result.
	Size int64
	// Docs yields the documents in strictly increasing ID order, each of
	// language Lang; an error stops the language's build.
	Docs iter.Seq2[Doc, error]
}

// BuildLangs is Build for documents given one at a time, a language at a
// time: the same indexes for the same documents. Each language must have
// at least one document. The documents are checked as they come (an ID,
// the language, the order), and the first problem of each language is
// reported.
func BuildLangs(dir string, langs []LangDocs, syn Synonyms) error {
	var errs []error
	seen := map[string]bool{}
	for _, l := range langs {
		switch {
		case !validLang(l.Lang):
			errs = append(errs, fmt.Errorf("search: invalid language code %q", l.Lang))
		case seen[l.Lang]:
			errs = append(errs, fmt.Errorf("search: language %q given twice", l.Lang))
		}
		seen[l.Lang] = true
	}
	if err := checkSynonyms(syn); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}

	// Largest languages first: with fewer workers than languages, a big one
	// started last would run alone at the end while the other cores idle.
	langs = slices.Clone(langs)
	slices.SortFunc(langs, func(a, b LangDocs) int {
		if a.Size != b.Size {
			return cmp.Compare(b.Size, a.Size)
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	errs = make([]error, len(langs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(langs)) {
		wg.Go(func() {
			for i := range work {
				errs[i] = buildLang(dir, langs[i].Lang, checked(langs[i]))
			}
		})
	}
	for i := range langs {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	if syn == nil {
		syn = Synonyms{}
	}
	b, err := json.MarshalIndent(syn, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, synonymsFile), append(b, '\n'), 0o644)
}

// checked yields l's documents, or an error for the first that has no ID,
// is of another language or is not after the one before it.
func checked(l LangDocs) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		prev := ""
		for d, err := range l.Docs {
			switch {
			case err != nil:
			case d.ID == "":
				err = fmt.Errorf("search: document with URL %q has no ID", d.URL)
			case d.Lang != l.Lang:
				err = fmt.Errorf("search: document %q: language %q in the documents of %q", d.ID, d.Lang, l.Lang)
			case prev != "" && d.ID <= prev:
				err = fmt.Errorf("search: document %q: not after %q (duplicate or out of order)", d.ID, prev)
			}
			prev = d.ID
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

func checkSynonyms(syn Synonyms) error {
	var errs []error
	for lang, groups := range syn {
		if !validLang(lang) {
			errs = append(errs, fmt.Errorf("search: synonyms: invalid language code %q", lang))
		}
		for i, g := range groups {
			if len(g) < 2 {
				errs = append(errs, fmt.Errorf("search: synonyms %s: group %d has fewer than two terms", lang, i+1))
			}
		}
	}
	return errors.Join(errs...)
}

// docsOf yields docs, for buildLang.
func docsOf(docs []Doc) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// The files of an index the Builder writes: its metadata, the root that
// names its one segment (and holds the mapping), and that segment. Update
// relies on this layout and checks it.
var builderFiles = []string{"index_meta.json", "store/root.bolt", "store/000000000002.zap"}

// Update writes dir/<lang>.bleve as Build would for the documents of the
// index base (a <lang>.bleve folder Build or Update wrote, of the same
// language, with this package's mapping) less those whose IDs are in drop,
// plus docs. base is only read. The documents of docs are indexed with the
// Builder alone, then merged with base's segment, the dropped documents
// left out, into one segment, as Build's own last step merges its batches:
// the index holds exactly the terms of its documents, so every query, the
// typo retry's term expansion included, scores as on a Build of the same
// documents. Only the order of documents inside the segment differs, which
// no result shows (ties are sorted by ID). It fails, writing nothing in
// dir but a partial <lang>.bleve the caller removes, when base is not in
// the Builder's layout.
func Update(dir, lang, base string, drop []string, docs []Doc) (err error) {
	if !validLang(lang) {
		return fmt.Errorf("search: update: invalid language code %q", lang)
	}
	seen := map[string]bool{}
	for _, d := range docs {
		switch {
		case d.Lang != lang:
			return fmt.Errorf("search: update %s: document %q is in %q", lang, d.ID, d.Lang)
		case d.ID == "" || seen[d.ID]:
			return fmt.Errorf("search: update %s: empty or duplicate document ID %q", lang, d.ID)
		}
		seen[d.ID] = true
	}
	n := 0
	err = filepath.WalkDir(base, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		if !slices.Contains(builderFiles, filepath.ToSlash(rel)) {
			return fmt.Errorf("search: update %s: %s is not an index the Builder wrote (%s)", lang, base, rel)
		}
		n++
		return nil
	})
	if err == nil && n != len(builderFiles) {
		err = fmt.Errorf("search: update %s: %s is not an index the Builder wrote", lang, base)
	}
	if err != nil {
		return err
	}
	path := filepath.Join(dir, lang+indexExt)
	if err := os.MkdirAll(filepath.Join(path, "store"), 0o755); err != nil {
		return err
	}
	zp := &zap.ZapPlugin{}
	old, err := zp.Open(filepath.Join(base, builderFiles[2]))
	if err != nil {
		return fmt.Errorf("search: update %s: %w", lang, err)
	}
	segs := []segment.Segment{old}
	defer func() {
		for _, s := range segs {
			if cerr := s.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
	}()
	dropped, err := old.DocNumbers(drop)
	if err != nil {
		return fmt.Errorf("search: update %s: %w", lang, err)
	}
	drops := []*roaring.Bitmap{dropped}
	if len(docs) > 0 {
		tmp, err := os.MkdirTemp(dir, "update-"+lang+"-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		docs = slices.Clone(docs)
		slices.SortFunc(docs, func(a, b Doc) int { return strings.Compare(a.ID, b.ID) })
		if err := buildLang(tmp, lang, docsOf(docs)); err != nil {
			return err
		}
		added, err := zp.Open(filepath.Join(tmp, lang+indexExt, builderFiles[2]))
		if err != nil {
			return fmt.Errorf("search: update %s: %w", lang, err)
		}
		segs = append(segs, added)
		drops = append(drops, nil)
	}
	// The metadata and root depend only on the mapping (the root names the
	// segment by its fixed file name): base's are this index's.
	for _, f := range builderFiles[:2] {
		if err := copyFile(filepath.Join(base, f), filepath.Join(path, f)); err != nil {
			return err
		}
	}
	if _, _, err := zp.Merge(segs, drops, filepath.Join(path, builderFiles[2]), nil, nil); err != nil {
		return fmt.Errorf("search: update %s: %w", lang, err)
	}
	return canonicalSections(filepath.Join(path, builderFiles[2]))
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// indexDoc is what the Builder indexes for one Doc. bleve walks a struct's
// fields in their declared order but a map's keys in Go's random map order,
// and the order a document's fields come in is the order of the field
// numbers in the segment and of its stored values: a map made two builds of
// the same documents differ in bytes (never in results). A nil field is not
// indexed at all, as an absent map key was not.
type indexDoc struct {
	Lang      any `json:"lang"`
	Title     any `json:"title"`
	Summary   any `json:"summary"`
	Headings  any `json:"headings"`
	Body      any `json:"body"`
	Section   any `json:"section"`
	Audience  any `json:"audience"`
	URL       any `json:"url"`
	Reviewed  any `json:"reviewed"`
	Date      any `json:"date"`
	Excerpt   any `json:"excerpt"`
	Topics    any `json:"topics"`
	Residence any `json:"residence"`
}

func docFields(d Doc) *indexDoc {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	list := func(s []string) any {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	return &indexDoc{
		Lang: d.Lang, Title: str(d.Title), Summary: str(d.Summary), Headings: str(d.Headings),
		Body: str(d.Body), Section: str(d.Section), Audience: str(d.Audience), URL: str(d.URL),
		Reviewed: str(d.Reviewed), Date: str(d.Date), Excerpt: str(excerpt(d.Body)),
		Topics: list(d.Topics), Residence: list(d.Residence),
	}
}

// newMapping is the mapping of one language's index: no dynamic fields, the
// language's analyzer as default, text fields with term vectors (phrases and
// highlighting) except the body, keyword fields for filters and facets. The
// body's term vectors and stored text were 70% of the index: it is indexed
// only, and its snippets come from the stored excerpt (excerpt.go).
func newMapping(lang string) *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = analyzerFor(lang)
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	text := func(store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	keyword := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := keyword(true, false)
		f.Index = false
		return f
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fTitle, text(true, true))
	dm.AddFieldMappingsAt(fSummary, text(true, true))
	dm.AddFieldMappingsAt(fHeadings, text(false, true))
	dm.AddFieldMappingsAt(fBody, text(false, false))
	dm.AddFieldMappingsAt(fSection, keyword(true, true))
	dm.AddFieldMappingsAt(fTopics, keyword(false, true))
	dm.AddFieldMappingsAt(fAudience, keyword(false, true))
	dm.AddFieldMappingsAt(fLang, keyword(true, false))
	dm.AddFieldMappingsAt(fResidence, keyword(false, false))
	dm.AddFieldMappingsAt(fURL, stored())
	dm.AddFieldMappingsAt(fReviewed, stored())
	dm.AddFieldMappingsAt(fDate, stored())
	dm.AddFieldMappingsAt(fExcerpt, stored())
	im.DefaultMapping = dm
	return im
}

// validLang accepts kb language codes ("fr", "prs") and simple BCP 47 style
// tags; they become file names, so nothing else is allowed.
func validLang(s string) bool {
	if len(s) < 2 || len(s) > 16 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
		case i > 0 && (r == '-' || r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return !strings.HasSuffix(s, "-")
}
