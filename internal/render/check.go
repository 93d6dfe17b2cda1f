package render

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"sort"
	"strings"
	"text/template/parse"

	"kb/internal/diag"
)

// checkFields reports every field or method a template names that its data
// does not have, with the file and line. html/template would say so only
// when it executes that very branch, for some page, if ever: a misspelt field
// inside {{with .Page}} passes on every page that has no Page.
//
// The check follows the data's type through with, range, variables and
// {{template}} calls. Where the type cannot be known (an interface, the
// result of index or and) it stops, so it never rejects a template that
// could run.
func checkFields(set *template.Template, root string, data reflect.Type, src map[string]string, found map[fieldKey][]string) {
	walk[reflect.Type](set, root, data, &fieldChecker{src: src, found: found})
}

// fieldKey is one missing field, however many kinds of page miss it.
type fieldKey struct {
	file string
	line int
	expr string // the template's words: .Page.Nope
	name string // the field that is missing: Nope
}

// fieldChecker is the walk's reader (walk.go) for checkFields: a value is
// the type of the dot or of a word, nil when it cannot be known.
type fieldChecker struct {
	quiet
	src   map[string]string // file name → text, for lines
	found map[fieldKey][]string
}

var (
	boolType   = reflect.TypeFor[bool]()
	intType    = reflect.TypeFor[int]()
	stringType = reflect.TypeFor[string]()
)

// word returns the type of a function's result or of a constant, or nil.
func (c *fieldChecker) word(n parse.Node) reflect.Type {
	switch n := n.(type) {
	case *parse.IdentifierNode:
		switch n.Ident {
		case "not", "eq", "ne", "lt", "le", "gt", "ge":
			return boolType
		case "len":
			return intType
		case "print", "printf", "println", "html", "js", "urlquery":
			return stringType
		}
	case *parse.StringNode:
		return stringType
	case *parse.BoolNode:
		return boolType
	}
	return nil
}

// fields follows .A.B.C from type t, reporting the first name t lacks.
func (c *fieldChecker) fields(tr *parse.Tree, n parse.Node, t reflect.Type, names []string) reflect.Type {
	for _, name := range names {
		if t == nil {
			return nil
		}
		next, ok := member(t, name)
		if !ok {
			k := fieldKey{file: tr.ParseName, line: c.line(tr.ParseName, n.Position()), expr: n.String(), name: name}
			c.found[k] = append(c.found[k], typeName(t))
			return nil
		}
		t = next
	}
	return t
}

// member returns the type of t.name, nil if it cannot be known, and false
// if t has no such field or method.
func member(t reflect.Type, name string) (reflect.Type, bool) {
	m, ok := t.MethodByName(name)
	if !ok && t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		// Templates call the pointer methods of fields they reach by pointer.
		m, ok = reflect.PointerTo(t).MethodByName(name)
	}
	if ok {
		if m.Type.NumOut() == 0 {
			return nil, true
		}
		return m.Type.Out(0), true
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if f, ok := t.FieldByName(name); ok && f.IsExported() {
			return f.Type, true
		}
		return nil, false
	case reflect.Map:
		return t.Elem(), t.Key().Kind() == reflect.String
	case reflect.Interface:
		return nil, true // the value inside may have it
	}
	return nil, false
}

// elems gives the types of range's key and element over a value of type t.
func (c *fieldChecker) elems(t reflect.Type) (key, elem reflect.Type) {
	if t == nil {
		return nil, nil
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return intType, t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Int:
		return intType, intType
	}
	return nil, nil
}

func (c *fieldChecker) line(file string, pos parse.Pos) int {
	s := c.src[file]
	if int(pos) > len(s) {
		return 0
	}
	return 1 + strings.Count(s[:pos], "\n")
}

// typeName writes a type as TEMPLATES.md does: render's own types without
// the package, and the value rather than a pointer to it.
func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return strings.ReplaceAll(t.String(), "render.", "")
}

// fieldProblems turns what checkFields found into problems, in file and
// line order, one per place however many kinds of page it fails for.
// every is how many types a file shared by all kinds is checked with.
func fieldProblems(found map[fieldKey][]string, every int) []diag.Problem {
	keys := make([]fieldKey, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.expr < b.expr
	})
	var out []diag.Problem
	for _, k := range keys {
		var types []string
		for _, t := range found[k] {
			if !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
		var who string
		switch n := len(types); {
		case n == every && n > 1:
			who = "no page kind has a"
		case n > 1:
			who = strings.Join(types[:n-1], ", ") + " and " + types[n-1] + " have no"
		default:
			who = types[0] + " has no"
		}
		out = append(out, diag.Problem{
			Path: "templates/" + k.file,
			Line: k.line,
			Msg:  fmt.Sprintf("template error: {{%s}}: %s field or method %s", k.expr, who, k.name),
			Hint: "TEMPLATES.md lists what each template gets",
		})
	}
	return out
}
