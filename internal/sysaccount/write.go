package sysaccount

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

const entity = "system_account"

// normalize trims the input's text.
func (in *Input) normalize() {
	for _, f := range []*string{&in.SystemRef, &in.Login, &in.Kind, &in.DisplayName, &in.ResponsibleName, &in.ApprovalRef,
		&in.GrantedOn, &in.LastLoginOn, &in.LastReviewedOn, &in.PasswordChangedOn, &in.Note} {
		*f = strings.TrimSpace(*f)
	}
}

// check validates the input against the register and the staff records, in the transaction.
// Errors name the field.
func (s *Service) check(ctx context.Context, q store.Querier, orgID int64, in Input, known map[string]bool) error {
	var v apperr.Validation
	if in.SystemRef == "" {
		v.Add("system_ref", "error.required")
	} else if !known[in.SystemRef] {
		v.Add("system_ref", "sysaccount.error.unknown_system", in.SystemRef)
	}
	if in.Login == "" {
		v.Add("login", "error.required")
	} else if len([]rune(in.Login)) > 200 {
		v.Add("login", "error.too_long")
	}
	if in.Kind == "" {
		v.Add("kind", "error.required")
	} else if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "sysaccount.error.kind", in.Kind)
	}
	for _, d := range []struct{ field, val string }{{"granted_on", in.GrantedOn}, {"last_login_on", in.LastLoginOn},
		{"last_reviewed_on", in.LastReviewedOn}, {"password_changed_on", in.PasswordChangedOn}} {
		if d.val != "" {
			if _, err := time.Parse(time.DateOnly, d.val); err != nil {
				v.Add(d.field, "error.date")
			}
		}
	}
	for _, st := range []struct {
		field string
		id    int64
	}{{"owner_staff_id", in.OwnerStaffID}, {"deputy_staff_id", in.DeputyStaffID}} {
		if st.id == 0 {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff WHERE id = $1 AND org_id = $2`, st.id, orgID).Scan(&n); err != nil {
			return apperr.Wrap(err, "staff")
		}
		if n == 0 {
			v.Add(st.field, "sysaccount.error.unknown_staff")
		}
	}
	if in.DeputyStaffID != 0 && in.Kind != KindPrivileged && !v.Has("kind") {
		v.Add("deputy_staff_id", "sysaccount.error.deputy_privileged")
	}
	if in.GrantedRequestID != 0 {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests WHERE id = $1 AND org_id = $2`, in.GrantedRequestID, orgID).Scan(&n); err != nil {
			return apperr.Wrap(err, "request")
		}
		if n == 0 {
			v.Add("granted_request_id", "sysaccount.error.unknown_request")
		}
	}
	return v.Err()
}

// known returns the references of the register's systems.
func knownSystems(ctx context.Context, q store.Querier, orgID int64) (map[string]bool, error) {
	list, err := systems(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(list))
	for _, sys := range list {
		out[sys.Ref] = true
	}
	return out, nil
}

// ownerDepartment is the department of the staff member now (0 for none).
func ownerDepartment(ctx context.Context, q store.Querier, orgID, staffID int64) (int64, error) {
	if staffID == 0 {
		return 0, nil
	}
	var d sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT department_id FROM staff WHERE id = $1 AND org_id = $2`, staffID, orgID).Scan(&d); err != nil {
		return 0, apperr.Wrap(err, "staff department")
	}
	return d.Int64, nil
}

// Create records an account of a system.
func (s *Service) Create(ctx context.Context, who access.Actor, in Input) (Account, error) {
	in.normalize()
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	if err := mayChange(who, p, in.SystemRef); err != nil {
		return Account{}, err
	}
	if in.DeputyStaffID != 0 && !mayName(who, p, in.SystemRef) {
		return Account{}, apperr.InvalidField("deputy_staff_id", "sysaccount.error.deputy_by")
	}
	var out Account
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.insert(ctx, tx, who, p, in, "manual")
		return err
	})
	return out, err
}

// insert checks and writes a new account with its audit entry, in the transaction.
func (s *Service) insert(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, in Input, source string) (Account, error) {
	known, err := knownSystems(ctx, tx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	if err := s.check(ctx, tx, who.OrgID, in, known); err != nil {
		return Account{}, err
	}
	dept, err := ownerDepartment(ctx, tx, who.OrgID, in.OwnerStaffID)
	if err != nil {
		return Account{}, err
	}
	id, err := insertRow(ctx, tx, who.OrgID, in, dept, source, s.now())
	if err != nil {
		return Account{}, err
	}
	a, err := s.recheck(ctx, tx, p, who.OrgID, id)
	if err != nil {
		return a, err
	}
	_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: entity, EntityID: id, Action: "system_account.create", After: a})
	return a, err
}

func insertRow(ctx context.Context, tx *sql.Tx, orgID int64, in Input, dept int64, source string, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, display_name, owner_staff_id,
		responsible_name, department_id, granted_request_id, approval_ref, granted_on, last_login_on, last_reviewed_on,
		password_changed_on, deputy_staff_id, source, note, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id`,
		orgID, in.SystemRef, in.Login, in.Kind, in.DisplayName, store.NullID(in.OwnerStaffID), in.ResponsibleName,
		store.NullID(dept), store.NullID(in.GrantedRequestID), in.ApprovalRef, in.GrantedOn, in.LastLoginOn, in.LastReviewedOn,
		in.PasswordChangedOn, store.NullID(in.DeputyStaffID), source, in.Note, now).Scan(&id)
	if store.IsUniqueViolation(err) {
		return 0, apperr.InvalidField("login", "sysaccount.error.duplicate_login", in.Login, in.SystemRef)
	}
	if err != nil {
		return 0, apperr.Wrap(err, "insert system account")
	}
	return id, nil
}

// Update changes an account. The password-change day changes only by those the pack names
// (mayRecordPassword); the deputy only by those who name one.
func (s *Service) Update(ctx context.Context, who access.Actor, id int64, in Input) (Account, error) {
	in.normalize()
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	var out Account
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := s.readable(ctx, tx, who, p, id)
		if err != nil {
			return err
		}
		if err := mayChange(who, p, before.SystemRef); err != nil {
			return err
		}
		if in.SystemRef != before.SystemRef {
			if err := mayChange(who, p, in.SystemRef); err != nil {
				return err
			}
		}
		if before.State == StateRemoved {
			return apperr.New(apperr.Conflict, "sysaccount.error.removed")
		}
		if in.Version != 0 && in.Version != before.Version {
			return apperr.New(apperr.Conflict, "error.conflict")
		}
		if in.PasswordChangedOn != before.PasswordChangedOn {
			if err := mayRecordPassword(who, p, before); err != nil {
				return err
			}
		}
		if in.DeputyStaffID != before.DeputyStaffID && !mayName(who, p, before.SystemRef) {
			return apperr.InvalidField("deputy_staff_id", "sysaccount.error.deputy_by")
		}
		out, err = s.update(ctx, tx, who, p, before, in)
		return err
	})
	return out, err
}

// update writes the changed account with its audit entry, in the transaction.
func (s *Service) update(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, before Account, in Input) (Account, error) {
	known, err := knownSystems(ctx, tx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	if err := s.check(ctx, tx, who.OrgID, in, known); err != nil {
		return Account{}, err
	}
	dept := before.DepartmentID
	if in.OwnerStaffID != before.OwnerStaffID {
		// A new owner: the account is granted to them as they are placed now.
		if dept, err = ownerDepartment(ctx, tx, who.OrgID, in.OwnerStaffID); err != nil {
			return Account{}, err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE system_accounts SET system_ref = $1, login = $2, kind = $3, display_name = $4,
		owner_staff_id = $5, responsible_name = $6, department_id = $7, granted_request_id = $8, approval_ref = $9,
		granted_on = $10, last_login_on = $11, last_reviewed_on = $12, password_changed_on = $13, deputy_staff_id = $14,
		note = $15, version = version + 1, updated_at = $16 WHERE id = $17 AND org_id = $18`,
		in.SystemRef, in.Login, in.Kind, in.DisplayName, store.NullID(in.OwnerStaffID), in.ResponsibleName, store.NullID(dept),
		store.NullID(in.GrantedRequestID), in.ApprovalRef, in.GrantedOn, in.LastLoginOn, in.LastReviewedOn, in.PasswordChangedOn,
		store.NullID(in.DeputyStaffID), in.Note, s.now(), before.ID, who.OrgID)
	if store.IsUniqueViolation(err) {
		return Account{}, apperr.InvalidField("login", "sysaccount.error.duplicate_login", in.Login, in.SystemRef)
	}
	if err != nil {
		return Account{}, apperr.Wrap(err, "update system account")
	}
	a, err := s.recheck(ctx, tx, p, who.OrgID, before.ID)
	if err != nil {
		return a, err
	}
	_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: entity, EntityID: before.ID, Action: "system_account.update",
		Before: before, After: a})
	return a, err
}

// readable returns the account if the actor reads it, else not found.
func (s *Service) readable(ctx context.Context, q store.Querier, who access.Actor, p *policy.Compiled, id int64) (Account, error) {
	a, err := get(ctx, q, who.OrgID, id)
	if err != nil {
		return a, err
	}
	if !sightOf(who, p).reads(a) {
		return Account{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return a, nil
}

// RecordPassword records the day a privileged ID's password was changed.
func (s *Service) RecordPassword(ctx context.Context, who access.Actor, id int64, day string) (Account, error) {
	day = strings.TrimSpace(day)
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return Account{}, apperr.InvalidField("password_changed_on", "error.date")
	}
	if day > s.now().In(tokyo).Format(time.DateOnly) {
		return Account{}, apperr.InvalidField("password_changed_on", "sysaccount.error.future")
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	var out Account
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := s.readable(ctx, tx, who, p, id)
		if err != nil {
			return err
		}
		if err := mayRecordPassword(who, p, before); err != nil {
			return err
		}
		if before.State == StateRemoved {
			return apperr.New(apperr.Conflict, "sysaccount.error.removed")
		}
		in := before.input()
		in.PasswordChangedOn = day
		out, err = s.update(ctx, tx, who, p, before, in)
		return err
	})
	return out, err
}

// Remove records that the account was removed from its system (抹消) on the day: it stays in
// the list of removed accounts with who removed it, and is never deleted.
func (s *Service) Remove(ctx context.Context, who access.Actor, id int64, day, note string) (Account, error) {
	day = strings.TrimSpace(day)
	if day == "" {
		day = s.now().In(tokyo).Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return Account{}, apperr.InvalidField("removed_on", "error.date")
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return Account{}, err
	}
	var out Account
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := s.readable(ctx, tx, who, p, id)
		if err != nil {
			return err
		}
		if err := mayChange(who, p, before.SystemRef); err != nil {
			return err
		}
		out, err = s.remove(ctx, tx, who, before, day, strings.TrimSpace(note))
		return err
	})
	return out, err
}

func (s *Service) remove(ctx context.Context, tx *sql.Tx, who access.Actor, before Account, day, note string) (Account, error) {
	if before.State == StateRemoved {
		return Account{}, apperr.New(apperr.Conflict, "sysaccount.error.removed")
	}
	name := who.Name
	if name == "" {
		name = who.Login
	}
	if note == "" {
		note = before.Note
	}
	if _, err := tx.ExecContext(ctx, `UPDATE system_accounts SET state = 'removed', removed_on = $1, removed_by_name = $2,
		note = $3, findings = '', version = version + 1, updated_at = $4 WHERE id = $5 AND org_id = $6`,
		day, name, note, s.now(), before.ID, who.OrgID); err != nil {
		return Account{}, apperr.Wrap(err, "remove system account")
	}
	a, err := get(ctx, tx, who.OrgID, before.ID)
	if err != nil {
		return a, err
	}
	_, err = auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: entity, EntityID: before.ID, Action: "system_account.remove",
		Before: before, After: a})
	return a, err
}
