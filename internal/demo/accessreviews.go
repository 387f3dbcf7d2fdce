package demo

import (
	"fmt"
	"slices"
	"time"

	"mamori/internal/access"
	"mamori/internal/accessreview"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
)

// The demo's access reviews (棚卸し), made after the demo accounts: 岸和田市 has one review in
// progress of its first system — opened five days ago by the 情報政策課, the accounts of staff
// still in post kept by their reviewers, the mover's access changed and waiting for the system's
// administrator to prove it, and the leaver's account found and still to be removed. The other
// packs have one review finished last month: every account decided (the leaver's removed where
// one was found), the removals and changes proved by the system's administrator, and closed.

// accessReviews opens and runs the demo's review of the first system with accounts.
func (b *builder) accessReviews(p *policy.Compiled) error {
	if !p.AccessReview.Defined() {
		return nil
	}
	now := b.s.Now()
	systems, err := b.s.AccessReviews.Systems(b.ctx, b.sys)
	if err != nil || len(systems) == 0 {
		return err
	}
	ref := systems[0].Ref
	for _, name := range accountSystems {
		if slices.ContainsFunc(systems, func(s accessreview.System) bool { return s.Ref == name }) {
			ref = name
			break
		}
	}
	people, err := b.reviewPeople(p, now)
	if err != nil {
		return err
	}
	opener := b.sys
	for _, a := range people {
		if accessreview.MayOpen(p, a, accessreview.ScopeSystem, ref) == nil && hasOrgRole(a) {
			opener = a
			break
		}
	}
	inProgress := p.ID == "kishiwada"
	opened := now.AddDate(0, 0, -40)
	if inProgress {
		opened = now.AddDate(0, 0, -5)
	}
	at := func(t time.Time) *accessreview.Service {
		svc := *b.s.AccessReviews
		svc.Now = func() time.Time { return t }
		return &svc
	}
	fy := opened.In(i18n.Tokyo)
	if fy.Month() < time.April {
		fy = fy.AddDate(-1, 0, 0)
	}
	r, err := at(opened).Open(b.ctx, opener, accessreview.NewReview{Title: fmt.Sprintf("%d年度 %s 利用者IDの棚卸し", fy.Year(), ref),
		Scope: accessreview.ScopeSystem, SystemRef: ref})
	if err != nil {
		return fmt.Errorf("demo access review of %s: %w", ref, err)
	}
	decided := opened.AddDate(0, 0, 3)
	_, items, err := b.s.AccessReviews.Items(b.ctx, b.sys, r.ID, accessreview.ItemFilter{})
	if err != nil {
		return err
	}
	for _, it := range items {
		outcome, reason := accessreview.SuggestedOutcome(p.AccessReview, it)
		if inProgress && it.Flagged(policy.FlagLeaver) {
			continue // found, and still to be removed
		}
		who := reviewerOf(people, b.sys, r, it)
		if _, err := at(decided).Decide(b.ctx, who, r.ID, it.ID, accessreview.Decision{Outcome: outcome, Reason: reason}); err != nil {
			return fmt.Errorf("demo decision on %s: %w", it.Login, err)
		}
	}
	if inProgress {
		return nil
	}
	proved := opened.AddDate(0, 0, 8)
	_, items, err = b.s.AccessReviews.Items(b.ctx, b.sys, r.ID, accessreview.ItemFilter{Status: accessreview.StatusAwaiting})
	if err != nil {
		return err
	}
	for _, it := range items {
		who := proverOf(people, b.sys, r, it)
		if _, err := at(proved).Prove(b.ctx, who, r.ID, it.ID, accessreview.Proof{DoneOn: proved.In(i18n.Tokyo).Format(time.DateOnly),
			DoneBy: who.Name, Note: "システムの利用者管理画面で実施"}); err != nil {
			return fmt.Errorf("demo proof of %s: %w", it.Login, err)
		}
	}
	_, err = at(proved.AddDate(0, 0, 1)).Close(b.ctx, opener, r.ID)
	return err
}

// reviewPeople are the demo members who hold a role, as actors with their grants and marks.
// Their accounts are made after the data, so they act with the program's rights; who acts is
// chosen here by the same rule the service applies.
func (b *builder) reviewPeople(p *policy.Compiled, now time.Time) ([]access.Actor, error) {
	day := now.In(i18n.Tokyo).Format(time.DateOnly)
	marks := orgpolicy.MarksOf(p)
	var out []access.Actor
	for _, m := range b.members {
		if len(m.roles) == 0 {
			continue
		}
		grants, err := org.GrantsOf(b.ctx, b.s.DB.SQL, b.sys.OrgID, m.id, day)
		if err != nil {
			return nil, err
		}
		for i, g := range grants {
			grants[i] = g.Marked(marks[g.RoleID])
		}
		out = append(out, access.Actor{OrgID: b.sys.OrgID, StaffID: m.id, DepartmentID: b.depts[m.dept], Login: "demo-" + m.login, Name: m.name, Roles: grants})
	}
	return out, nil
}

func hasOrgRole(a access.Actor) bool {
	for _, g := range a.Roles {
		if g.Scope == "organization" && !g.AllStaff {
			return true
		}
	}
	return false
}

// reviewerOf is a reviewer of the item among the demo's people, or the program.
func reviewerOf(people []access.Actor, sys access.Actor, r accessreview.Review, it accessreview.Item) access.Actor {
	for _, a := range people {
		if accessreview.Reviews(a, r, it) {
			return a
		}
	}
	return sys
}

// proverOf is who proves the item's removal or change among the demo's people, or the program.
func proverOf(people []access.Actor, sys access.Actor, r accessreview.Review, it accessreview.Item) access.Actor {
	for _, a := range people {
		if accessreview.Proves(a, r, it) {
			return a
		}
	}
	return sys
}
