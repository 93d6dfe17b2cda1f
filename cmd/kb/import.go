package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"kb/internal/spip"
)

// runImport implements "kb import spip BACKUP [flags]".
func runImport(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "spip" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			importUsage(stdout, nil)
			return 0
		}
		fmt.Fprintln(stderr, "kb import: the only source is spip: kb import spip BACKUP [flags]")
		return 2
	}
	fs := flag.NewFlagSet("kb import spip", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt spip.Options
	var report string
	fs.StringVar(&opt.Site, "site", ".", "the kb site `folder` to write into")
	fs.StringVar(&opt.Img, "img", "", "SPIP's IMG/ `folder`, to copy documents from")
	fs.StringVar(&opt.Map, "map", "", "the mapping `file` (default <site>/spip-map.toml, written on the first import)")
	fs.BoolVar(&opt.Drafts, "drafts", false, "also import submitted and in-progress objects, as drafts")
	fs.BoolVar(&opt.Force, "force", false, "overwrite files changed since the previous import")
	fs.StringVar(&report, "report", "", "also write the report as JSON to `file`")
	fs.Usage = func() { importUsage(stderr, fs) }

	// Flags may come before or after BACKUP.
	var pos []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "kb import spip: want one BACKUP file")
		fs.Usage()
		return 2
	}
	opt.Backup = pos[0]

	rep, err := spip.Import(opt)
	if rep != nil {
		rep.Text(stdout)
		if report != "" {
			if werr := writeReport(report, rep); werr != nil {
				fmt.Fprintf(stderr, "kb import spip: %v\n", werr)
				return 1
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kb import spip: %v\n", err)
		return 1
	}
	return 0
}

func writeReport(name string, rep *spip.Report) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := rep.JSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func importUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: kb import spip BACKUP [--site DIR] [--img DIR] [--map FILE] [--drafts] [--force] [--report FILE]")
	fmt.Fprintln(w, "\nImports a SPIP 3/4 backup (the SQLite file under tmp/dump/) into the site's content/.")
	if fs != nil {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
