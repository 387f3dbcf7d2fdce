package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestCompliancePages: the findings the pack's rules open on the register are shown with their
// articles, to each only those of the departments they see; the values of a restricted asset's
// findings are withheld; only administrators sweep, after a confirmation.
func TestCompliancePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		secret := f.create(t, asset.Input{Number: "SECRET-1", Name: "機密の住民情報サーバ", Kind: "server", DepartmentID: f.general.ID,
			Class: map[string]string{"importance": "A"}, Segment: "mynumber", Zone: "L4", Attrs: map[string]any{"disposal_date": "2031-03-31"}})
		pc := f.create(t, asset.Input{Number: "PC-001", Name: "窓口端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "C"}, Attrs: map[string]any{"malware_protection": false}})
		civic := f.signInStaff(t, "madoguchi", f.clerk.ID)
		general := f.signInStaff(t, "kishi", f.manager.ID)
		auditor := f.signInHolder(t, "kansa", "audit_chief")

		t.Run("the overview counts by department and by rule with the article", func(t *testing.T) {
			r := auditor.get("/compliance")
			expect(t, r, http.StatusOK, "総務課", "市民課", "第2章 5(1)①", "情報システムに不正プログラム対策ソフトを導入する", `href="/compliance/findings?rule=malware-protection"`,
				`href="/compliance/report"`)
			lacks(t, r, "今すぐ点検")
			expect(t, f.admin.get("/compliance"), http.StatusOK, "今すぐ点検")
		})
		t.Run("the findings list shows each finding with its article, values and asset", func(t *testing.T) {
			r := auditor.get("/compliance/findings")
			expect(t, r, http.StatusOK, "SECRET-1", "PC-001", "第2章 3(5)", "令和13年3月31日", `href="/assets/`+assetID(pc)+`"`,
				"<dt>不正プログラム対策（対策ソフト導入等）</dt>")
			lacks(t, r, "attrs.malware_protection", "2031-03-31")
			r = auditor.get("/compliance/findings?rule=malware-protection&department_id=" + idStr(f.civic.ID))
			expect(t, r, http.StatusOK, "PC-001", "1件の指摘事項")
			lacks(t, r, "SECRET-1")
			r = auditor.get("/compliance/findings?severity=critical")
			expect(t, r, http.StatusOK, "SECRET-1")
			lacks(t, r, "PC-001")
			expect(t, auditor.get("/compliance/findings?state=closed"), http.StatusOK, "0件の指摘事項")
		})
		t.Run("department staff see their department's findings only", func(t *testing.T) {
			r := civic.get("/compliance/findings")
			expect(t, r, http.StatusOK, "PC-001")
			lacks(t, r, "SECRET-1")
			lacks(t, civic.get("/compliance"), "総務課</a>")
			r = general.get("/compliance/findings")
			expect(t, r, http.StatusOK, "SECRET-1", "令和13年3月31日")
			lacks(t, r, "PC-001")
			expect(t, civic.get("/compliance/report"), http.StatusForbidden)
		})
		t.Run("a restricted asset's findings do not show its values", func(t *testing.T) {
			r := f.admin.get("/compliance/findings")
			expect(t, r, http.StatusOK, "SECRET-1", "最高分類の情報資産のため、ルールと値は非表示", "最高分類のため非表示", "PC-001")
			lacks(t, r, "2031-03-31", "機密", "根拠：第2章 3(5)")
			lacks(t, f.admin.get("/compliance/findings?rule=disposal-erasure"), "SECRET-1")
			expect(t, general.get("/compliance/findings?rule=disposal-erasure"), http.StatusOK, "SECRET-1")
			r = f.admin.get("/assets/" + assetID(secret))
			expect(t, r, http.StatusOK, `id="findings"`, "最高分類の情報資産のため、ルールと値は非表示")
			lacks(t, r, "2031-03-31", "マイナンバー利用事務系", "kind=exception")
			expect(t, general.get("/assets/"+assetID(secret)), http.StatusOK, `id="findings"`, "2031-03-31", "第2章 3(5)")
		})
		t.Run("only administrators sweep, after a confirmation", func(t *testing.T) {
			expect(t, auditor.post("/compliance/sweeps", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)
			expect(t, f.admin.post("/compliance/sweeps", nil), http.StatusOK, "実行する")
			expect(t, f.admin.post("/compliance/sweeps", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
			expect(t, auditor.get("/compliance"), http.StatusOK, `id="trend"`, `<svg`)
			lacks(t, auditor.get("/compliance"), "まだ点検の記録がありません。")
		})
		t.Run("the committee's report and the exception register render", func(t *testing.T) {
			expect(t, auditor.get("/compliance/report"), http.StatusOK, "情報セキュリティ遵守状況報告書", "令和", "第2章 5(1)①")
			expect(t, auditor.get("/compliance/exceptions"), http.StatusOK, "例外措置の記録はありません。")
		})
	})
}

// TestComplianceExceptionLink: on a pack with an exception kind, a finding on the asset page
// leads to the exception request with its rule and asset filled in.
func TestComplianceExceptionLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		m := f.create(t, asset.Input{Number: "USB-7", Name: "研修用USBメモリ", Kind: "media", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "III"}, State: "in_use"})
		r := f.applicant.get("/assets/" + assetID(m))
		link := `href="/requests/new?kind=exception&amp;rules=classification-label&amp;assets=USB-7"`
		expect(t, r, http.StatusOK, "情報資産の分類の表示", link)
		r = f.applicant.get("/requests/new?kind=exception&rules=classification-label&assets=USB-7")
		expect(t, r, http.StatusOK, `name="fields.rules"`, `value="classification-label"`, `value="USB-7"`)
	})
}

// visitCompliancePages renders every compliance page as an administrator.
func visitCompliancePages(t *testing.T, c *browser) {
	t.Helper()
	expect(t, c.get("/compliance"), http.StatusOK, `action="/compliance/sweeps"`)
	expect(t, c.get("/compliance/findings?state=all"), http.StatusOK)
	expect(t, c.get("/compliance/exceptions"), http.StatusOK)
	expect(t, c.get("/compliance/report"), http.StatusOK)
}
