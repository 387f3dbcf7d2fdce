package directory

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/i18n"
)

// Reasons a directory sign-in is refused, as the audit log records them.
const (
	RefusedNotEnabled   = "directory_off"
	RefusedNoDepartment = "directory_no_department"
	RefusedDisabled     = "directory_disabled"
	RefusedIdentity     = "directory_identity"
)

// badCredentials is the answer a refused person reads: the same as for a wrong password.
func badCredentials() error { return apperr.New(apperr.Unauthenticated, "auth.error.bad_credentials") }

// SignIn signs a person in whom the directory has vouched for. It finds or creates their
// Mamori user (no usable password), links it to their staff record (by employee number; a new
// one in the mapped department when none), moves the staff record to the department the
// directory gives (recording the move), brings the role assignments that came from the
// directory's groups in line (never one made by hand), and starts the session — asking for
// Mamori's own second factor when the pack requires one and the provider did not assert it. All
// of it is audited in one transaction. An identity mapped to no department, or whose user or
// staff record is disabled, is refused and the refusal recorded.
func (s *Service) SignIn(ctx context.Context, orgID int64, id Identity, c auth.Client) (auth.LoginResult, error) {
	st, err := settingsOf(ctx, s.DB.SQL, orgID)
	if err != nil {
		return auth.LoginResult{}, err
	}
	refuse := func(reason string) (auth.LoginResult, error) {
		if err := s.Auth.RecordExternalFailure(ctx, orgID, id.Source, id.Login, reason, c); err != nil {
			return auth.LoginResult{}, apperr.Wrap(err, "record refusal")
		}
		return auth.LoginResult{}, badCredentials()
	}
	if !st.Enabled {
		return refuse(RefusedNotEnabled)
	}
	if (id.Source != SourceLDAP && id.Source != SourceOIDC) || strings.TrimSpace(id.Subject) == "" || strings.TrimSpace(id.Login) == "" {
		return refuse(RefusedIdentity)
	}
	deptID, ok := st.departmentFor(id.Department)
	if !ok {
		return refuse(RefusedNoDepartment)
	}
	var res auth.LoginResult
	var refused string
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, refused, err = s.provision(ctx, tx, st, id, deptID, c)
		return err
	})
	if refused != "" {
		return refuse(refused)
	}
	if apperr.CodeOf(err) == apperr.Invalid { // a login another account holds: refused like any other
		return refuse(RefusedIdentity)
	}
	return res, err
}

// errRefused ends the transaction of a refused sign-in; nothing of it is kept.
var errRefused = errors.New("refused")

func (s *Service) provision(ctx context.Context, tx *sql.Tx, st Settings, id Identity, deptID int64, c auth.Client) (auth.LoginResult, string, error) {
	now := s.now()
	today := now.In(i18n.Tokyo).Format(time.DateOnly)
	var existingStaff int64
	var disabled bool
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(staff_id, 0), disabled FROM users WHERE org_id = $1 AND source = $2 AND directory_subject = $3`,
		st.OrgID, id.Source, id.Subject).Scan(&existingStaff, &disabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return auth.LoginResult{}, "", apperr.Wrap(err, "directory user")
	}
	if disabled {
		return auth.LoginResult{}, RefusedDisabled, errRefused
	}
	sys := withClient(access.System(st.OrgID, "directory"), c)
	staff, err := s.linkStaff(ctx, tx, sys, existingStaff, id, deptID, today, now)
	if err != nil {
		return auth.LoginResult{}, "", err
	}
	if !staff.Active {
		return auth.LoginResult{}, RefusedDisabled, errRefused
	}
	u, err := s.Auth.ProvisionExternal(ctx, tx, auth.ExternalUser{OrgID: st.OrgID, Source: id.Source, Subject: id.Subject,
		Login: id.Login, Name: id.Name, StaffID: staff.ID}, c)
	if err != nil {
		return auth.LoginResult{}, "", err
	}
	if u.Disabled {
		return auth.LoginResult{}, RefusedDisabled, errRefused
	}
	if err := s.syncRoles(ctx, tx, sys, st, staff, id.Groups, today, now); err != nil {
		return auth.LoginResult{}, "", err
	}
	res, err := s.Auth.StartExternalTx(ctx, tx, u, id.MFA, c)
	return res, "", err
}

// withClient gives the program's actor the person's address and agent, for the audit log.
func withClient(a access.Actor, c auth.Client) access.Actor {
	a.RemoteAddr, a.UserAgent = c.RemoteAddr, c.UserAgent
	return a
}

// staffRow is what a sign-in reads and keeps of a staff record.
type staffRow struct {
	ID           int64  `json:"id"`
	DepartmentID int64  `json:"department_id,omitempty"`
	EmployeeNo   string `json:"employee_no"`
	Name         string `json:"name"`
	Title        string `json:"title"`
	Email        string `json:"email"`
	Active       bool   `json:"active"`
}
