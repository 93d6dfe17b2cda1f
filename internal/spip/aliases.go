package spip

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Type markers of "propres" URLs (SPIP's _MARQUEUR_URL): a rubrique was
// served at /-slug-, a brève at /+slug+, a keyword at /+-slug-+. SPIP also
// resolved the bare /slug, so both are redirected.
var propresMarkers = map[string][2]string{
	"rubrique": {"-", "-"},
	"breve":    {"+", "+"},
	"mot":      {"+-", "-+"},
}

// Paths kb itself serves at the site root; an alias there would hide them.
var reservedRoot = map[string]bool{
	"sitemap.xml": true, "robots.txt": true, "404.html": true, "_redirects": true,
	"redirects.map": true, "index.html": true, "feed.xml": true, "_headers": true,
	"files": true, // resources: /files/<section>/<key>/<name>
	// kb serve's routes and the editors' pages
	"api": true, "_kb": true, "_editors": true,
}

// aliasBad matches what site.CleanAlias refuses in a path: spaces, and what
// _redirects and redirects.map would read as a pattern or a quote.
var aliasBad = regexp.MustCompile("[\\s\"'<>\\\\^`{}|#*:$;\\x00-\\x1f\\x7f\\p{Cf}\\p{Z}]")

type claim struct {
	pf    *pageFile
	alias string
}

func (im *importer) aliases() {
	var claims []claim
	for _, r := range im.b.tables["spip_rubriques"] {
		id := r.int("id_rubrique")
		if r["statut"] != "publie" {
			continue
		}
		var f *folder
		for p, n := id, 0; p != 0 && n < 100 && f == nil; n++ {
			f = im.objFolder[objKey("rubrique", p)]
			p = im.rubs[p].int("id_parent")
		}
		if f == nil {
			im.rep.add(&im.rep.DroppedAliases, objKey("rubrique", id), "neither it nor a parent is a topic: its old URLs are not redirected")
			continue
		}
		claims = append(claims, im.objectAliases("rubrique", id, f, im.rubLang(id))...)
	}
	for _, r := range im.b.tables["spip_articles"] {
		if pf := im.objFile[objKey("article", r.int("id_article"))]; pf != nil {
			claims = append(claims, im.objectAliases("article", pf.id, pf.f, pf.lang)...)
		}
	}
	for _, r := range im.b.tables["spip_breves"] {
		if pf := im.objFile[objKey("breve", r.int("id_breve"))]; pf != nil {
			claims = append(claims, im.objectAliases("breve", pf.id, pf.f, pf.lang)...)
		}
	}
	for _, r := range im.b.tables["spip_mots"] {
		if f := im.objFolder[objKey("mot", r.int("id_mot"))]; f != nil {
			claims = append(claims, im.objectAliases("mot", r.int("id_mot"), f, im.siteLang)...)
		}
	}
	owner := map[string]*pageFile{}
	for _, c := range claims {
		if why := im.badAlias(c.alias); why != "" {
			im.rep.add(&im.rep.DroppedAliases, c.pf.obj, "%s: %s", c.alias, why)
			continue
		}
		if o, taken := owner[c.alias]; taken {
			if o != c.pf {
				im.rep.add(&im.rep.DroppedAliases, c.pf.obj, "%s: already an alias of %s", c.alias, o.obj)
			}
			continue
		}
		owner[c.alias] = c.pf
		c.pf.fm.Aliases = append(c.pf.fm.Aliases, c.alias)
		im.rep.Aliases++
	}
	im.oldURLs = owner
	for _, f := range im.folders {
		for _, pf := range f.files {
			sort.Strings(pf.fm.Aliases)
		}
	}
}

// objectAliases lists the old URLs of one SPIP object, each claimed by the
// file that replaces it in f.
func (im *importer) objectAliases(kind string, id int, f *folder, lang string) []claim {
	var files []*pageFile
	for _, l := range sortedKeys(f.files) {
		if pf := f.files[l]; pf.kind == kind && pf.id == id {
			files = append(files, pf)
		}
	}
	if len(files) == 0 { // redirected to a topic made from another object
		files = []*pageFile{f.fileFor(lang)}
	}
	main := files[0]
	for _, pf := range files {
		if pf.lang == lang {
			main = pf
		}
	}
	var cs []claim
	add := func(pf *pageFile, aliases ...string) {
		for _, a := range aliases {
			cs = append(cs, claim{pf, a})
			if im.multilingual {
				cs = append(cs, claim{pf, withLang(a, pf.lang)})
			}
		}
	}
	base := []string{
		fmt.Sprintf("/spip.php?%s%d", kind, id),
		fmt.Sprintf("/spip.php?page=%s&id_%s=%d", kind, kind, id),
		fmt.Sprintf("/%s.php3?id_%s=%d", kind, kind, id),
	}
	if im.typeURLs == "html" {
		base = append(base, fmt.Sprintf("/%s%d.html", kind, id))
	}
	add(main, base...)
	if im.multilingual {
		// The other languages of a <multi> object were its ?lang= URLs.
		for _, pf := range files {
			if pf != main {
				for _, a := range base {
					cs = append(cs, claim{pf, withLang(a, pf.lang)})
				}
			}
		}
	}
	for _, r := range im.urls[objKey(kind, id)] {
		target := main
		for _, pf := range files {
			if pf.lang == normLang(r["langue"]) {
				target = pf
			}
		}
		add(target, im.propresForms(kind, id, r)...)
	}
	return cs
}

func withLang(a, lang string) string {
	if strings.Contains(a, "?") {
		return a + "&lang=" + lang
	}
	return a + "?lang=" + lang
}

// propresForms lists the paths a spip_urls row was served at, according to
// the site's type_urls.
func (im *importer) propresForms(kind string, id int, r row) []string {
	u := strings.Trim(strings.TrimSpace(r["url"]), "/")
	if u == "" {
		return nil
	}
	forms := []string{"/" + u}
	m, marked := propresMarkers[kind]
	mu := m[0] + u + m[1]
	switch im.typeURLs {
	case "propres", "":
		if marked {
			forms = append(forms, "/"+mu)
		}
	case "propres2":
		forms = append(forms, "/"+u+".html")
		if marked {
			forms = append(forms, "/"+mu, "/"+mu+".html")
		}
	case "arbo":
		if p := im.arboPath(kind, id, r); p != "" {
			forms = append(forms, "/"+p+"/"+u)
		}
	}
	return forms
}

// arboPath is the path of the parent rubriques of an object in "arbo" URLs.
func (im *importer) arboPath(kind string, id int, r row) string {
	parent := r.int("id_parent")
	if parent == 0 {
		switch kind {
		case "rubrique":
			parent = im.rubs[id].int("id_parent")
		case "article", "breve":
			parent = im.row(kind, id).int("id_rubrique")
		}
	}
	var segs []string
	for n := 0; parent != 0 && n < 100; n++ {
		u := im.bestURL("rubrique", parent)
		if u == "" {
			break
		}
		segs = append([]string{u}, segs...)
		parent = im.rubs[parent].int("id_parent")
	}
	return strings.Join(segs, "/")
}

// bestURL is the URL SPIP would use for an object: a permanent one, else
// the most recent.
func (im *importer) bestURL(kind string, id int) string {
	best, perma := "", false
	for _, r := range im.urls[objKey(kind, id)] { // in date order
		u := strings.Trim(strings.TrimSpace(r["url"]), "/")
		if u == "" || (perma && r.int("perma") == 0) {
			continue
		}
		best, perma = u, perma || r.int("perma") != 0
	}
	return best
}

// badAlias says why an alias cannot be used, or "".
func (im *importer) badAlias(a string) string {
	p, q, _ := strings.Cut(a, "?")
	switch {
	case !strings.HasPrefix(a, "/"):
		return "does not start with /"
	case aliasBad.MatchString(p) || strings.ContainsAny(q, " \"<>\\#\x00\n\r\t"):
		return "has characters a URL path cannot hold"
	case strings.Contains(p, "//") || path.Clean(p) != p && path.Clean(p)+"/" != p:
		return "is not a clean path"
	case p == "/":
		return "is the site's root, where kb has its language chooser"
	case strings.HasSuffix(p, ".gz"):
		return "ends in .gz, kb's compressed copies"
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	first = strings.ToLower(first)
	if im.langs[first] || reservedRoot[first] {
		return fmt.Sprintf("would hide kb's own /%s", first)
	}
	return ""
}
