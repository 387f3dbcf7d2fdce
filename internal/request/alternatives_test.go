package request_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// 山形県's take-out is decided by the 情報セキュリティ管理者 of the asset's department or the
// 情報システム管理者 of its system (6.1(1)④). An asset of no system is decided by the first; an
// asset of a department without a manager by the second; only when neither has someone to
// decide is filing refused, naming what each lacks.
func TestAlternativeDecidersResolveWhatTheyCan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "yamagata")
		dept, err := e.S.Org.CreateDepartment(ctx, e.Admin, org.DepartmentInput{Code: "C", Name: "会計課", Kind: "section"})
		if err != nil {
			t.Fatal(err)
		}
		clerkC := e.Person("職員C", dept.ID)
		register := func(dept int64, system string) int64 {
			t.Helper()
			e.Seq++
			a, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: fmt.Sprintf("ALT-%d", e.Seq), Name: "業務用USBメモリ", Kind: "media",
				DepartmentID: dept, Class: map[string]string{"confidentiality": "2", "integrity": "1", "availability": "1"},
				Segment: "lgwan", SystemRef: system, Location: "本庁舎"})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		file := func(who access.Actor, id int64) (request.Request, error) {
			return e.S.Requests.Submit(ctx, who, request.Input{Kind: "take_out", AssetIDs: []int64{id}, Fields: map[string]any{
				"method": "持ち出し", "purpose": "出張先での説明", "encrypted": true}})
		}
		decide := func(r request.Request, key string) {
			t.Helper()
			if len(r.Route.Steps) != 1 || !slices.ContainsFunc(r.Route.Steps[0].Deciders, func(d request.Decider) bool { return d.Key == key }) {
				t.Fatalf("route %+v, want one step %s decides", r.Route, key)
			}
			if !e.inboxHas(e.Holder(key), r.ID) {
				t.Fatalf("%s does not find the request in the inbox", key)
			}
			got, err := e.S.Requests.Decide(ctx, e.Holder(key), r.ID, request.Decision{Decision: request.Approve, Comment: "承認します"})
			if err != nil || got.State != request.Approved {
				t.Fatalf("%s approves: %s, %v", key, got.State, err)
			}
		}

		t.Run("an asset of no system goes to its department's manager", func(t *testing.T) {
			r, err := file(e.clerk, register(e.DeptA, ""))
			if err != nil {
				t.Fatalf("filing is refused: %v", err)
			}
			if len(r.Route.Steps[0].Deciders) != 1 {
				t.Fatalf("route %+v, want the department's manager alone", r.Route)
			}
			decide(r, fmt.Sprintf("security_manager@d:%d", e.DeptA))
		})
		t.Run("both alternatives resolved stay in the route", func(t *testing.T) {
			r, err := file(e.clerk, register(e.DeptA, "SYS1"))
			if err != nil || len(r.Route.Steps[0].Deciders) != 2 {
				t.Fatalf("route %+v, %v", r.Route, err)
			}
		})
		t.Run("an asset of a department without a manager goes to its system's manager", func(t *testing.T) {
			r, err := file(clerkC, register(dept.ID, "SYS1"))
			if err != nil {
				t.Fatalf("filing is refused: %v", err)
			}
			// The department's alternative stays, so that a manager assigned later finds it.
			if len(r.Route.Steps[0].Deciders) != 2 {
				t.Fatalf("route %+v", r.Route)
			}
			decide(r, "system_manager@s:SYS1")
		})
		t.Run("neither alternative has someone: refused, naming both", func(t *testing.T) {
			_, err := file(clerkC, register(dept.ID, ""))
			e2 := apperr.As(err)
			if e2 == nil || e2.Code != apperr.Invalid {
				t.Fatalf("got %v, want refusal", err)
			}
			keys := map[string]bool{}
			for _, f := range e2.Fields {
				keys[f.Key] = f.Field == "asset_ids"
			}
			if len(keys) != 2 || !keys["request.error.no_holder"] || !keys["request.error.no_system"] {
				t.Fatalf("refusal names %+v", e2.Fields)
			}
		})
		e.VerifyAudit()
	})
}
