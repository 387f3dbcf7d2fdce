package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestHomeDeskPerPersona: the home page is each person's desk. The applicant sees their
// requests and quiet lines where nothing waits; the approver sees what waits for them, newest
// first, linked to each request and to the full list; the CISO and the auditor (and in 上毛町
// the 情報セキュリティ管理者, an organisation-wide security role) also see the
// organisation at a glance with its charts and their tables; the administrator keeps the counts.
func TestHomeDeskPerPersona(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		approver := f.signInHolder(t, "kanri", "security_manager")
		ciso := f.signInHolder(t, "ciso", "ciso")
		auditor := f.signInHolder(t, "kansa", "chief_auditor")
		term := f.create(t, asset.Input{Number: "T-001", Name: "窓口端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "II"}, State: "in_use"})
		clerk := access.Actor{OrgID: f.sys.OrgID, UserID: -1, StaffID: f.clerk.ID, DepartmentID: f.civic.ID, Name: "窓口 花子"}
		var ids []string
		for range 2 {
			r, err := f.s.Requests.Submit(context.Background(), clerk, request.Input{Kind: "take_out", AssetIDs: []int64{term.ID},
				Fields: map[string]any{"destination": "県庁研修室", "out_date": "2026-04-01", "return_date": "2026-04-03"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, idStr(r.ID))
		}

		t.Run("the applicant: their requests, quiet lines, no overview", func(t *testing.T) {
			r := f.applicant.get("/")
			expect(t, r, http.StatusOK, "自分の申請", `href="/requests/`+ids[1]+`"`, "決裁待ち", `href="/requests">すべて見る（2件）`,
				"あなたの判断を待っている申請はありません。", "あなたが行う事案の連絡はありません。", "あなたの確認を待っている記録はありません。")
			lacks(t, r, "団体全体の状況", "<svg", "所属 14", `class="table-wrap"`)
		})
		t.Run("the approver: what waits, newest first, with the full list", func(t *testing.T) {
			r := approver.get("/")
			expect(t, r, http.StatusOK, "あなたの判断を待っている申請", `href="/requests/inbox">すべて見る（2件）`)
			if a, b := strings.Index(r.body, `href="/requests/`+ids[1]+`"`), strings.Index(r.body, `href="/requests/`+ids[0]+`"`); a < 0 || b < 0 || a > b {
				t.Fatalf("the newer request %s is not listed before %s", ids[1], ids[0])
			}
			inbox := approver.get("/requests/inbox")
			expect(t, inbox, http.StatusOK, "table-wrap--whole")
			if a, b := strings.Index(inbox.body, `href="/requests/`+ids[1]+`"`), strings.Index(inbox.body, `href="/requests/`+ids[0]+`"`); a < 0 || a > b {
				t.Fatalf("the inbox does not list the newest first")
			}
			if regexp.MustCompile(`class="table-wrap" `).MatchString(inbox.body) {
				t.Fatal("the inbox keeps a table in a fixed-height box")
			}
		})
		for _, c := range []struct {
			name string
			b    *browser
		}{{"the CISO", ciso}, {"the auditor", auditor}} {
			t.Run(c.name+": the organisation at a glance, charts with their tables", func(t *testing.T) {
				r := c.b.get("/")
				expect(t, r, http.StatusOK, "団体全体の状況", `<svg role="img" aria-label="未対応の指摘事項の重大度別件数"`,
					`aria-describedby="desk-findings-table"`, `id="desk-findings-table"`, `id="desk-incidents-table"`,
					"今年度の事案（令和8年4月1日以降に発見）", "返却期限を過ぎた持ち出し・貸出", "期限を過ぎた事案の連絡", "前日以前の確認待ちの記録")
			})
		}
		t.Run("the administrator keeps the counts", func(t *testing.T) {
			expect(t, f.admin.get("/"), http.StatusOK, "管理", `href="/departments"`, "登録されている所属", "あなたの判断を待っている申請はありません。")
		})
		t.Run("the API answers the same desk", func(t *testing.T) {
			d, err := f.s.Desks.For(context.Background(), mustActor(t, f.fixture, "kanri"))
			if err != nil {
				t.Fatal(err)
			}
			if d.Awaiting.Total != 2 || idStr(d.Awaiting.Items[0].ID) != ids[1] {
				t.Fatalf("the approver's desk %+v", d.Awaiting)
			}
		})
	})
}
