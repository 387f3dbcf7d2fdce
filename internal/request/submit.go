package request

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Input is a request as the applicant files it.
type Input struct {
	Kind     string         `json:"kind"`
	AssetIDs []int64        `json:"asset_ids"` // the subject assets of a kind about assets
	Fields   map[string]any `json:"fields"`    // by field id
	// PostHoc files the request after the fact: the measure was taken at ActedAt in an
	// emergency, and this is the report to the approver (上毛町 7(4)②, 山形県 14.2).
	PostHoc     bool            `json:"post_hoc"`
	ActedAt     time.Time       `json:"acted_at"`
	Comment     string          `json:"comment"`
	Attachments []NewAttachment `json:"-"`
}

// maxComment is the longest comment an act takes.
const maxComment = 4000

// Submit files a request: its fields are checked against the kind's form, its subject assets
// must be ones the kind's condition covers and the applicant may see, and it is routed to the
// deciders of its first step.
func (s *Service) Submit(ctx context.Context, who access.Actor, in Input) (Request, error) {
	if err := mayFile(who); err != nil {
		return Request{}, err
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Request{}, err
	}
	a, ok := approval(p, in.Kind)
	if !ok {
		return Request{}, apperr.InvalidField("kind", "request.error.kind", in.Kind)
	}
	now := s.now()
	var v apperr.Validation
	files, fileFields := map[string]bool{}, map[string]bool{}
	for _, f := range a.Fields {
		fileFields[f.ID] = f.Type == "file"
	}
	if len(in.Attachments) > 0 {
		if files, err = checkAttachments(in.Attachments, fileFields); err != nil {
			return Request{}, err
		}
	}
	fields := checkFields(a, in.Fields, files, &v)
	checkComment(&v, in.Comment)
	r := Request{OrgID: who.OrgID, Kind: a.ID, KindName: a.Name, ApplicantStaffID: who.StaffID, ApplicantUserID: who.UserID,
		DepartmentID: who.DepartmentID, State: Pending, Fields: fields, Cite: a.Cite.Article, Version: 1, CreatedAt: now, UpdatedAt: now}
	s.checkPostHoc(&v, a, in, &r, now)
	r.DueOn = checkDue(&v, a, fields, now.In(jst).Format(time.DateOnly))
	if a.Subject != "asset" && len(in.AssetIDs) > 0 {
		v.Add("asset_ids", "request.error.no_subject")
	}
	if a.Subject == "asset" && len(in.AssetIDs) == 0 {
		v.Add("asset_ids", "request.error.subject_required")
	}
	if err := v.Err(); err != nil {
		return Request{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		sc, err := s.subjects(ctx, tx, p, who, a, in.AssetIDs, now)
		if err != nil {
			return err
		}
		r.SubjectDepartmentID, r.SystemRef = sc.subjectDept, sc.systemRef
		sc.orgID, sc.applicantDept = who.OrgID, who.DepartmentID
		if r.Route, err = s.resolve(ctx, tx, p, a, sc, who.StaffID); err != nil {
			return err
		}
		if err := checkRefs(ctx, tx, who.OrgID, a, fields); err != nil {
			return err
		}
		r.AssetIDs = uniq(in.AssetIDs)
		if err := s.checkHook(ctx, tx, p, who, r, now); err != nil {
			return err
		}
		if err := insert(ctx, tx, &r); err != nil {
			return err
		}
		if err := setWaits(ctx, tx, r.OrgID, r.ID, "decide", r.Route.Steps[0].Deciders); err != nil {
			return err
		}
		if err := s.noticeAfter(ctx, tx, p, who, r, "submit", 0, in.Comment, now); err != nil {
			return err
		}
		for _, at := range in.Attachments {
			att, err := insertAttachment(ctx, tx, r.OrgID, r.ID, who.StaffID, now, at)
			if err != nil {
				return err
			}
			r.Attachments = append(r.Attachments, att)
		}
		snap, err := snapshotJSON(ctx, tx, r)
		if err != nil {
			return err
		}
		if _, err := addEvent(ctx, tx, who, r.ID, Event{Action: "submit", Capacity: AsApplicant, Comment: strings.TrimSpace(in.Comment), Snapshot: snap, At: now}); err != nil {
			return err
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "request", EntityID: r.ID, Action: "request.submit", After: r})
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, who, r.ID)
}

// checkDue checks the return due date of a returnable kind's form — not past, and not before
// the take-out day its out_field holds — and returns it ("" for a kind without one).
func checkDue(v *apperr.Validation, a policy.Approval, fields map[string]any, today string) string {
	if !a.Returnable || a.DueField == "" {
		return ""
	}
	due, ok := fields[a.DueField].(string)
	if !ok {
		return ""
	}
	out, _ := fields[a.OutField].(string)
	switch {
	case a.OutField != "" && out != "" && due < out:
		v.Add("fields."+a.DueField, "request.error.due_before_out_field", fieldName(a, a.DueField), fieldName(a, a.OutField))
	case due < today:
		v.Add("fields."+a.DueField, "request.error.due_past")
	}
	return due
}

// fieldName is the pack's name of a field of the kind's form.
func fieldName(a policy.Approval, id string) string {
	for _, f := range a.Fields {
		if f.ID == id {
			return f.Name
		}
	}
	return id
}

func checkComment(v *apperr.Validation, c string) {
	if utf8.RuneCountInString(c) > maxComment {
		v.Add("comment", "request.error.text_too_long")
	}
}

// checkPostHoc checks a request filed after the fact and sets when its report was due.
func (s *Service) checkPostHoc(v *apperr.Validation, a policy.Approval, in Input, r *Request, now time.Time) {
	if !in.PostHoc {
		return
	}
	switch {
	case !a.PostHoc:
		v.Add("post_hoc", "request.error.post_hoc", a.Name)
		return
	case in.ActedAt.IsZero():
		v.Add("acted_at", "request.error.acted_at")
		return
	case in.ActedAt.After(now):
		v.Add("acted_at", "request.error.acted_future")
		return
	}
	days := a.ReportWithinDays
	if days == 0 {
		days = 1
	}
	acted := in.ActedAt.UTC().Truncate(time.Microsecond)
	due := acted.AddDate(0, 0, days)
	r.PostHoc, r.ActedAt, r.ReportDueAt, r.ReportedLate = true, &acted, &due, now.After(due)
}

// subjects checks the subject assets — in the organisation, visible to the applicant, not
// disposed of, covered by the kind's condition, of one department and one system — and
// returns where they sit.
func (s *Service) subjects(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, a policy.Approval, ids []int64, now time.Time) (scope, error) {
	var sc scope
	for i, id := range uniq(ids) {
		as, err := asset.Read(ctx, tx, who.OrgID, id)
		if apperr.CodeOf(err) == apperr.NotFound || (err == nil && !asset.CanReadAsset(who, as)) {
			return sc, apperr.InvalidField("asset_ids", "request.error.asset_missing")
		}
		if err != nil {
			return sc, err
		}
		if as.State == "disposed" {
			return sc, apperr.InvalidField("asset_ids", "request.error.asset_disposed", as.Number)
		}
		if !Offers(a, as) {
			return sc, apperr.InvalidField("asset_ids", "request.error.asset_out", as.Number)
		}
		code, err := departmentCode(ctx, tx, as.DepartmentID)
		if err != nil {
			return sc, err
		}
		if !covers(p, a.ID, asset.Record(p, as, code, now)) {
			return sc, apperr.InvalidField("asset_ids", "request.error.not_covered", as.Number, a.Name)
		}
		if i > 0 && (as.DepartmentID != sc.subjectDept || systemOf(as) != sc.systemRef) {
			return sc, apperr.InvalidField("asset_ids", "request.error.mixed_subjects")
		}
		sc.subjectDept, sc.systemRef = as.DepartmentID, systemOf(as)
	}
	return sc, nil
}

// Offers reports whether an asset that is not disposed of may be the subject of a new request of
// the kind, as far as its state goes: an asset taken out or lent is out for a kind that takes
// out or lends, until it comes back.
func Offers(a policy.Approval, as asset.Asset) bool {
	out := as.State == "taken_out" || as.State == "lent"
	return !out || (a.Effect != "take_out" && a.Effect != "lend")
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func insert(ctx context.Context, tx *sql.Tx, r *Request) error {
	route, _ := json.Marshal(r.Route)
	fields, _ := json.Marshal(r.Fields)
	err := tx.QueryRowContext(ctx, `INSERT INTO requests (org_id, kind, kind_name, applicant_staff_id, applicant_user_id, department_id,
		subject_department_id, system_ref, state, step, route_json, fields_json, post_hoc, acted_at, report_due_at, reported_late,
		due_on, cite, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
		r.OrgID, r.Kind, r.KindName, r.ApplicantStaffID, store.NullID(r.ApplicantUserID), r.DepartmentID, store.NullID(r.SubjectDepartmentID),
		r.SystemRef, r.State, r.Step, string(route), string(fields), r.PostHoc, nullTime(r.ActedAt), nullTime(r.ReportDueAt),
		r.ReportedLate, r.DueOn, r.Cite, r.Version, r.CreatedAt, r.UpdatedAt).Scan(&r.ID)
	if err != nil {
		return apperr.Wrap(err, "insert request")
	}
	for _, id := range r.AssetIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_assets (request_id, org_id, asset_id) VALUES ($1, $2, $3)`, r.ID, r.OrgID, id); err != nil {
			return apperr.Wrap(err, "insert request asset")
		}
	}
	return nil
}

// snapshotJSON freezes the request's subject assets as JSON ("" for a request without any).
func snapshotJSON(ctx context.Context, tx *sql.Tx, r Request) (string, error) {
	if len(r.AssetIDs) == 0 {
		return "", nil
	}
	list, err := snapshot(ctx, tx, r.OrgID, r.AssetIDs)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", apperr.Wrap(err, "snapshot")
	}
	return string(b), nil
}
