package packs

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/policy"
)

// accessReviewCites are the citations of a pack's own access review (棚卸し), by element path.
func accessReviewCites(p *policy.Compiled) map[string]policy.Cite {
	a := p.AccessReview
	out := map[string]policy.Cite{}
	add := func(key, path string, c policy.Cite) {
		if !p.Inherited["access_review"] && !p.Inherited["access_review/"+key] {
			out["access_review/"+path] = c
		}
	}
	add("cite", "cite", a.Cite)
	add("every", "every", a.EveryCite)
	add("due_days", "due_days", a.DueCite)
	add("proved_by", "proved_by", a.ProofCite)
	add("dormant_days", "dormant_days", a.DormantCite)
	for i, r := range a.Reviewers {
		add("reviewers", "reviewers/"+strconv.Itoa(i), r.Cite)
	}
	for _, r := range a.Rules {
		add("rules", "rules/"+r.Flag, r.Cite)
	}
	return out
}

// TestEveryPackReviewsAccounts checks that every shipped pack holds access reviews, that each
// of its own parts quotes its source (the quotation found in the source text) or is origin:
// added with a reason, and that a leaver's account may only be removed.
func TestEveryPackReviewsAccounts(t *testing.T) {
	lib := mustLoad(t)
	for _, p := range lib.List() {
		t.Run(p.ID, func(t *testing.T) {
			a := p.AccessReview
			if !a.Defined() {
				t.Fatal("no access_review")
			}
			if r, ok := a.Allowed([]string{policy.FlagLeaver}, policy.OutcomeKeep); ok {
				t.Errorf("a leaver's account may be kept (rule %+v)", r)
			}
			if _, ok := a.Allowed([]string{policy.FlagLeaver}, policy.OutcomeRemove); !ok {
				t.Error("a leaver's account may not be removed")
			}
			if _, ok := a.Allowed([]string{policy.FlagPrivilegedWithoutOwner}, policy.OutcomeKeep); ok {
				t.Error("a privileged ID without an owner may be kept")
			}
			if p.Source == "" {
				return
			}
			text := seedText(t, p.Source)
			cites := accessReviewCites(p)
			if len(cites) == 0 {
				t.Fatal("the pack's access review cites nothing of its own")
			}
			if p.ID == "toki" && !p.Inherited["access_review/rules"] {
				t.Error("toki's access review does not take its rules from the base pack")
			}
			quoted := 0
			for path, c := range cites {
				switch {
				case c.Added():
					if c.Reason == "" {
						t.Errorf("%s: origin: added without a reason", path)
					}
				case c.Quote == "":
					t.Errorf("%s (%s): neither quotes the source nor is origin: added", path, c.Article)
				case !strings.Contains(text, normalized(c.Quote)):
					t.Errorf("%s (%s): quotation not found in %s: %q", path, c.Article, p.Source, c.Quote)
				default:
					quoted++
				}
			}
			if quoted == 0 {
				t.Error("no part of the access review quotes the source")
			}
			if p.ID != "toki" && !slices.ContainsFunc(a.Rules, func(r policy.AccessRule) bool { return r.Flag == policy.FlagLeaver && !r.Cite.Added() }) {
				t.Error("the leaver rule does not quote the source")
			}
		})
	}
}
