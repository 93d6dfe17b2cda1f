package render

import (
	"html/template"

	"kb/internal/lang"
	"kb/internal/markdown"
)

// funcs are the functions the templates may call besides html/template's.
var funcs = template.FuncMap{"bidi": bidi}

// bidi writes a title or a summary in language l for the inside of an
// element: {{bidi .Language .Meta.Title}}. In a right-to-left language its
// left-to-right runs are isolated as in a body (markdown.IsolateText), so
// that «aide médicale urgente» (AMU) keeps its order in an Arabic title;
// otherwise, and when l is nil, it is escaped as {{.Meta.Title}} would be.
// Not for <title>, an attribute, JSON or a feed, where markup is wrong.
func bidi(l *lang.Language, s string) template.HTML {
	if l != nil && l.RTL() {
		return template.HTML(markdown.IsolateText(s))
	}
	return template.HTML(markdown.EscapeText(s))
}
