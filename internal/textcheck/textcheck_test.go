package textcheck

import "testing"

func TestLineAndText(t *testing.T) {
	for _, c := range []struct {
		name      string
		in        string
		line, txt Problem
	}{
		{"plain Japanese", "庁内LAN 端末（総務課）", OK, OK},
		{"empty", "", OK, OK},
		{"NUL", "a\x00b", Control, Control},
		{"escape", "\x1b[31m", Control, Control},
		{"DEL", "a\x7f", Control, Control},
		{"newline in a line", "a\nb", Control, OK},
		{"tab and CRLF in text", "a\tb\r\nc", Control, OK},
		{"invalid UTF-8", "a\xffb", Encoding, Encoding},
		{"Shift_JIS bytes", "\x83\x65\x83\x58\x83\x67", Encoding, Encoding},
		{"CESU-8 surrogate", "\xed\xa0\x80", Surrogate, Surrogate},
		{"cut-off CESU-8", "a\xed\xa0", Surrogate, Surrogate},
		{"RLO", "report\u202Efdp.exe", Bidi, Bidi},
		{"LRE", "\u202A", Bidi, Bidi},
		{"FSI", "\u2068x\u2069", Bidi, Bidi},
		{"RLM is a mark, allowed", "a\u200Fb", OK, OK},
		{"replacement character itself", "\uFFFD", OK, OK},
		{"emoji", "🔒", OK, OK},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %v, want %v", c.in, got, c.line)
			}
			if got := Text(c.in); got != c.txt {
				t.Errorf("Text(%q) = %v, want %v", c.in, got, c.txt)
			}
		})
	}
}

func TestEveryProblemHasAMessage(t *testing.T) {
	for _, p := range []Problem{Encoding, Surrogate, Control, Bidi} {
		if p.Key() == "" {
			t.Errorf("problem %d has no message key", p)
		}
	}
	if OK.Key() != "" {
		t.Error("OK has a message")
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"tanaka":          "tanaka",
		`a\b`:             `a\b`,
		"ad\x00min":       `ad\u0000min`,
		"ad\x00min\\":     `ad\u0000min\\`,
		"x\xffy":          `x\xffy`,
		"a\u202Eb":        `a\u202eb`,
		"line\nnext":      "line\nnext",
		"\xed\xa0\x80end": `\xed\xa0\x80end`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if Line(Escape(in)) != OK && Text(Escape(in)) != OK {
			t.Errorf("Escape(%q) = %q still has a problem", in, Escape(in))
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"tanaka", "ad\x00min", "\xed\xa0\x80", "a\u202Eb", `\x00`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if Text(e) != OK {
			t.Fatalf("Escape(%q) = %q has a problem", s, e)
		}
		if Text(s) == OK && e != s {
			t.Fatalf("Escape changed good text %q to %q", s, e)
		}
	})
}
