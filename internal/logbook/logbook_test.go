package logbook_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/packs"
)

func TestEveryPackLogbook(t *testing.T) {
	lib, err := packs.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, p := range lib.List() {
			if len(p.Logbooks) == 0 {
				continue
			}
			f := newFixture(t, db, p.ID)
			for _, lb := range f.pack.Logbooks {
				t.Run(p.ID+"/"+lb.ID+" accepts a valid entry", func(t *testing.T) {
					e, err := f.s.Logbooks.Create(ctx, f.admin, f.entry(lb))
					if err != nil {
						t.Fatal(err)
					}
					if len(e.Fields) != len(lb.Fields) || e.DepartmentName != "総務課" {
						t.Fatalf("entry = %+v", e)
					}
					if want := map[bool]string{true: logbook.Pending, false: logbook.NotRequired}[lb.SecondPerson]; e.Status != want {
						t.Fatalf("status = %q, want %q", e.Status, want)
					}
				})
				for _, fd := range lb.Fields {
					bad := map[string]any{"text": 12, "textarea": strings.Repeat("あ", 4001), "date": "2026-02-30",
						"datetime": "明日の朝", "number": "三", "bool": "たぶん", "enum": "その他でないもの",
						"staff": 999999, "asset": 999999, "department": 999999}[fd.Type]
					t.Run(p.ID+"/"+lb.ID+" refuses a bad "+fd.ID, func(t *testing.T) {
						in := f.entry(lb)
						in.Fields[fd.ID] = bad
						_, err := f.s.Logbooks.Create(ctx, f.admin, in)
						ae := apperr.As(err)
						if ae.Code != apperr.Invalid || ae.Field() != "fields."+fd.ID {
							t.Fatalf("err = %v, want invalid fields.%s", err, fd.ID)
						}
						if msg := i18n.T(i18n.Ja, ae.Fields[0].Key, ae.Fields[0].Args...); !strings.Contains(msg, fd.Name) {
							t.Fatalf("message %q does not name %s", msg, fd.Name)
						}
					})
					if fd.Required {
						t.Run(p.ID+"/"+lb.ID+" requires "+fd.ID, func(t *testing.T) {
							in := f.entry(lb)
							delete(in.Fields, fd.ID)
							if _, err := f.s.Logbooks.Create(ctx, f.admin, in); apperr.As(err).Field() != "fields."+fd.ID {
								t.Fatalf("err = %v", err)
							}
						})
					}
				}
				t.Run(p.ID+"/"+lb.ID+" refuses an unknown field", func(t *testing.T) {
					in := f.entry(lb)
					in.Fields["colour"] = "赤"
					if _, err := f.s.Logbooks.Create(ctx, f.admin, in); apperr.As(err).Field() != "fields.colour" {
						t.Fatalf("err = %v", err)
					}
				})
			}
		}
		var n int
		db.SQL.QueryRow(`SELECT count(*) FROM logbook_entries`).Scan(&n)
		written := 0
		for _, p := range lib.List() {
			written += len(p.Logbooks)
		}
		if n != written {
			t.Fatalf("%d entries, want one per logbook (%d): refused input was written", n, written)
		}
	})
}

func TestSecondPersonAndAuthorization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "koge")
		lb, ok := secondPerson(f.pack)
		if !ok {
			t.Fatal("上毛町's pack has no second-person logbook")
		}
		e, err := f.s.Logbooks.Create(ctx, f.clerk, f.entry(lb))
		if err != nil {
			t.Fatal(err)
		}
		if e.Status != logbook.Pending || e.WrittenByUser != f.clerk.UserID {
			t.Fatalf("entry = %+v", e)
		}
		t.Run("the writer cannot confirm their own entry", func(t *testing.T) {
			if _, err := f.s.Logbooks.Confirm(ctx, f.clerk, e.ID); apperr.As(err).Key != "logbook.error.self_confirm" {
				t.Fatalf("err = %v", err)
			}
			other := f.clerk // the same person under another login
			other.UserID, other.Login = 999, "other-login"
			if _, err := f.s.Logbooks.Confirm(ctx, other, e.ID); apperr.As(err).Key != "logbook.error.self_confirm" {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("an auditor reads but cannot confirm or write", func(t *testing.T) {
			if _, err := f.s.Logbooks.Get(ctx, f.auditor, e.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Logbooks.Confirm(ctx, f.auditor, e.ID); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("err = %v", err)
			}
			if _, err := f.s.Logbooks.Create(ctx, f.auditor, f.entry(lb)); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("another department's staff can neither read nor write", func(t *testing.T) {
			if _, err := f.s.Logbooks.Confirm(ctx, f.outsider, e.ID); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("confirm err = %v", err)
			}
			if _, err := f.s.Logbooks.Create(ctx, f.outsider, f.entry(lb)); apperr.CodeOf(err) != apperr.Forbidden {
				t.Fatalf("create err = %v", err)
			}
			list, total, err := f.s.Logbooks.List(ctx, f.outsider, logbook.Filter{Logbook: lb.ID})
			if err != nil || total != 0 || len(list) != 0 {
				t.Fatalf("outsider sees %d entries (%v)", total, err)
			}
		})
		t.Run("a colleague confirms, once", func(t *testing.T) {
			c, err := f.s.Logbooks.Confirm(ctx, f.colleague, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != logbook.Confirmed || c.ConfirmedUser != f.colleague.UserID || c.ConfirmerName != "佐藤 花子" || c.ConfirmedAt == nil || !c.ConfirmedAt.Equal(now) {
				t.Fatalf("confirmed = %+v", c)
			}
			if _, err := f.s.Logbooks.Confirm(ctx, f.colleague, e.ID); apperr.CodeOf(err) != apperr.Conflict {
				t.Fatalf("second confirmation err = %v", err)
			}
		})
		t.Run("a correction supersedes and needs confirming again", func(t *testing.T) {
			in := f.entry(lb)
			in.Fields["work"] = "訂正後の作業内容"
			c, err := f.s.Logbooks.Correct(ctx, f.colleague, e.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			if c.Supersedes != e.ID || c.Status != logbook.Pending {
				t.Fatalf("correction = %+v", c)
			}
			old, _ := f.s.Logbooks.Get(ctx, f.clerk, e.ID)
			if old.SupersededBy != c.ID || old.Fields["work"] == "訂正後の作業内容" {
				t.Fatalf("original = %+v", old)
			}
			if _, err := f.s.Logbooks.Correct(ctx, f.clerk, e.ID, in); apperr.CodeOf(err) != apperr.Conflict {
				t.Fatalf("correcting twice err = %v", err)
			}
			list, total, _ := f.s.Logbooks.List(ctx, f.clerk, logbook.Filter{Logbook: lb.ID})
			if total != 1 || list[0].ID != c.ID {
				t.Fatalf("list = %+v", list)
			}
			_, total, _ = f.s.Logbooks.List(ctx, f.clerk, logbook.Filter{Logbook: lb.ID, History: true})
			if total != 2 {
				t.Fatalf("history total = %d", total)
			}
			_, total, _ = f.s.Logbooks.List(ctx, f.clerk, logbook.Filter{Logbook: lb.ID, Unconfirmed: true})
			if total != 1 {
				t.Fatalf("unconfirmed total = %d", total)
			}
		})
		t.Run("every write is audited and the chain verifies", func(t *testing.T) {
			admin := access.Actor{OrgID: f.org, PlatformAdmin: true}
			for action, want := range map[string]int{"logbook.create": 1, "logbook.confirm": 1, "logbook.correct": 1} {
				list, _, err := f.s.Audit.List(ctx, admin, auditlog.Filter{Action: action})
				if err != nil || len(list) != want {
					t.Fatalf("%s: %d entries (%v)", action, len(list), err)
				}
			}
			if r, err := auditlog.Verify(ctx, db.SQL, f.org); err != nil || !r.OK() {
				t.Fatalf("verify = %+v, %v", r, err)
			}
		})
	})
}

func TestVisitors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, packID := range []string{"koge", "abira-kyoiku"} { // with and without an escort field of its own
			f := newFixture(t, db, packID)
			lb, ok := logbook.Find(f.pack, "room_access")
			if !ok {
				t.Fatalf("%s has no room access log", packID)
			}
			visitor := func(escort int64) logbook.Input {
				in := f.entry(lb)
				in.Visitor = true
				if _, own := in.Fields["escort"]; own {
					if escort == 0 {
						delete(in.Fields, "escort")
					} else {
						in.Fields["escort"] = escort
					}
				} else {
					in.EscortStaffID = escort
				}
				return in
			}
			field := "escort_staff_id"
			if packID == "koge" {
				field = "fields.escort"
			}
			t.Run(packID+": a visitor without escort is refused", func(t *testing.T) {
				_, err := f.s.Logbooks.Create(ctx, f.clerk, visitor(0))
				if ae := apperr.As(err); ae.Field() != field || ae.Fields[0].Key != "logbook.error.escort_required" {
					t.Fatalf("err = %v", err)
				}
			})
			t.Run(packID+": a contractor or another department's staff is no escort", func(t *testing.T) {
				for _, id := range []int64{f.contractr, f.zeimuStaff} {
					_, err := f.s.Logbooks.Create(ctx, f.clerk, visitor(id))
					if ae := apperr.As(err); ae.Field() != field || ae.Fields[0].Key != "logbook.error.escort_unauthorised" {
						t.Fatalf("escort %d: err = %v", id, err)
					}
				}
			})
			t.Run(packID+": staff of the keeping department escort", func(t *testing.T) {
				e, err := f.s.Logbooks.Create(ctx, f.clerk, visitor(f.colStaff))
				if err != nil {
					t.Fatal(err)
				}
				if !e.Visitor || e.EscortStaffID != f.colStaff || e.EscortName != "佐藤 花子" {
					t.Fatalf("entry = %+v", e)
				}
			})
			if lb.KeptBy != "" {
				t.Run(packID+": the holder of the keeping role escorts", func(t *testing.T) {
					if _, err := f.s.Org.AssignRole(ctx, f.admin, org.RoleAssignment{RoleID: lb.KeptBy, Scope: "organization", HolderStaffID: f.zeimuStaff}); err != nil {
						t.Fatal(err)
					}
					if _, err := f.s.Logbooks.Create(ctx, f.clerk, visitor(f.zeimuStaff)); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	})
}

func TestListAndExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "abira-kyoiku")
		lb, _ := logbook.Find(f.pack, "fault_record")
		for i, place := range []string{"校務用サーバ", "職員室 端末", "=HYPERLINK(\"x\")"} {
			in := f.entry(lb)
			in.Fields["place"] = place
			in.Fields["found_at"] = []string{"2026-03-01T09:00", "2026-03-15T10:00", "2026-04-01T11:00"}[i]
			if _, err := f.s.Logbooks.Create(ctx, f.clerk, in); err != nil {
				t.Fatal(err)
			}
		}
		in := f.entry(lb)
		in.DepartmentID = f.zeimu
		if _, err := f.s.Logbooks.Create(ctx, f.outsider, in); err != nil {
			t.Fatal(err)
		}
		count := func(who access.Actor, fl logbook.Filter) int {
			t.Helper()
			fl.Logbook = lb.ID
			_, n, err := f.s.Logbooks.List(ctx, who, fl)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for name, c := range map[string]struct {
			who  access.Actor
			f    logbook.Filter
			want int
		}{
			"staff see their department":     {f.clerk, logbook.Filter{}, 3},
			"the auditor sees all":           {f.auditor, logbook.Filter{}, 4},
			"department filter":              {f.auditor, logbook.Filter{DepartmentID: f.zeimu}, 1},
			"date range in JST":              {f.clerk, logbook.Filter{From: "2026-03-01", To: "2026-03-31"}, 2},
			"two-character word":             {f.clerk, logbook.Filter{Query: "端末"}, 1},
			"word in the writer's name":      {f.auditor, logbook.Filter{Query: "山田"}, 3},
			"words that are in no entry":     {f.auditor, logbook.Filter{Query: "存在しない語"}, 0},
			"unconfirmed in a plain logbook": {f.auditor, logbook.Filter{Unconfirmed: true}, 0},
		} {
			if got := count(c.who, c.f); got != c.want {
				t.Errorf("%s: %d, want %d", name, got, c.want)
			}
		}
		list, _, _ := f.s.Logbooks.List(ctx, f.clerk, logbook.Filter{Logbook: lb.ID, Limit: 2, Offset: 1})
		if len(list) != 2 || list[0].Fields["place"] != "職員室 端末" {
			t.Fatalf("second page = %+v", list)
		}

		var buf bytes.Buffer
		if err := f.s.Logbooks.Export(ctx, f.clerk, logbook.Filter{Logbook: lb.ID}, i18n.Ja, &buf); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || rows[0][2] != "障害の発見の日時" {
			t.Fatalf("rows = %q", rows)
		}
		if rows[1][4] != `'=HYPERLINK("x")` || rows[3][4] != "校務用サーバ" || rows[2][0] != "2026-03-15 10:00" {
			t.Fatalf("rows = %q", rows)
		}
	})
}

// TestVisitorsByPackKey: a logbook is a room access log because its pack says visitors: true,
// not because of its id — a pack's own 電算室入退室記録 under another id requires an escort too.
func TestVisitorsByPackKey(t *testing.T) {
	koge, err := os.ReadFile("../../packs/koge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	town := strings.Replace(strings.Replace(string(koge), "\nid: koge\n", "\nid: koge-server-room\n", 1), "  - id: room_access\n", "  - id: server_room\n", 1)
	lib, err := packs.LoadWith(fstest.MapFS{"koge-server-room.yaml": {Data: []byte(town)}})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixtureOf(t, app.NewWithPacks(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, func() time.Time { return now }, lib), "koge-server-room")
		lb, ok := logbook.Find(f.pack, "server_room")
		if !ok || !lb.Visitors || !logbook.IsRoomAccess(lb) {
			t.Fatalf("server_room = %+v, %v", lb, ok)
		}
		in := f.entry(lb)
		in.Visitor = true
		delete(in.Fields, "escort")
		_, err := f.s.Logbooks.Create(t.Context(), f.clerk, in)
		if ae := apperr.As(err); ae == nil || ae.Field() != "fields.escort" || ae.Fields[0].Key != "logbook.error.escort_required" {
			t.Fatalf("a visitor without escort: err = %v", err)
		}
		in.Fields["escort"] = f.colStaff
		if _, err := f.s.Logbooks.Create(t.Context(), f.clerk, in); err != nil {
			t.Fatalf("a visitor with an escort: %v", err)
		}
	})
	if logbook.IsRoomAccess(policy.Logbook{ID: "room_access"}) {
		t.Fatal("a logbook without visitors: true is a room access log")
	}
}
