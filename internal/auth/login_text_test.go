package auth_test

import (
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// A sign-in name with a NUL reached PostgreSQL, which cannot store one: the attempt answered
// 500 and was missing from the audit log.
func TestLoginNameWithBadTextIsAFailedAttempt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.createUser(t, "admin2", false)
		for name, c := range map[string]struct{ login, recorded string }{
			"NUL":                    {"ad\x00min2", `ad\u0000min2`},
			"escape sequence":        {"\x1b[2Jadmin2", `\u001b[2Jadmin2`},
			"right-to-left override": {"admin2\u202E", `admin2\u202e`},
			"CESU-8 surrogate":       {"admin2\xed\xa0\x80", `admin2\xed\xa0\x80`},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := e.auth.Login(ctx, c.login, password, client)
				wantCode(t, err, apperr.Unauthenticated)
				failed := e.entries(t, "auth.login_failed")
				if len(failed) == 0 || failed[0].Actor != c.recorded || failed[0].EntityID != c.recorded ||
					!strings.Contains(failed[0].After, "unknown_user") {
					t.Fatalf("audit = %+v, want the attempt recorded as %q", failed, c.recorded)
				}
				wantClient(t, failed[0])
			})
		}
		e.verifyChain(t)
	})
}
