// Package diag holds positioned problems: what kb reports about a site.
//
// Every stage of a build appends to a List rather than stopping at the first
// problem, so an editor sees everything that is wrong at once. A Problem prints
// as "path:line: message" (or "path:line: warning: message"), the form editors'
// text editors and CI systems annotate.
package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Level says whether a problem stops the build.
type Level int

const (
	Error Level = iota
	Warning
)

func (l Level) String() string {
	if l == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText writes the level as "error" or "warning".
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Problem is one thing wrong with the site, at a place in a file.
type Problem struct {
	Path  string `json:"path"`           // slash-separated, relative to the site folder
	Line  int    `json:"line,omitempty"` // 1-based; 0 when the whole file is meant
	Level Level  `json:"level"`
	Msg   string `json:"message"`
	Hint  string `json:"hint,omitempty"` // what to do about it
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Level == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Msg)
	if p.Hint != "" {
		b.WriteString(" (")
		b.WriteString(p.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// List collects problems; it is safe for concurrent use.
type List struct {
	mu    sync.Mutex
	items []Problem
}

// Add records a problem.
func (l *List) Add(p Problem) {
	l.mu.Lock()
	l.items = append(l.items, p)
	l.mu.Unlock()
}

// Errorf records an error at path:line.
func (l *List) Errorf(path string, line int, format string, args ...any) {
	l.Add(Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at path:line.
func (l *List) Warnf(path string, line int, format string, args ...any) {
	l.Add(Problem{Path: path, Line: line, Level: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Problems returns the problems sorted by path, line, then message.
func (l *List) Problems() []Problem {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]Problem(nil), l.items...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
	// The same problem can be found twice (a file read by two stages).
	uniq := out[:0]
	for i, p := range out {
		if i > 0 && p == out[i-1] {
			continue
		}
		uniq = append(uniq, p)
	}
	return uniq
}

// Count returns the number of errors and warnings.
func (l *List) Count() (errors, warnings int) {
	for _, p := range l.Problems() {
		if p.Level == Warning {
			warnings++
		} else {
			errors++
		}
	}
	return
}

// Err returns an *Errors holding the errors (not the warnings), or nil.
func (l *List) Err() error {
	var errs []Problem
	for _, p := range l.Problems() {
		if p.Level == Error {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &Errors{Problems: errs}
}

// Errors is the error a stage returns: every problem found, one per line.
type Errors struct {
	Problems []Problem
}

func (e *Errors) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// WriteText writes one problem per line.
func WriteText(w io.Writer, ps []Problem) error {
	for _, p := range ps {
		if _, err := fmt.Fprintln(w, p.String()); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the problems as a JSON array.
func WriteJSON(w io.Writer, ps []Problem) error {
	if ps == nil {
		ps = []Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ps)
}

// InvalidUTF8Line returns the 1-based line of the first byte of data that
// is not UTF-8, or 0 when data is valid UTF-8.
func InvalidUTF8Line(data []byte) int {
	if utf8.Valid(data) {
		return 0
	}
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
