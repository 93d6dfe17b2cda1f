package serve

import "testing"

func TestLogPath(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "/fr/fiches/aide/", "/fr/fiches/aide/"},
		{"other scripts stay readable", "/fa/جستجو/ሆስፒታል", "/fa/جستجو/ሆስፒታል"},
		{"newline", "/fr\nGET /admin 200", "/fr%0AGET /admin 200"},
		{"carriage return", "/fr\r\n", "/fr%0D%0A"},
		{"escape sequence", "/\x1b[31mred\x1b[0m", "/%1B[31mred%1B[0m"},
		{"NUL and DEL", "/a\x00b\x7f", "/a%00b%7F"},
		{"C1 control", "/a\u0085b", "/a%C2%85b"},
		{"bidi override", "/a\u202egnp.exe", "/a%E2%80%AEgnp.exe"},
		{"invalid UTF-8", "/a\xff\xc3", "/a%FF%C3"},
		{"percent is escaped so that escapes are unambiguous", "/a%0A", "/a%250A"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := logPath(tc.in); got != tc.want {
				t.Errorf("logPath(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestQueryPart(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "q=aide&page=2", "q=aide&page=2"},
		{"escapes kept", "q=%C3%A9", "q=%C3%A9"},
		{"invalid UTF-8", "q=\xb0", "q=%B0"},
		{"raw UTF-8", "q=é", "q=%C3%A9"},
		{"controls and quotes", "a\r\nb\"<x>", "a%0D%0Ab%22%3Cx%3E"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := queryPart(tc.in); got != tc.want {
				t.Errorf("queryPart(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
