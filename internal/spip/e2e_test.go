package spip

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/build"
	"kb/internal/serve"
	"kb/internal/sitetest"
)

// TestImportBuilds imports the fixture into a site with the repository's
// i18n/, templates/ and site settings, builds it with kb's real build, and
// checks that every alias is redirected: in public/_redirects, or (with a
// query string, answered by kb serve) in redirects.json and the frontmatter.
func TestImportBuilds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	root := sitetest.Root()
	for _, d := range []string{"i18n", "templates"} {
		if err := sitetest.CopyDir(filepath.Join(root, d), filepath.Join(f.site, d)); err != nil {
			t.Fatal(err)
		}
	}
	settings, err := os.ReadFile(filepath.Join(root, "content", "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(f.site, "content", "site.toml"), string(settings))

	for _, drafts := range []bool{false, true} {
		opt := f.options()
		opt.Drafts = drafts
		opt.Force = true // a draft import leaves files a published one removes
		if _, err := Import(opt); err != nil {
			t.Fatal(err)
		}
		res, err := build.Build(context.Background(), build.Options{Site: f.site, Out: filepath.Join(f.site, "public"), Drafts: drafts, NoIndex: true})
		if err != nil {
			var msgs []string
			if res != nil {
				for _, p := range res.Problems {
					msgs = append(msgs, p.String())
				}
			}
			t.Fatalf("drafts=%v: the imported site does not build: %v\n%s", drafts, err, strings.Join(msgs, "\n"))
		}
		for _, p := range res.Problems {
			t.Logf("drafts=%v: %s", drafts, p.String())
		}
		if drafts {
			continue
		}
		redirects, err := os.ReadFile(filepath.Join(f.site, "public", "_redirects"))
		if err != nil {
			t.Fatal(err)
		}
		static := map[string]bool{}
		for _, line := range strings.Split(string(redirects), "\n") {
			if fields := strings.Fields(line); len(fields) == 3 {
				static[fields[0]] = true
			}
		}
		data, err := os.ReadFile(filepath.Join(res.Generation, "redirects.json"))
		if err != nil {
			t.Fatal(err)
		}
		var all map[string]string
		if err := json.Unmarshal(data, &all); err != nil {
			t.Fatal(err)
		}
		// Every old URL redirects through kb serve to the page of its file.
		st, err := serve.NewState(res.Generation, res.Renderer)
		if err != nil {
			t.Fatal(err)
		}
		srv := &serve.Server{}
		srv.Swap(st)
		ts := httptest.NewServer(srv)
		defer ts.Close()
		defer st.Close()
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		pageURL := map[string]string{}
		for _, g := range res.Site.Groups {
			for _, p := range g.Pages {
				pageURL[filepath.ToSlash(p.Path)] = p.URL
			}
		}
		n := 0
		for name, text := range readTree(t, filepath.Join(f.site, "content")) {
			if !strings.HasSuffix(name, ".md") {
				continue
			}
			fm, _ := parseFM(t, name, text)
			for _, a := range fm.Aliases {
				n++
				if all[a] == "" {
					t.Errorf("%s: alias %s is not in redirects.json", name, a)
				}
				if !strings.Contains(a, "?") && !static[a] {
					t.Errorf("%s: alias %s is not in public/_redirects", name, a)
				}
				resp, err := client.Get(ts.URL + a)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				want := pageURL["content/"+name]
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || loc != want {
					t.Errorf("GET %s: %d to %q, want 301 to %s (%s)", a, resp.StatusCode, loc, want, name)
				}
			}
		}
		if n == 0 || n != len(all) {
			t.Errorf("%d aliases in the frontmatter, %d redirects", n, len(all))
		}
	}
}
