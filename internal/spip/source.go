package spip

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go)
)

// The tables and columns the importer reads. Other columns are ignored and
// missing ones read as empty, so that backups of other SPIP versions load.
var schema = []struct {
	table    string
	required bool
	cols     []string
	order    string
}{
	{"spip_articles", true, []string{"id_article", "surtitre", "titre", "soustitre", "id_rubrique", "descriptif", "chapo", "texte", "ps", "date", "statut", "id_secteur", "date_redac", "date_modif", "lang", "langue_choisie", "id_trad", "nom_site", "url_site", "virtuel"}, "id_article"},
	{"spip_rubriques", false, []string{"id_rubrique", "id_parent", "titre", "descriptif", "texte", "id_secteur", "statut", "date", "lang", "langue_choisie", "profondeur"}, "id_rubrique"},
	{"spip_breves", false, []string{"id_breve", "date_heure", "titre", "texte", "lien_titre", "lien_url", "statut", "id_rubrique", "lang", "langue_choisie"}, "id_breve"},
	{"spip_mots", false, []string{"id_mot", "titre", "descriptif", "texte", "id_groupe", "type"}, "id_mot"},
	{"spip_groupes_mots", false, []string{"id_groupe", "titre"}, "id_groupe"},
	{"spip_mots_liens", false, []string{"id_mot", "id_objet", "objet"}, "id_mot, objet, id_objet"},
	{"spip_documents", false, []string{"id_document", "titre", "descriptif", "fichier", "extension", "taille", "largeur", "hauteur", "media", "mode", "distant", "statut", "credits", "date"}, "id_document"},
	{"spip_documents_liens", false, []string{"id_document", "id_objet", "objet", "vu"}, "id_document, objet, id_objet"},
	{"spip_urls", false, []string{"url", "type", "id_objet", "date", "segments", "perma", "langue", "id_parent"}, "type, id_objet, date, url"},
	{"spip_meta", false, []string{"nom", "valeur"}, "nom"},
}

// row is one record, every value as text ("" for NULL or a missing column).
type row map[string]string

// int returns a column as a number; NULL, missing or not a number is 0,
// as MySQL, SPIP's database, reads it.
func (r row) int(col string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r[col]))
	return n
}

// backup is the content of a SPIP backup, each table in id order.
type backup struct {
	tables  map[string][]row
	missing []string // optional tables or columns not found
	recoded int      // values that were not UTF-8 and were read as Windows-1252
}

func (b *backup) meta(name string) string {
	for _, r := range b.tables["spip_meta"] {
		if r["nom"] == name {
			return r["valeur"]
		}
	}
	return ""
}

// errNotSPIP is wrapped by the errors of readBackup for a file that is not a
// SPIP backup.
var errNotSPIP = errors.New("not a SPIP backup")

// readBackup reads the tables the importer needs from a SPIP SQLite backup,
// opened read-only.
func readBackup(path string) (*backup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.Equal(head, []byte("SQLite format 3\x00")) {
		return nil, fmt.Errorf("%s is not an SQLite file: %w (SPIP writes its backup as an SQLite file under tmp/dump/)", path, errNotSPIP)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dsn := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: "mode=ro"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	damaged := func(err error) error {
		return fmt.Errorf("%s is damaged or unreadable: %v: %w", path, err, errNotSPIP)
	}
	var check string
	if err := db.QueryRow("PRAGMA quick_check").Scan(&check); err != nil {
		return nil, damaged(err)
	}
	if check != "ok" {
		return nil, damaged(errors.New(check))
	}
	tables, err := tableNames(db)
	if err != nil {
		return nil, damaged(err)
	}
	b := &backup{tables: map[string][]row{}}
	for _, t := range schema {
		if !tables[t.table] {
			if t.required {
				return nil, fmt.Errorf("%s has no %s table: %w", path, t.table, errNotSPIP)
			}
			b.missing = append(b.missing, "table "+t.table)
			continue
		}
		rows, err := b.read(db, t.table, t.cols, t.order)
		if err != nil {
			return nil, damaged(err)
		}
		b.tables[t.table] = rows
	}
	return b, nil
}

func tableNames(db *sql.DB) (map[string]bool, error) {
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names[strings.ToLower(n)] = true
	}
	return names, rows.Err()
}

func columns(db *sql.DB, table string) (map[string]bool, error) {
	rows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		cols[strings.ToLower(n)] = true
	}
	return cols, rows.Err()
}

func (b *backup) read(db *sql.DB, table string, want []string, order string) ([]row, error) {
	have, err := columns(db, table)
	if err != nil {
		return nil, err
	}
	var cols, sel []string
	for _, c := range want {
		if have[c] {
			cols = append(cols, c)
			sel = append(sel, fmt.Sprintf(`CAST("%s" AS TEXT)`, c))
		} else {
			b.missing = append(b.missing, "column "+table+"."+c)
		}
	}
	if len(cols) == 0 || !have[want[0]] {
		b.missing = append(b.missing, "table "+table+" (no "+want[0]+" column)")
		return nil, nil
	}
	var ord []string
	for _, o := range strings.Split(order, ", ") {
		if have[o] {
			ord = append(ord, `"`+o+`"`)
		}
	}
	q := fmt.Sprintf(`SELECT %s FROM "%s" ORDER BY %s`, strings.Join(sel, ", "), table, strings.Join(ord, ", "))
	rows, err := db.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []row
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := row{}
		for i, c := range cols {
			r[c] = b.text(vals[i].String)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Numeric ids sort as text in CAST order only when stored as text.
	sort.SliceStable(out, func(i, j int) bool { return out[i].int(want[0]) < out[j].int(want[0]) })
	return out, nil
}

// text makes a value valid UTF-8. Sites older than SPIP 2 stored
// ISO-8859-1/Windows-1252 text; anything else invalid is replaced.
func (b *backup) text(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b.recoded++
	if t, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
		return t
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
