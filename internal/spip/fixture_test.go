package spip

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// The fixture is a small SPIP site in a backup with SPIP's schema (column
// types as declared in SPIP's base/*.php), plus columns and a table the
// importer does not know.
var fixtureSchema = []string{
	`CREATE TABLE spip_articles (id_article bigint(21) NOT NULL, surtitre text DEFAULT '' NOT NULL, titre text DEFAULT '' NOT NULL,
		soustitre text DEFAULT '' NOT NULL, id_rubrique bigint(21) DEFAULT '0' NOT NULL, descriptif text DEFAULT '' NOT NULL,
		chapo mediumtext DEFAULT '' NOT NULL, texte longtext DEFAULT '' NOT NULL, ps mediumtext DEFAULT '' NOT NULL,
		date datetime DEFAULT '0000-00-00 00:00:00' NOT NULL, statut varchar(10) DEFAULT '0' NOT NULL, id_secteur bigint(21) DEFAULT '0' NOT NULL,
		maj TIMESTAMP, export VARCHAR(10) DEFAULT 'oui', date_redac datetime DEFAULT '0000-00-00 00:00:00' NOT NULL,
		visites integer DEFAULT '0' NOT NULL, referers integer DEFAULT '0' NOT NULL, popularite DOUBLE DEFAULT '0' NOT NULL,
		accepter_forum CHAR(3) DEFAULT '' NOT NULL, date_modif datetime DEFAULT '0000-00-00 00:00:00' NOT NULL,
		lang VARCHAR(10) DEFAULT '' NOT NULL, langue_choisie VARCHAR(3) DEFAULT 'non', id_trad bigint(21) DEFAULT '0' NOT NULL,
		nom_site tinytext DEFAULT '' NOT NULL, url_site text DEFAULT '' NOT NULL, virtuel text DEFAULT '' NOT NULL,
		champ_plugin text DEFAULT '' NOT NULL, PRIMARY KEY (id_article))`,
	`CREATE TABLE spip_rubriques (id_rubrique bigint(21) NOT NULL, id_parent bigint(21) DEFAULT '0' NOT NULL, titre text DEFAULT '' NOT NULL,
		descriptif text DEFAULT '' NOT NULL, texte longtext DEFAULT '' NOT NULL, id_secteur bigint(21) DEFAULT '0' NOT NULL,
		maj TIMESTAMP, statut varchar(10) DEFAULT '0' NOT NULL, date datetime DEFAULT '0000-00-00 00:00:00' NOT NULL,
		lang VARCHAR(10) DEFAULT '' NOT NULL, langue_choisie VARCHAR(3) DEFAULT 'non', statut_tmp varchar(10) DEFAULT '0' NOT NULL,
		date_tmp datetime DEFAULT '0000-00-00 00:00:00' NOT NULL, profondeur smallint(5) DEFAULT '0' NOT NULL, PRIMARY KEY (id_rubrique))`,
	`CREATE TABLE spip_breves (id_breve bigint(21) NOT NULL, date_heure datetime DEFAULT '0000-00-00 00:00:00' NOT NULL,
		titre text DEFAULT '' NOT NULL, texte longtext DEFAULT '' NOT NULL, lien_titre text DEFAULT '' NOT NULL,
		lien_url text DEFAULT '' NOT NULL, statut varchar(6) DEFAULT '0' NOT NULL, id_rubrique bigint(21) DEFAULT '0' NOT NULL,
		lang VARCHAR(10) DEFAULT '' NOT NULL, langue_choisie VARCHAR(3) DEFAULT 'non', maj TIMESTAMP, PRIMARY KEY (id_breve))`,
	`CREATE TABLE spip_mots (id_mot bigint(21) NOT NULL, titre text DEFAULT '' NOT NULL, descriptif text DEFAULT '' NOT NULL,
		texte longtext DEFAULT '' NOT NULL, id_groupe bigint(21) DEFAULT 0 NOT NULL, type text DEFAULT '' NOT NULL, maj TIMESTAMP,
		PRIMARY KEY (id_mot))`,
	`CREATE TABLE spip_groupes_mots (id_groupe bigint(21) NOT NULL, titre text DEFAULT '' NOT NULL, descriptif text DEFAULT '' NOT NULL,
		texte longtext DEFAULT '' NOT NULL, unseul varchar(3) DEFAULT '' NOT NULL, obligatoire varchar(3) DEFAULT '' NOT NULL,
		tables_liees text DEFAULT '' NOT NULL, minirezo varchar(3) DEFAULT '' NOT NULL, comite varchar(3) DEFAULT '' NOT NULL,
		forum varchar(3) DEFAULT '' NOT NULL, maj TIMESTAMP, PRIMARY KEY (id_groupe))`,
	`CREATE TABLE spip_mots_liens (id_mot bigint(21) DEFAULT '0' NOT NULL, id_objet bigint(21) DEFAULT '0' NOT NULL,
		objet VARCHAR (25) DEFAULT '' NOT NULL, PRIMARY KEY (id_mot,id_objet,objet))`,
	`CREATE TABLE spip_documents (id_document bigint(21) NOT NULL, id_vignette bigint(21) DEFAULT '0' NOT NULL,
		extension VARCHAR(10) DEFAULT '' NOT NULL, titre text DEFAULT '' NOT NULL, date datetime DEFAULT '0000-00-00 00:00:00' NOT NULL,
		descriptif text DEFAULT '' NOT NULL, fichier text NOT NULL DEFAULT '', taille bigint, largeur integer, hauteur integer,
		duree integer, media varchar(10) DEFAULT 'file' NOT NULL, mode varchar(10) DEFAULT 'document' NOT NULL,
		distant VARCHAR(3) DEFAULT 'non', statut varchar(10) DEFAULT '0' NOT NULL, credits text DEFAULT '' NOT NULL,
		alt text DEFAULT '' NOT NULL, date_publication datetime DEFAULT '0000-00-00 00:00:00' NOT NULL, brise tinyint DEFAULT 0,
		maj TIMESTAMP, PRIMARY KEY (id_document))`,
	`CREATE TABLE spip_documents_liens (id_document bigint(21) DEFAULT '0' NOT NULL, id_objet bigint(21) DEFAULT '0' NOT NULL,
		objet VARCHAR (25) DEFAULT '' NOT NULL, vu VARCHAR(3) DEFAULT 'non' NOT NULL, rang_lien int(4) DEFAULT '0' NOT NULL,
		PRIMARY KEY (id_document,id_objet,objet))`,
	`CREATE TABLE spip_urls (id_parent bigint(21) DEFAULT '0' NOT NULL, url VARCHAR(255) NOT NULL, type varchar(25) DEFAULT 'article' NOT NULL,
		id_objet bigint(21) NOT NULL, segments SMALLINT(3) DEFAULT '1' NOT NULL, date DATETIME DEFAULT '0000-00-00 00:00:00' NOT NULL,
		perma TINYINT(1) DEFAULT '0' NOT NULL, langue VARCHAR(10) DEFAULT '' NOT NULL, PRIMARY KEY (id_parent, url))`,
	`CREATE TABLE spip_meta (nom VARCHAR (255) NOT NULL, valeur text DEFAULT '', impt VARCHAR(3) DEFAULT 'oui' NOT NULL,
		maj TIMESTAMP, PRIMARY KEY (nom))`,
	`CREATE TABLE spip_forum (id_forum bigint(21) NOT NULL, texte text, PRIMARY KEY (id_forum))`,
}

// The main article uses every shortcut of spip.md's table.
const amuTexte = `{{{Qui a droit ?}}}

Vous avez droit à l'{{aide médicale urgente}} ({AMU}) si vous n'avez pas de titre de séjour[[Loi du 8 juillet 1976, article 57.]].

-* une adresse en Belgique ;
-** depuis au moins trois mois
-# un certificat médical
- une ligne à l'ancienne

{{{**Les documents}}}

|{{Document}}|{{Qui le donne ?}}|
|Certificat|Le médecin|
|Enquête sociale|Le CPAS|

<quote>Le CPAS doit décider dans les 30 jours.</quote>

La référence <code>AMU-2024</code> :
<cadre>
Formulaire A
</cadre>

Voir [la carte->art14], [->rub1], [->rub3], [la brève->br1], [le formulaire->doc2], [->mot1], [un site->https://www.inami.fgov.be], [l'ancienne page->https://www.example.org/spip.php?article15], [un brouillon->art20] et [plus bas->#contact].

<doc3> <img5|left>

Première ligne
_ deuxième ligne

----

[contact<-]{{{Contact}}}

Un <span>texte</span> HTML.`

const arTexte = `{{{من يحق له ذلك؟}}}

يحق لك الحصول على {{المساعدة الطبية العاجلة}} إذا لم يكن لديك تصريح إقامة.

-* عنوان في بلجيكا
-* شهادة طبية

انظر [البطاقة->art14].`

type fixture struct {
	db, img, site string
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// newFixture writes the backup, an IMG/ folder (with one document
// missing) and an empty site with a mapping file.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{db: filepath.Join(dir, "dump.sqlite"), img: filepath.Join(dir, "IMG"), site: filepath.Join(dir, "site")}
	db, err := sql.Open("sqlite", f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection, so that the pragma and transaction hold
	exec(t, db, "PRAGMA synchronous = OFF")
	exec(t, db, "BEGIN")
	for _, s := range fixtureSchema {
		exec(t, db, s)
	}
	for k, v := range map[string]string{
		"langue_site": "fr", "langues_multilingue": "fr,nl,en,ar", "type_urls": "propres",
		"adresse_site": "https://www.example.org", "charset": "utf-8", "nom_site": "Santé sans papiers",
	} {
		exec(t, db, `INSERT INTO spip_meta (nom, valeur) VALUES (?, ?)`, k, v)
	}
	rub := func(id, parent int, titre, lang, statut, texte string) {
		exec(t, db, `INSERT INTO spip_rubriques (id_rubrique, id_parent, titre, descriptif, texte, statut, lang, date)
			VALUES (?, ?, ?, '', ?, ?, ?, '2020-01-01 00:00:00')`, id, parent, titre, texte, statut, lang)
	}
	rub(1, 0, "01. <multi>[fr]Accès aux soins[nl]Toegang tot zorg[en]Access to care[de]Zugang zur Versorgung</multi>", "fr", "publie", "Tout sur l'{{accès aux soins}}.")
	rub(2, 0, "Procédures", "fr", "publie", "")
	rub(3, 1, "Aide médicale urgente", "", "publie", "")
	rub(4, 0, "Archives", "fr", "prepa", "")

	type art struct {
		id, rub, trad                    int
		lang, statut, titre, texte       string
		surtitre, soustitre, desc, chapo string
		ps, virtuel, date, dateModif     string
		siteName, siteURL                string
	}
	arts := []art{
		{id: 10, rub: 3, trad: 10, lang: "fr", statut: "publie", titre: "01. Aide médicale urgente", texte: amuTexte,
			surtitre: "Santé", soustitre: "Pour les personnes sans titre de séjour", desc: "Qui a droit à l'{{AMU}} et comment l'obtenir.",
			chapo: "L'AMU couvre les {soins} nécessaires.", ps: "Mise à jour[[Par l'équipe.]] en 2024.", date: "2019-05-01 10:00:00", dateModif: "2024-03-01 12:00:00"},
		{id: 11, rub: 3, trad: 10, lang: "nl", statut: "publie", titre: "01. Dringende medische hulp", texte: "Je hebt recht op {{DMH}}.", date: "2019-05-02 10:00:00", dateModif: "2024-03-02 12:00:00"},
		{id: 12, rub: 3, trad: 10, lang: "en", statut: "publie", titre: "01. Urgent medical aid", texte: "You are entitled to {{UMA}}. See [the card->art14].", date: "2019-05-03 10:00:00"},
		{id: 13, rub: 3, trad: 10, lang: "ar", statut: "publie", titre: "المساعدة الطبية العاجلة", texte: arTexte, date: "2019-05-04 10:00:00", dateModif: "2024-03-04 12:00:00"},
		{id: 14, rub: 1, lang: "fr", statut: "publie", titre: "Carte médicale", texte: "La carte : <img1|left>\n\n[Formulaire->doc2] et [distant->doc4].", date: "2020-01-01 00:00:00", dateModif: "2020-02-01 00:00:00",
			siteName: "INAMI", siteURL: "https://www.inami.fgov.be"},
		{id: 15, rub: 2, trad: 15, lang: "fr", statut: "publie", titre: "Demander l'AMU au CPAS", texte: "Voir [la fiche->art10#contact].", date: "2021-01-01 00:00:00"},
		{id: 16, rub: 2, trad: 15, lang: "nl", statut: "publie", titre: "DMH aanvragen bij het OCMW", texte: "Zie [de fiche->art11#contact].", date: "2021-01-02 00:00:00"},
		{id: 17, rub: 1, lang: "", statut: "publie", titre: "<multi>[fr]Titre multilingue[nl]Meertalige titel</multi>", texte: "<multi>[fr]Texte français.[nl]Nederlandse tekst.</multi>", date: "2021-02-01 00:00:00"},
		{id: 18, rub: 1, lang: "ar", statut: "publie", titre: "بطاقة طبية", texte: "نص عربي.", date: "2021-03-01 00:00:00"},
		{id: 19, rub: 1, lang: "de", statut: "publie", titre: "Dringende medizinische Hilfe", texte: "Deutsch.", date: "2021-04-01 00:00:00"},
		{id: 20, rub: 1, lang: "fr", statut: "prop", titre: "Un brouillon proposé", texte: "Proposé.", date: "2022-01-01 00:00:00"},
		{id: 21, rub: 1, lang: "fr", statut: "prepa", titre: "En cours de rédaction", texte: "En cours. Voir [l'AMU->art10].", date: "2022-01-02 00:00:00"},
		{id: 22, rub: 1, lang: "fr", statut: "refuse", titre: "Refusé", texte: "Refusé.", date: "2022-01-03 00:00:00"},
		{id: 23, rub: 1, lang: "fr", statut: "poubelle", titre: "À la poubelle", texte: "Poubelle.", date: "2022-01-04 00:00:00"},
		{id: 24, rub: 1, lang: "fr", statut: "publie", titre: "Site de l'INAMI", virtuel: "https://www.inami.fgov.be", date: "2022-01-05 00:00:00"},
		{id: 25, rub: 3, trad: 10, lang: "fr", statut: "publie", titre: "Aide médicale urgente (ancienne version)", texte: "Ancienne.", date: "2018-01-01 00:00:00"},
		{id: 26, rub: 1, lang: "fr", statut: "publie", titre: "  ", texte: "Sans titre.", date: "2018-01-01 00:00:00"},
	}
	for _, a := range arts {
		exec(t, db, `INSERT INTO spip_articles (id_article, surtitre, titre, soustitre, id_rubrique, descriptif, chapo, texte, ps, date,
			statut, id_secteur, date_modif, lang, id_trad, virtuel, nom_site, url_site, visites, champ_plugin)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 42, 'x')`,
			a.id, a.surtitre, a.titre, a.soustitre, a.rub, a.desc, a.chapo, a.texte, a.ps, a.date, a.statut,
			or(a.dateModif, "0000-00-00 00:00:00"), a.lang, a.trad, a.virtuel, a.siteName, a.siteURL)
	}
	breve := func(id int, date, titre, texte, lienTitre, lienURL, statut, lang string) {
		exec(t, db, `INSERT INTO spip_breves (id_breve, date_heure, titre, texte, lien_titre, lien_url, statut, id_rubrique, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`, id, date, titre, texte, lienTitre, lienURL, statut, lang)
	}
	breve(1, "2024-06-12 09:30:00", "Paiements des pharmacies", "Les pharmacies sont {{payées}} plus vite. Voir [l'AMU->art10].", "Le communiqué", "https://example.net/communique", "publie", "fr")
	breve(2, "2024-07-01 00:00:00", "<multi>[fr]Nouveau formulaire[nl]Nieuw formulier</multi>", "<multi>[fr]Un nouveau formulaire.[nl]Een nieuw formulier.</multi>", "", "", "publie", "fr")
	breve(3, "2024-08-01 00:00:00", "Brève proposée", "Proposée.", "", "", "prop", "fr")
	breve(4, "0000-00-00 00:00:00", "Brève sans date", "Sans date.", "", "", "publie", "fr")

	for _, g := range [][2]any{{1, "Statut de séjour"}, {2, "Thèmes"}, {3, "Divers"}} {
		exec(t, db, `INSERT INTO spip_groupes_mots (id_groupe, titre) VALUES (?, ?)`, g[0], g[1])
	}
	for _, m := range [][4]any{
		{1, "Sans titre de séjour", 1, "Statut de séjour"}, {2, "Demandeur d'asile", 1, "Statut de séjour"},
		{3, "<multi>[fr]Santé mentale[nl]Geestelijke gezondheid</multi>", 2, "Thèmes"}, {4, "Un mot divers", 3, "Divers"},
	} {
		exec(t, db, `INSERT INTO spip_mots (id_mot, titre, id_groupe, type) VALUES (?, ?, ?, ?)`, m[0], m[1], m[2], m[3])
	}
	for _, l := range [][3]any{{1, 10, "article"}, {1, 11, "article"}, {3, 14, "article"}, {4, 14, "article"}, {2, 1, "breve"}, {1, 20, "article"}} {
		exec(t, db, `INSERT INTO spip_mots_liens (id_mot, id_objet, objet) VALUES (?, ?, ?)`, l[:]...)
	}
	doc := func(id int, titre, fichier, ext, distant string) {
		exec(t, db, `INSERT INTO spip_documents (id_document, titre, fichier, extension, distant, statut, mode, media)
			VALUES (?, ?, ?, ?, ?, 'publie', 'document', 'file')`, id, titre, fichier, ext, distant)
	}
	doc(1, "La carte médicale", "png/carte.png", "png", "non")
	doc(2, "Formulaire de demande", "pdf/formulaire-fr.pdf", "pdf", "non")
	doc(3, "Un document perdu", "pdf/absent.pdf", "pdf", "non")
	doc(4, "Document distant", "https://example.net/doc.pdf", "pdf", "oui")
	doc(5, "", "jpg/photo.jpg", "jpg", "non")
	for _, l := range [][4]any{{1, 14, "article", "oui"}, {2, 14, "article", "oui"}, {3, 10, "article", "oui"}, {5, 10, "article", "non"}, {2, 1, "breve", "non"}} {
		exec(t, db, `INSERT INTO spip_documents_liens (id_document, id_objet, objet, vu) VALUES (?, ?, ?, ?)`, l[:]...)
	}
	for _, u := range [][6]any{
		{"aide-medicale-urgente", "article", 10, "2020-01-01 00:00:00", 1, ""},
		{"ancienne-amu", "article", 10, "2019-01-01 00:00:00", 0, ""},
		{"dringende-medische-hulp", "article", 11, "2020-01-01 00:00:00", 0, ""},
		{"carte-medicale", "article", 14, "2020-01-01 00:00:00", 0, ""},
		{"demander-l-amu", "article", 15, "2021-01-01 00:00:00", 0, ""},
		{"brouillon", "article", 20, "2022-01-01 00:00:00", 0, ""},
		{"acces-aux-soins", "rubrique", 1, "2020-01-01 00:00:00", 0, "fr"},
		{"toegang-tot-zorg", "rubrique", 1, "2020-01-01 00:00:00", 0, "nl"},
		{"aide-medicale", "rubrique", 3, "2020-01-01 00:00:00", 0, ""},
		{"paiements-pharmacies", "breve", 1, "2024-06-12 00:00:00", 0, ""},
		{"sans-titre-de-sejour", "mot", 1, "2020-01-01 00:00:00", 0, ""},
		{"fr", "article", 14, "2019-01-01 00:00:00", 0, ""}, // would hide kb's /fr/
	} {
		exec(t, db, `INSERT INTO spip_urls (url, type, id_objet, date, perma, langue) VALUES (?, ?, ?, ?, ?, ?)`, u[:]...)
	}

	exec(t, db, "COMMIT")
	for name, data := range map[string]string{"png/carte.png": "PNG carte", "pdf/formulaire-fr.pdf": "%PDF formulaire", "jpg/photo.jpg": "JPG photo"} {
		p := filepath.Join(f.img, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(f.site, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(f.site, "spip-map.toml"), testMap)
	return f
}

const testMap = `default_section = "fiches"

[sections]
1 = "fiches"
2 = "procedures"

[rubrique_topics]
1 = "acces-aux-soins"
4 = "archives"

[keywords]
3 = "topic:sante-mentale"

[keyword_groups]
1 = "residence"
`

func or(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}

func writeTestFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readTree returns every file under dir, by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

func (f *fixture) options() Options {
	return Options{Backup: f.db, Site: f.site, Img: f.img}
}

func (f *fixture) file(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.site, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
