package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FormatPage writes a page as kb reads it: m as YAML frontmatter, then, when
// body is not empty, a blank line and body. Keys come in the order of Keys
// and only when set; a key named in blank is written even when empty
// (summary: "", topics: []), as a field for an editor to fill. kb new and
// kb import spip write pages with it, so what they write is what Load
// reads.
func FormatPage(m Meta, body string, blank ...string) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	for _, k := range Keys {
		v := m.value(k)
		if v == "" && slices.Contains(blank, k) {
			v = ` ""`
			if isList(k) {
				v = " []"
			}
		}
		if v != "" {
			b.WriteString(k + ":" + v + "\n")
		}
	}
	b.WriteString("---\n")
	if body != "" {
		b.WriteString("\n")
		b.WriteString(body)
	}
	return b.Bytes()
}

func isList(key string) bool {
	switch key {
	case "topics", "residence", "aliases", "terms", "newsletter":
		return true
	}
	return false
}

// value is the YAML of one key after its colon, with its leading space or
// newline; "" when the key is not set.
func (m *Meta) value(key string) string {
	switch key {
	case "title":
		return text(m.Title)
	case "summary":
		return text(m.Summary)
	case "topics":
		return flow(m.Topics)
	case "audience":
		return word(m.Audience)
	case "residence":
		return flow(m.Residence)
	case "date":
		return day(m.Date)
	case "updated":
		return day(m.Updated)
	case "reviewed":
		return day(m.Reviewed)
	case "aliases":
		// One per line: problems with an alias name its line.
		var b strings.Builder
		for _, a := range m.Aliases {
			b.WriteString("\n  - " + quote(a))
		}
		return b.String()
	case "slug":
		return word(m.Slug)
	case "draft":
		if m.Draft {
			return " true"
		}
	case "weight":
		if m.Weight != 0 {
			return " " + strconv.Itoa(m.Weight)
		}
	case "newsletter":
		if m.Newsletter != nil {
			return " [" + strings.Join(m.Newsletter, ", ") + "]"
		}
	case "since":
		return day(m.Since)
	case "terms":
		return flow(m.Terms)
	case "audio":
		if a := m.Audio; a != nil {
			s := " {file: " + quote(a.File)
			if a.Duration > 0 {
				sec := int(a.Duration / time.Second)
				s += fmt.Sprintf(", duration: \"%d:%02d\"", sec/60, sec%60)
			}
			if a.Transcript != "" {
				s += ", transcript: " + a.Transcript
			}
			return s + "}"
		}
	}
	return ""
}

// text is a string value, always quoted: an editor who later adds a colon
// or a # to a title cannot break the frontmatter.
func text(s string) string {
	if s == "" {
		return ""
	}
	return " " + quote(s)
}

// word is a value that is a key or a name (people, a slug): bare when it
// can be.
func word(s string) string {
	if s == "" || IsKey(s) {
		return strings.TrimSuffix(" "+s, " ")
	}
	return " " + quote(s)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " " + t.Format("2006-01-02")
}

// flow writes a YAML flow sequence; keys go bare, anything else quoted.
func flow(items []string) string {
	if len(items) == 0 {
		return ""
	}
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = s
		if !IsKey(s) {
			q[i] = quote(s)
		}
	}
	return " [" + strings.Join(q, ", ") + "]"
}

// quote writes s as a JSON string, which is a valid YAML double-quoted
// scalar.
func quote(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
