package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRequestPrintedForm: 安平町's request to use a personally owned device (第15条第2項, which
// gives it no form) is decided by the 情報セキュリティ管理者 of the applicant's department,
// printed as a generic request in 和暦, and then reported to the 情報ネットワーク管理者 on the
// manager's 個人所有機器業務使用報告書 (様式第1号, 第15条第3項), who acknowledges it.
func TestRequestPrintedForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "abira-kyoiku")
		ctx := context.Background()
		holder := func(login, role, scope string, dept int64) *browser {
			st, err := f.s.Org.CreateStaff(ctx, f.sys, org.StaffInput{DepartmentID: f.civic.ID, EmployeeNo: "R-" + login, Name: login, Employment: "regular", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Org.AssignRole(ctx, f.sys, org.RoleAssignment{RoleID: role, Scope: scope, DepartmentID: dept, HolderStaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
			return f.signInStaff(t, login, st.ID)
		}
		chief := holder("kacho", "security_manager", "department", f.civic.ID)
		network := holder("netadmin", "network_admin", "organization", 0)

		r := f.applicant.post("/requests/new?kind=personal_device", url.Values{"fields.reason": {"災害対応の連絡のため"}, "fields.measures": {"ウイルス対策ソフトを導入し、校内LANには接続しない"}})
		expect(t, r, http.StatusSeeOther, "/requests/")
		href := r.location
		r = chief.get(href)
		expect(t, r, http.StatusOK, "第15条第2項", "情報ネットワーク管理者", "報告の様式: 様式第1号 個人所有機器業務使用報告書")
		lacks(t, r, `<p class="muted">様式第1号`)
		expect(t, chief.post(href+"/decide", url.Values{"decision": {"approve"}, "version": {versionOf(t, r)}}), http.StatusSeeOther)

		r = f.applicant.get(href + "/print")
		expect(t, r, http.StatusOK, "個人所有機器の持ち込み・業務使用申請書</h1>", "令和8年4月1日", "テスト町", "市民課", "窓口 花子",
			"災害対応の連絡のため", "情報セキュリティ管理者", "kacho", "印", `class="form-sheet"`)
		lacks(t, r, "様式第1号", "個人所有機器業務使用報告書")

		r = network.get("/requests/inbox")
		expect(t, r, http.StatusOK, "報告の受領", href)
		r = network.get(href)
		expect(t, r, http.StatusOK, href+"/acknowledge")
		lacks(t, r, `value="approve"`)
		expect(t, network.post(href+"/acknowledge", url.Values{}), http.StatusSeeOther, href)
		expect(t, network.get(href), http.StatusOK, "報告を受けたことを記録する", "netadmin")
		expect(t, network.get("/requests/inbox"), http.StatusOK, "あなたを待っている申請はありません")
		lacks(t, network.get(href), href+"/acknowledge")
	})
}

// visitRequestPages renders every request page once for the administration test's check that
// each template is used: a request of 岸和田市's pack filed by a staff member, seen by the
// platform administrator, who may read it but not act on it.
func visitRequestPages(t *testing.T, f *fixture, b *browser, deptID, staffID string) {
	t.Helper()
	ctx := context.Background()
	o, _ := f.s.Org.First(ctx)
	dept, _ := strconv.ParseInt(deptID, 10, 64)
	staff, _ := strconv.ParseInt(staffID, 10, 64)
	rq, err := f.s.Requests.Submit(ctx, access.Actor{OrgID: o.ID, StaffID: staff, DepartmentID: dept, Name: "田中 恵子"}, request.Input{
		Kind: "system_introduction", Fields: map[string]any{"security_ensured": "閉域網で運用する", "impact_on_running_systems": "なし"}})
	if err != nil {
		t.Fatal(err)
	}
	href := "/requests/" + strconv.FormatInt(rq.ID, 10)
	// The administrator reads English.
	expect(t, b.get("/requests/new"), http.StatusOK, "Only users registered as staff")
	expect(t, b.get("/requests/new?kind=system_introduction"), http.StatusOK, `name="fields.security_ensured"`)
	expect(t, b.get("/requests/inbox"), http.StatusOK, "Nothing is waiting for you")
	expect(t, b.get("/requests"), http.StatusOK, "My requests")
	r := b.get(href)
	expect(t, r, http.StatusOK, "閉域網で運用する", "情報システム導入計画書")
	lacks(t, r, "/decide")
	expect(t, b.get(href+"/print"), http.StatusOK, "情報システム導入計画書", "田中 恵子", "form-sheet")
	expect(t, b.post(href+"/cancel", url.Values{}), http.StatusOK, `name="confirmed" value="yes"`)
	expect(t, b.post(href+"/cancel", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)
}
