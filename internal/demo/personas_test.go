package demo_test

import (
	"context"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

// TestDemoPersonas: every shipped pack's demo signs in a member of staff without a post, who may
// file requests, and the holders of the roles its workflows need — the first recipients of an
// incident report and the approvers of a take-out — each in a department and printed with it;
// no two packs share a person's name, and no demo text is a placeholder (記載例).
func TestDemoPersonas(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, pk := range lib.List() {
		if pk.Kind == "base" {
			continue
		}
		t.Run(pk.ID, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.SQLite(t)
			s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
			first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "demo", OrgName: "デモ", PackID: pk.ID})
			if err != nil {
				t.Fatal(err)
			}
			res, err := demo.Load(ctx, s, first.Org.ID, pk)
			if err != nil {
				t.Fatal(err)
			}
			held := map[string]bool{}
			clerk := false
			for _, a := range res.Accounts {
				if a.Department == "" || a.Title == "" || a.Role == "" {
					t.Errorf("%s is printed without department, title or role: %+v", a.Login, a)
				}
				if other, ok := names[a.Name]; ok && other != pk.ID {
					t.Errorf("%s's demo has %s, as %s's has", pk.ID, a.Name, other)
				}
				names[a.Name] = pk.ID
				who, err := s.Auth.ActAs(ctx, a.Login)
				if err != nil {
					t.Fatal(err)
				}
				if who.DepartmentID == 0 {
					t.Errorf("%s signs in without a department", a.Login)
				}
				for _, g := range who.Roles {
					held[g.RoleID] = true
				}
				if len(who.Roles) == 0 {
					kinds, err := s.Requests.Kinds(ctx, who)
					clerk = clerk || err == nil && len(kinds) > 0
				}
			}
			if !clerk {
				t.Error("no demo account of staff without a post who may file requests")
			}
			need := pk.Incident.Recipients()
			for _, a := range pk.Approvals {
				if a.Effect == "take_out" || strings.Contains(a.ID, "take_out") {
					for _, st := range a.Steps {
						need = append(need, st.Role)
					}
				}
			}
			for _, c := range need {
				role := c
				if pc, ok := pk.Contact(c); ok {
					role = pc.Role
				}
				if role != "" && !held[role] {
					t.Errorf("no demo account holds %s (%s)", role, pk.RoleName(role))
				}
			}
			var n int
			for _, q := range []string{`SELECT count(*) FROM incidents WHERE org_id = $1 AND (title LIKE '%記載例%' OR report_json LIKE '%記載例%')`,
				`SELECT count(*) FROM requests WHERE org_id = $1 AND fields_json LIKE '%記載例%'`} {
				if err := db.SQL.QueryRowContext(ctx, q, first.Org.ID).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n > 0 {
					t.Errorf("%d demo records read 記載例: %s", n, q)
				}
			}
		})
	}
}
