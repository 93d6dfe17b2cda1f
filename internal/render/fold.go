package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"

	"kb/internal/lang"
	"kb/internal/site"
)

// Folding: base.html's header, menu and footer are the same on every page
// of a language, yet executing them was about a third of a page's template
// time (text/template looks every field and method up by name, and calls
// each escaper through reflection). A fold is a copy of a kind's templates
// for one language in which each run of nodes whose output depends only on
// what is the same for every page of that language and kind (foldFields and
// foldMethods of Base, literals, and what is reached from them) is replaced
// by its output, rendered once. The rest executes as before.
//
// It is exact by construction, for any template a site writes:
//   - the runs are chosen on the escaped tree, so the text that replaces
//     them is what the escapers wrote;
//   - a node is folded only when every value it reads is a literal, one of
//     those fields, a variable bound to one, or the result of a method or a
//     pure function (html/template's escapers, text/template's builtins but
//     call) of such values; anything else (another field, the view itself,
//     a function kb or a site adds, a {{break}} of an outer range, a
//     variable declared at the run's level or assigned anywhere) keeps it;
//   - a fold is used only for a view whose foldFields equal those of the
//     view it was made with (foldable);
//   - when it is made (for the second page of its kind and language: the
//     kinds drawn once per language are not folded), the fold must render
//     that view exactly as the whole template does, or it is not used.
//
// Methods of the values reached are taken to be pure: those of Base depend
// on .L alone, those of lang.Language and site.Site only read them.

// foldFields are the fields of Base that a fold holds constant.
var foldFields = []string{"Site", "L", "Kind", "CSS", "Script", "Emergency", "Query"}

// foldMethods are the methods of Base whose results depend on .L alone.
var foldMethods = []string{"T", "N", "Date", "Clock", "MB", "ISO"}

// pureFuncs are the functions a folded node may call: text/template's
// builtins but call, and html/template's escapers (_html_template_…).
var pureFuncs = []string{"and", "or", "not", "len", "index", "slice", "print", "printf", "println",
	"html", "js", "urlquery", "eq", "ne", "lt", "le", "gt", "ge"}

type foldKey struct {
	kind string
	site *site.Site
	l    *lang.Language
}

// fold is the folded set of one kind for one language, made once.
type fold struct {
	uses atomic.Int32
	once sync.Once
	set  *template.Template // nil: this kind cannot be folded
	base Base               // the view the fold was made with (its foldFields)
}

// folded returns the set to execute v with: a fold, or nil for the whole
// template; and v's page when the fold was made for it.
func (t *Templates) folded(kind string, v page) (*template.Template, []byte) {
	b := v.base()
	if t.src[kind] == nil || b.L == nil || b.Query != "" {
		// A query is a search's: SearchShell does the like for it.
		return nil, nil
	}
	key := foldKey{kind, b.Site, b.L}
	t.foldMu.Lock()
	if t.folds == nil || t.foldSite != b.Site {
		// A new site (the preview's next build): the old folds are stale.
		t.folds, t.foldSite = map[foldKey]*fold{}, b.Site
	}
	f := t.folds[key]
	if f == nil {
		f = &fold{}
		t.folds[key] = f
	}
	t.foldMu.Unlock()
	if f.uses.Add(1) == 1 {
		// Folding costs two executions of the page (escaped, then framed):
		// a kind drawn once per language (home, A–Z) would only lose.
		return nil, nil
	}
	var out []byte
	f.once.Do(func() {
		f.base = *b
		f.set, out = t.makeFold(kind, v)
	})
	if f.set == nil || !foldable(&f.base, b) {
		return nil, nil
	}
	return f.set, out
}

// foldable reports whether b's foldFields equal a's.
func foldable(a, b *Base) bool {
	return a.Site == b.Site && a.L == b.L && a.Kind == b.Kind && a.CSS == b.CSS &&
		a.Script == b.Script && a.Query == b.Query && slices.Equal(a.Emergency, b.Emergency)
}

// foldMark starts the markers that frame each run's output while a fold is
// made: no page holds it (a NUL is never in escaped output).
const foldMark = "\x00kbfold7c1e:"

// makeFold makes kind's fold for v's language, or nil; out is v's page.
func (t *Templates) makeFold(kind string, v page) (set *template.Template, out []byte) {
	set, err := t.src[kind].Clone()
	if err != nil {
		return nil, nil
	}
	// Folding works on escaped trees. html/template escapes a set when it
	// first executes it, before it reads the data: nil stops it there.
	set.ExecuteTemplate(io.Discard, "base.html", nil)
	root := set.Lookup("base.html")
	if root == nil || root.Tree == nil || assigns(root.Tree.Root) {
		return nil, nil
	}
	a := &foldScan{set: set}
	a.list(root.Tree.Root, foldEnv{dot: kView, root: kView})
	if len(a.runs) == 0 {
		return nil, nil
	}
	// Frame each run with markers, execute, and read each run's output.
	// Runs of one list are in order: the last first keeps the places of
	// the others.
	for _, r := range a.runs {
		r.orig = r.list.Nodes
	}
	for i := len(a.runs) - 1; i >= 0; i-- {
		r := a.runs[i]
		n := slices.Clone(r.list.Nodes)
		n = slices.Insert(n, r.end, parse.Node(marker(i, '>')))
		n = slices.Insert(n, r.start, parse.Node(marker(i, '<')))
		r.list.Nodes = n
	}
	var framed bytes.Buffer
	err = set.ExecuteTemplate(&framed, "base.html", v)
	for _, r := range a.runs {
		r.list.Nodes = r.orig
	}
	if err != nil {
		return nil, nil
	}
	framedOut := framed.String()
	for i := len(a.runs) - 1; i >= 0; i-- {
		r := a.runs[i]
		text, ok := runOutput(framedOut, i)
		if !ok {
			continue // never executed for this view, or not the same each time
		}
		n := slices.Clone(r.list.Nodes)
		n = slices.Replace(n, r.start, r.end, parse.Node(&parse.TextNode{NodeType: parse.NodeText, Pos: r.list.Nodes[r.start].Position(), Text: []byte(text)}))
		r.list.Nodes = n
	}
	// The whole template's page is the framed one without its markers.
	want := foldMarkers.ReplaceAllLiteralString(framedOut, "")
	var got bytes.Buffer
	if err := set.ExecuteTemplate(&got, "base.html", v); err != nil || got.String() != want {
		return nil, nil
	}
	return set, got.Bytes()
}

// foldMarkers matches the markers of makeFold.
var foldMarkers = regexp.MustCompile(regexp.QuoteMeta(foldMark) + "[0-9]+[<>]")

func marker(i int, side byte) *parse.TextNode {
	return &parse.TextNode{NodeType: parse.NodeText, Text: []byte(fmt.Sprintf("%s%d%c", foldMark, i, side))}
}

// runOutput is the output of run i in a framed execution: the same every
// time it ran, or false (never ran, or not the same).
func runOutput(out string, i int) (string, bool) {
	open, shut := fmt.Sprintf("%s%d<", foldMark, i), fmt.Sprintf("%s%d>", foldMark, i)
	text, seen := "", false
	for {
		a := strings.Index(out, open)
		if a < 0 {
			return text, seen
		}
		out = out[a+len(open):]
		b := strings.Index(out, shut)
		if b < 0 {
			return "", false
		}
		got := out[:b]
		if strings.Contains(got, foldMark) || (seen && got != text) {
			return "", false
		}
		text, seen = got, true
		out = out[b+len(shut):]
	}
}

// What a value is, for folding.
type kindOf int

const (
	kVar   kindOf = iota // may differ between pages of a language
	kConst               // the same for every view with the same foldFields
	kView                // the view itself: some of its fields are kConst
)

type foldEnv struct {
	dot, root kindOf
	vars      map[string]kindOf
}

func (e foldEnv) with(dot kindOf, decl []*parse.VariableNode, k kindOf) foldEnv {
	n := foldEnv{dot: dot, root: e.root, vars: map[string]kindOf{}}
	for name, v := range e.vars {
		n.vars[name] = v
	}
	for _, d := range decl {
		n.vars[d.Ident[0]] = k
	}
	return n
}

// A run is nodes start..end-1 of a list, folded into one text.
type run struct {
	list       *parse.ListNode
	start, end int
	orig       []parse.Node
}

type foldScan struct {
	set   *template.Template
	runs  []*run
	depth int
}

// list finds the runs of l, a list that executes with env. A run never
// holds a {{break}} or {{continue}} (constNode with loop false): folded,
// it would no longer leave the range.
func (a *foldScan) list(l *parse.ListNode, env foldEnv) {
	if l == nil {
		return
	}
	start, actions := -1, 0
	end := func(i int) {
		if start >= 0 && actions > 0 {
			a.runs = append(a.runs, &run{list: l, start: start, end: i})
		}
		start, actions = -1, 0
	}
	for i, n := range l.Nodes {
		if a.constNode(n, env, false) {
			if start < 0 {
				start = i
			}
			if n.Type() != parse.NodeText && n.Type() != parse.NodeComment {
				actions++
			}
			continue
		}
		end(i)
		// Not constant as a whole: look for runs inside.
		switch n := n.(type) {
		case *parse.ActionNode:
			if len(n.Pipe.Decl) > 0 {
				// Declared at this level: later nodes may read it.
				env = env.with(env.dot, n.Pipe.Decl, a.pipe(n.Pipe, env))
			}
		case *parse.IfNode:
			a.list(n.List, env.with(env.dot, n.Pipe.Decl, a.pipe(n.Pipe, env)))
			a.list(n.ElseList, env)
		case *parse.WithNode:
			k := a.pipe(n.Pipe, env)
			a.list(n.List, env.with(k, n.Pipe.Decl, k))
			a.list(n.ElseList, env)
		case *parse.RangeNode:
			k := a.pipe(n.Pipe, env)
			if k == kView {
				k = kVar
			}
			a.list(n.List, env.with(k, n.Pipe.Decl, k))
			a.list(n.ElseList, env)
		}
	}
	end(len(l.Nodes))
}

// constNode reports whether n writes the same for every view with the same
// foldFields, and may be replaced by what it writes (no variable declared
// for later nodes, no break or continue of an outer range).
func (a *foldScan) constNode(n parse.Node, env foldEnv, loop bool) bool {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode:
		return true
	case *parse.ActionNode:
		return len(n.Pipe.Decl) == 0 && a.pipe(n.Pipe, env) == kConst
	case *parse.IfNode:
		return a.pipe(n.Pipe, env) == kConst && a.constList(n.List, env.with(env.dot, n.Pipe.Decl, kConst), loop) &&
			a.constList(n.ElseList, env, loop)
	case *parse.WithNode:
		return a.pipe(n.Pipe, env) == kConst && a.constList(n.List, env.with(kConst, n.Pipe.Decl, kConst), loop) &&
			a.constList(n.ElseList, env, loop)
	case *parse.RangeNode:
		return a.pipe(n.Pipe, env) == kConst && a.constList(n.List, env.with(kConst, n.Pipe.Decl, kConst), true) &&
			a.constList(n.ElseList, env, loop)
	case *parse.BreakNode, *parse.ContinueNode:
		return loop
	case *parse.TemplateNode:
		dot := kConst
		if n.Pipe != nil {
			dot = a.pipe(n.Pipe, env)
		}
		if dot == kVar || a.depth > 8 {
			return false
		}
		t := a.set.Lookup(n.Name)
		if t == nil || t.Tree == nil {
			return false
		}
		a.depth++
		defer func() { a.depth-- }()
		return a.constList(t.Tree.Root, foldEnv{dot: dot, root: dot}, false)
	}
	return false
}

func (a *foldScan) constList(l *parse.ListNode, env foldEnv, loop bool) bool {
	if l == nil {
		return true
	}
	for _, n := range l.Nodes {
		if ac, ok := n.(*parse.ActionNode); ok && len(ac.Pipe.Decl) > 0 {
			// A variable for the rest of this list: inside a node that is
			// folded as a whole, that is fine.
			k := a.pipe(ac.Pipe, env)
			if k != kConst {
				return false
			}
			env = env.with(env.dot, ac.Pipe.Decl, k)
			continue
		}
		if !a.constNode(n, env, loop) {
			return false
		}
	}
	return true
}

// pipe is what p's value is.
func (a *foldScan) pipe(p *parse.PipeNode, env foldEnv) kindOf {
	if p == nil || p.IsAssign {
		return kVar
	}
	k := kConst
	for i, c := range p.Cmds {
		k = a.command(c, env)
		if i < len(p.Cmds)-1 && k != kConst {
			return kVar // a value piped into the next command
		}
	}
	return k
}

// command is what c's value is.
func (a *foldScan) command(c *parse.CommandNode, env foldEnv) kindOf {
	args := func(from int) bool {
		for _, n := range c.Args[from:] {
			if a.arg(n, env) != kConst {
				return false
			}
		}
		return true
	}
	switch n := c.Args[0].(type) {
	case *parse.IdentifierNode:
		if !strings.HasPrefix(n.Ident, "_html_template_") && !slices.Contains(pureFuncs, n.Ident) {
			return kVar
		}
		if args(1) {
			return kConst
		}
		return kVar
	case *parse.FieldNode:
		k := fieldOf(env.dot, n.Ident)
		if k == kConst && !args(1) {
			return kVar
		}
		return k
	case *parse.VariableNode:
		k := a.variable(n, env)
		if k == kConst && !args(1) {
			return kVar
		}
		return k
	case *parse.ChainNode:
		k := fieldOf(a.arg(n.Node, env), n.Field)
		if k == kConst && !args(1) {
			return kVar
		}
		return k
	}
	if len(c.Args) > 1 {
		return kVar
	}
	return a.arg(c.Args[0], env)
}

// arg is what an operand is.
func (a *foldScan) arg(n parse.Node, env foldEnv) kindOf {
	switch n := n.(type) {
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return kConst
	case *parse.DotNode:
		return env.dot
	case *parse.FieldNode:
		return fieldOf(env.dot, n.Ident)
	case *parse.VariableNode:
		return a.variable(n, env)
	case *parse.ChainNode:
		return fieldOf(a.arg(n.Node, env), n.Field)
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			return kVar
		}
		return a.pipe(n, env)
	}
	return kVar
}

func (a *foldScan) variable(n *parse.VariableNode, env foldEnv) kindOf {
	var k kindOf
	if n.Ident[0] == "$" {
		k = env.root
	} else if v, ok := env.vars[n.Ident[0]]; ok {
		k = v
	} else {
		return kVar
	}
	if len(n.Ident) == 1 {
		return k
	}
	return fieldOf(k, n.Ident[1:])
}

// fieldOf is what the field chain idents of a value of kind k is.
func fieldOf(k kindOf, idents []string) kindOf {
	if len(idents) == 0 || k == kConst {
		return k
	}
	if k == kView && (slices.Contains(foldFields, idents[0]) || slices.Contains(foldMethods, idents[0])) {
		return kConst
	}
	return kVar
}

// assigns reports whether the tree assigns a variable ({{$x = …}}): a fold
// could then skip an assignment that later nodes read.
func assigns(n parse.Node) bool {
	found := false
	var walk func(n parse.Node)
	pipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		if p.IsAssign {
			found = true
		}
		for _, c := range p.Cmds {
			for _, a := range c.Args {
				walk(a)
			}
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			pipe(n.Pipe)
		case *parse.IfNode:
			pipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			pipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			pipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			pipe(n.Pipe)
		case *parse.PipeNode:
			pipe(n)
		case *parse.ChainNode:
			walk(n.Node)
		}
	}
	walk(n)
	return found
}
