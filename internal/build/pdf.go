package build

import (
	"context"
	"path/filepath"

	"kb/internal/pdf"
)

// makePDFs prints the site's PDFs into the staging site folder, so that
// they swap in with the pages that link to them. The cache lives in the
// state folder beside the generations.
func makePDFs(ctx context.Context, opt Options, res *Result, gens, siteDir string) error {
	out, err := pdf.Make(ctx, pdf.Options{
		Site:     res.Site,
		CSS:      res.Renderer.T.CSS,
		Out:      siteDir,
		Cache:    filepath.Join(gens, "pdf-cache"),
		Chromium: opt.Chromium,
	})
	if err != nil {
		return err
	}
	res.Problems = append(res.Problems, out.Problems...)
	res.Renderer.PDFs = out.Files
	res.PDFs = len(out.Files)
	res.Printed = out.Printed
	res.Prints = out.Prints
	return nil
}
