package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"kb/internal/build"
	"kb/internal/diag"
	"kb/internal/stats"
)

// storeList is a repeatable --store flag.
type storeList []string

func (s *storeList) String() string     { return strings.Join(*s, ",") }
func (s *storeList) Set(v string) error { *s = append(*s, v); return nil }

func runStats(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "import" {
		return runStatsImport(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder`, for the list of pages never visited")
	out := fs.String("out", "", "output `folder` whose .kb/stats/ holds the stores (default: <site>/public)")
	since := fs.String("since", "", "first `day` (YYYY-MM-DD; default: the first day of the month 11 months ago)")
	until := fs.String("until", "", "last `day` (YYYY-MM-DD; default: today)")
	format := fs.String("format", "text", "text, json or csv")
	html := fs.String("html", "", "write a self-contained HTML report to `FILE` (never inside public/)")
	top := fs.Int("top", 10, "`n` items per list")
	nowFlag := fs.String("now", "", "today's `date` (YYYY-MM-DD; default: the clock)")
	var extra storeList
	fs.Var(&extra, "store", "another store `file or folder` to merge (copied from another server); repeatable")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kb stats [--since DAY] [--until DAY] [--format text|json|csv] [--html FILE] [--store PATH]...")
		fmt.Fprintln(stderr, "       kb stats import --nginx FILE...")
		fmt.Fprintln(stderr, "\nReports visits and searches counted by kb serve and imported from logs, merged from every store.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	if fs.NArg() > 0 || (*format != "text" && *format != "json" && *format != "csv") {
		fs.Usage()
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	from, to, err := stats.Period(*nowFlag, *since, *until)
	if err != nil {
		fmt.Fprintln(stderr, "kb stats:", err)
		return 2
	}
	files, err := stats.Files(stats.Dir(*out))
	if err != nil {
		fmt.Fprintln(stderr, "kb stats:", err)
		return 1
	}
	for _, p := range extra {
		more, err := stats.Files(p)
		if err != nil || len(more) == 0 {
			more = []string{p}
		}
		files = append(files, more...)
	}
	files = uniqueFiles(files)
	if len(files) == 0 {
		fmt.Fprintf(stderr, "kb stats: no store in %s: kb serve writes one there as it counts, kb stats import --nginx from logs\n", stats.Dir(*out))
		return 1
	}
	b, err := stats.MergeMonths(files, from, to)
	if err != nil {
		fmt.Fprintln(stderr, "kb stats:", err)
		return 1
	}
	opt := stats.Options{Since: from, Until: to, Top: *top, Stores: len(files)}
	if res, err := build.Load(*site, false); res != nil && res.Site != nil {
		opt.Paths = stats.NewPaths(res.Site)
	} else {
		fmt.Fprintf(stderr, "kb stats: warning: cannot load the site at %s (%v): no list of pages never visited\n", *site, err)
	}
	rep := stats.NewReport(b, opt)
	if *html != "" {
		if err := stats.RefuseInside(*html, *out); err != nil {
			fmt.Fprintln(stderr, "kb stats:", err)
			return 2
		}
		f, err := os.Create(*html)
		if err == nil {
			err = rep.WriteHTML(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "kb stats:", err)
			return 1
		}
		fmt.Fprintf(stdout, "kb stats: wrote %s\n", *html)
		return 0
	}
	switch *format {
	case "json":
		err = rep.WriteJSON(stdout)
	case "csv":
		err = rep.WriteCSV(stdout)
	default:
		err = rep.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "kb stats:", err)
		return 1
	}
	return 0
}

func runStatsImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stats import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site `folder`: which paths are pages")
	out := fs.String("out", "", "output `folder` whose .kb/stats/ gets nginx.db (default: <site>/public)")
	nginx := fs.Bool("nginx", false, "the files are nginx access logs in the combined format, plain or gzip")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kb stats import --nginx [--site DIR] [--out DIR] FILE...")
		fmt.Fprintln(stderr, "\nAdds the visits of access logs to the counters, dropping addresses and User-Agents; a log imported twice counts once.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage(err)
	}
	if !*nginx || fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	res, err := build.Load(*site, false)
	if res == nil || res.Site == nil {
		fmt.Fprintf(stderr, "kb stats import: cannot load the site at %s: %v\n", *site, err)
		return 1
	}
	paths := stats.NewPaths(res.Site)
	st, err := stats.OpenNamed(stats.Dir(*out), "nginx")
	if err != nil {
		fmt.Fprintln(stderr, "kb stats import:", err)
		return 1
	}
	code := 0
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "kb stats import:", err)
			code = 1
			continue
		}
		r, problems, err := stats.Import(st, name, f, paths)
		f.Close()
		diag.WriteText(stderr, problems)
		if err != nil {
			fmt.Fprintln(stderr, "kb stats import:", err)
			code = 1
			continue
		}
		if len(problems) > 0 {
			code = 1
		}
		fmt.Fprintf(stdout, "%s: %d lines, %d already imported, %d counted, %d malformed\n", name, r.Lines, r.Skipped, r.Counted, len(problems))
	}
	return code
}

// uniqueFiles drops a store named twice (by --store and in the stats
// folder, or through a link), which would count its visits twice.
func uniqueFiles(files []string) []string {
	var out []string
	var seen []os.FileInfo
next:
	for _, f := range files {
		fi, err := os.Stat(f)
		if err == nil {
			for _, s := range seen {
				if os.SameFile(fi, s) {
					continue next
				}
			}
			seen = append(seen, fi)
		}
		out = append(out, f)
	}
	return out
}
