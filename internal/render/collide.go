package render

import (
	"fmt"
	"path"
	"strings"

	"kb/internal/diag"
)

// Collisions reports every output path that two outputs would write (an
// alias on a page, on another alias or on kb's own files), and every file
// that another output needs as a folder. Written in parallel, either would
// make the build depend on timing; so each is an error at the source that
// asked for it (an alias's line), whatever the order. A rendered text file
// also owns its .gz sibling. outs must be sorted by path.
func Collisions(outs []Output) []diag.Problem {
	owner := map[string]*Output{}
	var probs []diag.Problem
	blamed := map[*Output]bool{} // one problem per output is enough
	report := func(p string, o, q *Output) {
		if !blamed[o] && !blamed[q] {
			blamed[o], blamed[q] = true, true
			probs = append(probs, collision(p, o, q))
		}
	}
	claim := func(p string, o *Output) {
		if q := owner[p]; q != nil {
			report(p, o, q)
			return
		}
		owner[p] = o
	}
	for i := range outs {
		o := &outs[i]
		claim(o.Path, o)
		if o.Render != nil {
			claim(o.Path+".gz", o)
		}
	}
	for i := range outs {
		o := &outs[i]
		for dir := path.Dir(o.Path); dir != "."; dir = path.Dir(dir) {
			if q := owner[dir]; q != nil {
				report(dir, o, q)
				break
			}
		}
	}
	return probs
}

// collision blames the output an editor asked for (o, else q), naming the
// other.
func collision(p string, o, q *Output) diag.Problem {
	if o.Src == "" {
		o, q = q, o
	}
	other := "kb's own " + q.Path
	if q.Src != "" {
		other = q.Src
		if q.Line > 0 {
			other = fmt.Sprintf("%s:%d", q.Src, q.Line)
		}
	}
	pr := diag.Problem{Path: o.Src, Line: o.Line, Msg: fmt.Sprintf("output %s is also written by %s", p, other),
		Hint: "change or remove one of them"}
	if o.Src == "" {
		pr.Path, pr.Msg = "public/"+p, "written twice (a bug in kb)"
	}
	if p != o.Path && p != q.Path {
		pr.Msg = fmt.Sprintf("output %s (the compressed copy of %s) is also written by %s", p, strings.TrimSuffix(p, ".gz"), other)
	} else if strings.HasPrefix(o.Path, p+"/") || strings.HasPrefix(q.Path, p+"/") {
		pr.Msg = fmt.Sprintf("output %s is a file of %s and a folder of another output", p, other)
	}
	return pr
}
