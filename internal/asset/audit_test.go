package asset_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAuditLogWithholdsTheHighestClass: a reader of the audit log who may not see an asset's
// details (a platform administrator) sees that it was registered and changed, by whom and
// when, but not what was recorded — not even after the asset was lowered from the highest
// class; auditors see it all, and the chain still verifies.
func TestAuditLogWithholdsTheHighestClass(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		secret, err := e.s.Assets.Create(ctx, e.admin, e.secretInput())
		if err != nil {
			t.Fatal(err)
		}
		lowered := e.secretInput()
		lowered.Class = map[string]string{"importance": "B"}
		if _, err := e.s.Assets.Update(ctx, e.admin, secret.ID, lowered); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Assets.Create(ctx, e.admin, e.input("PC-100", e.soumu, "B")); err != nil {
			t.Fatal(err)
		}
		entries := func(who access.Actor) map[string][]auditlog.Entry {
			list, _, err := e.s.Audit.List(ctx, who, auditlog.Filter{Entity: "asset", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][]auditlog.Entry{}
			for _, en := range list {
				out[en.EntityID] = append(out[en.EntityID], en)
			}
			return out
		}
		id := strconv.FormatInt(secret.ID, 10)
		platformAdmin := access.Actor{OrgID: e.admin.OrgID, UserID: 70, Login: "admin", PlatformAdmin: true}
		seen := entries(platformAdmin)
		if len(seen[id]) != 2 {
			t.Fatalf("the platform administrator sees %d entries of the secret asset, want its registration and change", len(seen[id]))
		}
		for _, en := range seen[id] {
			if !en.Withheld || en.Before != "" || en.After != "" {
				t.Errorf("%s shown to the platform administrator: withheld=%v before=%q after=%q", en.Action, en.Withheld, en.Before, en.After)
			}
		}
		for eid, list := range seen {
			for _, en := range list {
				if eid != id && (en.Withheld || !strings.Contains(en.After, "PC-100")) {
					t.Errorf("an asset below the highest class is withheld: %+v", en)
				}
			}
		}
		for name, who := range map[string]access.Actor{"an auditor": e.auditor} {
			for _, en := range entries(who)[id] {
				if en.Withheld || !strings.Contains(en.After, "機密の部屋") {
					t.Errorf("%s does not see %s: %+v", name, en.Action, en)
				}
			}
		}
		if rep, err := e.s.Audit.Verify(ctx, e.auditor); err != nil || rep.Problem != nil {
			t.Fatalf("chain: %+v, %v", rep, err)
		}
	})
}
