package newsletter

import (
	"bytes"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"kb/internal/build"
	"kb/internal/sitetest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// brussels is the fixed sending time of the tests.
var sent = time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("CET", 3600))

// makeSite loads a site folder (drafts included, as kb newsletter does)
// and makes its editions.
func makeSite(t *testing.T, dir string, opt Options) []*Mail {
	t.Helper()
	res, err := build.Load(dir, true)
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	if opt.Now.IsZero() {
		opt.Now = sent
	}
	mails, err := Make(res.Site, os.DirFS(dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	return mails
}

// The included site's news makes the fr and nl editions of November 2026.
func TestGoldenIncludedSite(t *testing.T) {
	opt := Options{Until: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}
	mails := makeSite(t, sitetest.Root(), opt)
	again := makeSite(t, sitetest.Root(), opt)
	if len(mails) != 2 || mails[0].Lang != "fr" || mails[1].Lang != "nl" {
		t.Fatalf("editions: got %d, want fr and nl", len(mails))
	}
	for i, m := range mails {
		if len(m.Edition.Items()) != 2 || len(m.Edition.LeftOut) != 0 {
			t.Errorf("%s: %d items, %d left out; want the 2 news items since the July edition", m.Lang, len(m.Edition.Items()), len(m.Edition.LeftOut))
		}
		for ext, got := range map[string][]byte{"html": m.HTML, "txt": m.Text, "eml": m.EML} {
			name := filepath.Join("testdata", "golden", m.Key+"-"+m.Lang+"."+ext)
			other := map[string][]byte{"html": again[i].HTML, "txt": again[i].Text, "eml": again[i].EML}[ext]
			if !bytes.Equal(got, other) {
				t.Errorf("%s: two runs differ", name)
			}
			if *update {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/newsletter -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got; run with -update and review):\n%s", name, diff)
			}
		}
	}
}

// checkEML parses a message with net/mail and mime/multipart and checks
// its headers and that both parts decode to the edition's text and HTML.
func checkEML(t *testing.T, m *Mail, raw []byte) *mail.Message {
	t.Helper()
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line %d is %d bytes long", i+1, len(line))
		}
		for _, r := range line {
			if r > 126 || (r < 32 && r != '\t') {
				t.Fatalf("line %d has a byte that is not 7-bit text: %q", i+1, line)
			}
		}
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a line ends without CR")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	if _, err := mail.ParseAddress(h.Get("From")); err != nil {
		t.Errorf("From %q: %v", h.Get("From"), err)
	}
	if d, err := h.Date(); err != nil || !d.Equal(sent) {
		t.Errorf("Date %q = %v, %v; want %v", h.Get("Date"), d, err, sent)
	}
	rawSubject := h.Get("Subject")
	subject, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
	if err != nil || subject != m.Subject {
		t.Errorf("Subject %q decodes to %q, %v; want %q", rawSubject, subject, err, m.Subject)
	}
	if !isASCII(m.Subject) && !strings.HasPrefix(rawSubject, "=?utf-8?q?") {
		t.Errorf("non-ASCII subject not in encoded words: %q", rawSubject)
	}
	for w := range strings.FieldsSeq(rawSubject) {
		if len(w) > 75 {
			t.Errorf("encoded word longer than 75: %q", w)
		}
	}
	if got := h.Get("List-Unsubscribe"); !strings.HasPrefix(got, "<mailto:") {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if h.Get("Message-Id") == "" || h.Get("Mime-Version") != "1.0" || h.Get("Content-Language") != m.Lang {
		t.Errorf("headers: %v", h)
	}
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
		if cp["charset"] != "utf-8" || p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("%s part: header %v", ct, p.Header)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatalf("%s part: %v", ct, err)
		}
		got := strings.ReplaceAll(string(body), "\r\n", "\n")
		want := map[string][]byte{"text/plain": m.Text, "text/html": m.HTML}[ct]
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("%s part decodes differently (-want +got):\n%s", ct, diff)
		}
	}
	if diff := cmp.Diff([]string{"text/plain", "text/html"}, types); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
	return msg
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 126 {
			return false
		}
	}
	return true
}

func TestEMLParses(t *testing.T) {
	mails := makeSite(t, sitetest.Root(), Options{Until: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	arabic := makeSite(t, sitetest.Write(t, fixture), Options{Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Langs: []string{"ar"}})
	for _, m := range append(mails, arabic...) {
		t.Run(m.Lang, func(t *testing.T) { checkEML(t, m, m.EML) })
	}
}

// checkSelfContained checks that an HTML e-mail loads nothing: no script,
// image, frame, stylesheet or font, and no URL in its CSS.
func checkSelfContained(t *testing.T, doc []byte) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "img", "iframe", "link", "object", "embed", "video", "audio", "picture", "source", "form", "input":
				t.Errorf("element <%s> in the e-mail", n.Data)
			case "style":
				if n.FirstChild != nil && strings.ContainsAny(strings.ToLower(n.FirstChild.Data), "@") &&
					(strings.Contains(n.FirstChild.Data, "@import") || strings.Contains(n.FirstChild.Data, "@font-face") || strings.Contains(n.FirstChild.Data, "url(")) {
					t.Errorf("style loads something: %s", n.FirstChild.Data)
				}
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "src" || a.Key == "srcset" || a.Key == "background" || a.Key == "poster":
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				case a.Key == "style" && strings.Contains(a.Val, "url("):
					t.Errorf("<%s style=%q>", n.Data, a.Val)
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("<%s %s>: event handler", n.Data, a.Key)
				case a.Key == "href" && !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "mailto:"):
					t.Errorf("<%s href=%q>: not an absolute https or mailto link", n.Data, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
}

func TestHTMLSelfContained(t *testing.T) {
	mails := makeSite(t, sitetest.Root(), Options{Until: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})
	mails = append(mails, makeSite(t, sitetest.Write(t, fixture), Options{Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Langs: []string{"fr", "nl", "ar"}})...)
	for _, m := range mails {
		t.Run(m.Key+"-"+m.Lang, func(t *testing.T) {
			checkSelfContained(t, m.HTML)
			want := `<html lang="` + m.Edition.Lang.TagString() + `" dir="` + m.Edition.Lang.Dir + `">`
			if !bytes.Contains(m.HTML, []byte(want)) {
				t.Errorf("missing %s", want)
			}
			if !bytes.Contains(m.HTML, []byte(`width="600"`)) || !bytes.Contains(m.HTML, []byte(`color-scheme`)) {
				t.Error("not a 600 px table layout with a colour scheme")
			}
			for _, it := range m.Edition.Items() {
				if !strings.Contains(string(m.Text), it.URL+"?nl="+m.Key) {
					t.Errorf("text lacks the tagged link of %s", it.URL)
				}
			}
		})
	}
}

func TestTextWrapped(t *testing.T) {
	mails := makeSite(t, sitetest.Write(t, fixture), Options{Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Langs: []string{"fr", "nl", "ar"}})
	mails = append(mails, makeSite(t, sitetest.Root(), Options{Until: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)})...)
	for _, m := range mails {
		links := false
		for i, line := range strings.Split(string(m.Text), "\n") {
			if strings.HasPrefix(line, "[1] ") {
				links = true
			}
			// Only a single long word (a URL) may pass the width.
			if n := len([]rune(line)); n > Width && strings.Contains(strings.TrimPrefix(strings.TrimLeft(line, " "), "[1] "), " ") && !links {
				t.Errorf("%s line %d has %d characters: %q", m.Lang, i+1, n, line)
			}
		}
		if !links {
			t.Errorf("%s: no list of links at the end", m.Lang)
		}
	}
}

func TestWrap(t *testing.T) {
	long := strings.Repeat("word ", 30)
	tests := []struct {
		name, in, first, rest string
		want                  []string
	}{
		{"short", "a b c", "", "", []string{"a b c"}},
		{"hanging", long, "* ", "  ", nil},
		{"url alone", "see https://example.org/" + strings.Repeat("x", 80) + " now", "", "", []string{"see", "https://example.org/" + strings.Repeat("x", 80), "now"}},
		{"no-break space kept", "a\u00a0: b", "", "", []string{"a\u00a0: b"}},
		{"newlines are spaces", "a\nb", "", "", []string{"a b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Split(wrap(tt.in, tt.first, tt.rest), "\n")
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			for i, l := range got {
				if len([]rune(l)) > Width {
					t.Errorf("line %d too long: %q", i, l)
				}
				prefix := tt.rest
				if i == 0 {
					prefix = tt.first
				}
				if !strings.HasPrefix(l, prefix) {
					t.Errorf("line %d lacks %q: %q", i, prefix, l)
				}
			}
		})
	}
}

func TestEncodeSubject(t *testing.T) {
	tests := []struct{ name, in string }{
		{"ascii", "Newsletter - November 2026"},
		{"french", "Lettre d'information — novembre 2026"},
		{"arabic", "النشرة الإخبارية — نوفمبر ٢٠٢٦ مع عنوان طويل جدا لاختبار طي السطر في الرأس"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := encodeSubject(tt.in)
			for line := range strings.SplitSeq(enc, "\r\n") {
				if len(line) > 78 {
					t.Errorf("header line of %d bytes: %q", len(line), line)
				}
			}
			// Folded as a header, then read back as a mail reader does.
			msg, err := mail.ReadMessage(strings.NewReader("Subject: " + enc + "\r\n\r\n"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || got != tt.in {
				t.Errorf("decoded %q, %v; want %q", got, err, tt.in)
			}
		})
	}
}

// A list's bullets and a quote's bar sit at the start of the line: on the
// right in a right-to-left edition.
func TestIntroDirection(t *testing.T) {
	const body = "<ul><li>a</li></ul><blockquote><p>q</p></blockquote>"
	tests := []struct {
		dir       string
		want, not []string
	}{
		{"ltr", []string{"padding:0 0 0 24px", "border-left:"}, []string{"padding:0 24px 0 0", "border-right:"}},
		{"rtl", []string{"padding:0 24px 0 0", "border-right:"}, []string{"padding:0 0 0 24px", "border-left:"}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			got, _ := convertIntro(body, "https://example.org", "2026-11", tt.dir)
			for _, s := range tt.want {
				if !strings.Contains(string(got), s) {
					t.Errorf("lacks %q:\n%s", s, got)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(string(got), s) {
					t.Errorf("has %q:\n%s", s, got)
				}
			}
		})
	}
}
