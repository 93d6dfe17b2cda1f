package newsletter

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"

	"kb/internal/diag"
	"kb/internal/site"
	"kb/internal/source"
)

// TemplatePath is the HTML e-mail's template, in the site folder.
const TemplatePath = "templates/email.html"

// Options say which editions to make.
type Options struct {
	Since, Until time.Time // zero: the edition's own period
	Langs        []string  // default: the languages setting, else the default language
	Now          time.Time // the Date header; today, when Until is zero
}

// Mail is one edition in one language, ready to send.
type Mail struct {
	Lang    string
	Key     string // YYYY-MM
	Subject string
	Edition *site.Edition
	HTML    []byte
	Text    []byte
	EML     []byte
}

// Make makes the editions of opt.Langs from the site's news. fsys is the
// site folder, for the e-mail template.
func Make(s *site.Site, fsys fs.FS, opt Options) ([]*Mail, error) {
	var problems diag.List
	cfg := s.Settings.Newsletter
	if _, err := parseFrom(cfg.From); err != nil {
		problems.Add(diag.Problem{Path: source.SettingsPath, Msg: "kb newsletter needs the sender", Hint: "add a table [newsletter] with from = \"Name <address@example.org>\" (CONTENT.md)"})
	}
	langs := opt.Langs
	if len(langs) == 0 {
		langs = cfg.Languages
	}
	if len(langs) == 0 {
		langs = []string{s.Settings.DefaultLanguage}
	}
	for _, code := range langs {
		if s.Langs.Get(code) == nil {
			problems.Add(diag.Problem{Path: source.SettingsPath, Msg: "no language " + code + " for the newsletter", Hint: "the site's languages are the files of i18n/"})
		}
	}
	data, err := fs.ReadFile(fsys, TemplatePath)
	if err != nil {
		problems.Add(diag.Problem{Path: TemplatePath, Msg: "missing e-mail template", Hint: "copy templates/email.html from kb's sample site"})
	}
	tmpl, err := template.New("email.html").Parse(string(data))
	if err != nil {
		problems.Errorf(TemplatePath, 0, "template error: %v", err)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	today := opt.Now
	if !opt.Until.IsZero() {
		today = opt.Until
	}
	key := today.Format("2006-01")
	var mails []*Mail
	for _, code := range langs {
		since, until := s.EditionPeriod(code, key, day(today))
		if !opt.Since.IsZero() {
			since = opt.Since
		}
		if !opt.Until.IsZero() {
			until = opt.Until
		}
		m, err := makeMail(s, tmpl, s.Edition(code, key, since, until), opt.Now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", TemplatePath, err)
		}
		mails = append(mails, m)
	}
	return mails, nil
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

func makeMail(s *site.Site, tmpl *template.Template, e *site.Edition, now time.Time) (*Mail, error) {
	m := &Mail{Lang: e.Lang.Code, Key: e.Key, Subject: e.Title, Edition: e}
	c := newContent(s, e)
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, c.html); err != nil {
		return nil, err
	}
	m.HTML = buf.Bytes()
	m.Text = c.text()
	eml, err := message(s.Settings.Newsletter, m, now)
	if err != nil {
		return nil, err
	}
	m.EML = eml
	return m, nil
}

// Tag adds the edition's tag to a URL of the site.
func Tag(u, key string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set("nl", key)
	p.RawQuery = q.Encode()
	return p.String()
}

// onSite reports whether u is a page of the site at base.
func onSite(u, base string) bool {
	return u == base || strings.HasPrefix(u, base+"/")
}

// emailData is what templates/email.html sees.
type emailData struct {
	Lang, Dir, Title, Preheader string
	Date, ISO                   string
	SiteName, SiteURL, Sample   string
	Intro                       template.HTML
	Topics                      []topicData
	ReadMore                    string
	Emergency                   []emergency
	Online, OnlineURL           string
	Why                         string
	Unsubscribe, UnsubscribeURL string
	// A fixed 600 px table for Outlook on Windows, which ignores
	// max-width; html/template would drop these comments from the file.
	MSOOpen, MSOClose template.HTML
}

type topicData struct {
	Title string
	Items []itemData
}

type itemData struct {
	Title, Summary, URL string
	Date, ISO           string
	Other               bool // in another language than the edition
	Lang, Dir           string
}

type emergency struct{ Number, Label string }

// content is an edition's text, built once for the HTML and the plain text.
type content struct {
	html  emailData
	intro []block // the intro as plain-text blocks
	links []string
}

func newContent(s *site.Site, e *site.Edition) *content {
	l, base := e.Lang, s.Settings.BaseURL
	d := emailData{Lang: l.TagString(), Dir: l.Dir, Title: e.Title, Date: l.FormatDate(e.Until), ISO: e.Until.Format("2006-01-02"),
		SiteName: l.T("site_name"), SiteURL: Tag(base+"/"+l.Code+"/", e.Key), ReadMore: l.T("read_more"),
		Online: l.T("newsletter_online"), Why: l.T("newsletter_why"), Unsubscribe: l.T("newsletter_unsubscribe"),
		MSOOpen:  `<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`,
		MSOClose: `<!--[if mso]></td></tr></table><![endif]-->`}
	if s.Settings.Sample {
		d.Sample = l.T("sample_notice")
	}
	c := &content{}
	if e.Intro != nil {
		d.Preheader = e.Intro.Meta.Summary
		d.Intro, c.intro = convertIntro(string(e.Intro.Body), base, e.Key, l.Dir)
		// The archive page; a draft edition gets it once published.
		d.OnlineURL = Tag(base+e.Intro.URL, e.Key)
	}
	for _, t := range e.Topics {
		td := topicData{Title: t.Title}
		for _, p := range t.Items {
			td.Items = append(td.Items, itemData{Title: p.Meta.Title, Summary: p.Meta.Summary, URL: Tag(base+p.URL, e.Key),
				Date: l.FormatDate(p.Meta.Date), ISO: p.Meta.Date.Format("2006-01-02"),
				Other: p.Lang != l.Code, Lang: p.Language.TagString(), Dir: p.Language.Dir})
		}
		d.Topics = append(d.Topics, td)
	}
	for _, em := range s.Settings.Emergency {
		d.Emergency = append(d.Emergency, emergency{em.Number, l.T(em.Label)})
	}
	d.UnsubscribeURL = unsubscribeLink(s.Settings.Newsletter.Unsubscribe)
	c.html = d
	return c
}

// unsubscribeLink is the link the e-mail shows: the web page if there is
// one, else the address.
func unsubscribeLink(targets []string) string {
	if i := slices.IndexFunc(targets, func(u string) bool { return strings.HasPrefix(u, "https:") }); i >= 0 {
		return targets[i]
	}
	if len(targets) > 0 {
		return targets[0]
	}
	return ""
}
