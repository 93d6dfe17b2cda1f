package newsletter

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"kb/internal/sitetest"
)

// smtpServer is a minimal SMTP server on loopback for the tests: EHLO,
// STARTTLS (when it has a certificate), AUTH PLAIN (when it has a login),
// MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type smtpServer struct {
	ln         net.Listener
	tls        *tls.Config
	user, pass string

	mu   sync.Mutex
	msgs []received
	wg   sync.WaitGroup
}

type received struct {
	from   string
	rcpt   []string
	data   []byte
	secure bool
	authed bool
}

func startSMTP(t *testing.T, cfg *tls.Config, user, pass string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, tls: cfg, user: user, pass: pass}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() {
				s.serve(c)
			})
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	tp := textproto.NewConn(c)
	var cur received
	secure, authed := false, false
	reply := func(lines ...string) { tp.PrintfLine("%s", strings.Join(lines, "\r\n")) }
	reply("220 kb-test ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ext := []string{"250-kb-test"}
			if s.tls != nil && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			if s.user != "" && secure {
				ext = append(ext, "250-AUTH PLAIN")
			}
			reply(append(ext, "250 8BITMIME")...)
		case "STARTTLS":
			if s.tls == nil || secure {
				reply("502 no")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, secure = tc, true
			tp = textproto.NewConn(tc)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			dec, err := base64.StdEncoding.DecodeString(resp)
			if !secure || mech != "PLAIN" || err != nil || string(dec) != "\x00"+s.user+"\x00"+s.pass {
				reply("535 authentication failed")
				continue
			}
			authed = true
			reply("235 ok")
		case "MAIL":
			if s.user != "" && !authed {
				reply("530 authentication required")
				continue
			}
			addr, _, _ := strings.Cut(strings.TrimPrefix(arg, "FROM:<"), ">")
			cur = received{from: addr}
			reply("250 ok")
		case "RCPT":
			addr, _, _ := strings.Cut(strings.TrimPrefix(arg, "TO:<"), ">")
			cur.rcpt = append(cur.rcpt, addr)
			reply("250 ok")
		case "DATA":
			reply("354 end with .")
			data, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			// The dot reader gives lines ending in LF; the wire had CRLF.
			cur.data, cur.secure, cur.authed = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), secure, authed
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			reply("250 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// selfSigned returns a server certificate for 127.0.0.1 and a client
// configuration that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kb test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

func TestSend(t *testing.T) {
	mails := makeSite(t, sitetest.Write(t, fixture), Options{Until: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Langs: []string{"fr"}})
	m := mails[0]
	const from = "Équipe kb <news@kb.example>"
	serverTLS, clientTLS := selfSigned(t)
	tests := []struct {
		name       string
		serverTLS  *tls.Config
		user, pass string
		clientTLS  *tls.Config
		wantErr    string
		wantSecure bool
	}{
		{name: "plain server"},
		{name: "STARTTLS and login", serverTLS: serverTLS, user: "editor", pass: "s3cret", clientTLS: clientTLS, wantSecure: true},
		{name: "STARTTLS without login", serverTLS: serverTLS, clientTLS: clientTLS, wantSecure: true},
		{name: "no password in clear", user: "editor", pass: "s3cret", wantErr: "does not send a password in clear"},
		{name: "untrusted certificate", serverTLS: serverTLS, wantErr: "STARTTLS"},
		{name: "wrong password", serverTLS: serverTLS, user: "editor", pass: "nope", clientTLS: clientTLS, wantErr: "login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTP(t, tt.serverTLS, tt.user, "s3cret")
			err := Send(SendOptions{Server: srv.ln.Addr().String(), To: "Test <test@kb.example>", Username: tt.user, Password: tt.pass, TLS: tt.clientTLS, Timeout: 10 * time.Second}, from, m)
			got := srv.messages()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				if len(got) != 0 {
					t.Errorf("%d messages received, want none", len(got))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d messages received, want exactly one", len(got))
			}
			r := got[0]
			if r.from != "news@kb.example" || len(r.rcpt) != 1 || r.rcpt[0] != "test@kb.example" || r.secure != tt.wantSecure || r.authed != (tt.user != "") {
				t.Errorf("envelope: from %s, to %v, TLS %v, login %v", r.from, r.rcpt, r.secure, r.authed)
			}
			msg := checkEML(t, m, r.data)
			if to := msg.Header.Get("To"); to != `"Test" <test@kb.example>` {
				t.Errorf("To = %q", to)
			}
		})
	}
}
