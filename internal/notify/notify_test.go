package notify_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/notify"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is an organisation with people reachable in different ways:
// alice — staff with an address and an account (Japanese);
// bob — staff with an address and no account;
// carol — staff without an address, with an account in English;
// dave — an account not linked to staff.
type env struct {
	db                    *store.DB
	svc                   *notify.Service
	orgID                 int64
	alice, bob, carol     org.Staff
	aliceU, carolU, daveU auth.User
	aliceA, carolA, daveA access.Actor
	now                   time.Time
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{db: db, now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, func() time.Time { return e.now })
	first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "n", OrgName: "通知町"})
	if err != nil {
		t.Fatal(err)
	}
	e.orgID = first.Org.ID
	e.svc = &notify.Service{DB: db, Now: func() time.Time { return e.now }}
	sys := access.System(e.orgID, "test")
	dept, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section"})
	if err != nil {
		t.Fatal(err)
	}
	staff := func(no, name, email string) org.Staff {
		st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept.ID, EmployeeNo: no, Name: name, Employment: "regular", Email: email})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	user := func(login, lang string, staffID int64) (auth.User, access.Actor) {
		u, _, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: login, DisplayName: login, StaffID: staffID, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		return u, access.Actor{OrgID: e.orgID, UserID: u.ID, StaffID: staffID, Login: login, Lang: lang}
	}
	e.alice = staff("1", "相川 愛", "alice@town.example")
	e.bob = staff("2", "坂東 武", "bob@town.example")
	e.carol = staff("3", "Carol Smith", "")
	e.aliceU, e.aliceA = user("alice", "ja", e.alice.ID)
	e.carolU, e.carolA = user("carol", "en", e.carol.ID)
	e.daveU, e.daveA = user("dave", "ja", 0)
	return e
}

// notice is a request waiting for a decision, addressed to staff.
func (e *env) notice(staff ...int64) notify.Notice {
	return notify.Notice{OrgID: e.orgID, Staff: staff, Kind: notify.RequestWaiting,
		Subject: notify.Text{Ja: "承認待ちの申請があります：持ち出し申請 第12号", En: "A request waits for you: take-out No. 12"},
		Body:    notify.Text{Ja: "総務課 相川 愛さんの持ち出し申請が承認を待っています。", En: "A take-out request by Ai Aikawa waits for your decision."},
		Link:    "/requests/12", Ref: notify.Ref{Type: "request", ID: 12}, At: e.now}
}

func (e *env) send(t *testing.T, n notify.Notice) {
	t.Helper()
	if err := e.db.InTx(context.Background(), func(tx *sql.Tx) error { return notify.Notify(context.Background(), tx, n) }); err != nil {
		t.Fatal(err)
	}
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.SQL.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) outbox(t *testing.T) []string {
	t.Helper()
	rows, err := e.db.SQL.Query(`SELECT address || ' ' || lang FROM mail_outbox ORDER BY address`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func TestNotifyWritesWithItsTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		t.Run("a rolled-back change leaves no notice and no mail", func(t *testing.T) {
			boom := errors.New("the change failed")
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				if err := notify.Notify(ctx, tx, e.notice(e.alice.ID, e.bob.ID)); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v", err)
			}
			if n := e.count(t, `SELECT COUNT(*) FROM notices`) + e.count(t, `SELECT COUNT(*) FROM notice_recipients`) +
				e.count(t, `SELECT COUNT(*) FROM mail_outbox`); n != 0 {
				t.Fatalf("%d rows survived the rollback", n)
			}
		})
		t.Run("a committed change reaches each person in the app and by mail once", func(t *testing.T) {
			n := e.notice(e.alice.ID, e.bob.ID, e.carol.ID)
			n.Users = []int64{e.aliceU.ID, e.daveU.ID}
			e.send(t, n)
			for _, who := range []access.Actor{e.aliceA, e.carolA, e.daveA} {
				if c, _ := e.svc.Unread(ctx, who); c != 1 {
					t.Errorf("%s has %d unread, want 1", who.Login, c)
				}
			}
			want := []string{"alice@town.example ja", "bob@town.example ja"}
			if got := e.outbox(t); !slices.Equal(got, want) {
				t.Fatalf("outbox = %q, want %q", got, want)
			}
		})
		t.Run("each reader sees the text in their language", func(t *testing.T) {
			ja, _, _ := e.svc.List(ctx, e.aliceA, notify.Filter{})
			en, _, _ := e.svc.List(ctx, e.carolA, notify.Filter{})
			if len(ja) != 1 || ja[0].Subject != "承認待ちの申請があります：持ち出し申請 第12号" || ja[0].Link != "/requests/12" ||
				len(en) != 1 || en[0].Subject != "A request waits for you: take-out No. 12" || en[0].RefType != "request" || en[0].RefID != 12 {
				t.Fatalf("ja = %+v, en = %+v", ja, en)
			}
		})
		t.Run("an English reader of a notice without English reads the Japanese", func(t *testing.T) {
			n := e.notice()
			n.Users, n.Subject.En, n.Ref.ID = []int64{e.carolU.ID}, "", 13
			e.send(t, n)
			en, _, _ := e.svc.List(ctx, e.carolA, notify.Filter{})
			if len(en) != 2 || en[0].Subject != n.Subject.Ja {
				t.Fatalf("en = %+v", en)
			}
		})
	})
}

func TestNotifyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		reminder := func(day string, id int64) notify.Notice {
			n := e.notice(e.alice.ID)
			n.Kind, n.Ref, n.Once = notify.ReturnOverdue, notify.Ref{Type: "request", ID: id}, day
			return n
		}
		// The sweep runs twice on the first day, once on the next; a second record is reminded too.
		e.send(t, reminder("2026-04-01", 12))
		e.send(t, reminder("2026-04-01", 12))
		// In one transaction too: the duplicate does not spoil the caller's transaction.
		err := db.InTx(ctx, func(tx *sql.Tx) error {
			if err := notify.Notify(ctx, tx, reminder("2026-04-01", 12)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE staff SET title = '係長' WHERE id = $1`, e.alice.ID)
			return err
		})
		if err != nil {
			t.Fatalf("a duplicate broke the transaction: %v", err)
		}
		e.send(t, reminder("2026-04-02", 12))
		e.send(t, reminder("2026-04-01", 13))
		if n := e.count(t, `SELECT COUNT(*) FROM notices`); n != 3 {
			t.Fatalf("%d notices, want 3 (one per record and day)", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM mail_outbox`); n != 3 {
			t.Fatalf("%d mails, want 3", n)
		}
		// Without Once, every call is a notice of its own.
		e.send(t, e.notice(e.alice.ID))
		e.send(t, e.notice(e.alice.ID))
		if n := e.count(t, `SELECT COUNT(*) FROM notices`); n != 5 {
			t.Fatalf("%d notices, want 5", n)
		}
	})
}

func TestNotifyRefusesBadNotices(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	for name, edit := range map[string]func(*notify.Notice){
		"no organisation":  func(n *notify.Notice) { n.OrgID = 0 },
		"no kind":          func(n *notify.Notice) { n.Kind = "" },
		"no subject":       func(n *notify.Notice) { n.Subject.Ja = " " },
		"a link elsewhere": func(n *notify.Notice) { n.Link = "//evil.example/x" },
		"an absolute link": func(n *notify.Notice) { n.Link = "https://evil.example/" },
	} {
		n := e.notice(e.alice.ID)
		edit(&n)
		err := db.InTx(context.Background(), func(tx *sql.Tx) error { return notify.Notify(context.Background(), tx, n) })
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// Another organisation's staff are not reached.
	n := e.notice(e.alice.ID)
	n.OrgID = e.orgID + 1
	err := db.InTx(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO organizations (code, name, created_at) VALUES ('x', 'よそ町', $1)`, e.now)
		if err != nil {
			return err
		}
		return notify.Notify(context.Background(), tx, n)
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := e.count(t, `SELECT COUNT(*) FROM notices`); c != 0 {
		t.Fatalf("a notice to another organisation's staff was written")
	}
}

// adminActor is a platform administrator of the organisation.
func (e *env) adminActor() access.Actor {
	return access.Actor{OrgID: e.orgID, UserID: 1, Login: "admin", PlatformAdmin: true}
}
