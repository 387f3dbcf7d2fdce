package compliance_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestExceptionRegisterWithholdsTheHighestClass: an exception for an asset of the highest class
// is listed to a reader who may not see the asset's details — a platform administrator — without
// its rules, reasons and measures, which would tell what the asset holds; the system and the
// security roles see it whole.
func TestExceptionRegisterWithholdsTheHighestClass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		in := e.server("SV-900", false)
		in.Class = map[string]string{"importance": "I"}
		sv, err := e.S.Assets.Create(ctx, e.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if e.open(sv.ID)[redundantRule].ID == 0 {
			t.Fatal("no finding to except")
		}
		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: exceptionKind,
			Fields: exceptionFields(redundantRule, "SV-900", "2026-04-30")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.Decide(ctx, e.holders["ciso"], r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		platformAdmin := access.Actor{OrgID: e.Admin.OrgID, UserID: 90, Login: "admin", PlatformAdmin: true}
		list, err := e.S.Compliance.Exceptions(ctx, platformAdmin, "")
		if err != nil || len(list) != 1 {
			t.Fatalf("register %+v %v", list, err)
		}
		x := list[0]
		if !x.Withheld || len(x.Rules) != 0 || x.Reason != "" || x.Measures != "" || x.Items[0].RuleID != "" || x.Items[0].AssetNumber != "SV-900" {
			t.Fatalf("the platform administrator reads %+v", x)
		}
		for name, who := range map[string]access.Actor{"the system": e.Admin, "the CISO": e.holders["ciso"]} {
			list, err := e.S.Compliance.Exceptions(ctx, who, "")
			if err != nil || len(list) != 1 || list[0].Withheld || list[0].Items[0].RuleID != redundantRule || list[0].Reason == "" {
				t.Fatalf("%s reads %+v %v", name, list, err)
			}
		}
	})
}
