package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestParseNumber: a command naming a record takes 12 or #12, flags before or after it, and
// refuses anything else in both languages.
func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int64
		err  string
	}{
		{[]string{"12"}, 12, ""},
		{[]string{"#7", "--as", "clerk"}, 7, ""},
		{[]string{"--as", "clerk", "3"}, 3, ""},
		{[]string{"abc"}, 0, "事案番号「abc」が正しくありません / \"abc\" is not an incident number"},
		{[]string{"0"}, 0, "is not an incident number"},
		{[]string{"1", "2"}, 0, "expected one incident number"},
	} {
		fs := flag.NewFlagSet("incident show", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		as := fs.String("as", "", "")
		id, err := parseNumber(fs, c.args, "incident", "事案")
		switch {
		case c.err == "" && (err != nil || id != c.want):
			t.Errorf("%v: %d, %v; want %d", c.args, id, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%v: %v; want %q", c.args, err, c.err)
		case c.err == "" && strings.Contains(strings.Join(c.args, " "), "--as") && *as != "clerk":
			t.Errorf("%v: --as read as %q", c.args, *as)
		}
	}
}
