package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"kb/internal/diag"
	"kb/internal/status"
)

// Line formats a problem as "path:line: level: message (hint)".
func Line(p diag.Problem) string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	fmt.Fprintf(&b, ": %s: %s", p.Level, p.Msg)
	if p.Hint != "" {
		fmt.Fprintf(&b, " (%s)", p.Hint)
	}
	return b.String()
}

// WriteText writes the errors, then the warnings, then the summary line.
func (r *Report) WriteText(w io.Writer, strict bool) error {
	var b strings.Builder
	for _, level := range []diag.Level{diag.Error, diag.Warning} {
		for _, p := range r.Problems {
			if p.Level == level {
				b.WriteString(Line(p))
				b.WriteByte('\n')
			}
		}
	}
	b.WriteString(r.Summary(strict))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the last line of the text report.
func (r *Report) Summary(strict bool) string {
	e, w := r.Count()
	scope := fmt.Sprintf("%s in %s", count(r.Pages, "page"), count(r.Languages, "language"))
	switch {
	case e == 0 && w == 0:
		return "kb check: no problems; " + scope
	case e == 0 && strict:
		return fmt.Sprintf("kb check: %s, which fail the check with --strict; %s", count(w, "warning"), scope)
	default:
		return fmt.Sprintf("kb check: %s, %s; %s", count(e, "error"), count(w, "warning"), scope)
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// WriteJSON writes the report as one JSON object, for tools.
func (r *Report) WriteJSON(w io.Writer, strict bool) error {
	e, wn := r.Count()
	problems := r.Problems
	if problems == nil {
		problems = []diag.Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		OK           bool           `json:"ok"`
		Errors       int            `json:"errors"`
		Warnings     int            `json:"warnings"`
		Strict       bool           `json:"strict"`
		Pages        int            `json:"pages"`
		Languages    int            `json:"languages"`
		Problems     []diag.Problem `json:"problems"`
		Translations *status.Status `json:"translations"`
	}{!r.Failed(strict), e, wn, strict, r.Pages, r.Languages, problems, r.Status})
}
