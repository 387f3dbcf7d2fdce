package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
)

// visitTrainingPages walks 岸和田市's training as the CISO who plans it and a clerk who takes it:
// the plan made, a session added (a session ending before it starts refused, naming the field),
// roll call, the matrix, the prints and exports, an attendance sheet whose unknown staff number
// is named by row and column and records nothing, and the clerk confirming an e-learning module.
func visitTrainingPages(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	o, err := f.s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rf := &registerFixture{fixture: f, sys: access.System(o.ID, "test")}
	if rf.general, err = f.s.Org.CreateDepartment(ctx, rf.sys, org.DepartmentInput{Code: "TR", Name: "研修課", Kind: "section", Active: true}); err != nil {
		t.Fatal(err)
	}
	ciso := rf.signInHolder(t, "tr-ciso", "ciso")
	clerkStaff, err := f.s.Org.CreateStaff(ctx, rf.sys, org.StaffInput{DepartmentID: rf.general.ID, EmployeeNo: "TR-1", Name: "研修 太郎", Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	clerk := rf.signInStaff(t, "tr-clerk", clerkStaff.ID)
	expect(t, ciso.get("/trainings"), http.StatusOK, "情報セキュリティポリシー研修（全職員）", "研修計画を作成する")
	expect(t, clerk.get("/trainings"), http.StatusOK, "研修・訓練")
	if strings.Contains(clerk.get("/trainings").body, "研修計画を作成する") {
		t.Error("a clerk is offered to make the plan")
	}
	r := ciso.post("/trainings", url.Values{"fiscal_year": {"2026"}})
	expect(t, r, http.StatusSeeOther)
	base := r.location
	expect(t, ciso.get(base), http.StatusOK, "所属長研修", "第2章 4(4)①", "開催を登録する")
	bad := ciso.post(base+"/sessions", url.Values{"course_id": {"policy"}, "date": {"2026-07-01"}, "starts_at": {"15:00"}, "ends_at": {"14:00"}, "place": {"大会議室"}})
	expect(t, bad, http.StatusUnprocessableEntity, "終了時刻は開始時刻より後にしてください", `href="#f-ends_at"`)
	unknown := ciso.post(base+"/sessions", url.Values{"course_id": {"nope"}, "date": {"2026-07-01"}, "starts_at": {"13:00"}, "ends_at": {"14:00"}, "place": {"大会議室"}})
	expect(t, unknown, http.StatusUnprocessableEntity, "研修「nope」はこの研修計画にありません")
	r = ciso.post(base+"/sessions", url.Values{"course_id": {"policy"}, "date": {"2026-07-01"}, "starts_at": {"13:00"}, "ends_at": {"14:30"}, "place": {"大会議室"}, "instructor": {"ＣＩＳＯ補佐"}})
	expect(t, r, http.StatusSeeOther)
	session := r.location
	expect(t, ciso.get(session), http.StatusOK, "研修 太郎", "出欠を保存する")

	// The clerk confirms the e-learning module; the roll no longer lists them.
	mine := clerk.get("/my/training")
	expect(t, mine, http.StatusOK, "情報セキュリティポリシー研修（全職員）", "受講しました")
	confirm := between(mine.body, `action="/my/training/`, `/confirm"`)
	expect(t, clerk.post("/my/training/"+confirm+"/confirm", nil), http.StatusSeeOther, "/my/training")
	expect(t, clerk.get("/my/training"), http.StatusOK, "受講")
	expect(t, clerk.post("/my/training/"+confirm+"/confirm", nil), http.StatusConflict)
	roll := ciso.get(session)
	if strings.Contains(roll.body, "研修 太郎") {
		t.Error("the roll lists someone who has taken the course")
	}
	present := between(roll.body, `name="present" value="`, `"`)
	expect(t, ciso.post(session+"/roll-call", url.Values{"present": {present}}), http.StatusSeeOther)
	expect(t, ciso.get(session+"/print"), http.StatusOK, "出席簿", "tr-ciso", "出席")
	expect(t, ciso.get(session+"/export"), http.StatusOK)
	expect(t, ciso.get(base+"/matrix"), http.StatusOK, "研修課", "職員")
	expect(t, ciso.get(base+"/report"), http.StatusOK, "研修受講状況報告書")
	expect(t, ciso.get(base+"/matrix/export"), http.StatusOK)
	expect(t, ciso.get(base+"/export"), http.StatusOK)
	expect(t, ciso.get("/trainings/export"), http.StatusOK)

	expect(t, ciso.get(base+"/import"), http.StatusOK, "職員番号")
	csv := "職員番号,研修名,受講日\nNO-SUCH,所属長研修,2026/6/1\n"
	r = ciso.postFiles(base+"/import", nil, "file", "出席.csv", "text/csv", []byte(csv))
	expect(t, r, http.StatusSeeOther)
	imp := r.location
	expect(t, ciso.get(imp), http.StatusOK, "列の対応付け")
	r = ciso.post(imp+"/check", url.Values{"col.0": {"employee_no"}, "col.1": {"course"}, "col.2": {"completed_on"}})
	expect(t, r, http.StatusOK, "職員番号「NO-SUCH」の職員が見つかりません", "A（職員番号）", "何も記録していません")
	expect(t, ciso.post(imp+"/apply", nil), http.StatusUnprocessableEntity)

	expect(t, clerk.get("/my/training/export"), http.StatusOK)
	expect(t, clerk.get("/"), http.StatusOK, "期限を過ぎた研修・訓練")
	if strings.Contains(clerk.get(base+"/matrix").body, "ＣＩＳＯ") {
		t.Error("a clerk reads others' completion")
	}
}
