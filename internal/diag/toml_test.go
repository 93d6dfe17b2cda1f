package diag

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestTOMLError(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
		msg       string
	}{
		{"syntax", "a = \"x\"\nb = \n", 2, `expected value but found '\n' instead (last key "b")`},
		{"key twice", "a = \"x\"\n\na = \"y\"\n", 3, `Key 'a' has already been defined. (last key "a")`},
		{"type in a table", "a = \"x\"\n\n[t]\nn = \"ten\"\n", 4, `incompatible types: TOML value has type string; destination has type integer (last key "t.n")`},
		{"type at the top", "n = true\n", 1, `incompatible types: TOML value has type bool; destination has type integer (last key "n")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				A string `toml:"a"`
				N int    `toml:"n"`
				T struct {
					N int `toml:"n"`
				} `toml:"t"`
			}
			_, err := toml.Decode(tt.doc, &v)
			if err == nil {
				t.Fatal("no error")
			}
			line, msg := TOMLError(err)
			if line != tt.line || msg != tt.msg {
				t.Errorf("TOMLError(%q) = %d, %q; want %d, %q", err, line, msg, tt.line, tt.msg)
			}
		})
	}
}

func TestTOMLKeyLine(t *testing.T) {
	const doc = `# settings
base_url = "https://kb.example"
"quoted.key" = 1
note = """
from = "not a key"
"""
emergency.number = "112"

[newsletter] # mail
from = "A <a@example.org>"
unsubscribe = ["mailto:x@example.org"]

[[plain.lang]]
from = "b"

[strings]
hello = "Hello"
[strings.pages]
one = "page"
`
	tests := []struct {
		key  []string
		want int
	}{
		{[]string{"base_url"}, 2},
		{[]string{"quoted.key"}, 3},
		{[]string{"note"}, 4},
		{[]string{"emergency"}, 7},
		{[]string{"emergency", "number"}, 7},
		{[]string{"newsletter"}, 9},
		{[]string{"newsletter", "from"}, 10},
		{[]string{"newsletter", "unsubscribe"}, 11},
		{[]string{"plain", "lang", "from"}, 14},
		{[]string{"strings", "hello"}, 17},
		{[]string{"strings", "pages"}, 18},
		{[]string{"strings", "pages", "one"}, 19},
		{[]string{"from"}, 0},
		{[]string{"nope"}, 0},
		{nil, 0},
	}
	for _, tt := range tests {
		if got := TOMLKeyLine([]byte(doc), tt.key...); got != tt.want {
			t.Errorf("TOMLKeyLine(%q) = %d, want %d", tt.key, got, tt.want)
		}
	}
}
