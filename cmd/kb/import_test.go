package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smallBackup writes a SPIP backup with one published article.
func smallBackup(t *testing.T) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "dump.sqlite")
	db, err := sql.Open("sqlite", name) // registered by kb/internal/spip
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE spip_articles (id_article bigint(21) NOT NULL, titre text, texte longtext, statut varchar(10), lang varchar(10), id_trad bigint(21), date_modif datetime)`,
		`INSERT INTO spip_articles VALUES (1, 'Aide médicale urgente', '{{AMU}} [->art2]', 'publie', 'fr', 0, '2024-01-02 03:04:05')`,
		`INSERT INTO spip_articles VALUES (2, 'Brouillon', '', 'prepa', 'fr', 0, '')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return name
}

func TestImportCommand(t *testing.T) {
	backup := smallBackup(t)
	site := t.TempDir()
	report := filepath.Join(t.TempDir(), "report.json")
	var out, errb bytes.Buffer
	// Flags after the backup, as people type them.
	if code := run([]string{"import", "spip", backup, "--site", site, "--report", report}, &out, &errb); code != 0 {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
	for _, s := range []string{"fiches", "article 2: status \"prepa\"", "link to article 2", "1 files written", "Wrote the mapping file"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
	page, err := os.ReadFile(filepath.Join(site, "content/fiches/aide-medicale-urgente/fr.md"))
	if err != nil || !strings.Contains(string(page), "**AMU** Brouillon") {
		t.Errorf("page: %v\n%s", err, page)
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Files   map[string]map[string]int `json:"files"`
		Skipped []struct{ Object string } `json:"skipped"`
	}
	if err := json.Unmarshal(data, &rep); err != nil || rep.Files["fiches"]["fr"] != 1 || len(rep.Skipped) != 1 {
		t.Errorf("report: %v %+v\n%s", err, rep, data)
	}

	// An edited file stops the next import, with exit status 1.
	os.WriteFile(filepath.Join(site, "content/fiches/aide-medicale-urgente/fr.md"), []byte("edited\n"), 0o644)
	out.Reset()
	errb.Reset()
	if code := run([]string{"import", "spip", "--site", site, backup}, &out, &errb); code != 1 {
		t.Errorf("import over an edited file: exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "Conflicts") || !strings.Contains(errb.String(), "--force") {
		t.Errorf("conflict not explained:\n%s\n%s", out.String(), errb.String())
	}
	if code := run([]string{"import", "spip", "--force", "--site", site, backup}, &out, &errb); code != 0 {
		t.Errorf("--force: exit %d:\n%s", code, errb.String())
	}
}

func TestImportCommandErrors(t *testing.T) {
	notSQLite := filepath.Join(t.TempDir(), "dump.sqlite")
	os.WriteFile(notSQLite, []byte("<?php echo 'not a backup';"), 0o644)
	site := filepath.Join(t.TempDir(), "site")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "the only source is spip"},
		{[]string{"import", "wordpress", "x"}, 2, "the only source is spip"},
		{[]string{"import", "spip"}, 2, "want one BACKUP file"},
		{[]string{"import", "spip", "a", "b"}, 2, "want one BACKUP file"},
		{[]string{"import", "spip", "-h"}, 0, "--img"},
		{[]string{"help", "import"}, 0, "kb import spip BACKUP"},
		{[]string{"import", "spip", "--nope", "x"}, 2, "flag provided but not defined"},
		{[]string{"import", "spip", notSQLite, "--site", site}, 1, "is not an SQLite file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if all := out.String() + errb.String(); !strings.Contains(all, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, all)
			}
		})
	}
	if _, err := os.Stat(site); !os.IsNotExist(err) {
		t.Errorf("a bad backup created the site folder")
	}
}
