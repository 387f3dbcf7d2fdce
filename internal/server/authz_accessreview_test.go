package server

import (
	"context"

	"mamori/internal/accessreview"
)

// Access reviews in the authorization matrix: the CISO opens a review of system SYS-AR whose
// accounts belong to a member of 住民課 and one of 税務課; each department's 情報セキュリティ
// 管理者 decides their own with a reason carrying a canary. The review is read in full by the
// CISO (its opener, an organisation-wide security role) and the auditor; the ネットワーク管理者,
// who records removals in every system (the base pack's proved_by), reads every account; 住民課's
// security manager reads it and 住民課's account only; nobody else reads it.

var (
	seesAccessReview = set(secMgrX, cisoKey, auditor, netAdmin)
	seesXItem        = set(secMgrX, cisoKey, auditor, netAdmin)
	seesYItem        = set(cisoKey, auditor, netAdmin)
)

func (m *matrix) plantAccessReviews(ctx context.Context) {
	for _, a := range []struct {
		login string
		owner int64
		dept  int64
	}{{"ar-x", m.stXID, m.deptX}, {"ar-y", m.stYID, m.deptY}} {
		_, err := m.s.DB.SQL.ExecContext(ctx, `INSERT INTO system_accounts (org_id, system_ref, login, kind, owner_staff_id, department_id,
			created_at, updated_at) VALUES ($1, 'SYS-AR', $2, 'personal', $3, $4, $5, $5)`, m.org1, a.login, a.owner, a.dept, m.now)
		m.must(err, "account "+a.login)
	}
	ciso := m.actAs("fuku-chocho")
	r, err := m.s.AccessReviews.Open(ctx, ciso, accessreview.NewReview{Title: m.plant("CNRY-AR-TITLE-Q", "the access review's title", seesAccessReview),
		Scope: accessreview.ScopeSystem, SystemRef: "SYS-AR"})
	m.must(err, "access review")
	m.addRecord("access_review", r.ID, "the access review", seesAccessReview)
	_, items, err := m.s.AccessReviews.Items(ctx, ciso, r.ID, accessreview.ItemFilter{})
	m.must(err, "access review items")
	for _, it := range items {
		who, tag, seen := m.actAs("jumin-kacho"), "X", seesXItem
		if it.Login == "ar-y" {
			who, tag, seen = m.actAs("zeimu-kacho"), "Y", seesYItem
		}
		_, err := m.s.AccessReviews.Decide(ctx, who, r.ID, it.ID, accessreview.Decision{Outcome: "keep",
			Reason: m.plant("CNRY-AR-"+tag+"-REASON-Q", "the decision on "+it.Login, seen)})
		m.must(err, "decide "+it.Login)
		m.addRecord("access_review_item", it.ID, "account "+it.Login+" of the access review", seen)
	}
	m.addParam("access_review", "987654", "an id that names nothing")
	m.addParam("access_review_item", "987654", "an id that names nothing")
}
