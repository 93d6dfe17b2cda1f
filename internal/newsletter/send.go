package newsletter

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"time"
)

// SendOptions say where a test send goes.
type SendOptions struct {
	Server   string // host:port of the SMTP server
	To       string // the one address
	Username string // optional login; the command reads it from the environment
	Password string
	// TLS is used for STARTTLS; nil verifies the server's certificate
	// against the system's roots for the server's host name.
	TLS *tls.Config
	// Timeout bounds the connection and each command (default 30 s).
	Timeout time.Duration
}

// Send sends m to one address through an SMTP server, with STARTTLS when
// the server offers it. A login is never sent without TLS.
func Send(opt SendOptions, from string, m *Mail) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("send to %s via %s: %w", opt.To, opt.Server, err)
		}
	}()
	to, err := mail.ParseAddress(opt.To)
	if err != nil {
		return fmt.Errorf("bad address: %w", err)
	}
	sender, err := parseFrom(from)
	if err != nil {
		return fmt.Errorf("newsletter from: %w", err)
	}
	host, _, err := net.SplitHostPort(opt.Server)
	if err != nil {
		return err
	}
	timeout := opt.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	conn, err := net.DialTimeout("tcp", opt.Server, timeout)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	secure := false
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := opt.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
		secure = true
	}
	if opt.Username != "" {
		if !secure {
			return errors.New("the server does not offer STARTTLS: kb does not send a password in clear")
		}
		if err := c.Auth(smtp.PlainAuth("", opt.Username, opt.Password, host)); err != nil {
			return fmt.Errorf("login: %w", err)
		}
	}
	if err := c.Mail(sender.Address); err != nil {
		return err
	}
	if err := c.Rcpt(to.Address); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "To: %s\r\n", to.String())
	msg.Write(m.EML)
	if _, err := w.Write(msg.Bytes()); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
