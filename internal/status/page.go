package status

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"

	"kb/internal/site"
)

var (
	//go:embed status.html
	statusHTML string
	//go:embed status.css
	statusCSS string

	statusTmpl = template.Must(template.New("status").Parse(statusHTML))
)

// CSP is the Content-Security-Policy source of the status page's
// inline stylesheet ('sha256-…'), for a server's style-src.
var CSP = func() string {
	sum := sha256.Sum256([]byte(statusCSS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// Page renders the translation status of s as a standalone HTML page
// for editors: no script, no external resource, not for search engines. It
// depends only on the site, so a build stays deterministic.
func Page(s *site.Site) ([]byte, error) {
	st := New(s)
	v := statusView{CSS: template.CSS(statusCSS), AsOf: st.AsOf, Count: len(st.Pages), Columns: len(st.Languages) + 1}
	for _, code := range st.Languages {
		l := s.Langs.Get(code)
		v.Languages = append(v.Languages, langView{Code: code, Name: l.Name, Tag: l.TagString(), Dir: l.Dir})
	}
	v.None = st.hasNone()
	labels := map[State]string{Current: "up to date", Outdated: "outdated", Draft: "draft", Missing: "missing", None: "not expected"}
	for _, r := range st.Pages {
		if len(v.Sections) == 0 || v.Sections[len(v.Sections)-1].Name != r.Section {
			v.Sections = append(v.Sections, sectionView{Name: r.Section})
		}
		src := s.Langs.Get(r.Source)
		row := rowView{ID: r.Section + "/" + r.Key, Title: r.Title, Tag: src.TagString(), Dir: src.Dir}
		var srcCell Cell
		for _, c := range r.Cells {
			if c.Lang == r.Source {
				srcCell = c
				row.URL = c.URL
			}
		}
		for _, c := range r.Cells {
			cv := cellView{State: c.State, Symbol: symbols[c.State], Label: labels[c.State], Source: c.Lang == r.Source, URL: c.URL}
			// A current translation shows ✓ alone: its date says nothing more.
			if cv.Source || c.State != Current {
				cv.Updated = c.Updated
			}
			row.Cells = append(row.Cells, cv)
			if c.State == Outdated {
				v.Outdated = append(v.Outdated, outdatedView{Path: c.Path, Updated: dateOrNone(c.Updated), Source: srcCell.Path, SourceUpdated: dateOrNone(srcCell.Updated)})
			}
		}
		sec := &v.Sections[len(v.Sections)-1]
		sec.Rows = append(sec.Rows, row)
	}
	for _, t := range []struct {
		label string
		n     func(Totals) int
	}{
		{"up to date", func(t Totals) int { return t.Current }},
		{"outdated", func(t Totals) int { return t.Outdated }},
		{"draft", func(t Totals) int { return t.Draft }},
		{"missing", func(t Totals) int { return t.Missing }},
	} {
		tv := totalView{Label: t.label}
		for _, code := range st.Languages {
			tv.Counts = append(tv.Counts, t.n(st.Totals[code]))
		}
		v.Totals = append(v.Totals, tv)
	}
	var b bytes.Buffer
	if err := statusTmpl.Execute(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func dateOrNone(d string) string {
	if d == "" {
		return "no date"
	}
	return d
}

type statusView struct {
	None      bool // some page is not expected in some language
	CSS       template.CSS
	AsOf      string
	Count     int
	Columns   int
	Languages []langView
	Sections  []sectionView
	Totals    []totalView
	Outdated  []outdatedView
}

type langView struct{ Code, Name, Tag, Dir string }

type sectionView struct {
	Name string
	Rows []rowView
}

type rowView struct {
	ID, Title, Tag, Dir, URL string
	Cells                    []cellView
}

type cellView struct {
	State         State
	Symbol, Label string
	Source        bool
	Updated, URL  string
}

type totalView struct {
	Label  string
	Counts []int
}

type outdatedView struct{ Path, Updated, Source, SourceUpdated string }
