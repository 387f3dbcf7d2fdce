package auditlog_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func auditorOf(orgID int64) access.Actor {
	return access.Actor{OrgID: orgID, UserID: 3, Login: "kansa", Roles: []access.Grant{{RoleID: "auditor", Scope: "organization", Auditor: true}}}
}

func TestList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		orgID := newOrg(t, db, "list")
		hour := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
		for _, r := range []struct {
			h      int
			login  string
			entity string
			action string
		}{
			{0, "tanaka", "department", "department.create"},
			{1, "suzuki", "department", "department.update"},
			{2, "tanaka", "staff", "staff.create"},
			{3, "sato_k", "staff", "staff.update"},
			{4, "suzuki", "department", "department.update"},
			{5, "", "organization", "organization.update"},
		} {
			who := access.Actor{OrgID: orgID, UserID: 1, Login: r.login}
			appendOne(t, db, who, hour(r.h), auditlog.Event{Entity: r.entity, EntityID: r.h, Action: r.action})
		}
		svc := &auditlog.Service{DB: db}
		seqs := func(es []auditlog.Entry) []int64 {
			var out []int64
			for _, e := range es {
				out = append(out, e.Seq)
			}
			return out
		}

		for _, c := range []struct {
			name  string
			f     auditlog.Filter
			want  []int64
			total int
		}{
			{"no filter lists newest first", auditlog.Filter{}, []int64{6, 5, 4, 3, 2, 1}, 6},
			{"by entity", auditlog.Filter{Entity: "department"}, []int64{5, 2, 1}, 3},
			{"by entity and id", auditlog.Filter{Entity: "department", EntityID: "1"}, []int64{2}, 1},
			{"by action", auditlog.Filter{Action: "department.update"}, []int64{5, 2}, 2},
			{"by actor substring", auditlog.Filter{Actor: "zuk"}, []int64{5, 2}, 2},
			{"actor underscore is literal", auditlog.Filter{Actor: "_"}, []int64{4}, 1},
			{"actor percent is literal", auditlog.Filter{Actor: "%"}, nil, 0},
			{"the system is an actor", auditlog.Filter{Actor: "system"}, []int64{6}, 1},
			{"from is inclusive, to exclusive", auditlog.Filter{From: hour(1), To: hour(3)}, []int64{3, 2}, 2},
			{"from in another zone", auditlog.Filter{From: hour(4).UTC()}, []int64{6, 5}, 2},
			{"combined", auditlog.Filter{Entity: "department", Actor: "suzuki", From: hour(2)}, []int64{5}, 1},
			{"limit keeps the total", auditlog.Filter{Limit: 2}, []int64{6, 5}, 6},
			{"offset pages on", auditlog.Filter{Limit: 2, Offset: 2}, []int64{4, 3}, 6},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, total, err := svc.List(ctx, access.System(orgID, "system"), c.f)
				if err != nil {
					t.Fatal(err)
				}
				if total != c.total || !equal(seqs(got), c.want) {
					t.Fatalf("seqs %v total %d, want %v total %d", seqs(got), total, c.want, c.total)
				}
			})
		}

		t.Run("an auditor may read and verify", func(t *testing.T) {
			if _, total, err := svc.List(ctx, auditorOf(orgID), auditlog.Filter{}); err != nil || total != 6 {
				t.Fatalf("total %d, %v", total, err)
			}
			if r, err := svc.Verify(ctx, auditorOf(orgID)); err != nil || !r.OK() || r.Entries != 6 {
				t.Fatalf("report %+v, %v", r, err)
			}
			actions, err := svc.Actions(ctx, auditorOf(orgID))
			want := []string{"department.create", "department.update", "organization.update", "staff.create", "staff.update"}
			if err != nil || !equalStrings(actions, want) {
				t.Fatalf("actions = %v, %v", actions, err)
			}
		})

		t.Run("an ordinary user is forbidden", func(t *testing.T) {
			clerk := access.Actor{OrgID: orgID, UserID: 9, Login: "clerk", Roles: []access.Grant{{RoleID: "info_manager", Scope: "organization"}}}
			if _, _, err := svc.List(ctx, clerk, auditlog.Filter{}); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("list: %v", err)
			}
			if _, err := svc.Verify(ctx, clerk); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("verify: %v", err)
			}
			if _, err := svc.Actions(ctx, clerk); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("actions: %v", err)
			}
		})
	})
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
