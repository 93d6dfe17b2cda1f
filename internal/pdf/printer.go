package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// FindChromium returns the browser to print with: exe if set, else the
// first of chromium, chromium-browser, google-chrome in PATH.
func FindChromium(exe string) (string, error) {
	if exe != "" {
		if _, err := os.Stat(exe); err != nil {
			return "", fmt.Errorf("no browser at %s", exe)
		}
		return exe, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found (looked for chromium, chromium-browser and google-chrome in PATH)")
}

// printer is one headless Chromium, started on the first print, with a
// few tabs printing at once.
type printer struct {
	exe     string
	workers int

	once    sync.Once
	err     error
	tabs    chan context.Context
	cancels []context.CancelFunc
	profile string
}

// footer numbers the pages; the folders' contents refer to these numbers.
const footer = `<div style="width:100%;font-size:8pt;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`

func (p *printer) start(ctx context.Context) error {
	p.once.Do(func() {
		p.profile, p.err = os.MkdirTemp("", "kb-pdf-")
		if p.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(p.exe),
			chromedp.UserDataDir(filepath.Join(p.profile, "profile")),
			// The defaults already turn off first run, sync and background
			// networking.
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-component-update", true),
			// The print pages load nothing; make sure of it.
			chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
		)
		if os.Geteuid() == 0 {
			// Chromium refuses to run as root with its sandbox (containers,
			// CI); the pages are kb's own, without scripts.
			opts = append(opts, chromedp.Flag("no-sandbox", true))
		}
		// The browser lives as long as the build's context.
		actx, acancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
		p.cancels = append(p.cancels, acancel)
		bctx, bcancel := chromedp.NewContext(actx)
		p.cancels = append(p.cancels, bcancel)
		if p.err = chromedp.Do(bctx); p.err != nil {
			p.err = fmt.Errorf("start %s: %w", p.exe, p.err)
			return
		}
		p.tabs = make(chan context.Context, p.workers)
		p.tabs <- bctx
		for range p.workers - 1 {
			tctx, tcancel := chromedp.NewContext(bctx)
			p.cancels = append(p.cancels, tcancel)
			p.tabs <- tctx
		}
	})
	return p.err
}

// print prints one HTML document to an A4 PDF.
func (p *printer) print(ctx context.Context, html []byte) ([]byte, error) {
	if err := p.start(ctx); err != nil {
		return nil, err
	}
	var tab context.Context
	select {
	case tab = <-p.tabs:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.tabs <- tab }()
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		return nil, err
	}
	tree, err := chromedp.Call(tab, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if _, err := chromedp.Call(tab, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(html)}); err != nil {
		return nil, err
	}
	// Wait for the fonts: a fallback font must not be printed.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, err
	}
	yes := true
	out, err := chromedp.Call(tab, page.PrintToPDF, page.PrintToPDFParams{
		PaperWidth: 8.27, PaperHeight: 11.69, // A4; @page says so too
		PreferCSSPageSize:       &yes,
		PrintBackground:         &yes,
		DisplayHeaderFooter:     &yes,
		HeaderTemplate:          "<span></span>",
		FooterTemplate:          footer,
		GenerateTaggedPDF:       &yes,
		GenerateDocumentOutline: &yes,
	})
	if err != nil {
		return nil, err
	}
	return out.Data, nil
}

func (p *printer) close() {
	for _, cancel := range slices.Backward(p.cancels) {
		cancel()
	}
	if p.profile != "" {
		os.RemoveAll(p.profile)
	}
}
