package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// The audit report (監査報告書) in the usual Japanese layout — はじめに, 監査の概要, 監査の結果と
// 意見, 特記事項 — to the CISO and the committee (上毛町 9(1)⑤, 岸和田市 11(2)①). The team
// drafts it; the chief auditor (or the team's lead) issues it, after which it does not change:
// the SHA-256 of its content is written into the audit chain.

// ReportInput is the report's text, part by part.
type ReportInput struct {
	Intro   string `json:"intro"`
	Summary string `json:"summary"`
	Opinion string `json:"opinion"`
	Remarks string `json:"remarks"`
}

func (in *ReportInput) check(issue bool) error {
	var v apperr.Validation
	text(&v, "intro", &in.Intro, maxText, issue)
	text(&v, "summary", &in.Summary, maxText, issue)
	text(&v, "opinion", &in.Opinion, maxText, issue)
	text(&v, "remarks", &in.Remarks, maxText, false)
	return v.Err()
}

// SaveReport keeps the team's draft of the report.
func (s *Service) SaveReport(ctx context.Context, who access.Actor, id int64, in ReportInput) (Detail, error) {
	if err := in.check(false); err != nil {
		return Detail{}, err
	}
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		now := s.now()
		if err := mayConduct(who, a, today(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audits SET report_intro = $1, report_summary = $2, report_opinion = $3, report_remarks = $4
			WHERE id = $5`, in.Intro, in.Summary, in.Opinion, in.Remarks, a.ID); err != nil {
			return apperr.Wrap(err, "audit report")
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.report.draft", Before: a.Report, After: in})
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, who, id)
}

// reportContent is what the report's hash covers: the audit's plan, every item and result,
// every finding, the four parts and the time of issue.
type reportContent struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Kind        string    `json:"kind"`
	FiscalYear  int       `json:"fiscal_year"`
	StartsOn    string    `json:"starts_on"`
	EndsOn      string    `json:"ends_on"`
	Criteria    []string  `json:"criteria"`
	Departments []Named   `json:"departments"`
	Systems     []string  `json:"systems"`
	Team        []Auditor `json:"team"`
	Items       []Item    `json:"items"`
	Findings    []Finding `json:"findings"`
	Report      Report    `json:"report"`
}

// ReportHash is the SHA-256 of the issued report's content, as recorded in the audit chain;
// a reader who sees the whole audit can recompute it to prove the report unchanged.
func ReportHash(d Detail) string {
	r := d.Report
	r.SHA256 = ""
	if r.IssuedAt != nil {
		t := r.IssuedAt.UTC().Truncate(time.Microsecond)
		r.IssuedAt = &t
	}
	items := make([]Item, len(d.Items))
	for i, it := range d.Items {
		it.Evidence, it.RecordedAt = nil, nil
		items[i] = it
	}
	findings := make([]Finding, len(d.Findings))
	for i, f := range d.Findings {
		f.Actions, f.ClosedAt, f.State = nil, nil, ""
		f.CreatedAt = f.CreatedAt.UTC().Truncate(time.Microsecond)
		findings[i] = f
	}
	b, _ := json.Marshal(reportContent{ID: d.ID, Title: d.Title, Kind: d.Kind, FiscalYear: d.FiscalYear, StartsOn: d.StartsOn, EndsOn: d.EndsOn,
		Criteria: d.Criteria, Departments: d.Departments, Systems: d.Systems, Team: d.Team, Items: items, Findings: findings, Report: r})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// IssueReport issues the report with its final text: every item must have its result. The
// report's hash is stored with it and written into the audit chain in the same transaction.
func (s *Service) IssueReport(ctx context.Context, who access.Actor, id int64, in ReportInput) (Detail, error) {
	if err := in.check(true); err != nil {
		return Detail{}, err
	}
	// The whole audit as the hash covers it, read by the program's sight.
	sys := access.System(who.OrgID, who.Login)
	err := s.inTx(ctx, who, id, func(tx *sql.Tx, a Audit) error {
		now := s.now().UTC().Truncate(time.Microsecond)
		if err := mayIssue(who, a); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_items WHERE audit_id = $1 AND result = ''`, a.ID).Scan(&open); err != nil {
			return apperr.Wrap(err, "audit items")
		}
		if open > 0 {
			return apperr.New(apperr.Conflict, "audits.error.unrecorded", open)
		}
		d, err := s.detailIn(ctx, tx, sys, a)
		if err != nil {
			return err
		}
		d.Report = Report{Intro: in.Intro, Summary: in.Summary, Opinion: in.Opinion, Remarks: in.Remarks, IssuedAt: &now}
		h := ReportHash(d)
		if _, err := tx.ExecContext(ctx, `UPDATE audits SET report_intro = $1, report_summary = $2, report_opinion = $3, report_remarks = $4,
			report_sha256 = $5, issued_at = $6, issued_by_user_id = $7, state = $8 WHERE id = $9`, in.Intro, in.Summary, in.Opinion, in.Remarks,
			h, now, nullID(who.UserID), StateReported, a.ID); err != nil {
			return apperr.Wrap(err, "audit report")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "audit", EntityID: a.ID, Action: "audit.report.issue",
			After: map[string]any{"sha256": h, "title": a.Title, "issued_at": now}})
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	return s.Get(ctx, who, id)
}

// detailIn reads the audit's items and findings inside the transaction, for the hash.
func (s *Service) detailIn(ctx context.Context, tx *sql.Tx, who access.Actor, a Audit) (Detail, error) {
	d := Detail{Audit: a}
	rows, err := tx.QueryContext(ctx, `SELECT i.id, COALESCE(i.department_id, 0), COALESCE(dp.name, ''), i.title, i.article, i.method, i.result, i.note
		FROM audit_items i LEFT JOIN departments dp ON dp.id = i.department_id WHERE i.audit_id = $1 ORDER BY i.id`, a.ID)
	if err != nil {
		return d, apperr.Wrap(err, "audit items")
	}
	for rows.Next() {
		it := Item{AuditID: a.ID}
		if err := rows.Scan(&it.ID, &it.DepartmentID, &it.DepartmentName, &it.Title, &it.Article, &it.Method, &it.Result, &it.Note); err != nil {
			rows.Close()
			return d, apperr.Wrap(err, "audit items")
		}
		d.Items = append(d.Items, it)
	}
	rows.Close()
	frows, err := tx.QueryContext(ctx, findingSelect+`WHERE f.org_id = $1 AND f.audit_id = $2 ORDER BY f.id`, who.OrgID, a.ID)
	if err != nil {
		return d, apperr.Wrap(err, "audit findings")
	}
	defer frows.Close()
	for frows.Next() {
		var f Finding
		var closed sql.NullTime
		if err := frows.Scan(&f.ID, &f.AuditID, &f.AuditTitle, &f.ItemID, &f.DepartmentID, &f.DepartmentName, &f.Grade, &f.Article, &f.Title,
			&f.Detail, &f.RootCause, &f.State, &f.CreatedAt, &closed); err != nil {
			return d, apperr.Wrap(err, "audit findings")
		}
		d.Findings = append(d.Findings, f)
	}
	return d, frows.Err()
}
