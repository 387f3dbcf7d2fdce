package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/org"
)

// Session is a signed-in browser. Sessions live in the database so that every server process
// sees the same ones.
type Session struct {
	ID         int64
	UserID     int64
	Stage      string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	// What the user must do before anything else.
	MustChangePassword bool
	MustEnrolMFA       bool
}

// Ready reports whether the session may use the whole product.
func (s Session) Ready() bool {
	return s.Stage == StageFull && !s.MustChangePassword && !s.MustEnrolMFA
}

func (s *Service) startSession(ctx context.Context, tx *sql.Tx, u User, stage string, c Client) (string, error) {
	token, hash := newToken()
	now := s.now()
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (org_id, user_id, token_hash, stage, created_at, last_seen_at, expires_at,
		remote_addr, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		u.OrgID, u.ID, hash, stage, now, now, now.Add(s.absolute()), c.RemoteAddr, truncateUA(c.UserAgent))
	if err != nil {
		return "", apperr.Wrap(err, "start session")
	}
	return token, nil
}

// touchEvery limits how often a session's last-seen time is written.
const touchEvery = time.Minute

// Authenticate resolves a session cookie to its session and actor. Expired, idle, locked or
// disabled sessions are refused.
func (s *Service) Authenticate(ctx context.Context, token string, c Client) (Session, access.Actor, error) {
	unauth := apperr.New(apperr.Unauthenticated, "error.unauthorized")
	if token == "" || len(token) > 100 {
		return Session{}, access.Actor{}, unauth
	}
	var sess Session
	var mfaAsserted bool
	row := s.DB.SQL.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.stage, s.created_at, s.last_seen_at, s.expires_at, s.mfa_asserted,
		`+userCols("u.")+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, tokenHash(token))
	u, err := scanUser(row, &sess.ID, &sess.UserID, &sess.Stage, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &mfaAsserted)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, access.Actor{}, unauth
	}
	if err != nil {
		return Session{}, access.Actor{}, apperr.Wrap(err, "session")
	}
	now := s.now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.idle() || u.Locked() || u.Disabled {
		s.DB.SQL.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sess.ID)
		return Session{}, access.Actor{}, unauth
	}
	if now.Sub(sess.LastSeenAt) > touchEvery {
		s.DB.SQL.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, now, sess.ID)
	}
	sess.MustChangePassword = u.MustChangePassword
	who, err := s.actor(ctx, u, c)
	if err != nil {
		return Session{}, access.Actor{}, err
	}
	// A directory's asserted second factor stands for Mamori's own for this session.
	if !u.MFAEnabled && !mfaAsserted {
		if sess.MustEnrolMFA, err = s.mfaRequired(ctx, u, who); err != nil {
			return Session{}, access.Actor{}, err
		}
	}
	who.SessionID = sess.ID
	return sess, who, nil
}

// actor builds the full actor for a user: department and today's roles, or a service account's
// own roles.
func (s *Service) actor(ctx context.Context, u User, c Client) (access.Actor, error) {
	who := actorOf(u, c)
	var grants []access.Grant
	var err error
	switch {
	case u.ServiceAccount:
		who.ServiceAccount = true
		if grants, err = serviceGrants(ctx, s.DB.SQL, u.OrgID, u.ID); err != nil {
			return who, err
		}
	case u.StaffID != 0:
		var dept sql.NullInt64
		if err := s.DB.SQL.QueryRowContext(ctx, `SELECT department_id FROM staff WHERE id = $1`, u.StaffID).Scan(&dept); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return who, apperr.Wrap(err, "staff")
		}
		who.DepartmentID = dept.Int64
		if grants, err = org.GrantsOf(ctx, s.DB.SQL, u.OrgID, u.StaffID, s.now().In(i18n.Tokyo).Format(time.DateOnly)); err != nil {
			return who, apperr.Wrap(err, "grants")
		}
	}
	if s.RoleMarks != nil && len(grants) > 0 {
		marks, err := s.RoleMarks(ctx, u.OrgID)
		if err != nil {
			return who, apperr.Wrap(err, "role marks")
		}
		for i, g := range grants {
			grants[i] = g.Marked(marks[g.RoleID])
		}
	}
	who.Roles = grants
	return who, nil
}

// truncateUA returns a user agent as valid UTF-8 of at most 512 bytes: the header may be in any
// encoding (old phones send Shift_JIS), and PostgreSQL refuses anything but UTF-8.
func truncateUA(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	n := 512
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// mfaRequired reports whether a user must use MFA: platform administrators always, and holders
// of the roles the organisation's pack names.
func (s *Service) mfaRequired(ctx context.Context, u User, who access.Actor) (bool, error) {
	if u.PlatformAdmin {
		return true, nil
	}
	if len(who.Roles) == 0 {
		return false, nil
	}
	var roles string
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT mfa_roles FROM organizations WHERE id = $1`, u.OrgID).Scan(&roles); err != nil {
		return false, apperr.Wrap(err, "mfa roles")
	}
	for _, r := range strings.Split(roles, ",") {
		if r != "" && who.HasRole(r) {
			return true, nil
		}
	}
	return false, nil
}
