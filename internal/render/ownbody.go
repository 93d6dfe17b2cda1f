package render

import (
	"html/template"
	"text/template/parse"
)

// OwnBodies reports whether the templates show a page's body (the Body of
// a site.Page) only in that page's own outputs: the outputs whose view has
// it as .Page (Output.Page). A build may then keep a page's body out of
// memory until its own outputs are rendered (site.BodyCache.Spill).
//
// The test is on the words of the templates, and strict: a body may be
// shown as .Page.Body where the dot or $ (or a variable set once) is the
// view, or as .Body where it is the view's .Page ({{with .Page}}, a
// template given .Page); any other Body (of an item of a range, the result
// of index, a variable assigned anew) answers false, even when it is in
// fact the page's own. So does any File (a build lets the Markdown
// go) and any Text (a build keeps the plain text out of memory too, for
// the search index alone), whatever it is the field of: a heading's Text
// as well as a page's. A false answer costs only memory.
func (t *Templates) OwnBodies() bool { return t.own(false) }

// OwnBodyData reports, as strictly as OwnBodies, whether the templates
// show what a page's body gives (its Body, Text, Headings, Images, Terms,
// Links or Files) only in that page's own outputs. When they do, a list
// shows of its pages only what their frontmatter says, besides the bodies
// of the news it carries in its own language (feeds, editions), so a
// build may keep a list of one language when a body of another changed
// (build/cache.go).
func (t *Templates) OwnBodyData() bool { return t.own(true) }

func (t *Templates) own(data bool) bool {
	for _, k := range Kinds {
		if set := t.kinds[k]; set != nil && !ownBodies(set, "base.html", data) {
			return false
		}
	}
	return t.redirect == nil || ownBodies(t.redirect, "redirect.html", data)
}

// ownBodies walks the templates (walk.go) with a value that says which
// page the dot, $ or a variable is: the view, the view's .Page, or anything
// else (the zero value: an item of a range, the result of index, a
// variable assigned anew). data: what else a body gives counts as Body.
func ownBodies(set *template.Template, root string, data bool) bool {
	b := &bodyReader{ok: true, data: data}
	walk(set, root, dotView, b)
	return b.ok
}

// bodyData are the fields of a site.Page that its body gives, besides Body
// and Text.
var bodyData = map[string]bool{"Headings": true, "Images": true, "Terms": true, "Links": true, "Files": true}

type dotKind int

const (
	dotOther dotKind = iota // anything else
	dotView                 // the view the template was executed with
	dotPage                 // the view's .Page
)

type bodyReader struct {
	quiet
	ok   bool
	data bool // bodyData counts as Body
}

// fields follows .A.B from v: Body is the view's page's own only when it
// is a field of dotPage; any File or Text answers false.
func (b *bodyReader) fields(_ *parse.Tree, _ parse.Node, v dotKind, names []string) dotKind {
	for _, name := range names {
		switch {
		case name == "File" || name == "Text":
			b.ok = false
		case (name == "Body" || b.data && bodyData[name]) && v != dotPage:
			b.ok = false
		}
		if v == dotView && name == "Page" {
			v = dotPage
		} else {
			v = dotOther
		}
	}
	return v
}

func (b *bodyReader) word(parse.Node) dotKind { return dotOther }

func (b *bodyReader) elems(dotKind) (key, elem dotKind) { return dotOther, dotOther }
