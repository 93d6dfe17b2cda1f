package build

import (
	"reflect"
	"testing"

	"kb/search"
)

// TestAppendDoc: every field of a search document counts in its hash (the
// index key and the update's document list), and text moved from one
// field to the next is a change.
func TestAppendDoc(t *testing.T) {
	base := search.Doc{ID: "fr:fiches/a", Lang: "fr", Title: "ab", Topics: []string{"x"}}
	seen := map[string]string{}
	add := func(name string, d search.Doc) {
		t.Helper()
		data, err := appendDoc(nil, &d)
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := seen[string(data)]; ok {
			t.Errorf("%s hashes as %s", name, other)
		}
		seen[string(data)] = name
	}
	add("base", base)
	v := reflect.ValueOf(base)
	for i := range v.NumField() {
		d := base
		f := reflect.ValueOf(&d).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "z")
		case reflect.Slice:
			f.Set(reflect.Append(f, reflect.ValueOf("z")))
		default:
			t.Fatalf("field %s: a kind the test does not change", v.Type().Field(i).Name)
		}
		add(v.Type().Field(i).Name+" changed", d)
	}
	moved := base
	moved.Title, moved.Summary = "a", "b"
	add("text moved to the next field", moved)
	split := base
	split.Topics = []string{"", "x"}
	add("a list item added", split)
}
