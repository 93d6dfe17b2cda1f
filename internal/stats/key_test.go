package stats

import "testing"

func TestNormalizeQuery(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lower case and spaces", "  Aide   MÉDICALE\turgente ", "aide médicale urgente"},
		{"NFC", "me\u0301decin", "médecin"},
		{"single digit kept", "9ter", "9ter"},
		{"phone", "mutuelle 0470 12 34 56", "mutuelle #"},
		{"phone with plus", "+32 2 555 12 12 ocmw", "+# ocmw"},
		{"national register", "85.07.30-033.61", "#"},
		{"file number", "dossier 1234567/2024", "dossier #"},
		{"emergency number", "112", "#"},
		{"digits inside a word", "form12b", "form#b"},
		{"e-mail removed", "jan.peeters@example.org cpas", "cpas"},
		{"only an e-mail", "a@b.c", ""},
		{"arabic digits", "رقم ٠٤٧٠١٢٣٤٥٦", "رقم #"},
		{"bounded", "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh iiii", "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeQuery(tt.in); got != tt.want {
				t.Errorf("NormalizeQuery(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsBot(t *testing.T) {
	tests := []struct {
		name, ua string
		bot      bool
	}{
		{"firefox", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", false},
		{"android chrome", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36", false},
		{"googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true},
		{"bing", "Mozilla/5.0 (compatible; bingbot/2.0)", true},
		{"curl", "curl/8.5.0", true},
		{"python", "python-requests/2.31", true},
		{"link preview", "facebookexternalhit/1.1", true},
		{"headless", "Mozilla/5.0 HeadlessChrome/120.0", true},
		{"empty", "", true},
		{"dash", "-", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsBot(tt.ua); got != tt.bot {
				t.Errorf("IsBot(%q) = %v", tt.ua, got)
			}
		})
	}
}

func TestEdition(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-03", "2025-03"},
		{"2025-03-fr", "2025-03-fr"},
		{"2025-3", ""},
		{"2025-03x", ""},
		{"2025-13", ""},
		{"2025-03-", ""},
		{"spring", ""},
		{"2025-03 jan@example.org", ""},
		{"2025-03-someone-long-x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Edition(tt.in); got != tt.want {
				t.Errorf("Edition(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
