package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/sitetest"
)

func TestNewCommand(t *testing.T) {
	data, err := os.ReadFile("../../internal/check/testdata/status.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.Write(t, string(data))
	in := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	tests := []struct {
		name         string
		args         []string
		code         int
		stdout, errs string
	}{
		{"news", []string{"news", "Aide médicale urgente : nouveautés", "--lang", "fr,en", "--site", dir, "--date", "2026-11-24"}, 0,
			in("content/news/2026-11-24-aide-medicale-urgente-nouveautes/fr.md") + "\n" + in("content/news/2026-11-24-aide-medicale-urgente-nouveautes/en.md") + "\n",
			"translate the title in each file"},
		{"flags first", []string{"--site", dir, "--date", "2026-11-25", "--lang", "ar", "news", "المساعدة الطبية العاجلة"}, 0,
			in("content/news/2026-11-25-almsada-altbya-alajla/ar.md") + "\n", "Next:"},
		{"fiche", []string{"fiche", "dental-care", "--site", dir}, 0, in("content/fiches/dental-care/fr.md") + "\n", "Next:"},
		{"procedure", []string{"procedure", "Carte médicale", "--lang", "fr,en", "--site", dir}, 0,
			in("content/procedures/carte-medicale/fr.md") + "\n" + in("content/procedures/carte-medicale/en.md") + "\n", "Next:"},
		{"translation", []string{"translation", "fiches/only-en", "--site", dir, "fr"}, 0, in("content/fiches/only-en/fr.md") + "\n",
			"This draft is a copy of " + in("content/fiches/only-en/en.md")},
		{"exists", []string{"fiche", "amu", "--lang", "en", "--site", dir}, 1, "", "kb new: content/fiches/amu/en.md already exists: kb new never overwrites a file"},
		{"unknown language", []string{"news", "Hiver", "--lang", "nl", "--site", dir}, 1, "",
			`kb new: unknown language "nl": the site's languages are ar, en, fr`},
		{"no title", []string{"news", "--site", dir}, 2, "", "usage:"},
		{"unknown kind", []string{"faq", "x", "--site", dir}, 2, "", "usage:"},
		{"key for a fiche", []string{"fiche", "x", "--key", "y", "--site", dir}, 2, "", "usage:"},
		{"bad date", []string{"news", "Hiver", "--date", "tomorrow", "--site", dir}, 2, "", "write the date as YYYY-MM-DD"},
		{"help", []string{"-h"}, 0, "", "kb new translation SECTION/KEY LANG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(append([]string{"new"}, tt.args...), &out, &errb); code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, errb.String())
			}
			if out.String() != tt.stdout {
				t.Errorf("stdout = %q, want %q", out.String(), tt.stdout)
			}
			if !strings.Contains(errb.String(), tt.errs) {
				t.Errorf("stderr lacks %q:\n%s", tt.errs, errb.String())
			}
		})
	}
	// The site with every new page still passes kb check.
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--site", dir, "--now", "2026-11-25"}, &out, &errb); code != 0 {
		t.Errorf("kb check after kb new: exit %d\n%s%s", code, out.String(), errb.String())
	}
}
