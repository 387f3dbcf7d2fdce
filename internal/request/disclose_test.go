package request_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/orgpolicy"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// canaries are the details of an asset of the highest class that a request freezes.
var canaries = []string{"極秘端末", "地下金庫", "秘密のメモ", "SYS-SECRET"}

// marked gives an actor's grants the marks the pack gives their roles, as signing in does.
func (e *env) marked(a access.Actor) access.Actor {
	marks, roles := orgpolicy.MarksOf(e.P), make([]access.Grant, len(a.Roles))
	for i, g := range a.Roles {
		roles[i] = g.Marked(marks[g.RoleID])
	}
	a.Roles = roles
	return a
}

func leaks(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range canaries {
		if strings.Contains(string(b), c) {
			return c
		}
	}
	return ""
}

// TestSubjectAssetsOfTheHighestClassAreWithheld: a request about an asset of the highest class
// is read by its ネットワーク管理者, its 委員会 and a platform administrator — who see every
// request but not that asset's details — with the frozen copies of the asset reduced to what
// the register shows them, in the request, in lists and in the audit log; the applicant of the
// owning department, the security roles and the auditor read them whole.
func TestSubjectAssetsOfTheHighestClassAreWithheld(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e, _ := koge(t, db) // the role holders are staff of department A; the asset is B's

		secret, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: "SEC-1", Name: "極秘端末", Kind: "terminal",
			DepartmentID: e.DeptB, Class: map[string]string{"importance": "I"}, Segment: "lgwan", SystemRef: "SYS-SECRET",
			Location: "地下金庫", Note: "秘密のメモ"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.S.Requests.Submit(ctx, e.clerkB, request.Input{Kind: "take_out", AssetIDs: []int64{secret.ID}, Fields: map[string]any{
			"destination": "県庁", "out_date": "2026-04-02", "return_date": "2026-04-03"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.Decide(ctx, e.marked(e.Holder("security_manager@org")), r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		platformAdmin := access.Actor{OrgID: e.Admin.OrgID, UserID: 90, Login: "admin", PlatformAdmin: true}
		for name, who := range map[string]access.Actor{"the ネットワーク管理者": e.marked(e.Holder("network_admin@org")),
			"the 委員会": e.marked(e.Holder("committee@org")), "a platform administrator": platformAdmin} {
			got, err := e.S.Requests.Get(ctx, who, r.ID)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if c := leaks(t, got); c != "" {
				t.Errorf("%s reads %q in the request", name, c)
			}
			frozen := 0
			for _, ev := range got.Events {
				if ev.Snapshot == "" {
					continue
				}
				var list []asset.Asset
				if err := json.Unmarshal([]byte(ev.Snapshot), &list); err != nil || len(list) != 1 || !list[0].Restricted || list[0].Number != "SEC-1" {
					t.Errorf("%s reads the frozen asset of %s as %s (%v)", name, ev.Action, ev.Snapshot, err)
				}
				frozen++
			}
			if frozen != 2 {
				t.Errorf("%s reads %d frozen copies, want the submission's and the decision's", name, frozen)
			}
			list, _, err := e.S.Requests.List(ctx, who, request.Filter{})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s lists %d (%v)", name, len(list), err)
			}
			if c := leaks(t, list); c != "" {
				t.Errorf("%s reads %q in the list", name, c)
			}
		}
		for name, who := range map[string]access.Actor{"the applicant": e.clerkB, "the security manager": e.marked(e.Holder("security_manager@org")),
			"the auditor": e.marked(e.Holder("chief_auditor@org"))} {
			got, err := e.S.Requests.Get(ctx, who, r.ID)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !strings.Contains(got.Events[0].Snapshot, "地下金庫") {
				t.Errorf("%s does not read the frozen asset: %s", name, got.Events[0].Snapshot)
			}
		}

		entries := func(who access.Actor) []auditlog.Entry {
			list, _, err := e.S.Audit.List(ctx, who, auditlog.Filter{Entity: "request", EntityID: strconv.FormatInt(r.ID, 10)})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 {
				t.Fatalf("%d audit entries of the request, want its submission and decision", len(list))
			}
			return list
		}
		for _, en := range entries(platformAdmin) {
			if !en.Withheld || en.Before != "" || en.After != "" {
				t.Errorf("the platform administrator reads %s: %s", en.Action, en.After)
			}
		}
		decided := false
		for _, en := range entries(e.marked(e.Holder("chief_auditor@org"))) {
			if en.Withheld {
				t.Errorf("the auditor does not read %s", en.Action)
			}
			decided = decided || strings.Contains(en.After, "地下金庫")
		}
		if !decided {
			t.Error("the auditor does not read the decision's frozen asset")
		}
		e.VerifyAudit()
	})
}
