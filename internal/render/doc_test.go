package render

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestTemplatesDoc: TEMPLATES.md documents every exported field and method
// of every template's data, and of the render types inside it, with its
// type, and nothing that does not exist; and it names each file's type.
func TestTemplatesDoc(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repo, "TEMPLATES.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := docSections(string(data))

	// The types to check: Base, each file's data, and the render types
	// their fields hold.
	pkg := reflect.TypeFor[Base]().PkgPath()
	var types []reflect.Type
	seen := map[reflect.Type]bool{}
	var add func(reflect.Type)
	add = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.PkgPath() != pkg || t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		types = append(types, t)
		for i := range t.NumField() {
			add(t.Field(i).Type)
		}
	}
	add(reflect.TypeFor[Base]())
	for _, v := range Views {
		vt := reflect.TypeOf(v.Data)
		add(vt)
		if !strings.Contains(string(data), "| `"+v.Template+"` |") || !strings.Contains(string(data), "### `"+vt.Elem().Name()+"`: "+v.Template) {
			t.Errorf("TEMPLATES.md does not say that %s gets %s", v.Template, vt.Elem().Name())
		}
	}

	for _, typ := range types {
		rows, ok := doc[typ.Name()]
		if !ok {
			t.Errorf("TEMPLATES.md has no section ### `%s`", typ.Name())
			continue
		}
		want := map[string]string{} // name → type
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.IsExported() && !f.Anonymous {
				want[f.Name] = docType(f.Type)
			}
		}
		if typ.Field(0).Type != reflect.TypeFor[Base]() {
			// Methods of the types inside and of Base itself; a page
			// kind's methods are Base's, documented there.
			pt := reflect.PointerTo(typ)
			for i := range pt.NumMethod() {
				m := pt.Method(i)
				want[m.Name] = docType(m.Type.Out(0))
			}
		}
		for name, typ2 := range want {
			got, ok := rows[name]
			switch {
			case !ok:
				t.Errorf("TEMPLATES.md, %s: .%s (%s) is not documented", typ.Name(), name, typ2)
			case got != typ2:
				t.Errorf("TEMPLATES.md, %s: .%s is documented as %s, but it is %s", typ.Name(), name, got, typ2)
			}
		}
		for name := range rows {
			if _, ok := want[name]; !ok {
				t.Errorf("TEMPLATES.md, %s: documents .%s, which %s does not have", typ.Name(), name, typ.Name())
			}
		}
	}
}

// docType writes a type as TEMPLATES.md does: render's own types without
// the package.
func docType(t reflect.Type) string {
	return strings.ReplaceAll(t.String(), "render.", "")
}

var (
	docHeading = regexp.MustCompile("^### `(\\w+)`")
	docRow     = regexp.MustCompile("^\\| `\\.(\\w+)[^`]*` \\| `([^`]+)` \\|")
)

// docSections reads the tables of TEMPLATES.md: for each "### `Type`"
// section, its rows' names and types.
func docSections(doc string) map[string]map[string]string {
	out := map[string]map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "#") {
			cur = nil
			if m := docHeading.FindStringSubmatch(line); m != nil {
				cur = map[string]string{}
				out[m[1]] = cur
			}
			continue
		}
		if m := docRow.FindStringSubmatch(line); m != nil && cur != nil {
			cur[m[1]] = m[2]
		}
	}
	return out
}

// TestDocSections: the reader of TEMPLATES.md finds rows, so that the test
// above cannot pass on a table it fails to read.
func TestDocSections(t *testing.T) {
	got := docSections("## x\n| `.Nope` | `int` | a |\n### `A`: a.html\n| field | type | meaning |\n|---|---|---|\n| `.B` | `[]*site.Page` | b |\n| `.T \"key\"` | `string` | t |\n### `C`\n")
	want := map[string]map[string]string{"A": {"B": "[]*site.Page", "T": "string"}, "C": {}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
