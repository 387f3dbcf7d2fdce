package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// registerFixture is an organisation bound to the kishiwada pack with two departments, a
// manager in 総務課 and a signed-in administrator.
type registerFixture struct {
	*fixture
	admin          *browser
	sys            access.Actor
	general, civic org.Department
	manager, clerk org.Staff
}

func newRegisterFixture(t *testing.T, db *store.DB) *registerFixture {
	t.Helper()
	f := &registerFixture{fixture: newFixture(t, db)}
	ctx := context.Background()
	o, err := f.s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.sys = access.System(o.ID, "test")
	f.admin = f.browser()
	f.admin.signInAdmin(adminPW)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.general, err = f.s.Org.CreateDepartment(ctx, f.sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true})
	must(err)
	f.civic, err = f.s.Org.CreateDepartment(ctx, f.sys, org.DepartmentInput{Code: "200", Name: "市民課", Kind: "section", Active: true})
	must(err)
	f.manager, err = f.s.Org.CreateStaff(ctx, f.sys, org.StaffInput{DepartmentID: f.general.ID, EmployeeNo: "1001", Name: "岸 和男", Employment: "regular", Active: true})
	must(err)
	f.clerk, err = f.s.Org.CreateStaff(ctx, f.sys, org.StaffInput{DepartmentID: f.civic.ID, EmployeeNo: "2001", Name: "窓口 花子", Employment: "regular", Active: true})
	must(err)
	return f
}

// signInStaff creates a user for a staff member and signs them in through the forced password
// change.
func (f *registerFixture) signInStaff(t *testing.T, login string, staffID int64) *browser {
	t.Helper()
	_, temp, err := f.s.Auth.CreateUser(context.Background(), f.sys, auth.NewUser{Login: login, DisplayName: login, StaffID: staffID, Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	pw := "窓口担当のとても長い合言葉です2026"
	expect(t, b.post("/login", url.Values{"login": {login}, "password": {temp}}), http.StatusSeeOther, "/account/password")
	b.changedPassword(b.post("/account/password", url.Values{"current": {temp}, "new": {pw}, "confirm": {pw}}), login)
	return b
}

// signInHolder signs in a new member of 総務課 who holds an organisation-wide role.
func (f *registerFixture) signInHolder(t *testing.T, login, role string) *browser {
	t.Helper()
	ctx := context.Background()
	st, err := f.s.Org.CreateStaff(ctx, f.sys, org.StaffInput{DepartmentID: f.general.ID, EmployeeNo: "R-" + login, Name: login, Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Org.AssignRole(ctx, f.sys, org.RoleAssignment{RoleID: role, Scope: "organization", HolderStaffID: st.ID}); err != nil {
		t.Fatal(err)
	}
	return f.signInStaff(t, login, st.ID)
}

func (f *registerFixture) create(t *testing.T, in asset.Input) asset.Asset {
	t.Helper()
	a, err := f.s.Assets.Create(context.Background(), f.sys, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Number, err)
	}
	return a
}

func assetID(a asset.Asset) string { return strconv.FormatInt(a.ID, 10) }

func lacks(t *testing.T, r response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.body, s) {
			t.Fatalf("response has %q; body:\n%.3000s", s, r.body)
		}
	}
}

func TestAssetRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		b := f.admin
		ctx := context.Background()
		countAssets := func() int {
			var n int
			db.SQL.QueryRow(`SELECT count(*) FROM assets`).Scan(&n)
			return n
		}

		t.Run("without a pack the register says so and registration waits for one", func(t *testing.T) {
			r := b.get("/assets")
			expect(t, r, http.StatusOK, "情報資産管理台帳", "ポリシーパックを設定してから", "全0件")
			lacks(t, r, `href="/assets/new"`)
			expect(t, b.get("/assets/new"), http.StatusConflict, "ポリシーパックを設定してから")
		})
		if _, err := f.s.Policy.Use(ctx, f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		// The register is kept by the CISO from here on: the administrator's account runs the
		// system and does not see the details of the highest class (TestAssetHighestClassPages).
		b = f.signInHolder(t, "ciso", "ciso")

		var server string
		t.Run("create through the form with the pack's fields", func(t *testing.T) {
			r := b.get("/assets/new")
			expect(t, r, http.StatusOK, "情報資産の登録", `id="f-class-importance" name="class.importance"`, "重要度Ａ 個人情報",
				"マイナンバー利用事務系", "区画L4", `name="attrs.mfa"`, `type="checkbox" id="f-attrs-mfa"`,
				`type="date" id="f-attrs-disposal_date"`, `id="f-attrs-disposal_method"`, `type="number" step="1" inputmode="numeric" id="f-attrs-lockout_threshold"`,
				"岸 和男", "総務課", `value="in_use" selected`)
			r = b.post("/assets", url.Values{"number": {"SV-001"}, "name": {"財務会計サーバ"}, "kind": {"server"},
				"department_id": {idStr(f.general.ID)}, "manager_staff_id": {idStr(f.manager.ID)}, "class.importance": {"B"},
				"segment": {"lgwan"}, "zone": {"L4"}, "location": {"本庁舎 サーバ室"}, "system_ref": {"財務会計システム"},
				"quantity": {"1"}, "state": {"in_use"}, "acquired_on": {"2020-04-01"},
				"attrs.mfa": {"on"}, "attrs.lockout_threshold": {"3"}, "attrs.disposal_method": {"physical_destruction"},
				"attrs.disposal_date": {"2030-03-31"}, "attrs.wireless": {""}})
			expect(t, r, http.StatusSeeOther, "/assets/")
			server = strings.TrimPrefix(r.location, "/assets/")
			r = b.get(r.location)
			expect(t, r, http.StatusOK, "資産を登録しました", "SV-001", "財務会計サーバ", "サーバ", "岸 和男", "ＬＧＷＡＮ接続系", "区画L4",
				"令和2年4月1日", "多要素認証", "はい", "physical_destruction", "重要度Ｂ 行政情報（重要）")
			lacks(t, r, "無線による通信") // an empty attribute is not recorded
			a, err := f.s.Assets.Get(ctx, f.sys, mustInt(t, server))
			if err != nil {
				t.Fatal(err)
			}
			if a.Attrs["mfa"] != true || a.Attrs["lockout_threshold"] != int64(3) || a.Class["importance"] != "B" || a.ManagerStaffID != f.manager.ID {
				t.Fatalf("stored asset = %+v", a)
			}
		})
		t.Run("invalid input is shown again with each field named and linked, and nothing is saved", func(t *testing.T) {
			before := countAssets()
			r := b.post("/assets", url.Values{"number": {""}, "name": {"名無しの媒体"}, "kind": {"media"}, "department_id": {idStr(f.general.ID)},
				"quantity": {"1"}, "state": {"in_use"}, "attrs.lockout_threshold": {"三回"}, "acquired_on": {"2026-02-30"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-number"`, `id="f-number"`, "入力してください",
				`href="#f-class-importance"`, `id="e-class-importance"`, "「重要度」の分類を選んでください",
				`href="#f-attrs-lockout_threshold"`, `id="e-attrs-lockout_threshold"`, "「権限を停止する認証失敗回数」の値が正しくありません",
				`href="#f-acquired_on"`, `value="名無しの媒体"`, `value="三回"`, `value="media" selected`)
			if countAssets() != before {
				t.Fatal("an invalid asset was saved")
			}
			r = b.post("/assets", url.Values{"number": {"SV-001"}, "name": {"重複"}, "kind": {"server"}, "department_id": {idStr(f.general.ID)},
				"class.importance": {"C"}, "state": {"in_use"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-number"`, "管理番号「SV-001」は既に使われています")
			r = b.post("/assets", url.Values{"number": {"X-1"}, "name": {"x"}, "kind": {"server"}, "department_id": {"総務"},
				"class.importance": {"C"}, "quantity": {"一"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-department_id"`, `href="#f-quantity"`, "数字で入力してください")
		})

		pc := f.create(t, asset.Input{Number: "PC-001", Name: "住民記録 業務用端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "A"}, Segment: "mynumber", Zone: "L2", State: "in_use"})
		usb := f.create(t, asset.Input{Number: "USB-001", Name: "USBメモリ（暗号化）", Kind: "media", DepartmentID: f.general.ID,
			Class: map[string]string{"importance": "B"}, Segment: "lgwan", Zone: "L2", State: "stored"})
		f.create(t, asset.Input{Number: "DOC-001", Name: "住民票写し綴り", Kind: "document", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "A"}, Zone: "L3", State: "in_use"})
		flyer := f.create(t, asset.Input{Number: "DOC-002", Name: "広報紙 原稿", Kind: "document", DepartmentID: f.general.ID,
			Class: map[string]string{"importance": "C"}, State: "in_use"})

		t.Run("the list filters by kind, level, segment, zone, department and state", func(t *testing.T) {
			r := b.get("/assets")
			expect(t, r, http.StatusOK, "全5件", "新規登録", "PC-001", "USB-001", `href="/assets/`+assetID(pc)+`"`, "重要度Ａ 個人情報",
				`class="level level--high"`, `class="level level--low"`, `<span class="status status--neutral">保管中</span>`, "令和8年4月1日")
			for _, c := range []struct {
				query string
				want  []string
				not   []string
			}{
				{"kind=media", []string{"全1件", "USB-001"}, []string{"PC-001", "DOC-001"}},
				{"level.importance=A", []string{"全2件", "PC-001", "DOC-001"}, []string{"USB-001", "SV-001"}},
				{"segment=mynumber", []string{"全1件", "PC-001"}, []string{"USB-001"}},
				{"zone=L4", []string{"全1件", "SV-001"}, []string{"PC-001"}},
				{"department_id=" + idStr(f.civic.ID), []string{"全2件", "PC-001", "DOC-001"}, []string{"SV-001"}},
				{"state=stored", []string{"全1件", "USB-001"}, []string{"PC-001"}},
				{"level.importance=A&kind=document", []string{"全1件", "DOC-001"}, []string{"PC-001"}},
			} {
				r := b.get("/assets?" + c.query)
				expect(t, r, http.StatusOK, c.want...)
				lacks(t, r, append([]string{">" + "DOC-002<"}, c.not...)...)
			}
		})
		t.Run("search finds two-character words", func(t *testing.T) {
			r := b.get("/assets?q=" + url.QueryEscape("端末"))
			expect(t, r, http.StatusOK, "全1件", "PC-001")
			lacks(t, r, "USB-001", "SV-001")
			r = b.get("/assets?q=" + url.QueryEscape("住民"))
			expect(t, r, http.StatusOK, "全2件", "PC-001", "DOC-001")
			expect(t, b.get("/assets?q="+url.QueryEscape("ｕｓｂ")), http.StatusOK, "全1件", "USB-001") // full-width folds
		})
		t.Run("sort links, export links and the label link keep the filter", func(t *testing.T) {
			r := b.get("/assets?level.importance=A&page=1")
			expect(t, r, http.StatusOK, `href="/assets?level.importance=A&amp;sort=name"`,
				`href="/assets/export?format=xlsx&amp;level.importance=A"`, `href="/assets/export?format=csv&amp;level.importance=A"`,
				`href="/assets/export?format=csv-sjis&amp;level.importance=A"`, `href="/assets/labels?level.importance=A"`)
			r = b.get("/assets?sort=name")
			if i, j := strings.Index(r.body, "USB-001"), strings.Index(r.body, "PC-001"); i < 0 || j < 0 || i > j {
				t.Fatal("sorted by name, USBメモリ should come before 住民記録")
			}
			r = b.get("/assets?sort=rank")
			if i, j := strings.Index(r.body, "PC-001"), strings.Index(r.body, "DOC-002"); i > j {
				t.Fatal("sorted by class, the A asset should come before the C asset")
			}
			expect(t, r, http.StatusOK, `aria-current="true">分類の高い順`)
		})
		t.Run("detail shows the handling of its level and the approvals it needs, with articles", func(t *testing.T) {
			r := b.get("/assets/" + assetID(pc))
			expect(t, r, http.StatusOK, "PC-001", "取扱制限", "重要度Ａの情報を保存したパソコン・媒体は区画L3で保管し", "根拠：第2章 2(1) 表4 重要度Ａ",
				"情報資産の事務室外への持ち出し", "根拠：第2章 4(1)⑦", "情報セキュリティ責任者", "申請者の所属",
				"情報システム以外における重要度Ｂ以上の情報を扱う外部サービスの利用開始", "分類の表示", "履歴", "資産の登録")
			expect(t, f.admin.get("/assets/"+assetID(flyer)), http.StatusOK, "履歴", "監査ログで詳しく見る")
			// The condition of the external-service approval (重要度Ｂ以上) does not hold for a C asset.
			r = b.get("/assets/" + assetID(flyer))
			expect(t, r, http.StatusOK, "情報資産の事務室外への持ち出し", "重要度Ｃの情報を保存したパソコン・媒体は区画L1で保管・使用する")
			lacks(t, r, "情報システム以外における重要度Ｂ以上の情報を扱う外部サービスの利用開始")
		})
		t.Run("edit shows the stored values and records the change", func(t *testing.T) {
			r := b.get("/assets/" + server + "/edit")
			expect(t, r, http.StatusOK, "情報資産の編集", `value="SV-001"`, `value="B" selected`, `value="L4" selected`, `value="3"`,
				`value="physical_destruction" selected`, `value="2030-03-31"`, `id="f-attrs-mfa" name="attrs.mfa" checked`)
			expect(t, b.post("/assets/"+server, url.Values{"number": {"SV-001"}, "name": {"財務会計サーバ（更新後）"}, "kind": {"server"},
				"department_id": {idStr(f.general.ID)}, "class.importance": {"B"}, "zone": {"L4"}, "quantity": {"2"}, "state": {"in_repair"},
				"attrs.lockout_threshold": {"3"}}), http.StatusSeeOther, "/assets/"+server)
			r = b.get("/assets/" + server)
			expect(t, r, http.StatusOK, "資産を更新しました", "財務会計サーバ（更新後）", "修理中", "資産の更新", "名称", "数量", "状態")
			lacks(t, r, "<dt>多要素認証</dt>")                // unticked: no longer claimed
			expect(t, r, http.StatusOK, "多要素認証：はい → なし") // and the history says so, by name
			expect(t, b.post("/assets/"+server, url.Values{"number": {"SV-001"}, "name": {"x"}, "kind": {"server"},
				"department_id": {idStr(f.general.ID)}, "state": {"in_use"}}), http.StatusUnprocessableEntity, `href="#f-class-importance"`)
		})
		t.Run("delete asks for confirmation first", func(t *testing.T) {
			r := b.post("/assets/"+assetID(flyer)+"/delete", url.Values{})
			expect(t, r, http.StatusOK, `name="confirmed" value="yes"`, "誤って登録した資産", `action="/assets/`+assetID(flyer)+`/delete"`)
			expect(t, b.get("/assets/"+assetID(flyer)), http.StatusOK)
			expect(t, b.post("/assets/"+assetID(flyer)+"/delete", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther, "/assets")
			expect(t, b.get("/assets"), http.StatusOK, "資産を削除しました", "全4件")
			expect(t, b.get("/assets/"+assetID(flyer)), http.StatusNotFound)
			expect(t, f.admin.get("/audit?action=asset.delete"), http.StatusOK, "全1件")
		})
		t.Run("a clerk sees only the department's assets and cannot change them", func(t *testing.T) {
			c := f.signInStaff(t, "madoguchi", f.clerk.ID)
			r := c.get("/assets")
			expect(t, r, http.StatusOK, `href="/assets"`, "全2件", "PC-001", "DOC-001")
			lacks(t, r, "USB-001", "SV-001", `href="/assets/new"`)
			expect(t, c.get("/assets/"+assetID(usb)), http.StatusNotFound)
			expect(t, c.get("/assets/"+server), http.StatusNotFound)
			expect(t, c.get("/assets/"+assetID(usb)+"/edit"), http.StatusNotFound)
			expect(t, c.post("/assets/"+assetID(usb)+"/delete", url.Values{"confirmed": {"yes"}}), http.StatusNotFound)
			r = c.get("/assets/" + assetID(pc))
			expect(t, r, http.StatusOK, "PC-001", "取扱制限")
			lacks(t, r, "/edit", "/delete", "資産の登録") // no change, no history
			expect(t, c.get("/assets/new"), http.StatusForbidden)
			expect(t, c.get("/assets/"+assetID(pc)+"/edit"), http.StatusForbidden)
			expect(t, c.post("/assets/"+assetID(pc), url.Values{"number": {"PC-001"}}), http.StatusForbidden)
			expect(t, c.post("/assets/"+assetID(pc)+"/delete", url.Values{}), http.StatusForbidden)
		})
		t.Run("labels are printed for media and documents of the filter", func(t *testing.T) {
			r := b.get("/assets/labels")
			expect(t, r, http.StatusOK, "分類の表示ラベル", "全2件", "USB-001", "DOC-001", "重要度Ａ 個人情報", "住民票写し綴り", `class="asset-labels"`)
			lacks(t, r, "PC-001", "SV-001")
			r = b.get("/assets/labels?level.importance=A")
			expect(t, r, http.StatusOK, "全1件", "DOC-001")
			lacks(t, r, "USB-001")
			expect(t, b.get("/assets/labels?kind=terminal"), http.StatusOK, "全0件", "当てはまる電磁的記録媒体・文書はありません")
		})
		t.Run("the list pages", func(t *testing.T) {
			for i := range 52 {
				f.create(t, asset.Input{Number: "NW-" + strconv.Itoa(100+i), Name: "スイッチ", Kind: "network", DepartmentID: f.general.ID,
					Class: map[string]string{"importance": "C"}})
			}
			r := b.get("/assets?kind=network")
			expect(t, r, http.StatusOK, "全52件", "NW-100", "NW-149", `rel="next" href="/assets?kind=network&amp;page=2"`)
			lacks(t, r, "NW-150")
			r = b.get("/assets?kind=network&page=2")
			expect(t, r, http.StatusOK, "NW-150", "NW-151", `rel="prev"`)
			lacks(t, r, "NW-149")
		})
	})
}

func idStr(n int64) string { return strconv.FormatInt(n, 10) }

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an id: %q", s)
	}
	return n
}

// TestAssetCodesHaveLabels: kinds and states are shown through the catalog, which falls back
// to the code; every code must have its words in both languages.
func TestAssetCodesHaveLabels(t *testing.T) {
	for _, lang := range i18n.Langs() {
		for _, k := range policy.AssetKinds {
			if !i18n.Has(lang, "asset.kind."+k) {
				t.Errorf("%s: no label for kind %s", lang, k)
			}
		}
		for _, s := range asset.States {
			if !i18n.Has(lang, "asset.state."+s) {
				t.Errorf("%s: no label for state %s", lang, s)
			}
		}
	}
}

func TestChangedFields(t *testing.T) {
	before := `{"id":1,"name":"a","quantity":1,"class":{"importance":"A"},"attrs":{},"updated_at":"x"}`
	after := `{"id":1,"name":"b","quantity":1,"class":{"importance":"B"},"attrs":{"mfa":true},"updated_at":"y"}`
	got := strings.Join(changedFields(before, after), ",")
	if got != "attrs.mfa,class.importance,name" {
		t.Fatalf("changed = %s", got)
	}
	if changedFields("", after) != nil {
		t.Fatal("a creation has no changed fields")
	}
}
