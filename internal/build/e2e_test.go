package build_test

import (
	"context"
	"encoding/xml"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"kb/internal/build"
	"kb/internal/sitetest"
)

// buildRepo builds the repository's own site (a copy) into a temp folder.
func buildRepo(t *testing.T) (*build.Result, string) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"content", "templates", "i18n"} {
		if err := sitetest.CopyDir(filepath.Join(sitetest.Root(), d), filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := build.Build(context.Background(), build.Options{Site: dir})
	if err != nil {
		t.Fatalf("the included site does not build:\n%v", err)
	}
	return res, filepath.Join(res.Generation, "site")
}

// TestIncludedSite builds the shipped content and walks every page.
func TestIncludedSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole included site")
	}
	res, root := buildRepo(t)
	s := res.Site
	if n := len(s.Langs.List); n != 15 {
		t.Errorf("%d languages, want 15", n)
	}
	// Issue 3: every home, the core fiches, topics and statuses in all 15
	// languages; procedures in nl, fr, en; news in nl and fr.
	counts := map[string]int{}
	full := map[string]int{}
	for _, g := range s.Groups {
		counts[g.Section]++
		if len(g.Pages) == len(s.Langs.List) {
			full[g.Section]++
		}
		switch g.Section {
		case "topics", "residence":
			if len(g.Pages) != 15 {
				t.Errorf("%s/%s exists in %d languages, want 15", g.Section, g.Key, len(g.Pages))
			}
		case "procedures":
			for _, c := range []string{"nl", "fr", "en"} {
				if g.Pages[c] == nil {
					t.Errorf("procedure %s lacks %s", g.Key, c)
				}
			}
		case "news":
			for _, c := range []string{"nl", "fr"} {
				if g.Pages[c] == nil {
					t.Errorf("news %s lacks %s", g.Key, c)
				}
			}
		}
	}
	if full["fiches"] < 10 || counts["fiches"] < 12 || counts["procedures"] < 8 || counts["news"] < 20 || counts["topics"] != 3 || counts["residence"] < 7 {
		t.Errorf("content: %v groups, %v in all languages", counts, full)
	}
	for _, l := range s.Langs.List {
		if _, err := os.Stat(filepath.Join(root, l.Code, "index.html")); err != nil {
			t.Errorf("no home page for %s", l.Code)
		}
	}

	sitemap := readSitemap(t, filepath.Join(root, "sitemap.xml"), s.Settings.BaseURL)
	pages := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel := "/" + filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		pages++
		checkPage(t, root, rel, sitemap)
		return nil
	})
	if pages < 500 {
		t.Errorf("only %d HTML files", pages)
	}
	for loc := range sitemap {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(loc), "index.html")); err != nil && loc != "/" {
			t.Errorf("the sitemap lists %s, which is not a page", loc)
		}
	}
}

func readSitemap(t *testing.T, p, base string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var us struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				HrefLang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &us); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, u := range us.URLs {
		out[strings.TrimPrefix(u.Loc, base)] = true
		for _, l := range u.Links {
			if l.HrefLang == "" || !strings.HasPrefix(l.Href, base+"/") {
				t.Errorf("sitemap %s: bad alternate %+v", u.Loc, l)
			}
		}
	}
	return out
}

// checkPage checks one built HTML file.
func checkPage(t *testing.T, root, rel string, sitemap map[string]bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Errorf("%s: %v", rel, err)
		return
	}
	if strings.Contains(src, "&amp;amp;") || strings.Contains(src, "&amp;lt;") || strings.Contains(src, "&amp;#") {
		t.Errorf("%s: double escaping", rel)
	}
	stub := strings.Contains(src, `http-equiv="refresh"`)
	var lang, dir string
	noindex := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := attrs(n)
			switch n.Data {
			case "html":
				lang, dir = a["lang"], a["dir"]
			case "meta":
				if a["name"] == "robots" && strings.Contains(a["content"], "noindex") {
					noindex = true
				}
			case "a", "link", "img", "script", "form", "iframe", "source":
				for _, k := range []string{"href", "src", "action"} {
					if v, ok := a[k]; ok {
						checkRef(t, root, rel, n.Data, v, a["rel"])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if lang == "" || dir == "" {
		t.Errorf("%s: <html> lacks lang or dir", rel)
	}
	if stub || strings.HasPrefix(rel, "/_editors/") {
		return
	}
	if !strings.Contains(src, `href="tel:112"`) {
		t.Errorf("%s: no emergency number", rel)
	}
	loc := strings.TrimSuffix(rel, "index.html")
	if !noindex && !sitemap[loc] {
		t.Errorf("%s: an indexable page missing from the sitemap", rel)
	}
	if noindex && sitemap[loc] {
		t.Errorf("%s: a noindex page in the sitemap", rel)
	}
}

func attrs(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}

// checkRef checks that a reference resolves to a file of the site, or is an
// external link (never a resource: no third-party requests).
func checkRef(t *testing.T, root, page, tag, ref, rel string) {
	t.Helper()
	u, err := url.Parse(ref)
	if err != nil {
		t.Errorf("%s: bad URL %q", page, ref)
		return
	}
	switch u.Scheme {
	case "tel", "mailto":
		return
	case "data":
		return
	case "http", "https":
		if tag != "a" && !(tag == "link" && (rel == "canonical" || rel == "alternate")) {
			t.Errorf("%s: <%s> loads %s from another host", page, tag, ref)
		}
		return
	case "":
	default:
		t.Errorf("%s: unexpected URL scheme in %q", page, ref)
		return
	}
	if u.Path == "" {
		return // #fragment
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(page), p)
	}
	if strings.HasSuffix(p, "/search/") && u.RawQuery != "" {
		return // answered by kb serve
	}
	f := filepath.Join(root, filepath.FromSlash(p))
	if strings.HasSuffix(p, "/") {
		f = filepath.Join(f, "index.html")
	}
	if _, err := os.Stat(f); err != nil {
		t.Errorf("%s: <%s> %q does not resolve to a file", page, tag, ref)
	}
}
