package risk

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// Assessment is what the 情報政策課 decides of a risk.
type Assessment struct {
	Likelihood         string `json:"likelihood"`
	Impact             string `json:"impact"`
	Treatment          string `json:"treatment"`
	Plan               string `json:"plan"`
	OwnerDepartmentID  int64  `json:"owner_department_id"`
	ResidualLikelihood string `json:"residual_likelihood"`
	ResidualImpact     string `json:"residual_impact"`
	Version            int    `json:"version"` // the version read; 0 skips the check
}

// Acceptance is the CISO's acceptance of a residual risk until a day.
type Acceptance struct {
	Until   string `json:"until"` // YYYY-MM-DD, the last day it holds
	Note    string `json:"note"`
	Version int    `json:"version"`
}

const maxPlan = 4000

// check names every field of the assessment that is wrong.
func (a Assessment) check(p *policy.Compiled) error {
	var v apperr.Validation
	r := p.Risk
	if policy.Rank(r.Likelihood, a.Likelihood) == 0 {
		v.Add("likelihood", "risk.error.likelihood")
	}
	if policy.Rank(r.Impact, a.Impact) == 0 {
		v.Add("impact", "risk.error.impact")
	}
	if _, ok := r.Treatment(a.Treatment); !ok {
		v.Add("treatment", "risk.error.treatment")
	}
	if a.Treatment != policy.TreatAccept && a.Treatment != "" && strings.TrimSpace(a.Plan) == "" {
		v.Add("plan", "risk.error.plan")
	}
	if utf8.RuneCountInString(a.Plan) > maxPlan {
		v.Add("plan", "risk.error.plan_long", maxPlan)
	}
	if a.OwnerDepartmentID <= 0 {
		v.Add("owner_department_id", "risk.error.owner")
	}
	rl, ri := policy.Rank(r.Likelihood, a.ResidualLikelihood), policy.Rank(r.Impact, a.ResidualImpact)
	switch {
	case rl == 0:
		v.Add("residual_likelihood", "risk.error.likelihood")
	case rl > policy.Rank(r.Likelihood, a.Likelihood) && !v.Has("likelihood"):
		v.Add("residual_likelihood", "risk.error.residual_higher")
	}
	switch {
	case ri == 0:
		v.Add("residual_impact", "risk.error.impact")
	case ri > policy.Rank(r.Impact, a.Impact) && !v.Has("impact"):
		v.Add("residual_impact", "risk.error.residual_higher")
	}
	return v.Err()
}

// Assess records the 情報政策課's assessment of a risk, in the audit chain. A new assessment
// ends an acceptance: the residual risk it accepted is no longer the one assessed.
func (s *Service) Assess(ctx context.Context, who access.Actor, id int64, in Assessment) (Risk, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Risk{}, err
	}
	in.Plan = strings.TrimSpace(in.Plan)
	var out Risk
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if err := mayAssess(who, before); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != before.Version {
			return apperr.New(apperr.Conflict, "risk.error.stale")
		}
		if err := in.check(p); err != nil {
			return err
		}
		var dept int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE org_id = $1 AND id = $2`, who.OrgID, in.OwnerDepartmentID).
			Scan(&dept); err != nil {
			return err
		}
		if dept == 0 {
			return apperr.InvalidField("owner_department_id", "risk.error.owner")
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE risks SET likelihood = $1, impact = $2, treatment = $3, plan = $4,
			owner_department_id = $5, residual_likelihood = $6, residual_impact = $7, state = 'assessed', assessed_by = $8,
			assessed_at = $9, accepted_by = '', accepted_at = NULL, accepted_until = '', acceptance_note = '',
			updated_at = $9, version = version + 1 WHERE id = $10`,
			in.Likelihood, in.Impact, in.Treatment, in.Plan, in.OwnerDepartmentID, in.ResidualLikelihood, in.ResidualImpact,
			actorName(who), now, id); err != nil {
			return err
		}
		if out, err = get(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		complete(p, &before, now)
		complete(p, &out, now)
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "risk", EntityID: id, Action: "risk.assess", Before: before, After: out})
		return err
	})
	return out, wrap(err)
}

// Accept records the CISO's acceptance of the risk's residual risk until a day no later than
// the pack allows (risk.accept_days), in the audit chain.
func (s *Service) Accept(ctx context.Context, who access.Actor, id int64, in Acceptance) (Risk, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Risk{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	var out Risk
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		before, err := get(ctx, tx, who.OrgID, id)
		if err != nil {
			return err
		}
		if !Reads(who, before) {
			return apperr.New(apperr.NotFound, "risk.error.not_found")
		}
		if err := mayAccept(who, p, before); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != before.Version {
			return apperr.New(apperr.Conflict, "risk.error.stale")
		}
		now := s.now()
		until, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.Until), jst)
		day := today(now)
		switch {
		case err != nil:
			return apperr.InvalidField("until", "risk.error.until")
		case until.Format(time.DateOnly) < day:
			return apperr.InvalidField("until", "risk.error.until_past")
		case until.After(now.In(jst).AddDate(0, 0, p.Risk.AcceptDays)):
			return apperr.InvalidField("until", "risk.error.until_far", p.Risk.AcceptDays)
		case utf8.RuneCountInString(in.Note) > maxPlan:
			return apperr.InvalidField("note", "risk.error.plan_long", maxPlan)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE risks SET state = 'accepted', accepted_by = $1, accepted_at = $2, accepted_until = $3,
			acceptance_note = $4, updated_at = $2, version = version + 1 WHERE id = $5`,
			actorName(who), now, until.Format(time.DateOnly), in.Note, id); err != nil {
			return err
		}
		if out, err = get(ctx, tx, who.OrgID, id); err != nil {
			return err
		}
		complete(p, &before, now)
		complete(p, &out, now)
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "risk", EntityID: id, Action: "risk.accept", Before: before, After: out})
		return err
	})
	return out, wrap(err)
}

func actorName(who access.Actor) string {
	if who.Name != "" {
		return who.Name
	}
	if who.Login != "" {
		return who.Login
	}
	return "system"
}

func wrap(err error) error {
	var e *apperr.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return apperr.Wrap(err, "risk")
}
