package pdf

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/message"

	"kb/internal/diag"
	"kb/internal/lang"
	"kb/internal/render"
	"kb/internal/site"
	"kb/internal/source"
)

//go:embed print.html
var printHTML string

//go:embed print.css
var printCSS string

var printTmpl = template.Must(template.New("print").Parse(printHTML))

// Options say what to print and where.
type Options struct {
	Site *site.Site
	CSS  template.CSS // the site's stylesheet, with its print rules
	// Out is the site folder of the generation being written: each PDF goes
	// beside its page.
	Out string
	// Cache is the folder of printed PDFs by hash (in the state folder .kb).
	Cache string
	// Chromium is the browser binary; "" looks for chromium in PATH.
	Chromium string
	// Workers is the number of tabs printing at once (default 2).
	Workers int
}

// Result lists the PDFs made.
type Result struct {
	// Files are the PDFs by the URL path of the page that links to them.
	Files map[string]*render.PDFFile
	// Printed are the site paths of the PDFs printed by this build (the
	// others came from the cache), sorted.
	Printed []string
	// Prints counts every print, the folders' contents printed alone to
	// count their pages included: 0 when nothing changed.
	Prints   int
	Problems []diag.Problem // warnings
}

// job is one PDF to write.
type job struct {
	file  string // site path
	link  string // URL path of the page linking to it
	label string // i18n key of the link text
	doc   *docView
	parts []*site.Page // a folder's pages, in order
}

// Make prints every PDF of the site into opt.Out.
func Make(ctx context.Context, opt Options) (*Result, error) {
	res := &Result{Files: map[string]*render.PDFFile{}}
	exe, err := FindChromium(opt.Chromium)
	if err != nil {
		res.Problems = append(res.Problems, diag.Problem{Level: diag.Warning, Path: "public",
			Msg:  "PDFs not made: " + err.Error(),
			Hint: "install Chromium and the Noto fonts (Debian: apt-get install chromium fonts-noto-core), or set KB_CHROMIUM to the browser; the rest of the site was built"})
		return res, nil
	}
	env, err := fingerprint(exe)
	if err != nil {
		return nil, err
	}
	c := &cache{dir: opt.Cache, env: env, used: map[string]bool{}}
	if err := c.open(); err != nil {
		return nil, err
	}
	p := &printer{exe: exe, workers: max(opt.Workers, 1)}
	if opt.Workers == 0 {
		p.workers = 2
	}
	defer p.close()
	m := &maker{opt: opt, cache: c, printer: p, res: res, counts: map[string]int{}}

	// Single pages first: the folders need their page counts.
	var singles []*job
	for _, g := range opt.Site.Groups {
		if g.Section != source.Fiches && g.Section != source.Procedures {
			continue
		}
		for _, l := range opt.Site.GroupLangs(g) {
			pg := g.Pages[l.Code]
			part, err := m.part(pg)
			if err != nil {
				return nil, err
			}
			singles = append(singles, &job{
				file: strings.TrimPrefix(pg.URL, "/") + g.Key + "-" + l.Code + ".pdf",
				link: pg.URL, label: "pdf_download",
				doc: m.doc(l, pg.Meta.Title, nil, []*partView{part}),
			})
		}
	}
	if err := m.run(ctx, singles); err != nil {
		return nil, err
	}
	folders, err := m.folders()
	if err != nil {
		return nil, err
	}
	if err := m.run(ctx, folders); err != nil {
		return nil, err
	}
	sort.Strings(res.Printed)
	c.prune()
	return res, nil
}

type maker struct {
	opt     Options
	cache   *cache
	printer *printer
	res     *Result

	mu     sync.Mutex
	counts map[string]int // page count by page URL, from its own PDF
}

// run makes the jobs, a few at a time.
func (m *maker) run(ctx context.Context, jobs []*job) error {
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, m.printer.workers)
	for i, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = m.make(ctx, j)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var problems diag.List
	for i, err := range errs {
		if err != nil {
			problems.Errorf("public/"+jobs[i].file, 0, "printing the PDF: %v", err)
		}
	}
	return problems.Err()
}

// make prints one job (through the cache) and writes it into the site.
func (m *maker) make(ctx context.Context, j *job) error {
	if len(j.parts) > 0 {
		if err := m.number(ctx, j); err != nil {
			return err
		}
	}
	html, err := render1(j.doc)
	if err != nil {
		return err
	}
	src, printed, err := m.get(ctx, html)
	if err != nil {
		return err
	}
	n, size, err := m.cache.install(src, m.opt.Out, j.file)
	if err != nil {
		return err
	}
	if len(j.parts) > 0 {
		if want := j.doc.Cover.firstPage - 1 + sum(j.doc.Cover.TOC); n != want {
			// A part broke differently inside the folder: the contents
			// would be off. Say so rather than ship wrong page numbers.
			m.warn(j.file, fmt.Sprintf("the folder has %d pages, its contents counted %d: page numbers may be off", n, want))
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if printed {
		m.res.Printed = append(m.res.Printed, j.file)
	}
	if len(j.parts) == 0 {
		m.counts[j.link] = n
	}
	m.res.Files[j.link] = &render.PDFFile{URL: "/" + j.file, Label: j.label, Pages: n, Bytes: size}
	return nil
}

func (m *maker) warn(file, msg string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.res.Problems = append(m.res.Problems, diag.Problem{Level: diag.Warning, Path: "public/" + file, Msg: msg})
}

// get returns the cached PDF of html, printing it on a miss.
func (m *maker) get(ctx context.Context, html []byte) (string, bool, error) {
	key := m.cache.key(html)
	if p, ok := m.cache.lookup(key); ok {
		return p, false, nil
	}
	data, err := m.printer.print(ctx, html)
	if err != nil {
		return "", false, err
	}
	data = fixOutline(data, headings(html))
	m.mu.Lock()
	m.res.Prints++
	m.mu.Unlock()
	p, err := m.cache.put(key, data)
	return p, true, err
}

// number fills a folder's table of contents: the cover and contents are
// printed alone (with the same entries, so the same number of lines) to
// count their pages, then each part starts after the ones before it.
func (m *maker) number(ctx context.Context, j *job) error {
	cv := j.doc.Cover
	for i := range cv.TOC {
		cv.TOC[i].Page = 999 // as wide as any real number
	}
	front := *j.doc
	front.Parts = nil
	html, err := render1(&front)
	if err != nil {
		return err
	}
	src, _, err := m.get(ctx, html)
	if err != nil {
		return err
	}
	_, n, err := readPDF(src)
	if err != nil {
		return err
	}
	cv.firstPage = n + 1
	page := n + 1
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, p := range j.parts {
		cv.TOC[i].Page = page
		cv.TOC[i].count = m.counts[p.URL]
		page += m.counts[p.URL]
	}
	return nil
}

func sum(toc []tocEntry) int {
	n := 0
	for _, e := range toc {
		n += e.count
	}
	return n
}

// folders lists the folders: all fiches for people per language, and the
// procedures of each residence status per language.
func (m *maker) folders() ([]*job, error) {
	s := m.opt.Site
	var jobs []*job
	for _, l := range s.Langs.List {
		var people []*site.Page
		for _, p := range s.Pages(l.Code, source.Fiches) {
			if p.Meta.Audience != "professionals" {
				people = append(people, p)
			}
		}
		if len(people) > 0 {
			home := "/" + l.Code + "/"
			j, err := m.folder(l, l.T("fiches"), l.T("site_tagline"), home, people)
			if err != nil {
				return nil, err
			}
			j.file = l.Code + "/fiches/fiches-" + l.Code + ".pdf"
			j.link, j.label = home, "pdf_folder"
			jobs = append(jobs, j)
		}
		for _, st := range s.Pages(l.Code, source.Residence) {
			var procs []*site.Page
			for _, p := range s.Pages(l.Code, source.Procedures) {
				if slices.Contains(p.Meta.Residence, st.Key) {
					procs = append(procs, p)
				}
			}
			if len(procs) == 0 {
				continue
			}
			j, err := m.folder(l, l.T("procedures"), st.Meta.Title, st.URL, procs)
			if err != nil {
				return nil, err
			}
			j.file = strings.TrimPrefix(st.URL, "/") + "procedures-" + st.Key + "-" + l.Code + ".pdf"
			j.link, j.label = st.URL, "pdf_status"
			jobs = append(jobs, j)
		}
	}
	return jobs, nil
}

func (m *maker) folder(l *lang.Language, title, subtitle, addr string, pages []*site.Page) (*job, error) {
	foot, err := m.foot(l, addr)
	if err != nil {
		return nil, err
	}
	cv := &coverView{Org: m.org(l), Title: title, Subtitle: subtitle, LangName: l.Name,
		Emergency: m.emergency(l), Foot: foot, Contents: l.T("pdf_contents")}
	var parts []*partView
	for _, p := range pages {
		part, err := m.part(p)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
		cv.TOC = append(cv.TOC, tocEntry{N: len(cv.TOC), Title: p.Meta.Title})
	}
	full := title
	if subtitle != "" && subtitle != l.T("site_tagline") {
		full += " — " + subtitle
	}
	return &job{doc: m.doc(l, full, cv, parts), parts: pages}, nil
}

// The views print.html sees.

type docView struct {
	Lang, Dir, Title string
	CSS, PrintCSS    template.CSS
	Cover            *coverView
	Parts            []*partView
}

type coverView struct {
	Org, Title, Subtitle, LangName string
	Emergency                      []render.Emergency
	Foot                           *footView
	Contents                       string
	TOC                            []tocEntry
	firstPage                      int // of the first part
}

type tocEntry struct {
	N     int // the part's index, for its link
	Title string
	Page  int
	count int // pages of the part
}

type partView struct {
	Lang, Dir, Org, Title, Summary, Reviewed string
	Emergency                                []render.Emergency
	Audio                                    *audioView // the page's recording, or nil
	Body                                     template.HTML
	Foot                                     *footView
}

// audioView lists a page's recording on paper: its address, to type or
// click, with what the reader needs to know before downloading it.
type audioView struct {
	Label, URL, Meta string
}

type footView struct {
	QR                     template.HTML
	Address, Scan, Contact string
	Sample                 string
}

func (m *maker) doc(l *lang.Language, title string, cv *coverView, parts []*partView) *docView {
	return &docView{Lang: l.TagString(), Dir: l.Dir, Title: title, CSS: m.opt.CSS, PrintCSS: template.CSS(printCSS), Cover: cv, Parts: parts}
}

func (m *maker) part(p *site.Page) (*partView, error) {
	l := p.Language
	foot, err := m.foot(l, p.URL)
	if err != nil {
		return nil, err
	}
	v := &partView{Lang: l.TagString(), Dir: l.Dir, Org: m.org(l), Title: p.Meta.Title, Summary: p.Meta.Summary,
		Emergency: m.emergency(l), Body: absLinks(p.Body, m.opt.Site.Settings.BaseURL), Foot: foot}
	if !p.Meta.Reviewed.IsZero() {
		v.Reviewed = l.T("last_reviewed", "date", l.FormatDate(p.Meta.Reviewed))
	}
	if a := p.Audio; a != nil {
		size := l.T("megabytes", "n", message.NewPrinter(l.Tag).Sprintf("%.1f", float64(a.Size)/1e6))
		v.Audio = &audioView{Label: l.T("listen"), URL: m.opt.Site.Settings.BaseURL + a.URL,
			Meta: a.Name + ", " + site.Clock(a.Duration) + ", " + size}
	}
	return v, nil
}

// org is the organisation's name, or the site's when site.toml has none.
func (m *maker) org(l *lang.Language) string {
	if o := m.opt.Site.Settings.Organisation; o != "" {
		return o + " — " + l.T("site_name")
	}
	return l.T("site_name")
}

func (m *maker) emergency(l *lang.Language) []render.Emergency {
	var out []render.Emergency
	for _, e := range m.opt.Site.Settings.Emergency {
		out = append(out, render.Emergency{Number: e.Number, Label: l.T(e.Label)})
	}
	return out
}

func (m *maker) foot(l *lang.Language, urlPath string) (*footView, error) {
	st := m.opt.Site.Settings
	addr := st.BaseURL + urlPath
	qr, err := qrSVG(addr, addr)
	if err != nil {
		return nil, fmt.Errorf("QR code of %s: %w", addr, err)
	}
	f := &footView{QR: qr, Address: l.T("printed_from", "url", "\u2066"+addr+"\u2069"), Scan: l.T("pdf_scan")}
	var contact []string
	for _, c := range []string{st.Organisation, st.ContactEmail, st.ContactPhone} {
		if c != "" {
			contact = append(contact, "\u2066"+c+"\u2069")
		}
	}
	if len(contact) > 0 {
		f.Contact = l.T("contact") + ": " + strings.Join(contact, " · ")
	}
	if st.Sample {
		f.Sample = l.T("sample_notice")
	}
	return f, nil
}

// absLinks makes the body's site links absolute: on paper and in a file
// sent on, "/fr/..." leads nowhere.
func absLinks(body template.HTML, base string) template.HTML {
	return template.HTML(strings.ReplaceAll(string(body), `href="/`, `href="`+base+"/"))
}

func render1(v *docView) ([]byte, error) {
	var b bytes.Buffer
	if err := printTmpl.ExecuteTemplate(&b, "doc", v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
