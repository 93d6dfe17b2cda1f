package stats

import (
	"fmt"
	"html/template"
	"io"
)

// The HTML report is one file for the team: inline CSS and SVG, no script,
// nothing fetched (its own Content-Security-Policy forbids it), so it can be
// mailed or opened offline.

var palette = []string{"#1f5fa8", "#d9822b", "#2e8540", "#8e3b9e", "#b8352d", "#5c6670", "#0f8a8a", "#a6761d"}

// maxChartLangs languages get their own colour; the rest are "other".
const maxChartLangs = 7

type bar struct {
	X, Y, W, H float64
	Color      string
	Title      string
}

type label struct {
	X, Y   float64
	Text   string
	Anchor string
}

type chart struct {
	W, H   float64
	Bars   []bar
	Labels []label
	Legend []label
	Keys   []bar
}

type htmlData struct {
	*Report
	Monthly, Shares chart
	Order           []string
	Search          map[string]*LangSearches
}

// WriteHTML writes the self-contained report.
func (r *Report) WriteHTML(w io.Writer) error {
	d := htmlData{Report: r, Order: r.langOrder(), Search: map[string]*LangSearches{}}
	for _, s := range r.Searches {
		d.Search[s.Lang] = &s
	}
	colors := map[string]string{}
	for i, l := range r.Langs {
		if i < maxChartLangs {
			colors[l.Lang] = palette[i]
		}
	}
	color := func(code string) (string, string) {
		if c, ok := colors[code]; ok {
			return c, code
		}
		return palette[len(palette)-1], "other"
	}
	d.Monthly = monthChart(r, color)
	d.Shares = shareChart(r, color)
	return htmlReport.Execute(w, d)
}

func monthChart(r *Report, color func(string) (string, string)) chart {
	const left, top, plotH, barW, gap = 48.0, 10.0, 200.0, 28.0, 10.0
	c := chart{W: left + float64(len(r.Months))*(barW+gap) + 20, H: top + plotH + 40}
	var maxV uint64 = 1
	for _, m := range r.Months {
		maxV = max(maxV, m.Visits)
	}
	for i := 0; i <= 4; i++ {
		v := maxV * uint64(i) / 4
		y := top + plotH - plotH*float64(i)/4
		c.Labels = append(c.Labels, label{X: left - 6, Y: y + 4, Text: fmt.Sprint(v), Anchor: "end"})
	}
	for i, m := range r.Months {
		x := left + float64(i)*(barW+gap)
		y := top + plotH
		for _, l := range m.Langs {
			h := plotH * float64(l.Visits) / float64(maxV)
			col, _ := color(l.Lang)
			y -= h
			c.Bars = append(c.Bars, bar{X: x, Y: y, W: barW, H: h, Color: col, Title: fmt.Sprintf("%s %s: %d (%.1f %%)", m.Month, l.Lang, l.Visits, l.Share)})
		}
		c.Labels = append(c.Labels, label{X: x + barW/2, Y: top + plotH + 16, Text: m.Month[2:], Anchor: "middle"})
	}
	seen := map[string]bool{}
	lx := left
	for _, l := range r.Langs {
		col, name := color(l.Lang)
		if seen[name] {
			continue
		}
		seen[name] = true
		c.Keys = append(c.Keys, bar{X: lx, Y: top + plotH + 26, W: 10, H: 10, Color: col})
		c.Legend = append(c.Legend, label{X: lx + 14, Y: top + plotH + 35, Text: name, Anchor: "start"})
		lx += 60
	}
	c.W = max(c.W, lx+20)
	return c
}

func shareChart(r *Report, color func(string) (string, string)) chart {
	const left, rowH, plotW = 50.0, 22.0, 300.0
	c := chart{W: left + plotW + 80, H: float64(len(r.Langs))*rowH + 10}
	for i, l := range r.Langs {
		y := 5 + float64(i)*rowH
		col, _ := color(l.Lang)
		c.Bars = append(c.Bars, bar{X: left, Y: y, W: plotW * l.Share / 100, H: rowH - 6, Color: col, Title: fmt.Sprintf("%s: %d", l.Lang, l.Visits)})
		c.Labels = append(c.Labels, label{X: left - 6, Y: y + 12, Text: l.Lang, Anchor: "end"})
		c.Labels = append(c.Labels, label{X: left + plotW*l.Share/100 + 6, Y: y + 12, Text: fmt.Sprintf("%.1f %%", l.Share), Anchor: "start"})
	}
	return c
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{
	"f1": func(v float64) string { return fmt.Sprintf("%.1f", v) },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Visits and searches, {{.Since}} to {{.Until}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border-bottom:1px solid #ccc;padding:.2rem .6rem;text-align:start}
td.n{text-align:end;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#222}
h2{margin-top:2rem}h3{margin-bottom:.2rem}.note{color:#555}
</style>
</head>
<body>
<h1>Visits and searches</h1>
<p>{{.Since}} to {{.Until}} · {{.Visits}} visits · {{.Stores}} store(s). Counted without cookies, scripts or IP addresses; a search text is shown only when at least 3 searches share it.</p>
<h2>Visits per month by language</h2>
{{with .Monthly}}<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Visits per month by language" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}">
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Color}}"><title>{{.Title}}</title></rect>
{{end}}{{range .Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}{{range .Keys}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Color}}"/>
{{end}}{{range .Legend}}<text x="{{.X}}" y="{{.Y}}">{{.Text}}</text>
{{end}}</svg>{{end}}
<table><thead><tr><th>Month</th><th>Visits</th><th>By language</th></tr></thead><tbody>
{{range .Months}}<tr><td>{{.Month}}</td><td class="n">{{.Visits}}</td><td>{{range $i, $l := .Langs}}{{if $i}}, {{end}}{{.Lang}} {{.Visits}} ({{f1 .Share}} %){{end}}</td></tr>
{{end}}</tbody></table>
<h2>Share by language</h2>
{{with .Shares}}<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Share of visits by language" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}">
{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Color}}"><title>{{.Title}}</title></rect>
{{end}}{{range .Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>{{end}}
{{range $code := .Order}}
<h2 lang="{{$code}}">{{$code}}</h2>
{{with index $.Pages $code}}<h3>Top pages</h3>
<table><tbody>{{range .}}<tr><td class="n">{{.Count}}</td><td>{{.Item}}</td><td>{{.Kind}}</td></tr>{{end}}</tbody></table>{{end}}
{{with index $.Search $code}}<h3>Searches: {{.Total}}</h3>
<p class="note">exact {{index .Outcomes "exact"}} · fuzzy {{index .Outcomes "fuzzy"}} · other language {{index .Outcomes "other-language"}} · no result {{index .Outcomes "none"}}{{if .Rare}} · {{.Rare}} rare searches not shown{{end}}</p>
{{with .Top}}<table><tbody>{{range .}}<tr><td class="n">{{.Count}}</td><td>{{.Item}}</td></tr>{{end}}</tbody></table>{{end}}
{{with .Zero}}<h3>Searches with no result</h3>
<table><tbody>{{range .}}<tr><td class="n">{{.Count}}</td><td>{{.Item}}</td></tr>{{end}}</tbody></table>{{end}}{{end}}
{{with index $.Unvisited $code}}<h3>Never visited ({{len .}})</h3>
<p>{{range $i, $p := .}}{{if $i}} · {{end}}{{$p}}{{end}}</p>{{end}}
{{end}}
{{with .Newsletter}}<h2>Newsletter visits</h2>
<table><thead><tr><th>Edition</th><th>Language</th><th>Page</th><th>Visits</th></tr></thead><tbody>
{{range .}}<tr><td>{{.Edition}}</td><td>{{.Lang}}</td><td>{{.Item}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</tbody></table>{{end}}
<h2>Not counted as visits</h2>
<table><tbody>{{range $k, $v := .Other}}<tr><td>{{$k}}</td><td class="n">{{$v}}</td></tr>{{end}}</tbody></table>
</body>
</html>
`))
