// Package orgpolicy binds each organisation to one version of a policy pack — a shipped pack or
// one the organisation loaded itself — and applies what the pack says about signing in. A pack
// that fails validation is refused with its problems and never replaces the working one.
package orgpolicy

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Service binds organisations to packs.
type Service struct {
	DB      *store.DB
	Library *policy.Library // the shipped packs and those of --pack-dir
	Now     func() time.Time

	// AfterBind runs after an organisation is bound to a pack, the binding committed: the
	// services whose records the pack makes (the tasks of its recurring duties) make them at
	// once. Its failure does not undo the binding; the scheduled jobs make them again.
	AfterBind func(ctx context.Context, orgID int64) error

	mu    sync.Mutex
	cache map[string]*policy.Compiled // organisation-loaded packs by digest
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// Binding is the pack an organisation runs.
type Binding struct {
	PackID  string `json:"pack_id"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
	Own     bool   `json:"own"` // loaded by the organisation rather than shipped
}

// Active returns the organisation's pack, or NotFound when it has none yet.
func (s *Service) Active(ctx context.Context, orgID int64) (*policy.Compiled, Binding, error) {
	var b Binding
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT pack_id, pack_version, pack_digest FROM organizations WHERE id = $1`, orgID).
		Scan(&b.PackID, &b.Version, &b.Digest)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && b.PackID == "") {
		return nil, b, apperr.New(apperr.NotFound, "policy.error.no_pack")
	}
	if err != nil {
		return nil, b, apperr.Wrap(err, "binding")
	}
	if p, ok := s.Library.Get(b.PackID); ok && p.Digest == b.Digest {
		return p, b, nil
	}
	b.Own = true
	p, err := s.own(ctx, orgID, b.Digest)
	return p, b, err
}

// Required returns the organisation's pack, or a conflict ("no pack yet") when it has none:
// for the work that cannot be done without one.
func (s *Service) Required(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, _, err := s.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	return p, err
}

// Optional returns the organisation's pack; nil without error when it has none yet.
func (s *Service) Optional(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, _, err := s.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, nil
	}
	return p, err
}

func (s *Service) own(ctx context.Context, orgID int64, digest string) (*policy.Compiled, error) {
	s.mu.Lock()
	p, ok := s.cache[digest]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	var body string
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT body FROM org_packs WHERE org_id = $1 AND digest = $2`, orgID, digest).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "policy.error.no_pack")
	}
	if err != nil {
		return nil, apperr.Wrap(err, "own pack")
	}
	p, err = policy.LoadFile("pack.yaml", []byte(body), s.Library)
	if err != nil {
		return nil, apperr.Wrap(err, "stored pack no longer loads")
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]*policy.Compiled{}
	}
	s.cache[digest] = p
	s.mu.Unlock()
	return p, nil
}

// Use binds the actor's organisation to a shipped pack.
func (s *Service) Use(ctx context.Context, who access.Actor, packID string) (Binding, error) {
	if !who.CanAdminister() {
		return Binding{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	p, ok := s.Library.Get(packID)
	if !ok {
		return Binding{}, apperr.InvalidField("pack_id", "policy.error.unknown_pack", packID)
	}
	return s.bind(ctx, who, p, false, "")
}

// Load validates a pack the organisation wrote (it may extend a shipped pack) and, when it is
// valid, binds the organisation to it. An invalid pack changes nothing; the error carries every
// problem.
func (s *Service) Load(ctx context.Context, who access.Actor, file string, body []byte) (Binding, error) {
	if !who.CanAdminister() {
		return Binding{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if len(body) > 2<<20 {
		return Binding{}, apperr.New(apperr.TooLarge, "error.too_large")
	}
	p, err := policy.LoadFile(file, body, s.Library)
	if err != nil {
		var ps policy.Problems
		if errors.As(err, &ps) {
			return Binding{}, &InvalidPack{Problems: ps}
		}
		return Binding{}, apperr.Wrap(err, "load pack")
	}
	return s.bind(ctx, who, p, true, string(body))
}

// InvalidPack is the error of a pack that failed validation, with every problem.
type InvalidPack struct{ Problems policy.Problems }

func (e *InvalidPack) Error() string { return "invalid pack:\n" + e.Problems.Error() }

func (s *Service) bind(ctx context.Context, who access.Actor, p *policy.Compiled, own bool, body string) (Binding, error) {
	b := Binding{PackID: p.ID, Version: p.Version, Digest: p.Digest, Own: own}
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var before Binding
		if err := tx.QueryRowContext(ctx, `SELECT pack_id, pack_version, pack_digest FROM organizations WHERE id = $1`, who.OrgID).
			Scan(&before.PackID, &before.Version, &before.Digest); err != nil {
			return apperr.Wrap(err, "binding")
		}
		if own {
			_, err := tx.ExecContext(ctx, `INSERT INTO org_packs (org_id, pack_id, version, digest, body, created_at, created_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, digest) DO NOTHING`,
				who.OrgID, p.ID, p.Version, p.Digest, body, now, who.Login)
			if err != nil {
				return apperr.Wrap(err, "store pack")
			}
		}
		lockout := p.Auth.LockoutAfterFailures
		if lockout == 0 {
			lockout = defaultLockout
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organizations SET pack_id = $1, pack_version = $2, pack_digest = $3,
			lockout_after_failures = $4, password_min_length = $5, mfa_roles = $6, unlock_after_minutes = $7 WHERE id = $8`,
			p.ID, p.Version, p.Digest, lockout, p.Auth.PasswordMinLength, strings.Join(p.Auth.MFARoles, ","), p.Auth.UnlockMinutes(),
			who.OrgID); err != nil {
			return apperr.Wrap(err, "bind pack")
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "organization", EntityID: who.OrgID,
			Action: "policy.bind", Before: before, After: map[string]any{"pack_id": b.PackID, "version": b.Version,
				"digest": b.Digest, "own": own, "lockout_after_failures": lockout,
				"password_min_length": p.Auth.PasswordMinLength, "mfa_roles": p.Auth.MFARoles,
				"unlock_after_minutes": p.Auth.UnlockMinutes()}})
		return err
	})
	if err == nil && s.AfterBind != nil {
		_ = s.AfterBind(ctx, who.OrgID) // the hourly jobs make what this could not
	}
	return b, err
}

// defaultLockout applies when a pack sets no lockout threshold.
const defaultLockout = 5

// RoleScope tells the organisation's role assignments which roles its pack defines. Before an
// organisation is bound to a pack every role is accepted, with any scope.
// RoleMarks returns what the organisation's active pack says of each of its roles; an
// organisation without a pack has no marked roles.
func (s *Service) RoleMarks(ctx context.Context, orgID int64) (map[string]access.RoleMarks, error) {
	p, _, err := s.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return MarksOf(p), nil
}

// MarksOf returns what a pack says of each of its roles, for the roles it marks.
func MarksOf(p *policy.Compiled) map[string]access.RoleMarks {
	out := make(map[string]access.RoleMarks, len(p.Roles))
	for _, r := range p.Roles {
		if r.Security || r.AllStaff || r.Auditor {
			out[r.ID] = access.RoleMarks{Security: r.Security, AllStaff: r.AllStaff, Auditor: r.Auditor}
		}
	}
	return out
}

func (s *Service) RoleScope(ctx context.Context, orgID int64, id string) (string, bool, error) {
	p, _, err := s.Active(ctx, orgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return "", true, nil
	}
	if err != nil {
		return "", false, err
	}
	r, ok := p.Role(id)
	return r.Scope, ok, nil
}
