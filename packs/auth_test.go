package packs

import (
	"slices"
	"strings"
	"testing"

	"mamori/internal/policy"
)

// TestKeyHoldersMustUseMFA checks that every shipped pack makes the people who hold the keys
// sign in to Mamori with a second factor: Mamori keeps the register of every highest-class asset
// and every restricted incident, so the CISO, every security role and every auditor must, each
// requirement citing the source's own MFA clause where it has one and marked as the
// organisation's setting where it has none.
func TestKeyHoldersMustUseMFA(t *testing.T) {
	lib := mustLoad(t)
	mfaClause := map[string]string{ // pack → the article of its source's MFA clause
		"kishiwada": "第2章 6(1)②(ア)",
		"koge":      "第2章 4(4)②",
		"yamagata":  "4.1(2)①",
	}
	for _, id := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata", "base"} {
		t.Run(id, func(t *testing.T) {
			p, ok := lib.Get(id)
			if !ok {
				t.Fatalf("pack %s is not shipped", id)
			}
			a := p.Auth
			for _, r := range p.Roles {
				key := r.Security || strings.Contains(r.ID, "audit") || r.ID == "ciso" || r.ID == "cio"
				if key && !slices.Contains(a.MFARoles, r.ID) {
					t.Errorf("%s (%s) may sign in without MFA", r.ID, r.Name)
				}
			}
			if len(a.MFARoles) == 0 || a.MFACite.Article == "" {
				t.Fatalf("auth = %+v", a)
			}
			if article, ok := mfaClause[id]; ok {
				if a.MFACite.Article != article || a.MFACite.Quote == "" || a.MFACite.Added() {
					t.Errorf("MFA should cite the source's clause %s: %+v", article, a.MFACite)
				}
			} else if !a.MFACite.Added() || a.MFACite.Quote != "" {
				t.Errorf("the source has no MFA clause: the requirement must be marked as the organisation's setting: %+v", a.MFACite)
			}
			if a.Unlock != policy.UnlockByAdmin || !a.UnlockCite.Added() || a.UnlockCite.Article == "" {
				t.Errorf("unlock = %q %+v, want by an administrator, marked as the organisation's setting", a.Unlock, a.UnlockCite)
			}
		})
	}
	if p, _ := lib.Get("toki"); !p.Inherited["auth/mfa"] {
		t.Error("土岐市's MFA roles are not marked as taken from the base pack")
	}
}
