package source

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"

	"kb/internal/diag"
)

// Meta is a page's frontmatter.
type Meta struct {
	Title     string
	Summary   string
	Topics    []string
	Audience  string
	Residence []string
	Date      time.Time
	Updated   time.Time
	Reviewed  time.Time
	Aliases   []string
	Slug      string
	Draft     bool
	Weight    int
	Terms     []string // glossary: other forms of the term (OCMW for CPAS)
	Audio     *Audio   // a recording of the page

	// Newsletter lists the languages whose newsletter lists this news item
	// even though it has no translation in them (news only).
	Newsletter []string
	// Since is the first day of the news a newsletter edition gathers
	// (newsletters only; default: the day after the previous edition).
	Since time.Time
	// AliasLines holds the file line of each alias, when the frontmatter
	// gives one per line (YAML); otherwise it is nil.
	AliasLines []int

	// Lines holds the file line of each key that was set, for messages.
	Lines map[string]int
}

// AliasLine returns the file line of the i-th alias.
func (m *Meta) AliasLine(i int) int {
	if i < len(m.AliasLines) {
		return m.AliasLines[i]
	}
	return m.Line("aliases")
}

// Line returns the file line of key, or of the frontmatter's start.
func (m *Meta) Line(key string) int {
	if l, ok := m.Lines[key]; ok {
		return l
	}
	return m.Lines[""]
}

// Keys lists the frontmatter keys, in the order of the documentation.
var Keys = []string{"title", "summary", "topics", "audience", "residence", "date", "updated", "reviewed", "aliases", "slug", "draft", "weight", "newsletter", "since", "terms", "audio"}

// fieldError is a problem at a line of the file.
type fieldError struct {
	line   int
	msg    string
	syntax bool // the frontmatter does not parse: nothing else about it is known
}

// raw captures the frontmatter bytes; adrg/frontmatter finds and splits them.
type raw struct {
	format string
	data   []byte
}

func capture(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		r := v.(*raw)
		r.format, r.data = format, append([]byte(nil), data...)
		return nil
	}
}

var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", capture("yaml")),
	frontmatter.NewFormat("+++", "+++", capture("toml")),
}

// splitFrontmatter returns the frontmatter, the body and the file line of the
// body's first line. firstLine is the file line of the frontmatter's first line.
func splitFrontmatter(data []byte) (r raw, body []byte, firstLine, bodyLine int, err error) {
	rest, err := frontmatter.Parse(bytes.NewReader(data), &r, formats...)
	if err != nil {
		return r, nil, 0, 0, err
	}
	if r.format == "" {
		lead := strings.TrimSpace(firstNonBlank(data))
		if lead == "---" || lead == "+++" {
			return r, nil, 0, 0, errors.New("the frontmatter is not closed: add a line with " + lead + " after it")
		}
		return r, nil, 0, 0, errors.New("no frontmatter: start the file with a line ---, the title and other fields, and another line ---")
	}
	off := len(data) - len(rest)
	bodyLine = bytes.Count(data[:off], []byte("\n")) + 1
	// The opening delimiter is the first non-blank line.
	firstLine = 1
	for _, line := range strings.Split(string(data), "\n") {
		firstLine++
		if strings.TrimSpace(line) != "" {
			break
		}
	}
	// data[off:] is rest, but without the parser's copy (twice the file's
	// size): every page's body is held until the site is written.
	return r, data[off:], firstLine, bodyLine, nil
}

func firstNonBlank(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			return line
		}
	}
	return ""
}

// decodeMeta decodes frontmatter strictly. firstLine is the file line of the
// frontmatter's first line.
func decodeMeta(r raw, firstLine int) (Meta, []fieldError) {
	m := Meta{Lines: map[string]int{"": firstLine - 1}}
	var values map[string]any
	var errs []fieldError
	switch r.format {
	case "yaml":
		var doc yaml.Node
		if err := yaml.Unmarshal(r.data, &doc); err != nil {
			return m, []fieldError{yamlError(err, r.data, firstLine)}
		}
		if len(doc.Content) == 0 {
			return m, nil
		}
		root := doc.Content[0]
		if root.Kind != yaml.MappingNode {
			return m, []fieldError{{line: firstLine + root.Line - 1, msg: "the frontmatter must be a list of key: value lines"}}
		}
		values = map[string]any{}
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			line := firstLine + k.Line - 1
			if _, dup := m.Lines[k.Value]; dup {
				errs = append(errs, fieldError{line: line, msg: fmt.Sprintf("%q is set twice", k.Value)})
			}
			m.Lines[k.Value] = line
			if k.Value == "aliases" && v.Kind == yaml.SequenceNode {
				m.AliasLines = nil
				for _, item := range v.Content {
					m.AliasLines = append(m.AliasLines, firstLine+item.Line-1)
				}
			}
			var x any
			if err := v.Decode(&x); err != nil {
				errs = append(errs, fieldError{line: line, msg: fmt.Sprintf("%s: %v", k.Value, err)})
				continue
			}
			// A YAML date without quotes decodes as a time; keep the text.
			if v.Tag == "!!timestamp" {
				x = v.Value
			}
			values[k.Value] = x
		}
	case "toml":
		_, err := toml.Decode(string(r.data), &values)
		if err != nil {
			line, msg := diag.TOMLError(err)
			if line == 0 {
				line = 1
			}
			return m, []fieldError{{line: firstLine + line - 1, msg: "invalid TOML: " + msg, syntax: true}}
		}
		for k := range values {
			m.Lines[k] = firstLine + diag.TOMLKeyLine(r.data, k) - 1
		}
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if msg := m.set(k, values[k]); msg != "" {
			errs = append(errs, fieldError{line: m.Line(k), msg: msg})
		}
	}
	return m, errs
}

// yamlError positions a syntax error of yaml.v3 in data, the frontmatter.
// Its parser reports them only as strings, "yaml: line 3: ..." (no
// exported type has the line; yaml.TypeError is for decoding, done here
// node by node with the node's own line), so reading the line from the
// string is the only way, and it is done here only.
//
// yaml.v3 counts that line from 1 for its scanner's errors but from 0 for
// its parser's (decode.go, parser.fail, adds 1 for scanner errors only), and
// it gives the line of the construct being parsed: an unclosed [ or { is
// found only at the next key or the end. So a parser problem (yamlParser)
// gets 1 added, which points at the [ line (or, when the construct starts
// on the first line, at the line where the parser gave up), and a line past
// the frontmatter's last (the end of the text) becomes that last line.
func yamlError(err error, data []byte, firstLine int) fieldError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	n := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, ok := strings.Cut(rest, ": "); ok {
			if v, e := strconv.Atoi(num); e == nil {
				n, msg = v, text
				if _, parser := yamlParser(msg); parser {
					n++
				}
			}
		}
	}
	last := 1
	for i, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) != "" {
			last = i + 1
		}
	}
	n = max(1, min(n, last))
	if hint, _ := yamlParser(msg); hint != "" {
		msg += ": " + hint
	}
	return fieldError{line: firstLine + n - 1, msg: "invalid YAML: " + msg, syntax: true}
}

// yamlParser reports whether msg is a problem of yaml.v3's parser
// (parserc.go, v3.0.1), not of its scanner, with a hint for editors for the
// common ones.
func yamlParser(msg string) (hint string, parser bool) {
	switch msg {
	case "did not find expected node content":
		return "a value is missing, or a [ or { is not closed", true
	case "did not find expected '-' indicator":
		return "the items of a list are lines starting with -, indented alike", true
	case "did not find expected key":
		return "each line is key: value, and the items of a list are indented under their key", true
	case "did not find expected ',' or ']'":
		return "a list opened with [ must be closed with ], its items separated by commas", true
	case "did not find expected ',' or '}'":
		return "a { must be closed with }, its fields separated by commas", true
	case "did not find expected <stream-start>", "did not find expected <document start>",
		"found undefined tag handle", "found duplicate %YAML directive",
		"found incompatible YAML document", "found duplicate %TAG directive":
		return "", true
	}
	return "", false
}

// set stores one key; it returns a message when the key or value is wrong.
func (m *Meta) set(key string, v any) string {
	switch key {
	case "title":
		return str(v, &m.Title, key)
	case "summary":
		return str(v, &m.Summary, key)
	case "audience":
		if msg := str(v, &m.Audience, key); msg != "" {
			return msg
		}
		if m.Audience != "people" && m.Audience != "professionals" {
			return fmt.Sprintf("audience is %q: use people or professionals", m.Audience)
		}
	case "slug":
		return str(v, &m.Slug, key)
	case "topics":
		return list(v, &m.Topics, key)
	case "residence":
		return list(v, &m.Residence, key)
	case "aliases":
		return list(v, &m.Aliases, key)
	case "terms":
		return list(v, &m.Terms, key)
	case "audio":
		a, msg := decodeAudio(v)
		m.Audio = a
		return msg
	case "date":
		return date(v, &m.Date, key)
	case "updated":
		return date(v, &m.Updated, key)
	case "reviewed":
		return date(v, &m.Reviewed, key)
	case "since":
		return date(v, &m.Since, key)
	case "newsletter":
		if msg := list(v, &m.Newsletter, key); msg != "" {
			return msg
		}
		if m.Newsletter == nil {
			m.Newsletter = []string{}
		}
	case "draft":
		b, ok := v.(bool)
		if !ok {
			return "draft must be true or false"
		}
		m.Draft = b
	case "weight":
		switch n := v.(type) {
		case int:
			m.Weight = n
		case int64:
			m.Weight = int(n)
		default:
			return "weight must be a whole number"
		}
	default:
		hint := ""
		if k := closest(key, Keys); k != "" {
			hint = fmt.Sprintf(": did you mean %q?", k)
		}
		return fmt.Sprintf("unknown frontmatter key %q%s (known keys: %s)", key, hint, strings.Join(Keys, ", "))
	}
	return ""
}

func str(v any, dst *string, key string) string {
	switch x := v.(type) {
	case string:
		*dst = strings.TrimSpace(x)
	case nil:
		*dst = ""
	case int, int64, float64, bool:
		*dst = fmt.Sprint(x)
	default:
		return fmt.Sprintf("%s must be text", key)
	}
	return ""
}

func list(v any, dst *[]string, key string) string {
	switch x := v.(type) {
	case nil:
		*dst = nil
	case string:
		*dst = []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				s = fmt.Sprint(e)
			}
			out = append(out, strings.TrimSpace(s))
		}
		*dst = out
	default:
		return fmt.Sprintf("%s must be a list, e.g. %s: [a, b]", key, key)
	}
	return ""
}

func date(v any, dst *time.Time, key string) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strings.TrimSpace(x)
	case time.Time:
		*dst = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return ""
	default:
		return fmt.Sprintf("%s must be a date like 2026-05-31", key)
	}
	// Accept a full timestamp but keep the day: pages are dated by day.
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return fmt.Sprintf("%s is %q: write the date as YYYY-MM-DD, e.g. 2026-05-31", key, s)
	}
	*dst = t
	return ""
}

// closest returns the known key within two edits of key, for hints.
func closest(key string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// Audio is a recording of the page: a file of its folder, its length as
// the editor wrote it (kb reads the real one from the file), and whether
// the page's own text is its transcript.
type Audio struct {
	File       string
	Duration   time.Duration // 0 when not written
	Transcript string        // "self": the page's text is what is said
}

func decodeAudio(v any) (*Audio, string) {
	const form = "audio must be a table, e.g. audio: { file: fr.mp3, duration: \"2:35\", transcript: self }"
	m, ok := v.(map[string]any)
	if !ok {
		return nil, form
	}
	a := &Audio{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		x := m[k]
		switch k {
		case "file":
			if msg := str(x, &a.File, "audio file"); msg != "" {
				return nil, msg
			}
			if a.File == "" || strings.ContainsAny(a.File, "/\\") {
				return nil, "audio file must be the name of a file in the page's folder, e.g. fr.mp3"
			}
		case "duration":
			var s string
			if msg := str(x, &s, "audio duration"); msg != "" {
				return nil, msg
			}
			d, ok := parseClock(s)
			if !ok {
				return nil, fmt.Sprintf("audio duration is %q: write minutes:seconds, e.g. \"2:35\"", s)
			}
			a.Duration = d
		case "transcript":
			if msg := str(x, &a.Transcript, "audio transcript"); msg != "" {
				return nil, msg
			}
			if a.Transcript != "self" {
				return nil, fmt.Sprintf("audio transcript is %q: the only value is self (the page's text is what the recording says)", a.Transcript)
			}
		default:
			return nil, fmt.Sprintf("unknown audio key %q (known: file, duration, transcript)", k)
		}
	}
	if a.File == "" {
		return nil, "audio needs a file, e.g. audio: { file: fr.mp3 }"
	}
	return a, ""
}

// parseClock reads "m:ss", "h:mm:ss" or a number of seconds.
func parseClock(s string) (time.Duration, bool) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) > 3 || parts[0] == "" {
		return 0, false
	}
	var d time.Duration
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || i > 0 && (n > 59 || len(p) != 2) {
			return 0, false
		}
		d = d*60 + time.Duration(n)
	}
	return d * time.Second, true
}
