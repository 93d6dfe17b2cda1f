package diag

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// TOMLError returns the line (1-based, 0 when unknown) of an error of
// github.com/BurntSushi/toml's decoder, and its message without the line.
//
// Syntax errors are toml.ParseError values and their toml.Position is used.
// Type mismatches ("incompatible types: ...") come only as strings,
// "toml: line N (last key "k"): message" (MetaData.e in the library), with no
// type or position to ask for: reading the line from that string is the only
// way, and it is done here only.
func TOMLError(err error) (line int, msg string) {
	if pe, ok := errors.AsType[toml.ParseError](err); ok {
		msg = pe.Message
		if pe.LastKey != "" {
			msg += fmt.Sprintf(" (last key %q)", pe.LastKey)
		}
		return pe.Position.Line, msg
	}
	msg = err.Error()
	rest, ok := strings.CutPrefix(msg, "toml: ")
	if !ok {
		return 0, msg
	}
	if after, ok := strings.CutPrefix(rest, "line "); ok {
		end := strings.IndexAny(after, " :")
		if end < 0 {
			return 0, rest
		}
		n, err := strconv.Atoi(after[:end])
		if err != nil {
			return 0, rest
		}
		line, rest = n, strings.TrimPrefix(after[end:], " ")
	}
	// What is left is `(last key "k"): message` or `message`.
	if strings.HasPrefix(rest, "(") {
		if key, m, ok := strings.Cut(rest, "): "); ok {
			rest = m + " " + key + ")"
		}
	}
	return line, strings.TrimPrefix(rest, ": ")
}

// TOMLKeyLine returns the 1-based line of data, a TOML document, where key
// (a path of names: "newsletter", "from") or a key inside it is set, or where
// its table begins; 0 if none is found. The library keeps the positions of
// keys to itself, so the text is scanned: table headers, dotted and quoted
// keys and multi-line strings are understood; the inside of inline tables
// and arrays is not.
func TOMLKeyLine(data []byte, key ...string) int {
	if len(key) == 0 {
		return 0
	}
	var (
		table []string
		delim string // the quotes of the multi-line string we are in, if any
	)
	for i, line := range strings.Split(string(data), "\n") {
		if delim != "" {
			if strings.Count(line, delim)%2 == 1 {
				delim = ""
			}
			continue
		}
		s := strings.TrimSpace(line)
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			h := strings.TrimSpace(strings.Trim(tomlUncomment(s), "[]"))
			table = tomlSplitKey(h)
			if hasPrefix(table, key) {
				return i + 1
			}
			continue
		}
		name, value, ok := tomlCutEquals(s)
		if !ok {
			continue
		}
		full := append(append([]string(nil), table...), tomlSplitKey(name)...)
		if hasPrefix(full, key) {
			return i + 1
		}
		for _, d := range []string{`"""`, `'''`} {
			if strings.Count(value, d)%2 == 1 {
				delim = d
			}
		}
	}
	return 0
}

// hasPrefix reports whether list begins with prefix.
func hasPrefix(list, prefix []string) bool {
	return len(list) >= len(prefix) && slices.Equal(list[:len(prefix)], prefix)
}

// tomlCutEquals splits "key = value" at the first '=' outside quotes.
func tomlCutEquals(s string) (name, value string, ok bool) {
	var q byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '=':
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

// tomlSplitKey splits a dotted key into its names, unquoted.
func tomlSplitKey(s string) []string {
	var (
		out []string
		cur strings.Builder
		q   byte
	)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == q {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			q = c
		case c == '.':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, strings.TrimSpace(cur.String()))
}

// tomlUncomment removes a comment after a table header.
func tomlUncomment(s string) string {
	if i := strings.LastIndexByte(s, ']'); i >= 0 {
		return s[:i+1]
	}
	return s
}
