package directory

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/textcheck"
)

// LastProblem is the latest problem the directory connection met, for the administrators'
// settings page.
type LastProblem struct {
	Kind string
	At   time.Time
}

// problems keeps the last problem of the connection in this process.
type problems struct {
	mu   sync.Mutex
	last LastProblem
}

// LastProblem returns the latest connection problem in this process, if any.
func (s *Service) LastProblem() (LastProblem, bool) {
	s.problems.mu.Lock()
	defer s.problems.mu.Unlock()
	return s.problems.last, s.problems.last.Kind != ""
}

func (s *Service) noteProblem(p *Problem) {
	s.problems.mu.Lock()
	s.problems.last = LastProblem{Kind: p.Kind, At: s.now()}
	s.problems.mu.Unlock()
	s.logger().Error("directory", "problem", p.Kind, "err", p.Err, "detail", p.Detail)
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Login is the sign-in form's: a local account that may use its Mamori password (every one
// while the organisation does not sign in from its directory; then the break-glass users and
// platform administrators) signs in locally; anyone else is asked of the directory, and the
// identity it vouches for is signed in by SignIn. A directory that cannot be asked is told to the
// administrators (the log, the settings page, the audit log) and to the person only as
// unavailable; local sign-in goes on unaffected.
func (s *Service) Login(ctx context.Context, login, password string, c auth.Client) (auth.LoginResult, error) {
	if s.LDAP == nil || textcheck.Line(login) != textcheck.OK || login == "" || password == "" {
		return s.Auth.Login(ctx, login, password, c)
	}
	u, err := s.Auth.ExternalByLogin(ctx, login)
	var orgID int64
	switch {
	case err == nil:
		orgID = u.OrgID
		if u.Source == auth.SourceLocal || u.ServiceAccount {
			allowed, _, err := s.LocalRule(ctx, u)
			if err != nil {
				return auth.LoginResult{}, err
			}
			if allowed || u.ServiceAccount {
				return s.Auth.Login(ctx, login, password, c)
			}
		}
	case apperr.CodeOf(err) != apperr.NotFound:
		return auth.LoginResult{}, err
	default:
		if orgID, err = s.directoryOrg(ctx); err != nil {
			return auth.LoginResult{}, err
		}
	}
	st, err := settingsOf(ctx, s.DB.SQL, orgID)
	if err != nil {
		return auth.LoginResult{}, err
	}
	if orgID == 0 || !st.Enabled {
		return s.Auth.Login(ctx, login, password, c)
	}
	if err := s.Auth.Throttled(ctx, login, c); err != nil {
		return auth.LoginResult{}, err
	}
	deptAttr := ""
	if st.DepartmentFrom == DeptFromAttribute {
		deptAttr = st.DepartmentAttribute
	}
	id, err := s.LDAP.Authenticate(ctx, login, password, deptAttr)
	var p *Problem
	switch {
	case errors.As(err, &p):
		s.noteProblem(p)
		if rerr := s.Auth.RecordExternalFailure(ctx, orgID, SourceLDAP, login, "directory_"+p.Kind, c); rerr != nil {
			return auth.LoginResult{}, apperr.Wrap(rerr, "record failure")
		}
		return auth.LoginResult{}, apperr.New(apperr.Unauthenticated, "directory.error.unavailable")
	case errors.Is(err, ErrDisabled):
		if rerr := s.Auth.RecordExternalFailure(ctx, orgID, SourceLDAP, login, RefusedDisabled, c); rerr != nil {
			return auth.LoginResult{}, apperr.Wrap(rerr, "record failure")
		}
		return auth.LoginResult{}, badCredentials()
	case err != nil:
		if rerr := s.Auth.RecordExternalFailure(ctx, orgID, SourceLDAP, login, "bad_password", c); rerr != nil {
			return auth.LoginResult{}, apperr.Wrap(rerr, "record failure")
		}
		return auth.LoginResult{}, badCredentials()
	}
	return s.SignIn(ctx, orgID, id, c)
}

// directoryOrg is the organisation a login no account has is asked of the directory for: the
// first that signs in from its directory, or 0.
func (s *Service) directoryOrg(ctx context.Context) (int64, error) {
	var id int64
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT org_id FROM directory_settings WHERE enabled = TRUE ORDER BY org_id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, apperr.Wrap(err, "directory organisation")
	}
	return id, nil
}
