package browsertest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"kb/internal/build"
	"kb/internal/serve"
	"kb/internal/site"
	"kb/internal/sitetest"
)

// langs are the languages every page kind is checked in: the two national
// languages, English, two right-to-left ones, and Tigrinya (Ge'ez script,
// long words).
var langs = []string{"fr", "nl", "en", "ar", "fa", "ti"}

// Viewport of a cheap phone, in CSS pixels.
const width, height = 360, 640

// env is what the tests share: the built site, its server and one browser
// tab. It is set up once, by the first test that needs it.
type env struct {
	dir     string // temporary folder: site copy, output, browser profile
	res     *build.Result
	srv     *httptest.Server
	host    string // host:port of the server
	pages   []target
	browser context.Context // the browser's first tab, with checks.js and axe
	cancel  []func()

	mu       sync.Mutex
	requests []request
	problems []string // console errors, CSP violations, exceptions
}

// target is a page to check.
type target struct {
	Name     string // kind/lang, e.g. "fiche/ar"
	Kind     string
	Lang     string
	Dir      string // the language's direction: ltr or rtl
	Path     string
	Reviewed string // the last-reviewed line, for pages that have one
}

type request struct {
	URL  string
	Type network.ResourceType
}

var (
	setupOnce sync.Once
	shared    *env
	setupErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.close()
	}
	os.Exit(code)
}

// need returns the shared environment, setting it up on first use. It skips
// the test unless KB_BROWSER=1, and fails it when the setup failed.
func need(t *testing.T) *env {
	t.Helper()
	if os.Getenv("KB_BROWSER") != "1" {
		t.Skip("browser tests: set KB_BROWSER=1 (after scripts/browser-deps.sh)")
	}
	setupOnce.Do(func() {
		shared, setupErr = setup()
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
	return shared
}

func setup() (_ *env, err error) {
	chromium := os.Getenv("KB_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		return nil, fmt.Errorf("no browser at %s: run scripts/browser-deps.sh (or set KB_CHROMIUM)", chromium)
	}
	axe, err := os.ReadFile(filepath.Join("testdata", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return nil, fmt.Errorf("no axe-core: run scripts/browser-deps.sh (%v)", err)
	}
	checks, err := os.ReadFile(filepath.Join("testdata", "checks.js"))
	if err != nil {
		return nil, err
	}

	e := &env{}
	if e.dir, err = os.MkdirTemp("", "kb-browsertest-"); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			e.close()
		}
	}()

	// Build the site (a copy, so nothing is written into the repository).
	src := os.Getenv("KB_BROWSER_SITE")
	if src == "" {
		src = sitetest.Root()
	}
	siteDir := filepath.Join(e.dir, "site")
	for _, d := range []string{"content", "templates", "i18n"} {
		if err := sitetest.CopyDir(filepath.Join(src, d), filepath.Join(siteDir, d)); err != nil {
			return nil, err
		}
	}
	e.res, err = build.Build(context.Background(), build.Options{Site: siteDir, Out: filepath.Join(siteDir, "public")})
	if err != nil {
		return nil, fmt.Errorf("the site does not build: %v", err)
	}
	st, err := serve.NewState(e.res.Generation, e.res.Renderer)
	if err != nil {
		return nil, err
	}
	srv := &serve.Server{}
	srv.Swap(st)
	e.srv = httptest.NewServer(srv)
	e.cancel = append(e.cancel, e.srv.Close, func() { st.Close() })
	u, _ := url.Parse(e.srv.URL)
	e.host = u.Host
	if e.pages, err = pickPages(e.res.Site); err != nil {
		return nil, err
	}

	// One browser, quiet: this machine's network is closed.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(filepath.Join(e.dir, "profile")),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "en-US"),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	e.cancel = append(e.cancel, acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	e.cancel = append(e.cancel, bcancel)
	e.browser = bctx
	if err := chromedp.Do(bctx); err != nil {
		return nil, fmt.Errorf("start %s: %v", chromium, err)
	}
	if err := chromedp.Listen(bctx, e.listen); err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(bctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: string(axe) + "\n;" + string(checks),
	}); err != nil {
		return nil, err
	}
	if err := chromedp.Do(bctx, phone(1)); err != nil {
		return nil, err
	}
	return e, nil
}

// phone sets the viewport to 360×640 CSS pixels at a device pixel ratio.
func phone(scale float64) chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulateScale(scale))
}

func (e *env) close() {
	for _, cancel := range slices.Backward(e.cancel) {
		cancel()
	}
	e.cancel = nil
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}

// listen records the requests and the errors of the tab. It runs in the
// tab's event loop: it must return fast.
func (e *env) listen(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		e.requests = append(e.requests, request{ev.Request.URL, ev.Type})
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError && ev.Entry.Source != log.EntrySourceNetwork {
			e.problems = append(e.problems, fmt.Sprintf("console (%s): %s", ev.Entry.Source, ev.Entry.Text))
		}
	case *runtime.EventExceptionThrown:
		e.problems = append(e.problems, "exception: "+ev.ExceptionDetails.Text)
	}
}

// drain returns and forgets what listen recorded.
func (e *env) drain() ([]request, []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, p := e.requests, e.problems
	e.requests, e.problems = nil, nil
	return r, p
}

// url makes an absolute URL of a site path.
func (e *env) url(p string) string { return e.srv.URL + p }

// tab opens a new tab in the shared browser, at the phone's size, for the
// test; it closes when the test ends.
func (e *env) tab(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(e.browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, phone(1)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// pickPages chooses the pages to check: in each language of langs, one page
// of every kind the language has, preferring the groups translated the most
// (the fiches people share); and the language chooser.
func pickPages(s *site.Site) ([]target, error) {
	var out []target
	best := func(section string) *site.Group {
		var g *site.Group
		for _, x := range s.SectionGroups(section) {
			if g == nil || len(x.Pages) > len(g.Pages) {
				g = x
			}
		}
		return g
	}
	pageIn := func(section, code string) *site.Page {
		if g := best(section); g != nil && g.Pages[code] != nil {
			return g.Pages[code]
		}
		if ps := s.Pages(code, section); len(ps) > 0 {
			return ps[0]
		}
		return nil
	}
	for _, code := range langs {
		l := s.Langs.Get(code)
		if l == nil {
			return nil, fmt.Errorf("the site has no language %s", code)
		}
		add := func(kind, path string, p *site.Page) {
			tg := target{Name: kind + "/" + code, Kind: kind, Lang: code, Dir: l.Dir, Path: path}
			if p != nil {
				if d := p.Reviewed(); !d.IsZero() {
					tg.Reviewed = l.T("last_reviewed", "date", l.FormatDate(d))
				}
			}
			out = append(out, tg)
		}
		add("home", "/"+code+"/", nil)
		for _, k := range []struct{ kind, section string }{
			{"fiche", "fiches"}, {"procedure", "procedures"}, {"topic", "topics"}, {"residence", "residence"},
		} {
			if p := pageIn(k.section, code); p != nil {
				add(k.kind, p.URL, p)
			}
		}
		add("news-list", "/"+code+"/news/", nil)
		if news := s.News(code); len(news) > 0 {
			add("news-item", news[0].URL, news[0])
		}
		add("a-z", "/"+code+"/a-z/", nil)
		if f := pageIn("fiches", code); f != nil {
			add("search", "/"+code+"/search/?q="+url.QueryEscape(searchTerm(f)), nil)
		}
		// A page that does not exist in this language: a fiche if one is
		// missing, else any group.
		var missing *site.Group
		for _, sec := range []string{"fiches", "procedures", "news", "topics", "residence"} {
			for _, g := range s.SectionGroups(sec) {
				if g.Pages[code] == nil && missing == nil {
					missing = g
				}
			}
		}
		if missing != nil {
			add("not-available", site.MissingURL(code, missing), nil)
		}
		add("404", "/"+code+"/no-such-page/", nil)
	}
	// The chooser is the file behind /: a browser states a language, so /
	// itself redirects.
	def := s.Langs.Get(s.Settings.DefaultLanguage)
	out = append(out, target{Name: "chooser", Kind: "chooser", Lang: def.Code, Dir: def.Dir, Path: "/index.html"})
	return out, nil
}

// searchTerm is a query that finds the fiche: its title's longest word.
func searchTerm(p *site.Page) string {
	w := ""
	for f := range strings.FieldsSeq(p.Meta.Title) {
		f = strings.Trim(f, "()«»,.:;?!\"'")
		if len([]rune(f)) > len([]rune(w)) {
			w = f
		}
	}
	return w
}

// navigate opens a site path in a tab, waits for the load and returns the
// HTTP status.
func (e *env) navigate(ctx context.Context, path string) (int64, error) {
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.url(path)))
	if err != nil {
		return 0, err
	}
	if resp == nil {
		return 0, fmt.Errorf("%s: no response", path)
	}
	return resp.Status, nil
}

// eval evaluates a JavaScript expression in the page, awaiting a promise.
func eval[T any](ctx context.Context, expr string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, func(p *runtime.EvaluateParams) {
		p.AwaitPromise = new(true)
	}))
}
