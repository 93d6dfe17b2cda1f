package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kb/internal/sitetest"
)

func TestNewsletterCommand(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"newsletter", "--site", sitetest.Root(), "--until", "2026-11-24", "--out", out}
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	for _, want := range []string{
		`fr 2026-11: "Lettre d'information — novembre 2026", 2 news items from 2026-07-08 to 2026-11-24`,
		`nl 2026-11: "Nieuwsbrief — november 2026", 2 news items from 2026-07-08 to 2026-11-24`,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, f := range []string{"fr.html", "fr.txt", "fr.eml", "nl.html", "nl.txt", "nl.eml"} {
		if _, err := os.Stat(filepath.Join(out, "2026-11", f)); err != nil {
			t.Error(err)
		}
	}
}

func TestNewsletterReportsLeftOut(t *testing.T) {
	dir := sitetest.Write(t, `langs: fr nl
-- content/site.toml --
base_url = "https://kb.example"
default_language = "fr"
[newsletter]
from = "kb <news@kb.example>"
-- content/news/2026-11-02-dutch/nl.md --
---
title: Alleen Nederlands
date: 2026-11-02
---
`)
	var stdout, stderr bytes.Buffer
	code := run([]string{"newsletter", "--site", dir, "--since", "2026-11-01", "--until", "2026-11-30", "--lang", "fr", "--out", t.TempDir()}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"fr 2026-11:", "0 news items from 2026-11-01 to 2026-11-30",
		"no intro: add content/newsletters/2026-11/fr.md",
		"warning: no news in this period",
		"left out news/2026-11-02-dutch: no fr translation (it exists in nl) (add content/news/2026-11-02-dutch/fr.md, or add newsletter: [fr] to content/news/2026-11-02-dutch/nl.md",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestNewsletterUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"send without server", []string{"--send-test", "a@example.org"}, 2, "usage: kb newsletter"},
		{"bad date", []string{"--until", "24/11/2026"}, 2, "write the date as YYYY-MM-DD"},
		{"period backwards", []string{"--since", "2026-12-01", "--until", "2026-11-01"}, 2, "--since is after --until"},
		{"one edition to send", []string{"--site", sitetest.Root(), "--until", "2026-11-24", "--send-test", "a@example.org", "--smtp", "127.0.0.1:1"}, 2, "choose its language with --lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(append([]string{"newsletter"}, tt.args...), &stdout, &stderr); code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if !strings.Contains(stdout.String()+stderr.String(), tt.want) {
				t.Errorf("output lacks %q:\n%s%s", tt.want, stdout.String(), stderr.String())
			}
		})
	}
}
