package compliance_test

import (
	"context"
	"strconv"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/compliance"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func mustCode(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" && apperr.As(err).Field() != field {
		t.Fatalf("err = %v names field %q, want %q", err, apperr.As(err).Field(), field)
	}
}

// exceptionKind is the id of 上毛町's kind marked `exception: true`.
const exceptionKind = "exception"

// exceptionFields is 上毛町's 例外措置 form naming rules, assets and the last day.
func exceptionFields(rules, assets, expires string) map[string]any {
	f := map[string]any{"rule": "第2章 4(1)②", "measure": "日次の外部バックアップで代替する", "reason": "機器更新まで冗長構成が取れないため"}
	if rules != "" {
		f["rules"] = rules
	}
	if assets != "" {
		f["assets"] = assets
	}
	if expires != "" {
		f["expires_on"] = expires
	}
	return f
}

func TestExceptionLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		// The clerk signs in, so that notices reach them.
		if _, _, err := e.S.Auth.CreateUser(ctx, e.Admin, auth.NewUser{Login: "clerk", DisplayName: "職員A", StaffID: e.clerk.StaffID, Lang: "ja"}); err != nil {
			t.Fatal(err)
		}
		sv, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-300", false))
		if err != nil {
			t.Fatal(err)
		}
		f := e.open(sv.ID)[redundantRule]
		if f.ID == 0 {
			t.Fatal("no finding to except")
		}
		submit := func(fields map[string]any) (request.Request, error) {
			return e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: exceptionKind, Fields: fields})
		}

		t.Run("bad input is refused naming the field", func(t *testing.T) {
			for _, c := range []struct {
				name   string
				fields map[string]any
				field  string
			}{
				{"unknown rule", exceptionFields("no-such-rule", "SV-300", "2026-04-30"), "fields.rules"},
				{"unknown asset", exceptionFields(redundantRule, "SV-999", "2026-04-30"), "fields.assets"},
				{"rules without assets", exceptionFields(redundantRule, "", "2026-04-30"), "fields.assets"},
				{"assets without rules", exceptionFields("", "SV-300", "2026-04-30"), "fields.rules"},
				{"no expiry", exceptionFields(redundantRule, "SV-300", ""), "fields.expires_on"},
				{"expiry passed", exceptionFields(redundantRule, "SV-300", "2026-03-31"), "fields.expires_on"},
				{"beyond the longest period", exceptionFields(redundantRule, "SV-300", "2027-04-02"), "fields.expires_on"},
				{"not a date", exceptionFields(redundantRule, "SV-300", "来年"), "fields.expires_on"},
			} {
				_, err := submit(c.fields)
				mustCode(t, err, apperr.Invalid, c.field)
			}
			if n := e.count(`SELECT count(*) FROM requests`); n != 0 {
				t.Fatalf("%d refused requests stored", n)
			}
		})

		// The longest period is a year from today: the last day allowed is taken.
		r, err := submit(exceptionFields(redundantRule+"、", "ＳＶ－300", "2026-04-30"))
		if err != nil {
			t.Fatal(err)
		}
		// Approved by someone without the CISO's role: refused.
		_, err = e.S.Requests.Decide(ctx, e.holders["chief"], r.ID, request.Decision{Decision: request.Approve})
		mustCode(t, err, apperr.Forbidden, "decision")
		if e.open(sv.ID)[redundantRule].SuppressedBy != 0 {
			t.Fatal("suppressed before approval")
		}
		if r, err = e.S.Requests.Decide(ctx, e.holders["ciso"], r.ID, request.Decision{Decision: request.Approve}); err != nil || r.State != request.Approved {
			t.Fatalf("%v %v", r.State, err)
		}
		list, err := e.S.Compliance.Exceptions(ctx, e.Admin, "active")
		if err != nil || len(list) != 1 {
			t.Fatalf("register %+v %v", list, err)
		}
		x := list[0]
		if x.RequestID != r.ID || x.ExpiresOn != "2026-04-30" || x.Reason == "" || x.Measures == "" || len(x.Items) != 1 ||
			x.Items[0].AssetNumber != "SV-300" || x.Items[0].RuleID != redundantRule || x.ApplicantName != "職員A" {
			t.Fatalf("register entry %+v", x)
		}
		if g := e.open(sv.ID)[redundantRule]; g.ID != f.ID || g.SuppressedBy != x.ID {
			t.Fatalf("finding %+v not suppressed by %d", g, x.ID)
		}
		open, _, err := e.S.Compliance.Findings(ctx, e.Admin, compliance.Filter{RuleID: redundantRule})
		if err != nil || len(open) != 0 {
			t.Fatalf("a suppressed finding is listed as open: %+v %v", open, err)
		}
		// Exactly those findings: another server failing the same rule is not covered.
		other, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-301", false))
		if err != nil {
			t.Fatal(err)
		}
		if g := e.open(other.ID)[redundantRule]; g.ID == 0 || g.SuppressedBy != 0 {
			t.Fatalf("another asset's finding %+v", g)
		}
		// A finding that opens again while the exception holds is suppressed at once.
		if _, err := e.S.Assets.Update(ctx, e.Admin, sv.ID, e.server("SV-300", true)); err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Assets.Update(ctx, e.Admin, sv.ID, e.server("SV-300", false)); err != nil {
			t.Fatal(err)
		}
		if g := e.open(sv.ID)[redundantRule]; g.ID == f.ID || g.SuppressedBy != x.ID {
			t.Fatalf("reopened finding %+v", g)
		}

		// Nothing ends on its last day; the day after, the findings count again and the owner is told.
		e.Clock.T = e.Clock.T.AddDate(0, 0, 29) // 2026-04-30 JST
		if ended, err := e.S.Compliance.Expire(ctx); err != nil || len(ended) != 0 {
			t.Fatalf("ended on its last day: %+v %v", ended, err)
		}
		e.Clock.T = e.Clock.T.AddDate(0, 0, 1)
		ended, err := e.S.Compliance.Expire(ctx)
		if err != nil || len(ended) != 1 || ended[0].State != "expired" || ended[0].Reopened != 1 {
			t.Fatalf("expire %+v %v", ended, err)
		}
		if g := e.open(sv.ID)[redundantRule]; g.SuppressedBy != 0 {
			t.Fatalf("finding still suppressed after expiry: %+v", g)
		}
		if n := e.count(`SELECT count(*) FROM notices n JOIN notice_recipients r ON r.notice_id = n.id JOIN users u ON u.id = r.user_id
			WHERE n.kind = $1 AND u.login = 'clerk'`, compliance.NoticeExceptionEnded); n != 1 {
			t.Fatalf("%d notices of the expiry to the applicant", n)
		}
		// The end is in the audit log, under the request, with the exception and what it reopened.
		if n := e.count(`SELECT count(*) FROM audit_entries WHERE entity = 'request' AND entity_id = $1
			AND action = 'compliance.exception_expired' AND after_json LIKE '%"reopened":1%'`, strconv.FormatInt(ended[0].RequestID, 10)); n != 1 {
			t.Fatalf("%d audit entries of the expiry", n)
		}
		if again, err := e.S.Compliance.Expire(ctx); err != nil || len(again) != 0 {
			t.Fatalf("expired twice: %+v %v", again, err)
		}
		if n := e.count(`SELECT count(*) FROM audit_entries WHERE action = 'compliance.exception_expired'`); n != 1 {
			t.Fatalf("%d audit entries after expiring twice", n)
		}
		if list, _ := e.S.Compliance.Exceptions(ctx, e.Admin, ""); len(list) != 1 || list[0].State != "expired" || list[0].Items[0].Active {
			t.Fatalf("register after expiry %+v", list)
		}
	})
}

// An exception that names no rule (a paper exception) is recorded in the register and
// suppresses nothing; an approval that comes after the expiry passed is refused.
func TestUnlinkedAndStaleExceptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: exceptionKind, Fields: exceptionFields("", "", "")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Requests.Decide(ctx, e.holders["ciso"], r.ID, request.Decision{Decision: request.Approve}); err != nil {
			t.Fatal(err)
		}
		if list, _ := e.S.Compliance.Exceptions(ctx, e.Admin, "active"); len(list) != 1 || len(list[0].Items) != 0 {
			t.Fatalf("register %+v", list)
		}
		if _, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-400", false)); err != nil {
			t.Fatal(err)
		}
		stale, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: exceptionKind, Fields: exceptionFields(redundantRule, "SV-400", "2026-04-02")})
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.T = e.Clock.T.AddDate(0, 0, 2)
		_, err = e.S.Requests.Decide(ctx, e.holders["ciso"], stale.ID, request.Decision{Decision: request.Approve})
		mustCode(t, err, apperr.Invalid, "fields.expires_on")
		if got, _ := e.S.Requests.Get(ctx, e.holders["ciso"], stale.ID); got.State != request.Pending {
			t.Fatalf("the refused approval left the request %s", got.State)
		}
	})
}
