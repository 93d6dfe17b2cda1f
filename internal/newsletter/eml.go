package newsletter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"kb/internal/source"
)

func parseFrom(from string) (*mail.Address, error) {
	if from == "" {
		return nil, fmt.Errorf("no sender")
	}
	return mail.ParseAddress(from)
}

// message writes the .eml: headers, then a multipart/alternative body with
// the plain text first and the HTML last (the one a client prefers), both
// UTF-8 and quoted-printable. Lines end in CRLF.
func message(cfg source.Newsletter, m *Mail, now time.Time) ([]byte, error) {
	from, err := parseFrom(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("newsletter from: %w", err)
	}
	// A boundary of "=_" cannot occur in quoted-printable text; the hash
	// keeps it the same for the same content.
	sum := sha256.Sum256(append(append([]byte(nil), m.Text...), m.HTML...))
	boundary := "=_kb_" + hex.EncodeToString(sum[:12])

	var h bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&h, "%s: %s\r\n", k, v) }
	header("From", from.String())
	if cfg.ReplyTo != "" {
		rt, err := mail.ParseAddress(cfg.ReplyTo)
		if err != nil {
			return nil, fmt.Errorf("newsletter reply_to: %w", err)
		}
		header("Reply-To", rt.String())
	}
	header("Subject", encodeSubject(m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	domain := from.Address[strings.LastIndex(from.Address, "@")+1:]
	header("Message-ID", fmt.Sprintf("<kb-newsletter.%s.%s.%s@%s>", m.Key, m.Lang, now.UTC().Format("20060102T150405Z"), domain))
	if len(cfg.Unsubscribe) > 0 {
		var targets []string
		for _, u := range cfg.Unsubscribe {
			targets = append(targets, "<"+u+">")
		}
		header("List-Unsubscribe", strings.Join(targets, ", "))
	}
	header("Content-Language", m.Lang)
	header("MIME-Version", "1.0")
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": boundary}))
	h.WriteString("\r\n")

	mw := multipart.NewWriter(&h)
	if err := mw.SetBoundary(boundary); err != nil {
		return nil, err
	}
	for _, part := range []struct {
		typ  string
		body []byte
	}{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		ph := textproto.MIMEHeader{}
		ph.Set("Content-Type", mime.FormatMediaType(part.typ, map[string]string{"charset": "utf-8"}))
		ph.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := mw.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write(part.body); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	h.WriteString("\r\n")
	return h.Bytes(), nil
}

// encodeSubject encodes a subject that is not plain ASCII as RFC 2047 Q
// encoded words, one per folded line, so that no line is too long.
func encodeSubject(s string) string {
	enc := mime.QEncoding.Encode("utf-8", s)
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}
