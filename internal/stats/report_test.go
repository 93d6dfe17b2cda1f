package stats

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sampleBatch is a few months of a small site.
func sampleBatch() Batch {
	b := Batch{}
	add := func(day string, k Key, n uint64) { b.Add(day, k, n) }
	for i, day := range []string{"2025-01-15", "2025-02-15", "2025-03-15"} {
		m := uint64(i + 1)
		add(day, Key{Visit, "fr", "fiches", "fiches/urgent-care"}, 72*m)
		add(day, Key{Visit, "nl", "home", "home"}, 27*m)
		add(day, Key{Visit, "en", "procedures", "procedures/amu-steps"}, 1*m)
	}
	add("2025-03-16", Key{Visit, "fr", "list", "a-z"}, 5)
	add("2025-03-16", Key{Visit, "ar", "missing", "procedures/amu-steps"}, 2)
	add("2025-03-16", Key{Search, "fr", Exact, "aide médicale urgente"}, 4)
	add("2025-03-16", Key{Search, "fr", Fuzzy, "aide medicale urgente"}, 1)
	add("2025-03-16", Key{Search, "fr", None, "mutuelle #"}, 3)
	add("2025-03-16", Key{Search, "fr", None, "rare query"}, 2)
	add("2025-03-17", Key{Search, "ti", None, "ሕክምና"}, 3)
	add("2025-03-17", Key{Search, "ti", OtherLanguage, "9ter"}, 1)
	add("2025-03-17", Key{NL, "nl", "2025-03", "home"}, 9)
	add("2025-03-17", Key{Kind: Other, Class: Bot}, 40)
	add("2025-03-17", Key{Kind: Other, Class: Redirect}, 12)
	add("2024-12-31", Key{Visit, "fr", "home", "home"}, 1000) // outside the period
	return b
}

func TestReportGolden(t *testing.T) {
	rep := NewReport(sampleBatch(), Options{Since: "2025-01-01", Until: "2025-03-31", Paths: testPaths(t), Stores: 2})
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.txt", func(b *bytes.Buffer) error { return rep.WriteText(b) }},
		{"report.json", func(b *bytes.Buffer) error { return rep.WriteJSON(b) }},
		{"report.csv", func(b *bytes.Buffer) error { return rep.WriteCSV(b) }},
		{"report.html", func(b *bytes.Buffer) error { return rep.WriteHTML(b) }},
	} {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.write(&buf); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", f.name)
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, buf.Bytes()) {
				t.Errorf("%s differs from the golden file (go test -update to rewrite):\n%s", f.name, buf.String())
			}
		})
	}
}

func TestReportThreshold(t *testing.T) {
	rep := NewReport(sampleBatch(), Options{Since: "2025-01-01", Until: "2025-03-31"})
	byLang := map[string]LangSearches{}
	for _, s := range rep.Searches {
		byLang[s.Lang] = s
	}
	fr := byLang["fr"]
	var top []string
	for _, c := range fr.Top {
		top = append(top, c.Item)
	}
	// 4 + 1 searches, but the two spellings are different texts: only the
	// one searched 4 times, and "mutuelle #" (3) reach K.
	if strings.Join(top, "|") != "aide médicale urgente|mutuelle #" {
		t.Errorf("fr top: %q", top)
	}
	if fr.Rare != 3 {
		t.Errorf("fr rare = %d, want 3 (aide medicale urgente 1 + rare query 2)", fr.Rare)
	}
	if len(fr.Zero) != 1 || fr.Zero[0].Item != "mutuelle #" {
		t.Errorf("fr zero: %+v", fr.Zero)
	}
	ti := byLang["ti"]
	if len(ti.Zero) != 1 || ti.Zero[0].Item != "ሕክምና" || ti.Outcomes[OtherLanguage] != 1 {
		t.Errorf("ti: %+v", ti)
	}
	// The rare texts appear in no output.
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return rep.WriteText(b) },
		func(b *bytes.Buffer) error { return rep.WriteJSON(b) },
		func(b *bytes.Buffer) error { return rep.WriteCSV(b) },
		func(b *bytes.Buffer) error { return rep.WriteHTML(b) },
	} {
		var buf bytes.Buffer
		w(&buf)
		for _, s := range []string{"rare query", "aide medicale urgente", "9ter"} {
			if strings.Contains(buf.String(), s) {
				t.Errorf("a query searched fewer than %d times is shown: %q", K, s)
			}
		}
	}
	// Shares: 72/27/1 of the visits in January.
	jan := rep.Months[0]
	if jan.Month != "2025-01" || jan.Langs[0].Lang != "fr" || jan.Langs[0].Share != 72 || jan.Langs[1].Share != 27 {
		t.Errorf("January: %+v", jan)
	}
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		name, now, since, until string
		wantSince, wantUntil    string
		err                     bool
	}{
		{"default: 12 months", "2026-12-02", "", "", "2026-01-01", "2026-12-02", false},
		{"until only", "2026-12-02", "", "2025-06-30", "2024-07-01", "2025-06-30", false},
		{"both", "2026-12-02", "2025-01-01", "2025-12-31", "2025-01-01", "2025-12-31", false},
		{"bad date", "2026-12-02", "2025-1-1", "", "", "", true},
		{"reversed", "2026-12-02", "2025-12-31", "2025-01-01", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, u, err := Period(tt.now, tt.since, tt.until)
			if (err != nil) != tt.err || s != tt.wantSince || u != tt.wantUntil {
				t.Errorf("Period = %s %s %v", s, u, err)
			}
		})
	}
}
