package spip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// frontmatter holds the keys kb accepts (CONTENT.md); nothing else is
// written, as kb rejects unknown keys.
type frontmatter struct {
	title     string
	summary   string
	topics    []string
	audience  string
	residence []string
	reviewed  string
	updated   string
	date      string
	aliases   []string
	draft     bool
	weight    int
}

// A plain YAML scalar that needs no quotes: starts with a letter or digit,
// holds no ": " or " #", and is not read as another type.
var (
	plainScalar  = regexp.MustCompile(`^[\p{L}\p{N}][^\x00-\x1f\x7f]*$`)
	yamlSpecials = regexp.MustCompile(`(?i)^(true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.:eE+-]*)$`)
)

func yamlString(s string) string {
	if plainScalar.MatchString(s) && !yamlSpecials.MatchString(s) &&
		!strings.Contains(s, ": ") && !strings.Contains(s, " #") &&
		!strings.HasSuffix(s, ":") && strings.TrimSpace(s) == s &&
		!strings.ContainsAny(s, "\u2028\u2029\u0085\ufeff") {
		return s
	}
	return jsonString(s)
}

// jsonString quotes s; a JSON string is a valid YAML double-quoted scalar.
func jsonString(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func (fm *frontmatter) render(body string) []byte {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlString(fm.title))
	if fm.summary != "" {
		fmt.Fprintf(&b, "summary: %s\n", yamlString(fm.summary))
	}
	if len(fm.topics) > 0 {
		fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(fm.topics, ", "))
	}
	if fm.audience != "" {
		fmt.Fprintf(&b, "audience: %s\n", fm.audience)
	}
	if len(fm.residence) > 0 {
		fmt.Fprintf(&b, "residence: [%s]\n", strings.Join(fm.residence, ", "))
	}
	if fm.reviewed != "" {
		fmt.Fprintf(&b, "reviewed: %s\n", fm.reviewed)
	}
	if fm.updated != "" {
		fmt.Fprintf(&b, "updated: %s\n", fm.updated)
	}
	if fm.date != "" {
		fmt.Fprintf(&b, "date: %s\n", fm.date)
	}
	if len(fm.aliases) > 0 {
		b.WriteString("aliases:\n")
		for _, a := range fm.aliases {
			fmt.Fprintf(&b, "  - %s\n", jsonString(a))
		}
	}
	if fm.draft {
		b.WriteString("draft: true\n")
	}
	if fm.weight != 0 {
		fmt.Fprintf(&b, "weight: %d\n", fm.weight)
	}
	b.WriteString("---\n")
	if body != "" {
		b.WriteString("\n")
		b.WriteString(body)
	}
	return []byte(b.String())
}
