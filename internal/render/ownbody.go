package render

import (
	"slices"
	"text/template/parse"

	"html/template"
)

// OwnBodies reports whether the templates show a page's body (the Body of
// a site.Page) only in that page's own outputs: the outputs whose view has
// it as .Page (Output.Page). A build may then keep a page's body out of
// memory until its own outputs are rendered (site.BodyCache.Spill).
//
// The test is on the words of the templates, and strict: a body may be
// shown as .Page.Body (or $.Page.Body) where the dot is the view, or as
// .Body right inside {{with .Page}}; any other Body (in a range, through a
// variable, in a template given another dot) answers false, even when it
// is in fact the page's own. So does any File (a build lets the Markdown
// go) and any Text (a build keeps the plain text out of memory too, for
// the search index alone), whatever it is the field of: a heading's Text
// as well as a page's. A false answer costs only memory.
func (t *Templates) OwnBodies() bool {
	for _, k := range Kinds {
		if set := t.kinds[k]; set != nil && !ownBodies(set, "base.html") {
			return false
		}
	}
	return t.redirect == nil || ownBodies(t.redirect, "redirect.html")
}

// What the dot is, as far as the words of a template tell.
const (
	dotView  = iota // the view the template was executed with
	dotPage         // the view's .Page
	dotOther        // anything else
)

type bodyWalker struct {
	set  *template.Template
	seen map[[2]any]bool
	ok   bool
}

func ownBodies(set *template.Template, root string) bool {
	w := &bodyWalker{set: set, seen: map[[2]any]bool{}, ok: true}
	w.template(root, dotView)
	return w.ok
}

// template walks the template name executed with a dot of kind dot ($ is
// that dot too).
func (w *bodyWalker) template(name string, dot int) {
	if w.seen[[2]any{name, dot}] {
		return
	}
	w.seen[[2]any{name, dot}] = true
	t := w.set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return
	}
	w.node(t.Tree.Root, dot, dot)
}

func (w *bodyWalker) node(n parse.Node, dot, dollar int) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			w.node(c, dot, dollar)
		}
	case *parse.ActionNode:
		w.pipe(n.Pipe, dot, dollar)
	case *parse.IfNode:
		w.pipe(n.Pipe, dot, dollar)
		w.node(n.List, dot, dollar)
		w.node(n.ElseList, dot, dollar)
	case *parse.WithNode:
		w.pipe(n.Pipe, dot, dollar)
		inner := dotOther
		if w.isPage(n.Pipe, dot, dollar) {
			inner = dotPage
		}
		w.node(n.List, inner, dollar)
		w.node(n.ElseList, dot, dollar)
	case *parse.RangeNode:
		w.pipe(n.Pipe, dot, dollar)
		w.node(n.List, dotOther, dollar)
		w.node(n.ElseList, dot, dollar)
	case *parse.TemplateNode:
		w.pipe(n.Pipe, dot, dollar)
		callee := dotOther
		if n.Pipe != nil && len(n.Pipe.Decl) == 0 && len(n.Pipe.Cmds) == 1 && len(n.Pipe.Cmds[0].Args) == 1 {
			switch a := n.Pipe.Cmds[0].Args[0].(type) {
			case *parse.DotNode:
				callee = dot
			case *parse.VariableNode:
				if len(a.Ident) == 1 && a.Ident[0] == "$" {
					callee = dollar
				}
			}
			if w.isPage(n.Pipe, dot, dollar) {
				callee = dotPage
			}
		}
		w.template(n.Name, callee)
	}
}

// isPage reports whether a pipeline is the view's .Page.
func (w *bodyWalker) isPage(p *parse.PipeNode, dot, dollar int) bool {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	switch a := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		return dot == dotView && slices.Equal(a.Ident, []string{"Page"})
	case *parse.VariableNode:
		return dollar == dotView && slices.Equal(a.Ident, []string{"$", "Page"})
	}
	return false
}

func (w *bodyWalker) pipe(p *parse.PipeNode, dot, dollar int) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			w.arg(a, dot, dollar)
		}
	}
}

func (w *bodyWalker) arg(n parse.Node, dot, dollar int) {
	switch n := n.(type) {
	case *parse.FieldNode:
		if slices.Contains(n.Ident, "File") || slices.Contains(n.Ident, "Text") {
			w.ok = false
		}
		if slices.Contains(n.Ident, "Body") &&
			!(dot == dotView && slices.Equal(n.Ident, []string{"Page", "Body"})) &&
			!(dot == dotPage && slices.Equal(n.Ident, []string{"Body"})) {
			w.ok = false
		}
	case *parse.VariableNode:
		if slices.Contains(n.Ident, "File") || slices.Contains(n.Ident, "Text") {
			w.ok = false
		}
		if slices.Contains(n.Ident, "Body") &&
			!(dollar == dotView && slices.Equal(n.Ident, []string{"$", "Page", "Body"})) {
			w.ok = false
		}
	case *parse.ChainNode:
		if slices.Contains(n.Field, "Body") || slices.Contains(n.Field, "File") || slices.Contains(n.Field, "Text") {
			w.ok = false
		}
		w.arg(n.Node, dot, dollar)
	case *parse.PipeNode:
		w.pipe(n, dot, dollar)
	}
}
