package compliance_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/compliance"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// marked gives an actor's grants the marks the pack gives their roles, as signing in does.
func (e *env) marked(a access.Actor) access.Actor {
	marks, roles := orgpolicy.MarksOf(e.P), make([]access.Grant, len(a.Roles))
	for i, g := range a.Roles {
		roles[i] = g.Marked(marks[g.RoleID])
	}
	a.Roles = roles
	return a
}

// TestServiceWithholdsFindings: the service itself hands a reader who may not see an asset's
// details (the ネットワーク管理者, a platform administrator) its findings without rule, values or
// severity — the caller does nothing — never chooses them by rule or severity, and lists them
// after every finding whose severity is shown; the security roles read them whole.
func TestServiceWithholdsFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge") // the role holders are staff of department A
		in := e.server("SV-900", false)
		in.DepartmentID, in.Class, in.Name = e.DeptB, map[string]string{"importance": "I"}, "極秘サーバ"
		secret, err := e.S.Assets.Create(ctx, e.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		plain := e.server("SV-100", false)
		plain.DepartmentID = e.DeptB
		if _, err := e.S.Assets.Create(ctx, e.Admin, plain); err != nil {
			t.Fatal(err)
		}
		var rule policy.Rule
		for _, r := range e.P.Rules {
			if r.ID == redundantRule {
				rule = r
			}
		}
		if rule.Severity == "" {
			t.Fatal("no rule", redundantRule)
		}
		netAdmin := e.marked(e.holders["network_admin"])
		platformAdmin := access.Actor{OrgID: e.Admin.OrgID, UserID: 90, Login: "admin", PlatformAdmin: true}
		for name, who := range map[string]access.Actor{"the ネットワーク管理者": netAdmin, "a platform administrator": platformAdmin} {
			list, _, err := e.S.Compliance.Findings(ctx, who, compliance.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			restricted, seenRestricted := 0, false
			for _, f := range list {
				if f.AssetID == secret.ID {
					restricted++
					if !f.Restricted || f.RuleID != "" || f.Severity != "" || f.Title != "" || len(f.Values) != 0 {
						t.Errorf("%s reads the secret's finding as %+v", name, f)
					}
				}
				if seenRestricted && !f.Restricted {
					t.Errorf("%s: a finding whose severity is shown comes after a withheld one", name)
				}
				seenRestricted = seenRestricted || f.Restricted
			}
			if restricted == 0 {
				t.Fatalf("%s does not see that the secret has findings", name)
			}
			b, _ := json.Marshal(list)
			if strings.Contains(string(b), "極秘") {
				t.Errorf("%s reads the name", name)
			}
			for _, f := range []compliance.Filter{{RuleID: redundantRule}, {MinSeverity: rule.Severity}, {RuleID: redundantRule, State: "suppressed"}} {
				list, total, err := e.S.Compliance.Findings(ctx, who, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range list {
					if x.AssetID == secret.ID {
						t.Errorf("%s finds the secret by %+v", name, f)
					}
				}
				if total != len(list) {
					t.Errorf("%s: %+v counts %d and lists %d", name, f, total, len(list))
				}
			}
			own, err := e.S.Compliance.AssetFindings(ctx, who, secret.ID)
			if err != nil || len(own) == 0 {
				t.Fatalf("%s: %v", name, err)
			}
			for _, f := range own {
				if !f.Restricted || f.RuleID != "" || f.Severity != "" {
					t.Errorf("%s reads the asset's finding as %+v", name, f)
				}
			}
		}
		for name, who := range map[string]access.Actor{"the CISO": e.marked(e.holders["ciso"]), "the system": e.Admin} {
			list, err := e.S.Compliance.AssetFindings(ctx, who, secret.ID)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range list {
				found = found || (f.RuleID == redundantRule && f.Severity == rule.Severity && !f.Restricted)
			}
			if !found {
				t.Errorf("%s does not read the secret's finding: %+v", name, list)
			}
		}
	})
}
