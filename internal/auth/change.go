package auth

import (
	"context"
	"database/sql"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// ChangePassword replaces the actor's password after checking the current one. A wrong current
// password counts as a failed sign-in and can lock the account: whoever finds a signed-in desk
// must not be able to guess at it freely. The new one must be at least the organisation's
// minimum length, must not contain the login or the organisation's name, must not be a common
// or patterned password, and must differ from the last PasswordHistory passwords. The actor's
// other sessions end; this one goes on.
func (s *Service) ChangePassword(ctx context.Context, who access.Actor, current, next, confirm string) error {
	u, err := userWhere(ctx, s.DB.SQL, "id = $1 AND org_id = $2", who.UserID, who.OrgID)
	if err != nil {
		return err
	}
	if !s.verify(current, u.passwordHash) {
		locked, err := s.countFailure(ctx, u, Client{RemoteAddr: who.RemoteAddr, UserAgent: who.UserAgent}, "bad_current_password")
		if err != nil {
			return err
		}
		if locked {
			return apperr.New(apperr.Locked, "error.locked")
		}
		return apperr.InvalidField("current", "auth.error.current_wrong")
	}
	minLen, err := s.minLength(ctx, u.OrgID)
	if err != nil {
		return err
	}
	var orgCode, orgName string
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT code, name FROM organizations WHERE id = $1`, u.OrgID).Scan(&orgCode, &orgName); err != nil {
		return apperr.Wrap(err, "organisation")
	}
	var v apperr.Validation
	if key, args := passwordProblem(next, minLen, u.Login, orgCode, orgName, placeName(orgName)); key != "" {
		v.Add("new", key, args...)
	} else if next != confirm {
		v.Add("confirm", "auth.error.confirm_mismatch")
	}
	if err := v.Err(); err != nil {
		return err
	}
	recent, err := s.recentHashes(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, h := range recent {
		if s.verify(next, h) {
			return apperr.InvalidField("new", "auth.error.password_reused", PasswordHistory)
		}
	}
	hash, err := s.hash(next)
	if err != nil {
		return apperr.Wrap(err, "hash")
	}
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3
			WHERE id = $4`, hash, false, now, u.ID); err != nil {
			return apperr.Wrap(err, "change password")
		}
		if err := addHistory(ctx, tx, u.OrgID, u.ID, hash, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, u.ID, who.SessionID); err != nil {
			return apperr.Wrap(err, "end other sessions")
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "user", EntityID: u.ID, Action: "auth.password_changed",
			After: map[string]any{"was_temporary": u.MustChangePassword}})
		return err
	})
}

func (s *Service) recentHashes(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
		userID, PasswordHistory)
	if err != nil {
		return nil, apperr.Wrap(err, "password history")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, apperr.Wrap(err, "password history")
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// MinLength is the shortest password the organisation accepts: MinPasswordLength, or more when
// its pack asks for more.
func (s *Service) MinLength(ctx context.Context, orgID int64) (int, error) {
	return s.minLength(ctx, orgID)
}

func (s *Service) minLength(ctx context.Context, orgID int64) (int, error) {
	var n int
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT password_min_length FROM organizations WHERE id = $1`, orgID).Scan(&n); err != nil {
		return 0, apperr.Wrap(err, "password rules")
	}
	return max(n, MinPasswordLength), nil
}

// placeName is an organisation's name without what it is ("岸和田市" → "岸和田", "安平町教育委員会"
// → "安平"), which a password should not contain either.
func placeName(name string) string {
	name = strings.TrimSuffix(name, "教育委員会")
	for _, suffix := range []string{"市", "町", "村", "県", "都", "府", "道", "区"} {
		if n := strings.TrimSuffix(name, suffix); n != name {
			return n
		}
	}
	return name
}
