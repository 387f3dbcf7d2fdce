package auth_test

import (
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		u := e.activeUser(t, "tanaka")
		_, clerk := e.signIn(t, "tanaka", password)
		other := e.activeUser(t, "suzuki")

		t.Run("a token is shown once and stored hashed", func(t *testing.T) {
			tok, text, err := e.auth.CreateToken(ctx, clerk, u.ID, " 資産台帳連携 ")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(text, auth.TokenPrefix) || auth.TokenPrefix != "mmr_" || len(text) < 40 {
				t.Fatalf("token = %q", text)
			}
			if tok.ID == 0 || tok.UserID != u.ID || tok.Name != "資産台帳連携" {
				t.Fatalf("token = %+v", tok)
			}
			rows, err := db.SQL.QueryContext(ctx, `SELECT name, token_hash FROM api_tokens`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var name, hash string
				if err := rows.Scan(&name, &hash); err != nil {
					t.Fatal(err)
				}
				raw := strings.TrimPrefix(text, auth.TokenPrefix)
				if strings.Contains(name+hash, raw) || len(hash) != 64 {
					t.Fatalf("api_tokens row holds the token: %q %q", name, hash)
				}
			}
			created := e.entries(t, "token.create")
			if len(created) != 1 || strings.Contains(created[0].After, strings.TrimPrefix(text, auth.TokenPrefix)) {
				t.Fatalf("audit = %+v", created)
			}
		})

		t.Run("a token resolves to its user", func(t *testing.T) {
			_, text, err := e.auth.CreateToken(ctx, clerk, u.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			who, err := e.auth.AuthenticateToken(ctx, text, client)
			if err != nil || who.UserID != u.ID || who.Login != "tanaka" || !who.ViaToken || who.SessionID != 0 || who.RemoteAddr != client.RemoteAddr {
				t.Fatalf("actor = %+v, %v", who, err)
			}
			var used int
			if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL`).Scan(&used); err != nil || used != 1 {
				t.Fatalf("last_used_at set on %d tokens, %v", used, err)
			}
		})

		t.Run("unknown and malformed tokens are refused", func(t *testing.T) {
			_, text, _ := e.auth.CreateToken(ctx, clerk, u.ID, "x")
			for _, bad := range []string{"", "mmr_", "mmr_nonsense", strings.TrimPrefix(text, "mmr_"), "xyz_" + strings.TrimPrefix(text, "mmr_"), text + "a"} {
				_, err := e.auth.AuthenticateToken(ctx, bad, client)
				wantCode(t, err, apperr.Unauthenticated)
			}
		})

		t.Run("a revoked token is refused", func(t *testing.T) {
			tok, text, _ := e.auth.CreateToken(ctx, clerk, u.ID, "revoke me")
			_, intruder := e.signIn(t, "suzuki", password)
			wantCode(t, e.auth.RevokeToken(ctx, intruder, tok.ID), apperr.Forbidden)
			if _, err := e.auth.AuthenticateToken(ctx, text, client); err != nil {
				t.Fatalf("token revoked by another user: %v", err)
			}
			if err := e.auth.RevokeToken(ctx, clerk, tok.ID); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
			wantCode(t, e.auth.RevokeToken(ctx, clerk, tok.ID), apperr.NotFound)
			if n := len(e.entries(t, "token.revoke")); n != 1 {
				t.Fatalf("%d revocations audited", n)
			}
		})

		t.Run("only an administrator issues tokens for someone else", func(t *testing.T) {
			_, _, err := e.auth.CreateToken(ctx, clerk, other.ID, "not mine")
			wantCode(t, err, apperr.Forbidden)
			tok, text, err := e.auth.CreateToken(ctx, e.admin, other.ID, "issued by admin")
			if err != nil || tok.UserID != other.ID {
				t.Fatalf("admin: %+v, %v", tok, err)
			}
			if who, err := e.auth.AuthenticateToken(ctx, text, client); err != nil || who.UserID != other.ID {
				t.Fatalf("actor = %+v, %v", who, err)
			}
			_, _, err = e.auth.CreateToken(ctx, e.admin, 999999, "nobody")
			wantCode(t, err, apperr.NotFound)
		})

		t.Run("a disabled user's token is refused", func(t *testing.T) {
			_, text, _ := e.auth.CreateToken(ctx, e.admin, other.ID, "before disabling")
			if err := e.auth.SetDisabled(ctx, e.admin, other.ID, true); err != nil {
				t.Fatal(err)
			}
			_, err := e.auth.AuthenticateToken(ctx, text, client)
			wantCode(t, err, apperr.Unauthenticated)
		})

		t.Run("a name longer than 100 characters is refused", func(t *testing.T) {
			_, _, err := e.auth.CreateToken(ctx, clerk, u.ID, strings.Repeat("名", 101))
			wantField(t, err, "name", "error.too_long")
		})

		e.verifyChain(t)
	})
}
