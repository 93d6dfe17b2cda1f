package render

// TemplateError is an error of a site owner's template when a page is
// rendered; Path is the template's file (templates/<kind>.html).
type TemplateError struct {
	Path string
	Err  error
}

func (e *TemplateError) Error() string { return e.Path + ": " + e.Err.Error() }

func (e *TemplateError) Unwrap() error { return e.Err }
