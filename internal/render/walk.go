package render

import (
	"html/template"
	"text/template/parse"
)

// One walker reads the parsed templates (text/template/parse) for all that
// is learnt from their words before any page is drawn: the fields each view
// lacks (checkFields, check.go), whether a page's body shows only in its
// own outputs (ownBodies, ownbody.go) and the pages the templates link to
// (namedGroups, missing.go).
//
// It goes through a template set as html/template executes it from a root
// template, without data: into if, with and range, and into each template
// a {{template}} or {{block}} calls, with the dot it is given. A reader
// says what the dot, $ and each variable are, as a value of its own type V
// whose zero value means "not known": a reflect.Type for checkFields, what
// page the dot is for ownBodies, nothing for namedGroups. A template is
// walked once for each dot it is called with. A template that nothing
// calls from the root is not walked: it draws nothing.
type reader[V comparable] interface {
	// fields follows the names .A.B from a value v; n is the node that
	// writes them (a field, a variable or a chain).
	fields(tr *parse.Tree, n parse.Node, v V, names []string) V
	// word is the value of any other word: a function (printf, index), a
	// string or another constant.
	word(n parse.Node) V
	// elems gives the key and element of a range over v.
	elems(v V) (key, elem V)
	// command and text are shown each command of a pipeline, before its
	// words are followed, and each piece of the template's own text.
	command(tr *parse.Tree, c *parse.CommandNode)
	text(tr *parse.Tree, t *parse.TextNode)
}

// walk walks the template root of set, executed with a dot of value dot.
func walk[V comparable](set *template.Template, root string, dot V, r reader[V]) {
	w := &walker[V]{set: set, r: r, seen: map[walked[V]]bool{}, assigned: map[*parse.Tree]map[string]bool{}}
	w.template(root, dot)
}

type walker[V comparable] struct {
	set  *template.Template
	r    reader[V]
	seen map[walked[V]]bool
	// assigned lists, for each tree, the variables it assigns anew
	// ({{$x = …}}): their value is not known anywhere in that tree, since
	// an assignment inside an if or range changes them after its end too.
	assigned map[*parse.Tree]map[string]bool
}

type walked[V comparable] struct {
	name string
	dot  V
}

// vars are the variables in scope, $ included.
type vars[V comparable] map[string]V

func (v vars[V]) copy() vars[V] {
	c := make(vars[V], len(v))
	for k, x := range v {
		c[k] = x
	}
	return c
}

func (w *walker[V]) template(name string, dot V) {
	if w.seen[walked[V]{name, dot}] {
		return
	}
	w.seen[walked[V]{name, dot}] = true
	t := w.set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return // a missing template is an error at execution, with its name
	}
	w.node(t.Tree, t.Tree.Root, dot, vars[V]{"$": dot})
}

func (w *walker[V]) node(tr *parse.Tree, n parse.Node, dot V, vs vars[V]) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, m := range n.Nodes {
			w.node(tr, m, dot, vs)
		}
	case *parse.TextNode:
		w.r.text(tr, n)
	case *parse.ActionNode:
		w.declare(w.pipe(tr, n.Pipe, dot, vs), n.Pipe, vs)
	case *parse.IfNode:
		inner := vs.copy()
		w.declare(w.pipe(tr, n.Pipe, dot, inner), n.Pipe, inner)
		w.node(tr, n.List, dot, inner)
		w.node(tr, n.ElseList, dot, inner)
	case *parse.WithNode:
		inner := vs.copy()
		v := w.pipe(tr, n.Pipe, dot, inner)
		w.declare(v, n.Pipe, inner)
		w.node(tr, n.List, v, inner)
		w.node(tr, n.ElseList, dot, inner)
	case *parse.RangeNode:
		inner := vs.copy()
		key, elem := w.r.elems(w.pipe(tr, n.Pipe, dot, inner))
		switch len(n.Pipe.Decl) {
		case 1:
			inner[n.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			inner[n.Pipe.Decl[0].Ident[0]] = key
			inner[n.Pipe.Decl[1].Ident[0]] = elem
		}
		w.node(tr, n.List, elem, inner)
		w.node(tr, n.ElseList, dot, inner)
	case *parse.TemplateNode:
		var arg V
		if n.Pipe != nil {
			arg = w.pipe(tr, n.Pipe, dot, vs)
		}
		w.template(n.Name, arg)
	}
}

// declare gives the variables a pipeline declares or assigns its value.
func (w *walker[V]) declare(v V, p *parse.PipeNode, vs vars[V]) {
	if p == nil {
		return
	}
	for _, d := range p.Decl {
		vs[d.Ident[0]] = v
	}
}

// pipe follows a pipeline and returns its value.
func (w *walker[V]) pipe(tr *parse.Tree, p *parse.PipeNode, dot V, vs vars[V]) V {
	var v V
	if p == nil {
		return v
	}
	for _, c := range p.Cmds {
		w.r.command(tr, c)
		for _, a := range c.Args[1:] {
			w.operand(tr, a, dot, vs)
		}
		v = w.operand(tr, c.Args[0], dot, vs)
	}
	return v
}

// operand follows one word of a command and returns its value.
func (w *walker[V]) operand(tr *parse.Tree, n parse.Node, dot V, vs vars[V]) V {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return w.r.fields(tr, n, dot, n.Ident)
	case *parse.VariableNode:
		return w.r.fields(tr, n, w.variable(tr, n.Ident[0], vs), n.Ident[1:])
	case *parse.ChainNode:
		return w.r.fields(tr, n, w.operand(tr, n.Node, dot, vs), n.Field)
	case *parse.PipeNode:
		return w.pipe(tr, n, dot, vs)
	}
	return w.r.word(n)
}

func (w *walker[V]) variable(tr *parse.Tree, name string, vs vars[V]) V {
	as, ok := w.assigned[tr]
	if !ok {
		as = map[string]bool{}
		assignedVars(tr.Root, as)
		w.assigned[tr] = as
	}
	if as[name] {
		var unknown V
		return unknown
	}
	return vs[name]
}

// assignedVars adds to as the variables that n assigns with =.
func assignedVars(n parse.Node, as map[string]bool) {
	var pipe func(p *parse.PipeNode)
	pipe = func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		if p.IsAssign {
			for _, d := range p.Decl {
				as[d.Ident[0]] = true
			}
		}
		for _, c := range p.Cmds {
			for _, a := range c.Args {
				if c, ok := a.(*parse.ChainNode); ok {
					a = c.Node
				}
				if q, ok := a.(*parse.PipeNode); ok {
					pipe(q) // ($x = …) in parentheses
				}
			}
		}
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, m := range n.Nodes {
			assignedVars(m, as)
		}
	case *parse.ActionNode:
		pipe(n.Pipe)
	case *parse.TemplateNode:
		pipe(n.Pipe)
	case *parse.IfNode:
		pipe(n.Pipe)
		assignedVars(n.List, as)
		assignedVars(n.ElseList, as)
	case *parse.WithNode:
		pipe(n.Pipe)
		assignedVars(n.List, as)
		assignedVars(n.ElseList, as)
	case *parse.RangeNode:
		pipe(n.Pipe)
		assignedVars(n.List, as)
		assignedVars(n.ElseList, as)
	}
}

// quiet is the part of a reader that neither reads text nor commands.
type quiet struct{}

func (quiet) command(*parse.Tree, *parse.CommandNode) {}
func (quiet) text(*parse.Tree, *parse.TextNode)       {}
