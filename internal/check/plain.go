package check

import (
	"fmt"
	"slices"

	"kb/internal/diag"
	"kb/internal/markdown"
	"kb/internal/plain"
	"kb/internal/site"
)

// plainLanguage warns, in the sections of [plain] (fiches by default) and
// not on pages for professionals, about sentences and paragraphs over the
// language's limits and pages whose LIX is too high (package plain).
func (c *checker) plainLanguage() {
	set := c.site.Settings.Plain
	md := markdown.New(nil)
	for _, g := range c.site.Groups {
		if !slices.Contains(set.Sections, g.Section) {
			continue
		}
		for _, code := range codes(g) {
			p := g.Pages[code]
			if p.Meta.Audience == "professionals" {
				continue
			}
			c.plainPage(p, set.For(code), md.Render(p.File.Body, nil).Paragraphs)
		}
	}
}

func (c *checker) plainPage(p *site.Page, l plain.Limits, paras []markdown.Paragraph) {
	line := func(body int) int { return p.BodyLine + body - 1 }
	var texts []string
	for _, para := range paras {
		texts = append(texts, para.Text)
		words := 0
		for _, s := range plain.Sentences(para.Text) {
			n := l.Length(s)
			words += n
			if l.SentenceWords > 0 && n > l.SentenceWords {
				c.list.Add(diag.Problem{Path: p.Path, Line: line(para.LineAt(s.Start)), Level: diag.Warning,
					Msg:  fmt.Sprintf("sentence of %d words (limit %d): %q", n, l.SentenceWords, clip(s.Text)),
					Hint: "split it: one idea per sentence"})
			}
		}
		if l.ParagraphWords > 0 && words > l.ParagraphWords {
			c.list.Add(diag.Problem{Path: p.Path, Line: line(para.Line), Level: diag.Warning,
				Msg:  fmt.Sprintf("paragraph of %d words (limit %d)", words, l.ParagraphWords),
				Hint: "split it, or make a list of its steps"})
		}
	}
	sc := l.Measure(texts)
	if l.LIX > 0 && sc.Words >= l.MinWords && sc.LIX > l.LIX {
		c.list.Add(diag.Problem{Path: p.Path, Line: p.BodyLine, Level: diag.Warning,
			Msg: fmt.Sprintf("hard to read: LIX %.0f (limit %.0f): %.1f words a sentence, %.0f %% long words",
				sc.LIX, l.LIX, float64(sc.Words)/float64(sc.Sentences), 100*float64(sc.Long)/float64(sc.Words)),
			Hint: "use shorter sentences and everyday words"})
	}
}

// clip shortens a sentence for a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= 60 {
		return s
	}
	return string(r[:57]) + "…"
}
