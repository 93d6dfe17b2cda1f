package spip

import (
	"fmt"

	"kb/internal/lang"
	"kb/internal/source"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Options configures Import.
type Options struct {
	Backup string // the SPIP backup (SQLite file)
	Site   string // the kb site folder; default "."
	Img    string // SPIP's IMG/ folder; "" when not available
	Map    string // the mapping file; default <Site>/spip-map.toml
	Drafts bool   // also import submitted and in-progress objects, as drafts
	Force  bool   // overwrite files changed since the previous import
}

// Import converts a SPIP backup into kb content under opt.Site. It plans
// every file in memory first and writes nothing when anything fails; the
// report is returned with conflicts too.
func Import(opt Options) (*Report, error) {
	if opt.Site == "" {
		opt.Site = "."
	}
	if opt.Map == "" {
		opt.Map = filepath.Join(opt.Site, "spip-map.toml")
	}
	if opt.Img != "" {
		if st, err := os.Stat(opt.Img); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("--img %s: not a folder (give SPIP's IMG/ folder)", opt.Img)
		}
	}
	b, err := readBackup(opt.Backup)
	if err != nil {
		return nil, err
	}
	im := &importer{opt: opt, b: b, rep: newReport()}
	if err := im.plan(); err != nil {
		return nil, err
	}
	if err := im.commit(); err != nil {
		return im.rep, err
	}
	return im.rep, nil
}

type importer struct {
	opt Options
	img *os.Root // opt.Img, opened on first use
	b   *backup
	m   *mapping
	rep *Report

	mapData      []byte // a new mapping file to write
	langs        map[string]bool
	siteLang     string
	multilingual bool   // the old site had ?lang= URLs
	typeURLs     string // spip_meta type_urls
	siteURL      string // spip_meta adresse_site

	rubs      map[int]row
	docs      map[int]row
	docByFile map[string]int
	urls      map[string][]row // "article 12" → spip_urls rows
	motLinks  map[string][]int // "article 12" → keyword ids
	docLinks  map[string][]row // "article 12" → spip_documents_liens rows

	folders   map[string]*folder   // "fiches/key" → folder
	keys      map[string]keys      // section → keys taken
	objFile   map[string]*pageFile // "article 12", "breve 3" → the file named for it
	objFolder map[string]*folder   // "rubrique 2", "mot 5" → the topic or status it became
	oldURLs   map[string]*pageFile
	rows      map[string]row // "article 12" → its record, made on first use
	outputs   []output
}

// folder is a translation group: content/<section>/<key>/.
type folder struct {
	section, key string
	files        map[string]*pageFile
	docNames     map[int]string // document id → file name ("" = missing)
	used         map[string]bool
	copies       []output
}

func (f *folder) path() string { return f.section + "/" + f.key }
func (f *folder) url() string  { return "/" + f.path() }

// fileFor returns the file in lang, else the first by language code.
func (f *folder) fileFor(lang string) *pageFile {
	if pf, ok := f.files[lang]; ok {
		return pf
	}
	langs := sortedKeys(f.files)
	if len(langs) == 0 {
		return nil
	}
	return f.files[langs[0]]
}

// pageFile is one Markdown file, made from one SPIP object.
type pageFile struct {
	f    *folder
	lang string
	kind string // article, breve, rubrique, mot
	id   int
	fm   source.Meta
	src  string // SPIP text of the body
	obj  string // kind and id, for the report

	anchors map[string]bool // ids given to headings; nil until hasAnchor
}

// hasAnchor reports whether the file's text gives a heading the id frag.
// The ids are found on first use, by a conversion with no side effects:
// only the pages that links with a #fragment lead to are converted twice.
func (pf *pageFile) hasAnchor(frag string) bool {
	if pf.anchors == nil {
		md, _ := convert(pf.src, pf.lang, dryLinker{})
		pf.anchors = map[string]bool{}
		for _, m := range headingIDRe.FindAllStringSubmatch(md, -1) {
			pf.anchors[m[1]] = true
		}
	}
	return pf.anchors[frag]
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (im *importer) plan() error {
	b := im.b
	im.siteLang = normLang(b.meta("langue_site"))
	if im.siteLang == "" {
		im.siteLang = "fr"
		im.rep.Notes = append(im.rep.Notes, "spip_meta has no langue_site: objects with no language are taken as French (fr)")
	}
	im.typeURLs = strings.TrimSpace(b.meta("type_urls"))
	if im.typeURLs == "propres_qs" {
		im.rep.Notes = append(im.rep.Notes, "type_urls is propres_qs: its /?slug URLs cannot be redirected, as / is kb's language chooser (/slug is)")
	}
	im.siteURL = strings.TrimSpace(b.meta("adresse_site"))
	im.multilingual = strings.TrimSpace(b.meta("langues_multilingue")) != ""
	im.urls = map[string][]row{}
	for _, r := range b.tables["spip_urls"] {
		k := objKey(r["type"], r.int("id_objet"))
		im.urls[k] = append(im.urls[k], r)
		if strings.TrimSpace(r["langue"]) != "" {
			im.multilingual = true
		}
	}
	if err := im.loadLangs(); err != nil {
		return err
	}
	m, data, err := loadMapping(im.opt.Map, b, im.siteLang)
	if err != nil {
		return err
	}
	im.m, im.mapData = m, data
	im.rep.MapFile, im.rep.MapNew = im.opt.Map, data != nil

	im.rubs = map[int]row{}
	for _, r := range b.tables["spip_rubriques"] {
		im.rubs[r.int("id_rubrique")] = r
	}
	im.docs, im.docByFile = map[int]row{}, map[string]int{}
	for _, r := range b.tables["spip_documents"] {
		id := r.int("id_document")
		im.docs[id] = r
		if r["distant"] != "oui" {
			im.docByFile[strings.TrimPrefix(r["fichier"], "IMG/")] = id
		}
	}
	im.motLinks, im.docLinks = map[string][]int{}, map[string][]row{}
	for _, r := range b.tables["spip_mots_liens"] {
		k := objKey(r["objet"], r.int("id_objet"))
		im.motLinks[k] = append(im.motLinks[k], r.int("id_mot"))
	}
	for _, r := range b.tables["spip_documents_liens"] {
		k := objKey(r["objet"], r.int("id_objet"))
		im.docLinks[k] = append(im.docLinks[k], r)
	}
	im.folders, im.keys = map[string]*folder{}, map[string]keys{}
	im.objFile, im.objFolder = map[string]*pageFile{}, map[string]*folder{}
	im.oldURLs = map[string]*pageFile{}

	for _, m := range b.missing {
		im.rep.Notes = append(im.rep.Notes, "the backup has no "+m+" (read as empty)")
	}
	if b.recoded > 0 {
		im.rep.Notes = append(im.rep.Notes, fmt.Sprintf("%d values were not UTF-8 and were read as Windows-1252", b.recoded))
	}
	im.rep.Notes = append(im.rep.Notes, "reviewed and updated are set from date_modif (or date): SPIP does not record when a text was last checked against the law, so review them")

	im.topicsFromRubriques()
	im.topicsFromKeywords()
	im.articles()
	im.breves()
	im.aliases()
	return im.render()
}

func objKey(kind string, id int) string { return fmt.Sprintf("%s %d", kind, id) }

func normLang(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// loadLangs reads the site's languages from i18n/*.toml, or takes kb's
// own when there are none yet.
func (im *importer) loadLangs() error {
	codes, err := lang.Codes(os.DirFS(im.opt.Site), "i18n")
	if err != nil {
		return err
	}
	if len(codes) == 0 {
		codes = lang.Shipped
	}
	im.langs = map[string]bool{}
	for _, c := range codes {
		im.langs[c] = true
	}
	return nil
}

func (im *importer) skip(obj, format string, args ...any) {
	im.rep.add(&im.rep.Skipped, obj, format, args...)
}

func (im *importer) folder(section, key string) *folder {
	p := section + "/" + key
	if f, ok := im.folders[p]; ok {
		return f
	}
	f := &folder{section: section, key: key, files: map[string]*pageFile{}, docNames: map[int]string{}, used: map[string]bool{}}
	im.folders[p] = f
	return f
}

func (im *importer) newKey(section, title, lang, fallback string, id int) string {
	if im.keys[section] == nil {
		im.keys[section] = keys{}
	}
	return im.keys[section].make(title, lang, fallback, id)
}

// rubLang is a rubrique's language, inherited from its parents, then the
// site's.
func (im *importer) rubLang(id int) string {
	for n := 0; id != 0 && n < 100; n++ {
		r, ok := im.rubs[id]
		if !ok {
			break
		}
		if l := normLang(r["lang"]); l != "" {
			return l
		}
		id = r.int("id_parent")
	}
	return im.siteLang
}

// status says whether an object with statut s is imported, and as a draft.
func (im *importer) status(obj, s string) (ok, draft bool) {
	switch s {
	case "publie":
		return true, false
	case "prop", "prepa":
		if im.opt.Drafts {
			return true, true
		}
		im.skip(obj, "status %q (not published; --drafts imports it as a draft)", s)
		return false, false
	}
	im.skip(obj, "status %q", s)
	return false, false
}

// objLangs is the languages of an object that has no translations of its
// own: its language and those of the <multi> blocks in its title.
func (im *importer) objLangs(obj, lang, title string) []string {
	set := map[string]bool{lang: true}
	for _, l := range multiLangs(title) {
		set[l] = true
	}
	var out []string
	for _, l := range sortedKeys(set) {
		if im.langs[l] {
			out = append(out, l)
		} else {
			im.skip(obj, "language %q is not one of the site's languages (i18n/%s.toml)", l, l)
		}
	}
	return out
}

// title returns the plain title of an object in lang, without its "01. "
// number, which becomes the weight.
func titleOf(s, lang, obj string) (string, int) {
	t, n, _ := splitNumber(plain(s, lang))
	if t == "" {
		t = obj
	}
	return t, n
}

// title is titleOf for a file's title, reporting an empty one (kb requires
// a title).
func (im *importer) title(s, lang, obj string) (string, int) {
	t, n := titleOf(s, lang, obj)
	if t == obj {
		im.rep.add(&im.rep.Unconverted, obj, "no title in %s: %q used", lang, obj)
	}
	return t, n
}

func (im *importer) topicsFromRubriques() {
	for _, r := range im.b.tables["spip_rubriques"] {
		id := r.int("id_rubrique")
		key := im.m.rubTopic[id]
		if key == "" {
			continue
		}
		obj := objKey("rubrique", id)
		if r["statut"] != "publie" {
			im.skip(obj, "status %q: no topic", r["statut"])
			continue
		}
		f := im.folder(source.Topics, key)
		for _, l := range im.objLangs(obj, im.rubLang(id), r["titre"]) {
			im.addTopicFile(f, l, "rubrique", id, r)
		}
		if len(f.files) > 0 {
			im.objFolder[objKey("rubrique", id)] = f
		}
	}
}

func (im *importer) addTopicFile(f *folder, lang, kind string, id int, r row) {
	obj := objKey(kind, id)
	if o, dup := f.files[lang]; dup {
		im.skip(obj, "%s/%s.md is already made from %s", f.path(), lang, o.obj)
		return
	}
	title, w := im.title(r["titre"], lang, obj)
	f.files[lang] = &pageFile{f: f, lang: lang, kind: kind, id: id, obj: obj, src: r["texte"],
		fm: source.Meta{Title: title, Weight: w, Summary: plain(r["descriptif"], lang)}}
}

func (im *importer) topicsFromKeywords() {
	groups := map[int]string{}
	for _, g := range im.b.tables["spip_groupes_mots"] {
		groups[g.int("id_groupe")] = plain(g["titre"], im.siteLang)
	}
	uses := map[int]int{}
	for _, l := range im.b.tables["spip_mots_liens"] {
		uses[l.int("id_mot")]++
	}
	for _, r := range im.b.tables["spip_mots"] {
		id := r.int("id_mot")
		t, ok := im.m.keyword(id, r.int("id_groupe"))
		if !ok {
			g := groups[r.int("id_groupe")]
			if g == "" {
				g = plain(r["type"], im.siteLang)
			}
			im.rep.UnmappedKeywords = append(im.rep.UnmappedKeywords, Keyword{ID: id, Title: plain(r["titre"], im.siteLang), Group: g, Uses: uses[id]})
			continue
		}
		if t.kind == "ignore" {
			continue
		}
		key := t.key
		if key == "" {
			if key = source.Key(plain(r["titre"], im.siteLang), im.siteLang); key == "" {
				key = fmt.Sprintf("mot-%d", id)
			}
		}
		section := source.Topics
		if t.kind == "residence" {
			section = source.Residence
		}
		f := im.folder(section, key)
		for _, l := range im.objLangs(objKey("mot", id), im.siteLang, r["titre"]) {
			im.addTopicFile(f, l, "mot", id, r)
		}
		if len(f.files) > 0 {
			im.objFolder[objKey("mot", id)] = f
		}
	}
}

// topicsOf returns the topic and residence keys of an object: those of its
// rubrique and the rubrique's parents, and those of its keywords.
func (im *importer) topicsOf(kind string, id, rub int) (topics, residence []string) {
	ts, rs := map[string]bool{}, map[string]bool{}
	for n := 0; rub != 0 && n < 100; n++ {
		if f := im.objFolder[objKey("rubrique", rub)]; f != nil {
			ts[f.key] = true
		}
		r, ok := im.rubs[rub]
		if !ok {
			break
		}
		rub = r.int("id_parent")
	}
	for _, mot := range im.motLinks[objKey(kind, id)] {
		if f := im.objFolder[objKey("mot", mot)]; f != nil {
			if f.section == source.Residence {
				rs[f.key] = true
			} else {
				ts[f.key] = true
			}
		}
	}
	return sortedKeys(ts), sortedKeys(rs)
}

// day reads the day of a SPIP date; it is zero for none.
func day(s string) time.Time {
	if len(s) < 10 {
		return time.Time{}
	}
	t, _ := time.Parse("2006-01-02", s[:10])
	return t
}

var psHeading = map[string]string{"fr": "P.-S.", "nl": "P.S.", "en": "P.S.", "es": "P. D.", "pt": "P.S."}

type artInfo struct {
	r       row
	id      int
	lang    string
	section string
	draft   bool
}

func (im *importer) articles() {
	groups := map[int][]artInfo{}
	for _, r := range im.b.tables["spip_articles"] {
		id := r.int("id_article")
		obj := objKey("article", id)
		ok, draft := im.status(obj, r["statut"])
		if !ok {
			continue
		}
		redirect := strings.TrimSpace(r["virtuel"])
		if c := strings.TrimSpace(r["chapo"]); redirect == "" && strings.HasPrefix(c, "=") {
			redirect = strings.TrimSpace(c[1:]) // SPIP 1.x virtual article
		}
		if redirect != "" {
			im.skip(obj, "virtual article (a redirect to %s)", redirect)
			continue
		}
		lang := normLang(r["lang"])
		if lang == "" {
			lang = im.rubLang(r.int("id_rubrique"))
		}
		if !im.langs[lang] {
			im.skip(obj, "language %q is not one of the site's languages (i18n/%s.toml)", lang, lang)
			continue
		}
		section := im.m.section(im.rubs, r.int("id_rubrique"))
		if section == "skip" {
			im.skip(obj, "its rubrique %d is mapped to \"skip\"", r.int("id_rubrique"))
			continue
		}
		trad := r.int("id_trad")
		if trad == 0 {
			trad = id
		}
		groups[trad] = append(groups[trad], artInfo{r, id, lang, section, draft})
	}
	trads := make([]int, 0, len(groups))
	for t := range groups {
		trads = append(trads, t)
	}
	sort.Ints(trads)
	for _, t := range trads {
		members := groups[t]
		// The reference article (id = id_trad) comes first: it names the folder.
		sort.SliceStable(members, func(i, j int) bool {
			if (members[i].id == t) != (members[j].id == t) {
				return members[i].id == t
			}
			return members[i].id < members[j].id
		})
		var first []artInfo
		seen := map[string]bool{}
		var extra [][]artInfo
		for _, a := range members {
			if seen[a.lang] {
				im.rep.Notes = append(im.rep.Notes, fmt.Sprintf("article %d is a second %q article in translation group %d: imported as a page of its own", a.id, a.lang, t))
				extra = append(extra, []artInfo{a})
				continue
			}
			seen[a.lang] = true
			first = append(first, a)
		}
		for _, g := range append([][]artInfo{first}, extra...) {
			im.articleGroup(g)
		}
	}
}

func (im *importer) articleGroup(g []artInfo) {
	ref := g[0]
	title, keyLang := "", ""
	for _, a := range g {
		if t, _ := titleOf(a.r["titre"], a.lang, ""); source.Key(t, a.lang) != "" {
			title, keyLang = t, a.lang
			break
		}
	}
	key := im.newKey(ref.section, title, keyLang, fmt.Sprintf("article-%d", ref.id), ref.id)
	f := im.folder(ref.section, key)
	for _, a := range g {
		r := a.r
		obj := objKey("article", a.id)
		t, w := im.title(r["titre"], a.lang, obj)
		summary := plain(r["descriptif"], a.lang)
		if summary == "" {
			summary = plain(r["soustitre"], a.lang)
		}
		topics, residence := im.topicsOf("article", a.id, r.int("id_rubrique"))
		updated := day(r["date_modif"])
		if updated.IsZero() {
			updated = day(r["date"])
		}
		pf := &pageFile{f: f, lang: a.lang, kind: "article", id: a.id, obj: obj, src: articleSource(r, a.lang),
			fm: source.Meta{Title: t, Summary: summary, Topics: topics, Residence: residence, Audience: source.Sec(ref.section).Audience,
				Reviewed: updated, Updated: updated, Draft: a.draft, Weight: w}}
		f.files[a.lang] = pf
		im.objFile[objKey("article", a.id)] = pf
	}
}

// articleSource puts an article's fields together as one SPIP text, so that
// its notes are numbered across them: surtitre and soustitre as emphasised
// lines, then chapo, texte, and ps under a heading.
func articleSource(r row, lang string) string {
	var parts []string
	for _, k := range []string{"surtitre", "soustitre"} {
		if t := strings.TrimSpace(r[k]); t != "" {
			parts = append(parts, "{"+t+"}")
		}
	}
	for _, k := range []string{"chapo", "texte"} {
		if t := strings.TrimSpace(r[k]); t != "" {
			parts = append(parts, t)
		}
	}
	if u := strings.TrimSpace(r["url_site"]); u != "" {
		// The article's "site" link, which SPIP showed under the text.
		parts = append(parts, "["+strings.NewReplacer("[", "", "]", "").Replace(r["nom_site"])+"->"+u+"]")
	}
	if t := strings.TrimSpace(r["ps"]); t != "" {
		h := psHeading[lang]
		if h == "" {
			h = "P.S."
		}
		parts = append(parts, "{{{"+h+"}}}", t)
	}
	return strings.Join(parts, "\n\n")
}

func (im *importer) breves() {
	for _, r := range im.b.tables["spip_breves"] {
		id := r.int("id_breve")
		obj := objKey("breve", id)
		ok, draft := im.status(obj, r["statut"])
		if !ok {
			continue
		}
		d := day(r["date_heure"])
		if d.IsZero() {
			im.skip(obj, "no date (date_heure %q)", r["date_heure"])
			continue
		}
		lang := normLang(r["lang"])
		if lang == "" {
			lang = im.rubLang(r.int("id_rubrique"))
		}
		langs := im.objLangs(obj, lang, r["titre"])
		if len(langs) == 0 {
			continue
		}
		keyLang := lang
		if !im.langs[keyLang] {
			keyLang = langs[0]
		}
		kt, _ := titleOf(r["titre"], keyLang, "")
		key := im.newKey(source.News, d.Format("2006-01-02")+" "+kt, keyLang, fmt.Sprintf("%s-breve-%d", d.Format("2006-01-02"), id), id)
		f := im.folder(source.News, key)
		src := strings.TrimSpace(r["texte"])
		if u := strings.TrimSpace(r["lien_url"]); u != "" {
			src += "\n\n[" + strings.NewReplacer("[", "", "]", "").Replace(r["lien_titre"]) + "->" + u + "]"
		}
		topics, residence := im.topicsOf("breve", id, r.int("id_rubrique"))
		for _, l := range langs {
			t, w := im.title(r["titre"], l, obj)
			pf := &pageFile{f: f, lang: l, kind: "breve", id: id, obj: obj, src: src,
				fm: source.Meta{Title: t, Weight: w, Topics: topics, Residence: residence, Date: d, Draft: draft}}
			f.files[l] = pf
			if l == keyLang {
				im.objFile[objKey("breve", id)] = pf
			}
		}
	}
}

// ---- rendering ------------------------------------------------------------

var imageExt = map[string]bool{"jpg": true, "jpeg": true, "png": true, "gif": true, "webp": true, "svg": true, "avif": true}

func (im *importer) render() error {
	paths := sortedKeys(im.folders)
	for _, p := range paths {
		f := im.folders[p]
		if len(f.files) == 0 {
			continue
		}
		im.rep.Groups[f.section]++
		if len(f.files) > 1 {
			im.rep.Multilingual[f.section]++
		}
		for _, l := range sortedKeys(f.files) {
			pf := f.files[l]
			ln := &fileLinker{im: im, pf: pf, used: map[int]bool{}}
			body, issues := convert(pf.src, pf.lang, ln)
			body += ln.attachments()
			im.rep.addIssues(pf.obj, issues)
			if im.rep.Files[f.section] == nil {
				im.rep.Files[f.section] = map[string]int{}
			}
			im.rep.Files[f.section][l]++
			if im.rep.Objects[pf.kind] == nil {
				im.rep.Objects[pf.kind] = map[string]int{}
			}
			im.rep.Objects[pf.kind][l]++
			im.outputs = append(im.outputs, output{path: "content/" + p + "/" + l + ".md", data: source.FormatPage(pf.fm, body)})
		}
	}
	for _, p := range paths {
		f := im.folders[p]
		im.outputs = append(im.outputs, f.copies...)
		im.rep.Documents += len(f.copies)
	}
	sort.Slice(im.outputs, func(i, j int) bool { return im.outputs[i].path < im.outputs[j].path })
	im.rep.sort()
	return nil
}

// fileLinker resolves links for one file; documents it links to are copied
// into the file's folder.
type fileLinker struct {
	im   *importer
	pf   *pageFile
	used map[int]bool // documents shown in the text
}

var headingIDRe = regexp.MustCompile(`(?m)^#{1,6} .*\{#([A-Za-z0-9_-]+)\}$`)

// dryLinker resolves everything, with no side effects: it is used to find
// a text's heading ids (pageFile.hasAnchor).
type dryLinker struct{}

func (dryLinker) link(string, int) (string, string, bool) { return "/x/y", "", true }
func (dryLinker) hasAnchor(string, int, string) bool      { return true }
func (dryLinker) doc(int) (docRef, bool)                  { return docRef{file: "x"}, true }
func (dryLinker) oldURL(string) (string, bool)            { return "", false }

func (l *fileLinker) link(kind string, id int) (string, string, bool) {
	pf := l.target(kind, id)
	if pf == nil {
		return "", l.im.spipTitle(kind, id), false
	}
	title := pf.fm.Title
	if t, ok := pf.f.files[l.pf.lang]; ok {
		title = t.fm.Title
	}
	return pf.f.url(), title, true
}

// hasAnchor checks a fragment where kb does: on the target's page in the
// language of the linking page, if there is one.
func (l *fileLinker) hasAnchor(kind string, id int, frag string) bool {
	pf := l.target(kind, id)
	if pf == nil {
		return false
	}
	if t, ok := pf.f.files[l.pf.lang]; ok {
		return t.hasAnchor(frag)
	}
	return true
}

// target returns the file a link to an object leads to, or nil when it is
// not imported (or is a draft and the linking page is not).
func (l *fileLinker) target(kind string, id int) *pageFile {
	im := l.im
	var pf *pageFile
	switch kind {
	case "article", "breve":
		pf = im.objFile[objKey(kind, id)]
	case "rubrique":
		// A rubrique that is not a topic links to its nearest topic.
		for n := 0; id != 0 && n < 100 && pf == nil; n++ {
			if f := im.objFolder[objKey("rubrique", id)]; f != nil {
				pf = f.fileFor(l.pf.lang)
			} else if r, ok := im.rubs[id]; ok {
				id = r.int("id_parent")
			} else {
				break
			}
		}
	case "mot":
		if f := im.objFolder[objKey("mot", id)]; f != nil {
			pf = f.fileFor(l.pf.lang)
		}
	}
	if pf == nil || (pf.fm.Draft && !l.pf.fm.Draft) {
		return nil
	}
	return pf
}

// spipTitle is the title of an object that is not imported, for the text
// that replaces a link to it.
func (im *importer) spipTitle(kind string, id int) string {
	return plain(im.row(kind, id)["titre"], im.siteLang)
}

// row returns the record of an article, brève, rubrique or keyword, or nil.
func (im *importer) row(kind string, id int) row {
	if im.rows == nil {
		im.rows = map[string]row{}
		for k, t := range idColumns {
			for _, r := range im.b.tables[t[0]] {
				im.rows[objKey(k, r.int(t[1]))] = r
			}
		}
	}
	return im.rows[objKey(kind, id)]
}

var idColumns = map[string][2]string{
	"article": {"spip_articles", "id_article"}, "breve": {"spip_breves", "id_breve"},
	"rubrique": {"spip_rubriques", "id_rubrique"}, "mot": {"spip_mots", "id_mot"},
}

func (l *fileLinker) doc(id int) (docRef, bool) {
	r, ok := l.im.docs[id]
	if !ok || (r["statut"] != "" && r["statut"] != "publie") {
		return docRef{}, false
	}
	l.used[id] = true
	d := docRef{title: plain(r["titre"], l.pf.lang), image: imageExt[strings.ToLower(r["extension"])]}
	if r["distant"] == "oui" {
		d.url = r["fichier"]
		return d, true
	}
	d.file = l.im.placeDoc(l.pf, id)
	if d.title == "" && !d.image {
		d.title = path.Base(r["fichier"]) // link text; an image keeps an empty alt
	}
	d.missing = d.file == ""
	return d, true
}

// attachments lists the documents linked to the object but not shown in
// its text, as SPIP showed them below the text.
func (l *fileLinker) attachments() string {
	var lines []string
	for _, r := range l.im.docLinks[objKey(l.pf.kind, l.pf.id)] {
		id := r.int("id_document")
		if l.used[id] {
			continue
		}
		d, ok := l.doc(id)
		if !ok || d.missing {
			continue
		}
		target, title := d.file, d.title
		if d.url != "" {
			target = d.url
		}
		if d.image && d.url == "" {
			lines = append(lines, "- !["+escapeInline(title)+"]("+mdDest(target)+")")
		} else {
			lines = append(lines, "- ["+escapeInline(orText(title, target))+"]("+mdDest(target)+")")
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n") + "\n"
}

func (l *fileLinker) oldURL(u string) (string, bool) {
	im := l.im
	rest, own := im.ownPath(u)
	if !own {
		return "", false
	}
	frag := ""
	if h := strings.IndexByte(rest, '#'); h >= 0 {
		rest, frag = rest[:h], anchorID(rest[h+1:])
	}
	if f, ok := strings.CutPrefix(rest, "/IMG/"); ok {
		if id, ok := im.docByFile[f]; ok {
			if d, ok := l.doc(id); ok && d.file != "" {
				return d.file, true
			}
		}
		return "", true
	}
	for _, p := range []string{rest, stripLangParam(rest)} {
		if pf := im.oldURLs[p]; pf != nil && (!pf.fm.Draft || l.pf.fm.Draft) {
			if t, ok := pf.f.files[l.pf.lang]; frag != "" && (!ok || t.hasAnchor(frag)) {
				return pf.f.url() + "#" + frag, true
			}
			return pf.f.url(), true
		}
	}
	return "", true
}

// ownPath returns the path and query of a URL of the old site ("/spip.php?
// article1"); a relative URL is taken as one of the old site too.
func (im *importer) ownPath(u string) (string, bool) {
	if !schemeRe.MatchString(u) && !strings.HasPrefix(u, "//") {
		if strings.HasPrefix(u, "#") || strings.HasPrefix(strings.ToLower(u), "www.") || emailRe.MatchString(u) {
			return "", false
		}
		return "/" + strings.TrimPrefix(strings.TrimPrefix(u, "./"), "/"), true
	}
	site := strings.TrimRight(im.siteURL, "/")
	if site == "" {
		return "", false
	}
	norm := func(s string) string {
		s = strings.ToLower(s)
		for _, p := range []string{"https://", "http://", "//"} {
			s = strings.TrimPrefix(s, p)
		}
		return strings.TrimPrefix(s, "www.")
	}
	nu, ns := norm(u), norm(site)
	if nu != ns && !strings.HasPrefix(nu, ns+"/") {
		return "", false
	}
	// Keep the original case of the path: it is in the tail of u.
	tail := u[len(u)-(len(nu)-len(ns)):]
	return "/" + strings.TrimPrefix(tail, "/"), true
}

func stripLangParam(p string) string {
	base, q, ok := strings.Cut(p, "?")
	if !ok {
		return p
	}
	var keep []string
	for _, kv := range strings.Split(q, "&") {
		if !strings.HasPrefix(kv, "lang=") {
			keep = append(keep, kv)
		}
	}
	if len(keep) == 0 {
		return base
	}
	return base + "?" + strings.Join(keep, "&")
}
