package compliance

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/notify"
	"mamori/internal/store"
)

// NoticeExceptionEnded tells the owners of the assets an exception covered that it has ended
// and its findings count again.
const NoticeExceptionEnded = "compliance.exception_ended"

// Ended is an exception that Expire ended.
type Ended struct {
	OrgID       int64  `json:"org_id"`
	ExceptionID int64  `json:"exception_id"`
	RequestID   int64  `json:"request_id"`
	State       string `json:"state"` // expired, withdrawn
	Reopened    int    `json:"reopened"`
}

// Expire ends, in every organisation, the exceptions whose last day has passed (expired) and
// those whose request is no longer approved (withdrawn): the findings they suppressed count
// again — unless another active exception covers them — and the applicant and the managers of
// the assets are told, once per exception. Each exception ends in a transaction of its own.
func (s *Service) Expire(ctx context.Context) ([]Ended, error) {
	orgs, err := s.orgIDs(ctx)
	if err != nil {
		return nil, err
	}
	var out []Ended
	for _, orgID := range orgs {
		now := s.now()
		rows, err := s.DB.SQL.QueryContext(ctx, `SELECT e.id, e.request_id, e.expires_on, r.state FROM compliance_exceptions e
			JOIN requests r ON r.id = e.request_id
			WHERE e.org_id = $1 AND e.state = 'active' AND ((e.expires_on <> '' AND e.expires_on < $2) OR r.state <> 'approved')
			ORDER BY e.id`, orgID, today(now))
		if err != nil {
			return out, apperr.Wrap(err, "exceptions to end")
		}
		type due struct {
			id, request  int64
			expires, req string
		}
		var list []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.request, &d.expires, &d.req); err != nil {
				rows.Close()
				return out, apperr.Wrap(err, "exceptions to end")
			}
			list = append(list, d)
		}
		rows.Close()
		for _, d := range list {
			state := "expired"
			if d.req != "approved" {
				state = "withdrawn"
			}
			e := Ended{OrgID: orgID, ExceptionID: d.id, RequestID: d.request, State: state}
			err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
				n, err := endException(ctx, tx, orgID, d.id, d.request, d.expires, state, now)
				e.Reopened = n
				return err
			})
			if err != nil {
				return out, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// endException ends one exception inside tx and returns how many findings count again.
func endException(ctx context.Context, tx *sql.Tx, orgID, id, requestID int64, expiresOn, state string, now time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE compliance_exceptions SET state = $1, ended_at = $2 WHERE id = $3 AND org_id = $4 AND state = 'active'`,
		state, now, id, orgID)
	if err != nil {
		return 0, apperr.Wrap(err, "end exception")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, nil // ended by another process
	}
	if _, err := tx.ExecContext(ctx, `UPDATE compliance_exception_items SET active = FALSE WHERE exception_id = $1 AND org_id = $2`, id, orgID); err != nil {
		return 0, apperr.Wrap(err, "end exception items")
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, asset_id, rule_id, COALESCE(department_id, 0), severity_rank FROM compliance_findings
		WHERE org_id = $1 AND suppressed_by = $2 AND closed_at IS NULL ORDER BY id`, orgID, id)
	if err != nil {
		return 0, apperr.Wrap(err, "suppressed findings")
	}
	type finding struct {
		id, asset, department int64
		rule                  string
		rank                  int
	}
	var fs []finding
	for rows.Next() {
		var f finding
		if err := rows.Scan(&f.id, &f.asset, &f.rule, &f.department, &f.rank); err != nil {
			rows.Close()
			return 0, apperr.Wrap(err, "suppressed findings")
		}
		fs = append(fs, f)
	}
	rows.Close()
	reopened := 0
	counts := countDelta{}
	for _, f := range fs {
		var other sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT min(exception_id) FROM compliance_exception_items
			WHERE org_id = $1 AND asset_id = $2 AND rule_id = $3 AND active`, orgID, f.asset, f.rule).Scan(&other); err != nil {
			return 0, apperr.Wrap(err, "other exception")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE compliance_findings SET suppressed_by = $1 WHERE id = $2 AND org_id = $3`,
			store.NullID(other.Int64), f.id, orgID); err != nil {
			return 0, apperr.Wrap(err, "unsuppress finding")
		}
		if err := findingEvent(ctx, tx, orgID, f.id, "unsuppressed", "", id, now); err != nil {
			return 0, err
		}
		if other.Valid {
			if err := findingEvent(ctx, tx, orgID, f.id, "suppressed", "", other.Int64, now); err != nil {
				return 0, err
			}
			continue
		}
		counts.add(f.department, f.rank, 1)
		reopened++
	}
	if err := counts.flush(ctx, tx, orgID); err != nil {
		return 0, err
	}
	// The end is recorded in the request's history, with the findings counted again.
	if _, err := auditlog.Append(ctx, tx, access.System(orgID, "system"), now, auditlog.Event{Entity: "request", EntityID: requestID,
		Action: "compliance.exception_" + state, Before: map[string]any{"exception_id": id, "state": "active", "expires_on": expiresOn},
		After: map[string]any{"exception_id": id, "state": state, "reopened": reopened}}); err != nil {
		return 0, err
	}
	owners, err := exceptionOwners(ctx, tx, orgID, id)
	if err != nil {
		return 0, err
	}
	ja, en := describe(requestID, expiresOn)
	subject := notify.Text{Ja: ja + "の期限が切れました", En: "The " + en + " has expired"}
	if state == "withdrawn" {
		subject = notify.Text{Ja: ja + "は取り下げられました", En: "The " + en + " was withdrawn"}
	}
	err = notify.Notify(ctx, tx, notify.Notice{OrgID: orgID, Staff: owners, Kind: NoticeExceptionEnded, Subject: subject,
		Body: notify.Text{
			Ja: fmt.Sprintf("%sが終わり、対象の指摘事項 %d 件が再び対応を要する状態になりました。是正するか、改めて例外措置を申請してください。", ja, reopened),
			En: fmt.Sprintf("The %s has ended; %d findings it covered need action again. Correct them or request a new exception.", en, reopened)},
		Link: "/requests/" + strconv.FormatInt(requestID, 10), Ref: notify.Ref{Type: "compliance_exception", ID: id}, Once: state, At: now})
	return reopened, err
}

// exceptionOwners are who answers for what an exception covered: its applicant and the
// managers of its assets.
func exceptionOwners(ctx context.Context, tx *sql.Tx, orgID, id int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT applicant_staff_id FROM compliance_exceptions WHERE id = $1 AND org_id = $2 AND applicant_staff_id IS NOT NULL
		UNION SELECT a.manager_staff_id FROM compliance_exception_items i JOIN assets a ON a.id = i.asset_id
		WHERE i.exception_id = $1 AND i.org_id = $2 AND a.manager_staff_id IS NOT NULL`, id, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "exception owners")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			return nil, apperr.Wrap(err, "exception owners")
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
