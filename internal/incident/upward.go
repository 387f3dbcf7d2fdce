package incident

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Upward reporting (山形県 2.1(10)⑦): an organisation with a parent (a municipality under its
// prefecture) reports an incident to the parent's CSIRT, whose receivers — the parent pack's
// member_reports_to roles, else its organisation-wide security roles — then read it, its
// checklist, timeline and evidence metadata, and add support to its timeline. They change nothing
// else, and they do not read the evidence files: those stay with the organisation that holds them.

// receiver reports whether the actor receives, in their own organisation, the incidents reported
// upward to it.
func receiver(pp *policy.Compiled, who access.Actor) bool {
	if len(pp.Incident.MemberReportsTo) == 0 {
		return orgSecurity(pp, who)
	}
	for _, g := range who.Roles {
		if !g.AllStaff && contains(pp.Incident.MemberReportsTo, g.RoleID) {
			return true
		}
	}
	return false
}

// asParent returns an incident reported upward to the actor's organisation, when the actor
// receives such reports; not found otherwise.
func (s *Service) asParent(ctx context.Context, q store.Querier, who access.Actor, id int64) (Incident, error) {
	in, err := readAny(ctx, q, id)
	if err != nil {
		return in, err
	}
	if in.UpwardOrgID == 0 || in.UpwardOrgID != who.OrgID {
		return Incident{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	pp, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil || !receiver(pp, who) {
		return Incident{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return in, nil
}

// ReportUpward reports an incident to the parent organisation's CSIRT. Holders of the
// organisation's organisation-wide security roles report upward; an organisation without a
// parent cannot.
func (s *Service) ReportUpward(ctx context.Context, who access.Actor, id int64, version int, note string) (Incident, error) {
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, p, err := s.mustHandle(ctx, tx, who, id)
		if err != nil {
			return err
		}
		parent, err := parentOf(ctx, tx, in.OrgID)
		if err != nil {
			return err
		}
		if err := mayReportUpward(p, who, in, parent != 0); err != nil {
			return err
		}
		var v apperr.Validation
		checkText(&v, "note", &note, maxText, false)
		if err := v.Err(); err != nil {
			return err
		}
		before := in
		in.UpwardOrgID, in.UpwardAt = parent, &now
		if err := save(ctx, tx, &in, version, now); err != nil {
			return err
		}
		if _, err := addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "upward", At: now, RecordedAt: now, Text: note,
			Data: map[string]any{"parent_org_id": parent}}); err != nil {
			return err
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident.upward", Before: before, After: in}); err != nil {
			return err
		}
		return s.tellParent(ctx, tx, in, now)
	})
	if err != nil {
		return Incident{}, err
	}
	return s.Get(ctx, who, id)
}

// tellParent tells the parent's receivers of an incident reported to them.
func (s *Service) tellParent(ctx context.Context, tx *sql.Tx, in Incident, now time.Time) error {
	pp, err := s.Policy.Required(ctx, in.UpwardOrgID)
	if apperr.CodeOf(err) == apperr.Conflict {
		return nil // a parent without a pack has nobody to tell yet; its CSIRT finds the report listed
	}
	if err != nil {
		return err
	}
	roles := pp.Incident.MemberReportsTo
	if len(roles) == 0 {
		for _, r := range pp.Roles {
			if r.Security && r.Scope == "organization" {
				roles = append(roles, r.ID)
			}
		}
	}
	var staff []int64
	for _, r := range roles {
		ids, err := roleHolders(ctx, tx, pp, in.UpwardOrgID, r, Incident{}, day(now))
		if err != nil {
			return err
		}
		staff = append(staff, ids...)
	}
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM organizations WHERE id = $1`, in.OrgID).Scan(&name); err != nil {
		return apperr.Wrap(err, "organisation")
	}
	return tell(ctx, tx, in.UpwardOrgID, staff, NoticeUpward, "upward", in, now, text("notice.incident.upward", name, in.Title),
		text("notice.incident.upward_body", name, in.Title, in.Severity))
}

// Support adds the parent organisation's support to an incident reported upward to it (回復の
// ための支援): an entry of its timeline, made by a receiver of the parent organisation.
func (s *Service) Support(ctx context.Context, who access.Actor, id int64, at time.Time, body string) (Event, error) {
	now := s.now()
	var out Event
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		in, err := s.asParent(ctx, tx, who, id)
		if errors.Is(err, sql.ErrNoRows) || err != nil {
			return err
		}
		var v apperr.Validation
		at = checkAt(&v, "at", at, in.DetectedAt, now)
		checkText(&v, "text", &body, maxText, true)
		if err := v.Err(); err != nil {
			return err
		}
		if out, err = addEvent(ctx, tx, in, who.OrgID, who.StaffID, actorName(who), Event{Kind: "support", At: at, RecordedAt: now, Text: body}); err != nil {
			return err
		}
		if _, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "incident", EntityID: in.ID, Action: "incident.support", After: out}); err != nil {
			return err
		}
		p, err := s.Policy.Required(ctx, in.OrgID)
		if err != nil {
			return err
		}
		staff, err := recipientHolders(ctx, tx, p, in, day(now))
		if err != nil {
			return err
		}
		return tell(ctx, tx, in.OrgID, staff, NoticeSupport, "support:"+strconv.FormatInt(out.ID, 10), in, now,
			text("notice.incident.support", in.Title), text("notice.incident.support_body", in.Title, clip(body, 200)))
	})
	return out, err
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
