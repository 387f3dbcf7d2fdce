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

// TestAssetHighestClassPages: an asset of the highest class (重要度A) of 総務課 shows its
// details to 総務課's staff, the security roles and auditors; the administrator's account sees
// its number, kind, class, department and state with the mark, in the list, the detail and the
// export, and cannot change it.
func TestAssetHighestClassPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		ctx := context.Background()
		if _, err := f.s.Policy.Use(ctx, f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		secret := f.create(t, asset.Input{Number: "SECRET-1", Name: "機密の住民情報サーバ", Kind: "server", DepartmentID: f.general.ID,
			Class: map[string]string{"importance": "A"}, Segment: "mynumber", Zone: "L4", Location: "機密の部屋", Note: "機密の備考",
			Attrs: map[string]any{"mfa": true, "lockout_threshold": 3, "disposal_date": "2026-03-31"}})
		f.create(t, asset.Input{Number: "PC-001", Name: "窓口端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "C"}, Attrs: map[string]any{"lockout_threshold": 5}})
		detail, edit := "/assets/"+assetID(secret), "/assets/"+assetID(secret)+"/edit"
		const mark = "最高分類のため詳細は非表示"

		t.Run("the administrator sees the mark, never the details, and changes nothing", func(t *testing.T) {
			b := f.admin
			r := b.get("/assets")
			expect(t, r, http.StatusOK, "SECRET-1", mark, "重要度Ａ 個人情報", "総務課", "窓口端末")
			lacks(t, r, "機密")
			r = b.get(detail)
			expect(t, r, http.StatusOK, "SECRET-1", mark, "サーバ", "総務課", "使用中")
			lacks(t, r, "機密", edit, "/delete", `id="history"`, "マイナンバー利用事務系", "区画L4")
			expect(t, b.get("/assets/export?format=csv"), http.StatusOK, "SECRET-1", mark)
			lacks(t, b.get("/assets/export?format=csv"), "機密")
			lacks(t, b.get("/assets?q="+url.QueryEscape("住民情報")), "SECRET-1")
			expect(t, b.get(edit), http.StatusForbidden)
			expect(t, b.post(detail, url.Values{"number": {"SECRET-1"}, "name": {"x"}}), http.StatusForbidden)
			expect(t, b.post(detail+"/delete", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)
		})
		t.Run("the owning department's staff see every detail and the history", func(t *testing.T) {
			c := f.signInStaff(t, "kishi", f.manager.ID)
			expect(t, c.get(detail), http.StatusOK, "機密の住民情報サーバ", "機密の部屋", "多要素認証")
			lacks(t, c.get(detail), mark)
			expect(t, c.get("/assets"), http.StatusOK, "機密の住民情報サーバ")
		})
		t.Run("the CISO and an auditor see every detail; the auditor changes nothing", func(t *testing.T) {
			ciso := f.signInHolder(t, "ciso", "ciso")
			expect(t, ciso.get(detail), http.StatusOK, "機密の住民情報サーバ", edit, `id="history"`, "資産の登録")
			auditor := f.signInHolder(t, "kansa", "audit_chief")
			r := auditor.get(detail)
			expect(t, r, http.StatusOK, "機密の住民情報サーバ", "機密の部屋", `id="history"`)
			lacks(t, r, edit, "/delete")
			expect(t, auditor.get(edit), http.StatusForbidden)
			expect(t, auditor.post(detail+"/delete", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)
		})
		t.Run("staff of another department do not see it", func(t *testing.T) {
			c := f.signInStaff(t, "madoguchi", f.clerk.ID)
			expect(t, c.get(detail), http.StatusNotFound)
			lacks(t, c.get("/assets"), "SECRET-1")
		})
		t.Run("the list filters by the pack's attributes", func(t *testing.T) {
			b := f.signInHolder(t, "ciso2", "ciso")
			r := b.get("/assets")
			expect(t, r, http.StatusOK, "項目で絞り込む", `id="f-attr-mfa" name="attr.mfa"`, `name="attr.disposal_date.from"`,
				`name="attr.disposal_date.to"`, `id="f-attr-disposal_method" name="attr.disposal_method"`, `name="attr.lockout_threshold"`)
			for query, want := range map[string]string{"attr.mfa=true": "SECRET-1", "attr.mfa=false": "PC-001",
				"attr.disposal_date.to=2026-12-31": "SECRET-1", "attr.lockout_threshold=4..": "PC-001", "attr.lockout_threshold=3": "SECRET-1"} {
				r := b.get("/assets?" + query)
				expect(t, r, http.StatusOK, "全1件", want)
			}
			expect(t, b.get("/assets?attr.mfa=true"), http.StatusOK, `<option value="true" selected>`, "open>")
			r = b.get("/assets?attr.lockout_threshold=" + url.QueryEscape("三回"))
			expect(t, r, http.StatusUnprocessableEntity, "「権限を停止する認証失敗回数」の値が正しくありません", `href="#f-attr-lockout_threshold"`, "全0件")
			expect(t, b.get("/assets?attr.lockout_threshold=3"), http.StatusOK, `href="/assets/export?attr.lockout_threshold=3&amp;format=xlsx"`)
		})
	})
}
