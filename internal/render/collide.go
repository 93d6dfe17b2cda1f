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
	pr := diag.Problem{Path: o.Src, Line: o.Line, Msg: fmt.Sprintf("output %s is also written by %s", p, name(q)),
		Hint: "change or remove one of them"}
	switch {
	case o.Src == "":
		pr.Path, pr.Msg = "public/"+p, "written twice (a bug in kb)"
	case strings.HasPrefix(o.Path, p+"/") || strings.HasPrefix(q.Path, p+"/"):
		pr.Msg = fmt.Sprintf("output %s would be a file and a folder: this and %s both need it", p, name(q))
	case p == o.Path+".gz":
		pr.Msg = fmt.Sprintf("output %s, the compressed copy of this, is also written by %s", p, name(q))
	}
	return pr
}

// name says who asked for an output: path:line, or kb itself.
func name(o *Output) string {
	switch {
	case o.Src == "":
		return "kb's own " + o.Path
	case o.Line > 0:
		return fmt.Sprintf("%s:%d", o.Src, o.Line)
	}
	return o.Src
}
