package source

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"kb/internal/diag"
)

// TestFormatPageRoundTrip writes pages with FormatPage and reads them back
// with the build's parser: every field comes back equal.
func TestFormatPageRoundTrip(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	tests := []struct {
		name    string
		section string
		key     string
		meta    Meta
		body    string
		blank   []string
	}{
		{name: "fiche", section: Fiches, key: "urgent-medical-aid", meta: Meta{
			Title: "Aide médicale urgente", Summary: "Qui paie: le CPAS # pas vous", Topics: []string{"access-to-care", "Not A Key"},
			Audience: "people", Residence: []string{"no-legal-residence"}, Updated: d("2026-05-31"), Reviewed: d("2026-05-30"),
			Aliases: []string{"/spip.php?article12", "/aide: médicale"}, Slug: "amu", Weight: -3, Draft: true},
			body: "Text.\n"},
		{name: "news", section: News, key: "2026-06-01-winter", meta: Meta{
			Title: "true", Date: d("2026-06-01"), Newsletter: []string{}, Audience: "professionals"}, body: "News.\n"},
		{name: "edition", section: Newsletters, key: "2026-11", meta: Meta{
			Title: `"Quoted" \ back`, Date: d("2026-11-15"), Since: d("2026-07-01")}},
		{name: "glossary", section: Glossary, key: "cpas", meta: Meta{
			Title: "CPAS", Summary: "Centre public\u2028d'action sociale", Terms: []string{"OCMW", "O.C.M.W."},
			Audio: &Audio{File: "fr.mp3", Duration: 155 * time.Second, Transcript: "self"}}},
		{name: "blanks", section: Fiches, key: "x", meta: Meta{Title: "عنوان", Audience: "people"},
			blank: []string{"summary", "topics", "residence"}, body: "Body\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := FormatPage(tt.meta, tt.body, tt.blank...)
			var problems diag.List
			f := parseFile("content/"+tt.section+"/"+tt.key+"/fr.md", tt.section, tt.key, "fr", data, &problems)
			if len(problems.Problems()) > 0 || f == nil {
				t.Fatalf("%s\nproblems: %v", data, problems.Problems())
			}
			got := f.Meta
			got.Lines, got.AliasLines = nil, nil
			for _, l := range []*[]string{&got.Topics, &got.Residence, &got.Aliases, &got.Terms} {
				if len(*l) == 0 {
					*l = nil // a blank list reads as an empty one
				}
			}
			if !reflect.DeepEqual(got, tt.meta) {
				t.Errorf("%s\ngot  %+v\nwant %+v", data, got, tt.meta)
			}
			if want := strings.TrimSuffix("\n"+tt.body, "\n"); strings.TrimSuffix(string(f.Body), "\n") != want && tt.body != "" {
				t.Errorf("body %q, want %q", f.Body, tt.body)
			}
			for _, k := range tt.blank {
				if !strings.Contains(string(data), "\n"+k+": ") {
					t.Errorf("no blank %s in\n%s", k, data)
				}
			}
			if len(tt.meta.Aliases) > 0 && len(f.Meta.AliasLines) != len(tt.meta.Aliases) {
				t.Errorf("alias lines %v: want one line per alias", f.Meta.AliasLines)
			}
		})
	}
}
