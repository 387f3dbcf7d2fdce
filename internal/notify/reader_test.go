package notify_test

import (
	"context"
	"fmt"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestReadersSeeOnlyTheirOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		for i := 1; i <= 3; i++ {
			n := e.notice()
			n.Users, n.Subject.Ja, n.Ref.ID = []int64{e.aliceU.ID, e.daveU.ID}, fmt.Sprintf("お知らせ %d", i), int64(i)
			e.send(t, n)
		}
		mine, total, err := e.svc.List(ctx, e.aliceA, notify.Filter{Limit: 2})
		if err != nil || total != 3 || len(mine) != 2 || mine[0].Subject != "お知らせ 3" || mine[1].Subject != "お知らせ 2" {
			t.Fatalf("alice's first page = %+v, total %d, err %v", mine, total, err)
		}
		rest, _, _ := e.svc.List(ctx, e.aliceA, notify.Filter{Limit: 2, Offset: 2})
		if len(rest) != 1 || rest[0].Subject != "お知らせ 1" {
			t.Fatalf("alice's second page = %+v", rest)
		}
		davesOwn, _, _ := e.svc.List(ctx, e.daveA, notify.Filter{})
		target := mine[0].ID

		t.Run("another user's notice is not found, to read or to mark", func(t *testing.T) {
			for _, who := range []access.Actor{e.daveA, e.carolA, {OrgID: e.orgID, UserID: e.daveU.ID, PlatformAdmin: true}} {
				if _, err := e.svc.Get(ctx, who, target); apperr.CodeOf(err) != apperr.NotFound {
					t.Errorf("%s read alice's notice: %v", who.Login, err)
				}
				if _, err := e.svc.MarkRead(ctx, who, target); apperr.CodeOf(err) != apperr.NotFound {
					t.Errorf("%s marked alice's notice: %v", who.Login, err)
				}
			}
			if got, _ := e.svc.Get(ctx, e.aliceA, target); got.Read() {
				t.Fatal("alice's notice was marked read by someone else")
			}
		})
		t.Run("the reader marks one read, and again without change", func(t *testing.T) {
			it, err := e.svc.MarkRead(ctx, e.aliceA, target)
			if err != nil || !it.Read() {
				t.Fatalf("mark = %+v, %v", it, err)
			}
			first := *it.ReadAt
			e.now = e.now.Add(60e9)
			again, _ := e.svc.MarkRead(ctx, e.aliceA, target)
			if !again.ReadAt.Equal(first) {
				t.Fatalf("read again at %v, first %v", again.ReadAt, first)
			}
			if n, _ := e.svc.Unread(ctx, e.aliceA); n != 2 {
				t.Fatalf("alice unread = %d, want 2", n)
			}
			unread, total, _ := e.svc.List(ctx, e.aliceA, notify.Filter{UnreadOnly: true})
			if total != 2 || len(unread) != 2 || unread[0].ID == target {
				t.Fatalf("unread list = %+v (%d)", unread, total)
			}
		})
		t.Run("marking all read touches only the reader's", func(t *testing.T) {
			n, err := e.svc.MarkAllRead(ctx, e.aliceA)
			if err != nil || n != 2 {
				t.Fatalf("marked %d, %v", n, err)
			}
			if c, _ := e.svc.Unread(ctx, e.aliceA); c != 0 {
				t.Fatalf("alice unread = %d", c)
			}
			if c, _ := e.svc.Unread(ctx, e.daveA); c != len(davesOwn) || c != 3 {
				t.Fatalf("dave unread = %d, want 3", c)
			}
		})
		t.Run("the program itself has no notices", func(t *testing.T) {
			sys := access.System(e.orgID, "system")
			if items, _, _ := e.svc.List(ctx, sys, notify.Filter{}); len(items) != 0 {
				t.Fatalf("system sees %d", len(items))
			}
			if _, err := e.svc.Get(ctx, sys, target); apperr.CodeOf(err) != apperr.NotFound {
				t.Fatalf("system read a notice: %v", err)
			}
		})
	})
}

func TestUnreadCountStopsAtTheCap(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	for i := 0; i < notify.UnreadCap+5; i++ {
		n := e.notice()
		n.Users = []int64{e.daveU.ID}
		e.send(t, n)
	}
	if n, err := e.svc.Unread(context.Background(), e.daveA); err != nil || n != notify.UnreadCap {
		t.Fatalf("unread = %d, %v; want the cap %d", n, err, notify.UnreadCap)
	}
}
