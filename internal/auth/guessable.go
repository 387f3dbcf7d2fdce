package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// commonPasswords is a list of the passwords most often found in published breaches, by
// frequency (see common-passwords-LICENSE.txt for where it comes from).
//
//go:embed common-passwords.txt
var commonPasswordsText string

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

func commonPasswords() map[string]struct{} {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 50000)
		for _, w := range strings.Split(commonPasswordsText, "\n") {
			if w = foldPassword(w); utf8.RuneCountInString(w) >= 3 {
				common[w] = struct{}{}
			}
		}
	})
	return common
}

// foldPassword is the form passwords are compared in: NFKC (full-width letters become
// half-width) and lower case.
func foldPassword(s string) string {
	return strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
}

// cores returns what a folded password is made of once the digits and symbols people add to
// meet a rule are taken off both ends ("Password1234!" → "password"), and the same with common
// letter substitutions undone ("p@ssw0rd" → "password").
func cores(folded string) []string {
	out := []string{folded}
	core := strings.TrimFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) })
	if core != "" && core != folded {
		out = append(out, core)
	}
	for _, s := range append([]string(nil), out...) {
		if u := unleet.Replace(s); u != s {
			out = append(out, u, strings.TrimFunc(u, func(r rune) bool { return !unicode.IsLetter(r) }))
		}
	}
	return out
}

var unleet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i")

// isCommon reports whether a password is, or is a common password decorated with digits and
// symbols at its ends.
func isCommon(password string) bool {
	list := commonPasswords()
	for _, c := range cores(foldPassword(password)) {
		if utf8.RuneCountInString(c) < 3 {
			continue
		}
		if _, ok := list[c]; ok {
			return true
		}
	}
	return false
}

// keyboard rows and columns, the alphabet and the digits: walking along any of them, either
// way, makes a guessable password ("qwertyuiop", "1qaz2wsx", "abcdefghijkl", "987654321098").
var sequences = []string{
	"abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./", "!@#$%^&*()_+",
	"1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/",
	"あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん",
	"アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン",
}

// neighbours holds each pair of characters that stand next to each other in one of the
// sequences, in both orders.
var neighbours = func() map[[2]rune]bool {
	m := map[[2]rune]bool{}
	for _, s := range sequences {
		rs := []rune(s)
		for i := 1; i < len(rs); i++ {
			m[[2]rune{rs[i-1], rs[i]}] = true
			m[[2]rune{rs[i], rs[i-1]}] = true
		}
	}
	return m
}()

// isPattern reports whether a password is nothing but a walk along the keyboard or a sequence
// (each character the same as, or next to, the one before it, allowing a jump between walks
// once every four characters) or one short piece repeated ("abcabcabcabc").
func isPattern(password string) bool {
	rs := []rune(foldPassword(password))
	if len(rs) == 0 {
		return true
	}
	jumps := 0
	for i := 1; i < len(rs); i++ {
		if rs[i] != rs[i-1] && !neighbours[[2]rune{rs[i-1], rs[i]}] {
			jumps++
		}
	}
	if jumps*4 <= len(rs) {
		return true
	}
	for n := 1; n <= len(rs)/2; n++ {
		if len(rs)%n == 0 && strings.Repeat(string(rs[:n]), len(rs)/n) == string(rs) {
			return true
		}
	}
	return false
}

// containsName reports whether a password contains a name (a login, the organisation's code or
// name), compared folded; names shorter than three characters are left out.
func containsName(password string, names ...string) bool {
	p := foldPassword(password)
	for _, n := range names {
		if n = foldPassword(n); utf8.RuneCountInString(n) >= 3 && strings.Contains(p, n) {
			return true
		}
	}
	return false
}
