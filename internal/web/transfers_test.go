package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestTransferPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signInAdmin(adminPW)
		ctx := context.Background()
		sys := access.System(1, "test")
		expect(t, b.post("/policy/use", url.Values{"pack_id": {"koge"}, "confirmed": {"yes"}}), http.StatusSeeOther)
		dept := map[string]int64{}
		for _, d := range [][2]string{{"s", "総務課"}, {"z", "税務課"}} {
			dep, err := f.s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: d[0], Name: d[1], Kind: "section", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			dept[d[1]] = dep.ID
		}
		st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{EmployeeNo: "1001", Name: "山田 太郎", DepartmentID: dept["総務課"], Title: "課長", Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: "system_staff", Scope: "department", DepartmentID: dept["総務課"], HolderStaffID: st.ID}); err != nil {
			t.Fatal(err)
		}
		head := "職員番号,氏名,異動区分,旧所属,新所属,新職名,発令日\n"

		expect(t, b.get("/transfers"), http.StatusOK, "人事異動", "第2章 6(2)①イ(ア)", "一覧を取り込む")
		r := b.upload("/transfers", "file", "異動.csv", []byte(head+"1001,山田 太郎,異動,総務課,観光課,課長,2026/4/1\n"))
		expect(t, r, http.StatusSeeOther)
		bad := r.location
		r = b.get(bad)
		expect(t, r, http.StatusOK, "適用前の確認", "所属「観光課」は登録されていません", "1行に誤りがあります")
		if strings.Contains(r.body, "/apply") {
			t.Fatal("a list with a wrong row offers to apply")
		}
		expect(t, b.post(bad+"/apply", nil), http.StatusUnprocessableEntity, "2行目 新所属", "何も変更していません")

		r = b.upload("/transfers", "file", "異動.csv", []byte(head+"1001,山田　太郎,異動,総務課,税務課,課長,2026/4/1\n"))
		good := r.location
		expect(t, b.get(good), http.StatusOK, "所属を変更する", "役割を前日で終了：情報システム担当者（総務課）", "/apply")
		expect(t, b.get(good+"/export"), http.StatusOK)
		expect(t, b.post(good+"/apply", nil), http.StatusSeeOther, good)
		expect(t, b.get(good), http.StatusOK, "人事異動を適用しました", "適用済み", "発令済み")
		expect(t, b.get("/staff/"+idStr(st.ID)+"/edit"), http.StatusOK, "異動の履歴", "総務課（課長） → 税務課（課長）")
		expect(t, b.get("/roles"), http.StatusOK, "担当者のいない役割", "人事異動による")

		r = b.upload("/transfers", "file", "来年度.csv", []byte(head+"1001,山田 太郎,異動,税務課,総務課,,2027/4/1\n"))
		later := r.location
		expect(t, b.post(later+"/apply", nil), http.StatusSeeOther)
		expect(t, b.get(later), http.StatusOK, "発令日を待機中", "一覧を取り下げる")
		expect(t, b.post(later+"/withdraw", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
		expect(t, b.get(later), http.StatusOK, "一覧を取り下げました", "取下げ")
	})
}

// visitTransferPages renders the 人事異動 pages for the walk over every template.
func visitTransferPages(t *testing.T, b *browser) {
	t.Helper()
	expect(t, b.get("/transfers"), http.StatusOK, `action="/transfers"`)
	r := b.upload("/transfers", "file", "異動.csv", []byte("職員番号,氏名,異動区分,新所属,発令日\n9999,誰か,異動,総務課,2026/4/1\n"))
	expect(t, r, http.StatusSeeOther)
	expect(t, b.get(r.location), http.StatusOK, "9999", "field__error")
}
