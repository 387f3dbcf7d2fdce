package request

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/notify"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// The notices of a request's life (お知らせ), written with notify.Notify in the transaction of the
// act that causes them, so that a notice exists exactly when its act does: the deciders of the
// step a request comes to wait on, the applicant of a decision, and the addressees of the
// reports that follow an approval.

// Kinds of notice of requests besides those notify names.
const (
	NoticeReport        = "request.report"           // an approval reported to a role (notify_after)
	NoticePostHocLate   = "request.post_hoc_overdue" // a report after the fact still undecided after its deadline
	noticeRefType       = "request"
	noticeLinkPrefix    = "/requests/"
	noticeCommentLength = 200 // of a decision's comment quoted in a notice
)

// noticeAfter writes the notices an act on r leads to. action is "submit", "resubmit" or a
// decision; fromStep is the step the request was at before a decision. r is the request as the
// act left it.
func (s *Service) noticeAfter(ctx context.Context, tx *sql.Tx, p *policy.Compiled, who access.Actor, r Request, action string, fromStep int, comment string, now time.Time) error {
	name, err := applicantName(ctx, tx, r)
	if err != nil {
		return err
	}
	once := "v" + strconv.Itoa(r.Version)
	link := noticeLinkPrefix + strconv.FormatInt(r.ID, 10)
	ref := notify.Ref{Type: noticeRefType, ID: r.ID}
	switch {
	case r.State == Pending && (action == "submit" || action == "resubmit" || r.Step != fromStep):
		staff, err := s.deciders(ctx, tx, p, r, r.Route.Steps[r.Step].Deciders)
		if err != nil {
			return err
		}
		n := notify.Notice{OrgID: r.OrgID, Staff: staff, Kind: notify.RequestWaiting, Link: link, Ref: ref, Once: once, At: now,
			Subject: text("notice.request.waiting", r.KindName, name),
			Body:    text("notice.request.waiting_body", name, r.KindName, r.Step+1, len(r.Route.Steps), r.Cite)}
		if r.PostHoc && r.ReportedLate {
			n.Body = text("notice.request.waiting_late_body", name, r.KindName, r.Step+1, len(r.Route.Steps), r.Cite)
		}
		return notify.Notify(ctx, tx, n)
	case action == Approve && r.State == Approved, action == Reject, action == SendBack:
		if comment = clipText(comment, noticeCommentLength); comment == "" {
			comment = "—"
		}
		decider := who.Name
		if decider == "" {
			decider = who.Login
		}
		n := notify.Notice{OrgID: r.OrgID, Staff: []int64{r.ApplicantStaffID}, Kind: notify.RequestDecided, Link: link, Ref: ref,
			Once: once, At: now, Subject: text("notice.request."+action, r.KindName),
			Body: text("notice.request.decided_body", r.KindName, decider, comment)}
		if err := notify.Notify(ctx, tx, n); err != nil {
			return err
		}
		if r.State != Approved || len(r.Route.Notices) == 0 {
			return nil
		}
		staff, err := s.deciders(ctx, tx, p, r, r.Route.Notices)
		if err != nil {
			return err
		}
		return notify.Notify(ctx, tx, notify.Notice{OrgID: r.OrgID, Staff: staff, Kind: NoticeReport, Link: link, Ref: ref, Once: once,
			At: now, Subject: text("notice.request.report", r.KindName, name), Body: text("notice.request.report_body", name, r.KindName, r.Cite)})
	}
	return nil
}

// text is a notice's words from the catalogs, in Japanese and English.
func text(key string, args ...any) notify.Text {
	return notify.Text{Ja: i18n.T(i18n.Ja, key, args...), En: i18n.T(i18n.En, key, args...)}
}

func clipText(s string, n int) string {
	if r := []rune(strings.TrimSpace(s)); len(r) > n {
		return string(r[:n]) + "…"
	}
	return strings.TrimSpace(s)
}

func applicantName(ctx context.Context, q store.Querier, r Request) (string, error) {
	if r.ApplicantName != "" {
		return r.ApplicantName, nil
	}
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM staff WHERE id = $1 AND org_id = $2`, r.ApplicantStaffID, r.OrgID).Scan(&name)
	if err != nil && err != sql.ErrNoRows {
		return "", apperr.Wrap(err, "applicant")
	}
	return name, nil
}

// deciders returns the staff who act today for any of ds, leaving out the applicant unless the
// kind lets an applicant decide their own request (as Inbox does).
func (s *Service) deciders(ctx context.Context, q store.Querier, p *policy.Compiled, r Request, ds []Decider) ([]int64, error) {
	day := s.today()
	var out []int64
	for _, d := range ds {
		ids, err := holdersOf(ctx, q, p, r.OrgID, d.Key, day)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	if kind, _ := approval(p, r.Kind); !kind.SelfApproval {
		out = slices.DeleteFunc(out, func(id int64) bool { return id == r.ApplicantStaffID })
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// holdersOf returns the staff who act on day for a wait key: the holders and acting holders of
// its role assignments and, while the role has no holder, those of the roles the pack names to
// act for it (Role.Acting). It is the inverse of keysOf.
func holdersOf(ctx context.Context, q store.Querier, p *policy.Compiled, orgID int64, key, day string) ([]int64, error) {
	role, where, _ := strings.Cut(key, "@")
	var dept int64
	cond, arg := "scope NOT IN ('department', 'system')", any(nil)
	switch {
	case strings.HasPrefix(where, "d:"):
		dept, _ = strconv.ParseInt(where[2:], 10, 64)
		cond, arg = "scope = 'department' AND department_id = $4", dept
	case strings.HasPrefix(where, "s:"):
		cond, arg = "scope = 'system' AND system_ref = $4", where[2:]
	}
	out, err := assignees(ctx, q, orgID, role, day, cond, arg)
	if err != nil {
		return nil, err
	}
	r, _ := p.Role(role)
	if len(r.Acting) == 0 || (r.Scope != "organization" && (r.Scope != "department" || dept == 0)) {
		return out, nil
	}
	free, err := vacant(ctx, q, orgID, role, dept, day)
	if err != nil || !free {
		return out, err
	}
	for _, acting := range r.Acting {
		cond, arg := "TRUE", any(nil)
		if r.Scope == "department" {
			cond, arg = "scope = 'department' AND department_id = $4", dept
		}
		more, err := assignees(ctx, q, orgID, acting, day, cond, arg)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// assignees returns the holders and acting holders of a role's assignments valid on day that
// meet cond (which may use $4, given as arg).
func assignees(ctx context.Context, q store.Querier, orgID int64, role, day, cond string, arg any) ([]int64, error) {
	args := []any{orgID, role, day}
	if arg != nil {
		args = append(args, arg)
	}
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(holder_staff_id, 0), COALESCE(acting_staff_id, 0) FROM role_assignments
		WHERE org_id = $1 AND role_id = $2 AND (valid_from = '' OR valid_from <= $3) AND (valid_to = '' OR valid_to >= $3)
		  AND `+cond, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "role holders")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var holder, acting int64
		if err := rows.Scan(&holder, &acting); err != nil {
			return nil, apperr.Wrap(err, "role holders")
		}
		for _, id := range []int64{holder, acting} {
			if id != 0 {
				out = append(out, id)
			}
		}
	}
	return out, rows.Err()
}

// WaitKey is the key a role grant meets requests' waits on ("security_manager@d:12"): a request
// waits for whoever holds a grant of the key it names.
func WaitKey(g access.Grant) string { return grantKey(g) }
