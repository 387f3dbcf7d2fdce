package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters. They are stored in every hash, so raising them later
// affects only new hashes.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultParams: 64 MiB, 2 passes, 2 lanes. See docs/PERFORMANCE.md for what one login costs
// with them; logins are bounded by a semaphore so that a burst cannot exhaust memory.
var DefaultParams = Params{MemoryKiB: 64 * 1024, Time: 2, Threads: 2}

// Password rules (岸和田市 5(7)④: 推測されにくいパスワード). Length is counted in characters,
// so a Japanese passphrase is as welcome as a Latin one.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
	PasswordHistory   = 5
)

const saltLen, keyLen = 16, 32

// HashPassword returns a PHC-format argon2id hash of password.
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// VerifyPassword reports whether password matches hash, in constant time for a given hash.
func VerifyPassword(password, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// passwordProblem returns the catalog key of what is wrong with a new password, with the
// key's arguments, or "". names are the login and the organisation's code and name, none of
// which a password may contain (岸和田市 4(3)④: 他人が容易に推測できるようなパスワードを使用しない).
func passwordProblem(password string, minLength int, names ...string) (string, []any) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < minLength:
		return "auth.error.password_short", []any{minLength}
	case n > MaxPasswordLength:
		return "auth.error.password_long", []any{MaxPasswordLength}
	case strings.TrimSpace(password) == "" || allSame(password):
		return "auth.error.password_weak", nil
	case len(names) > 0 && containsName(password, names[0]):
		return "auth.error.password_contains_login", nil
	case containsName(password, names...):
		return "auth.error.password_contains_org", nil
	case isCommon(password):
		return "auth.error.password_common", nil
	case isPattern(password):
		return "auth.error.password_weak", nil
	}
	return "", nil
}

func allSame(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	for _, r := range s {
		if r != first {
			return false
		}
	}
	return true
}

// tempAlphabet leaves out characters that are easily confused when read aloud or on paper.
const tempAlphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY2346789"

// TemporaryPassword returns a random one-time password like "Xk7p-3mQa-Vt9w-Hc4e".
func TemporaryPassword() string {
	return randomGroups(4, 4)
}

func randomGroups(groups, size int) string {
	b := make([]byte, groups*size)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%size == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(tempAlphabet[int(c)%len(tempAlphabet)])
	}
	return sb.String()
}
