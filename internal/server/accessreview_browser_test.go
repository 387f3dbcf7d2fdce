package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/accessreview"
	"mamori/internal/policy"
)

// TestBrowserAccessReview runs 棚卸し on 岸和田市's demo in Chromium by the people who do it: the
// 情報政策課 opens a review of a system; a 課長 (情報セキュリティ責任者) removes one of their
// department's accounts and keeps the rest in one go; the system's administrator records that
// the account was removed in the system; and the results by system show it. The pages along the
// way pass the accessibility check.
func TestBrowserAccessReview(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	bg := context.Background()
	policyDiv, ref := "", ""
	open, err := r.s.AccessReviews.List(bg, r.sys(), accessreview.Filter{State: accessreview.StateOpen})
	must(t, err)
	administered := map[string]string{} // system → the login of its 情報システム管理者
	for _, a := range r.accounts {
		for _, g := range r.actor(a.Login).Roles {
			if g.RoleID == "system_admin" && g.SystemRef != "" && administered[g.SystemRef] == "" {
				administered[g.SystemRef] = a.Login
			}
		}
	}
	for _, a := range r.accounts {
		who := r.actor(a.Login)
		if !r.s.AccessReviews.CanOpen(bg, who) || !r.s.AccessReviews.CanOpenDepartment(bg, who) {
			continue
		}
		systems, err := r.s.AccessReviews.Systems(bg, who)
		must(t, err)
		for _, s := range systems {
			busy := false
			for _, o := range open {
				busy = busy || o.SystemRef == s.Ref
			}
			if !busy && administered[s.Ref] != "" {
				policyDiv, ref = a.Login, s.Ref
				break
			}
		}
		if policyDiv != "" {
			break
		}
	}
	if policyDiv == "" {
		t.Fatal("no demo account of the 情報政策課 with a system, not yet under review, that has an administrator")
	}

	ctx := r.open(policyDiv, "/access-reviews/new")
	accessible(t, ctx, "open form")
	r.fill(ctx, []field{chosen("f-system_ref", ref)})
	r.step(ctx, "open a review of "+ref, chromedp.Click(chromedp.ID("submit-review")), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	id := r.idIn(ctx, "/access-reviews/")
	accessible(t, ctx, "review")
	view, err := r.s.AccessReviews.Get(bg, r.sys(), id)
	must(t, err)
	_, items, err := r.s.AccessReviews.Items(bg, r.sys(), id, accessreview.ItemFilter{})
	must(t, err)

	// A 課長 who reviews some of the accounts, and the one they remove.
	manager, removed := "", accessreview.Item{}
	for _, a := range r.accounts {
		who := r.actor(a.Login)
		if !who.HasRole("security_manager") {
			continue
		}
		for _, it := range items {
			if accessreview.Reviews(who, view.Review, it) && !it.Flagged(policy.FlagPrivilegedWithoutOwner) {
				manager, removed = a.Login, it
				break
			}
		}
		if manager != "" {
			break
		}
	}
	if manager == "" {
		t.Fatalf("no 課長 reviews an account of %s", ref)
	}
	mctx := r.open(manager, fmt.Sprintf("/access-reviews/%d?mine=1", id))
	accessible(t, mctx, "my accounts")
	r.fill(mctx, []field{chosen(fmt.Sprint("outcome-", removed.ID), "remove"), typed(fmt.Sprint("reason-", removed.ID), "異動により不要")})
	r.step(mctx, "remove "+removed.Login, chromedp.Click(chromedp.ID(fmt.Sprint("decide-", removed.ID))), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	r.fill(mctx, []field{chosen("bulk-outcome", "keep"), typed("bulk-reason", "業務に必要")})
	// The page shows the removal's notice already: wait for the bulk decision's own.
	r.step(mctx, "keep the rest", chromedp.Click(chromedp.ID("bulk-decide")),
		chromedp.WaitVisible(chromedp.Search(`//*[contains(@class,"notice--success") and contains(., "まとめて判定しました")]`)))
	_, mine, err := r.s.AccessReviews.Items(bg, r.actor(manager), id, accessreview.ItemFilter{Mine: true, Status: accessreview.StatusPending})
	must(t, err)
	for _, it := range mine {
		if it.Acts.Decide {
			t.Errorf("%s is still undecided", it.Login)
		}
	}

	// The system's administrator records the removal.
	admin := administered[ref]
	if !accessreview.Proves(r.actor(admin), view.Review, removed) {
		t.Fatalf("%s, the administrator of %s, does not record its removals", admin, ref)
	}
	actx := r.open(admin, "/access-reviews/mine")
	accessible(t, actx, "waiting reviews")
	actx = r.open(admin, fmt.Sprintf("/access-reviews/%d?status=awaiting", id))
	r.fill(actx, []field{typed(fmt.Sprint("done_by-", removed.ID), "IT推進課 担当者"), typed(fmt.Sprint("note-", removed.ID), "利用者管理画面で削除")})
	r.step(actx, "record the removal", chromedp.Click(chromedp.ID(fmt.Sprint("prove-", removed.ID))), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	var state string
	must(t, r.s.DB.SQL.QueryRowContext(bg, `SELECT state FROM system_accounts WHERE id = $1`, removed.AccountID).Scan(&state))
	if state != "removed" {
		t.Fatalf("account %s is %s after its removal was recorded", removed.Login, state)
	}

	ctx = r.open(policyDiv, fmt.Sprintf("/access-reviews/%d/results", id))
	accessible(t, ctx, "results")
	text, err := run(ctx, chromedp.Text(chromedp.ID("results")))
	must(t, err)
	if !strings.Contains(text, ref) {
		t.Fatalf("results do not show %s:\n%.2000s", ref, text)
	}
	_, res, err := r.s.AccessReviews.Results(bg, r.sys(), id)
	must(t, err)
	if len(res) != 1 || res[0].Counts.Removed != 1 || res[0].Counts.Proved < 1 {
		t.Fatalf("results %+v", res)
	}
	accessible(t, r.open(policyDiv, fmt.Sprintf("/access-reviews/%d/print", id)), "review sheet")
}
