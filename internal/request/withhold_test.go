package request_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// words are what an exception request and its decision say of an asset of the highest class.
var words = []string{"多要素認証の規定", "端末が旧式のため", "別室で施錠して運用", "mynumber-mfa", "理由を確認しました", "手順書.txt"}

func saysAny(t *testing.T, v any) string {
	t.Helper()
	old := canaries
	canaries = words
	defer func() { canaries = old }()
	return leaks(t, v)
}

// TestExceptionWordsFollowTheRegister: a clerk of department A files an exception request that
// names, in its assets field, a terminal of the highest class of department B. The platform
// administrator and the ネットワーク管理者 (a member of A) read every request but not that
// terminal's details, so they read the request's kind, state, dates, applicant, route and its
// assets' numbers, but not its provision, reason, measure or rules, nor its attachment or the
// decision's comment — in the request, in lists and in the audit log — and the edit form is not
// theirs. The applicant, who wrote it, and the CISO read it whole.
func TestExceptionWordsFollowTheRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "base")
		_, err := e.S.Assets.Create(ctx, e.Admin, asset.Input{Number: "TOP-A", Name: "住基端末", Kind: "terminal", DepartmentID: e.DeptB,
			Class: map[string]string{"importance": "A"}, Segment: "mynumber", Quantity: 1, State: "in_use"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.S.Requests.Submit(ctx, e.clerk, request.Input{Kind: "exception", Fields: map[string]any{
			"provision": "多要素認証の規定", "reason": "端末が旧式のため", "measure": "別室で施錠して運用", "rules": []any{"mynumber-mfa"},
			"assets": []any{"TOP-A"}, "expires_on": "2026-09-30"},
			Attachments: []request.NewAttachment{{Name: "手順書.txt", ContentType: "text/plain", Body: []byte("手順")}}})
		if err != nil {
			t.Fatal(err)
		}
		ciso := e.marked(e.Holder("ciso@org"))
		if _, err := e.S.Requests.Decide(ctx, ciso, r.ID, request.Decision{Decision: request.Approve, Comment: "理由を確認しました"}); err != nil {
			t.Fatal(err)
		}
		platformAdmin := access.Actor{OrgID: e.Admin.OrgID, UserID: 90, Login: "admin", PlatformAdmin: true}
		for name, who := range map[string]access.Actor{"the ネットワーク管理者": e.marked(e.Holder("network_admin@org")), "a platform administrator": platformAdmin} {
			got, err := e.S.Requests.Get(ctx, who, r.ID)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if w := saysAny(t, got); w != "" {
				t.Errorf("%s reads %q in the request", name, w)
			}
			if !got.Withheld || got.State != request.Approved || got.Fields["expires_on"] != "2026-09-30" || len(got.Events) != 2 {
				t.Errorf("%s reads the request as %+v", name, got)
			}
			for _, f := range []string{"provision", "reason", "measure", "rules"} {
				if !request.IsWithheld(got.Fields[f]) {
					t.Errorf("%s reads %s as %v, want it withheld", name, f, got.Fields[f])
				}
			}
			if assets, _ := got.Fields["assets"].([]any); len(assets) != 1 || assets[0] != "TOP-A" {
				t.Errorf("%s reads the assets field as %v, want the number", name, got.Fields["assets"])
			}
			for _, ev := range got.Events {
				if ev.Action == request.Approve && !ev.Withheld {
					t.Errorf("%s reads the decision without its comment withheld: %+v", name, ev)
				}
			}
			list, _, err := e.S.Requests.List(ctx, who, request.Filter{})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s lists %d (%v)", name, len(list), err)
			}
			if w := saysAny(t, list); w != "" || !list[0].Withheld {
				t.Errorf("%s reads %q in the list", name, w)
			}
			_, err = e.S.Requests.Draft(ctx, who, r.ID)
			mustCode(t, err, apperr.Forbidden, "")
		}
		audit, _, err := e.S.Audit.List(ctx, platformAdmin, auditlog.Filter{Entity: "request", EntityID: strconv.FormatInt(r.ID, 10)})
		if err != nil || len(audit) != 2 {
			t.Fatalf("%d audit entries of the request (%v), want its submission and decision", len(audit), err)
		}
		for _, en := range audit {
			if !en.Withheld || saysAny(t, en) != "" {
				t.Errorf("the platform administrator reads %s: %s", en.Action, en.After)
			}
		}
		for name, who := range map[string]access.Actor{"the applicant": e.clerk, "the CISO": ciso} {
			got, err := e.S.Requests.Get(ctx, who, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Withheld || got.Fields["reason"] != "端末が旧式のため" || len(got.Attachments) != 1 || !strings.Contains(got.Events[1].Comment, "理由") {
				t.Errorf("%s does not read the request whole: %+v", name, got)
			}
			if _, _, err := e.S.Requests.AttachmentBody(ctx, who, r.ID, got.Attachments[0].ID); err != nil {
				t.Errorf("%s cannot download the attachment: %v", name, err)
			}
		}
		whole, _ := e.S.Requests.Get(ctx, e.clerk, r.ID)
		_, _, err = e.S.Requests.AttachmentBody(ctx, platformAdmin, r.ID, whole.Attachments[0].ID)
		mustCode(t, err, apperr.NotFound, "")
		// The applicant edits only a request sent back.
		_, err = e.S.Requests.Draft(ctx, e.clerk, r.ID)
		mustCode(t, err, apperr.Conflict, "")
	})
}
