package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// requestFixture is an organisation on 上毛町's pack (情報セキュリティ管理者 over the whole
// organisation decides most requests) with a clerk of 市民課 who files, the holder of
// security_manager who decides, a holder of network_admin who sees every request but does not
// decide these, and a member of 総務課 without any role.
type requestFixture struct {
	*registerFixture
	applicant, approver, onlooker, outsider *browser
	terminal, server                        asset.Asset
}

const staffPW = "窓口担当のとても長い合言葉です2026"

func newRequestFixture(t *testing.T, db *store.DB, pack string) *requestFixture {
	t.Helper()
	f := &requestFixture{registerFixture: newRegisterFixture(t, db)}
	if _, err := f.s.Policy.Use(context.Background(), f.sys, pack); err != nil {
		t.Fatal(err)
	}
	f.applicant = f.signInStaff(t, "shinsei", f.clerk.ID)
	f.outsider = f.signInStaff(t, "kishi", f.manager.ID)
	return f
}

// login signs a user in again with the password signInStaff gave them (after the clock moved
// past their session).
func (f *requestFixture) login(t *testing.T, login string) *browser {
	t.Helper()
	b := f.browser()
	b.secondFactor(b.post("/login", url.Values{"login": {login}, "password": {staffPW}}), login)
	return b
}

// postFiles posts a multipart form with one file per entry of files (input name → file name
// and body).
func (b *browser) postFiles(path string, form url.Values, input, name, contentType string, body []byte) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+input+`"; filename="`+name+`"`)
	h.Set("Content-Type", contentType)
	part, _ := mw.CreatePart(h)
	part.Write(body)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

var versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)

// versionOf reads the version a request's page carries in its forms.
func versionOf(t *testing.T, r response) string {
	t.Helper()
	m := versionRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no version on the page:\n%.2000s", r.body)
	}
	return m[1]
}

func TestRequestPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		f.approver = f.signInHolder(t, "kanri", "security_manager")
		f.onlooker = f.signInHolder(t, "network", "network_admin")
		f.terminal = f.create(t, asset.Input{Number: "T-001", Name: "窓口端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "II"}, State: "in_use"})
		f.server = f.create(t, asset.Input{Number: "SV-001", Name: "住民記録サーバ", Kind: "server", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "II"}, State: "in_use"})
		tid := idStr(f.terminal.ID)

		t.Run("the kinds are listed with their articles", func(t *testing.T) {
			expect(t, f.applicant.get("/requests/new"), http.StatusOK, "持ち出し・貸出・廃棄", "端末、電磁的記録媒体、情報資産及びソフトウェアの外部への持ち出し",
				"第2章 5(1)①ウ(イ)", `href="/requests/new?kind=take_out"`, "情報セキュリティ管理者")
		})
		t.Run("the asset picker offers only the assets the kind covers", func(t *testing.T) {
			r := f.applicant.get("/requests/new?kind=security_setting_change")
			expect(t, r, http.StatusOK, "T-001", "この申請の対象になる情報資産だけ")
			lacks(t, r, "SV-001")
			expect(t, f.applicant.get("/requests/new?kind=take_out"), http.StatusOK, "T-001", "SV-001")
			r = f.applicant.post("/requests/new?kind=take_out", url.Values{"find": {"1"}, "asset_q": {"SV-"}, "fields.destination": {"県庁"}})
			expect(t, r, http.StatusOK, "SV-001", `value="県庁"`)
			lacks(t, r, "T-001")
			expect(t, f.applicant.get("/assets/"+tid), http.StatusOK, `href="/requests/new?kind=take_out&amp;asset=`+tid+`"`)
			expect(t, f.applicant.get("/requests/new?kind=take_out&asset="+tid), http.StatusOK, `value="`+tid+`" checked`)
		})

		form := url.Values{"asset_ids": {tid}, "fields.out_date": {"2026-04-01"}, "fields.return_date": {"2026-04-03"}, "comment": {"研修会場で使用"}}
		var href string
		t.Run("a field error is shown by its field and what was typed is kept", func(t *testing.T) {
			r := f.applicant.post("/requests/new?kind=take_out", form)
			expect(t, r, http.StatusUnprocessableEntity, "「持ち出し先」を入力してください。", `href="#f-fields-destination"`,
				`id="e-fields-destination"`, `value="2026-04-03"`, `value="`+tid+`" checked`, "研修会場で使用")
		})
		t.Run("filing with an attachment", func(t *testing.T) {
			form.Set("fields.destination", "県庁研修室")
			r := f.applicant.postFiles("/requests/new?kind=take_out", form, "attachments", "計画.pdf", "application/pdf", []byte("%PDF-1.4\n%%EOF\n"))
			expect(t, r, http.StatusSeeOther, "/requests/")
			href = r.location
			r = f.applicant.get(href)
			expect(t, r, http.StatusOK, "申請しました", "決裁待ち", "県庁研修室", "令和8年4月3日", "T-001", "計画.pdf", "kanri")
			lacks(t, r, `value="approve"`, "pending")
			expect(t, f.applicant.get("/requests"), http.StatusOK, "端末、電磁的記録媒体", "決裁待ち")
			expect(t, f.applicant.get("/requests?state=approved"), http.StatusOK, "全0件")
		})
		t.Run("attachments are downloaded, never shown inline", func(t *testing.T) {
			link := regexp.MustCompile(`href="(/requests/\d+/attachments/\d+)"`).FindStringSubmatch(f.applicant.get(href).body)
			if link == nil {
				t.Fatal("no attachment link")
			}
			req, _ := http.NewRequest(http.MethodGet, f.srv.URL+link[1], nil)
			res, err := f.applicant.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			h := res.Header
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF")) {
				t.Fatalf("download: %d %v", res.StatusCode, h)
			}
			expect(t, f.outsider.get(link[1]), http.StatusNotFound)
		})
		t.Run("without the role: no buttons, and the service refuses", func(t *testing.T) {
			r := f.onlooker.get(href)
			expect(t, r, http.StatusOK, "県庁研修室")
			lacks(t, r, `value="approve"`, "/decide")
			expect(t, f.onlooker.post(href+"/decide", url.Values{"decision": {"approve"}, "version": {versionOf(t, f.applicant.get(href))}}), http.StatusForbidden)
			expect(t, f.outsider.get(href), http.StatusNotFound)
			expect(t, f.outsider.post(href+"/decide", url.Values{"decision": {"approve"}, "version": {"1"}}), http.StatusForbidden)
		})
		t.Run("the approver finds it waiting, a stale version is a conflict, then approves", func(t *testing.T) {
			r := f.approver.get("/requests/inbox")
			expect(t, r, http.StatusOK, "承認待ち 1件", href, "窓口 花子")
			r = f.approver.get(href)
			expect(t, r, http.StatusOK, `value="approve"`, `value="send_back"`, `value="reject"`, "情報セキュリティ管理者")
			v := versionOf(t, r)
			r = f.approver.post(href+"/decide", url.Values{"decision": {"approve"}, "version": {"99"}, "comment": {"古い画面から"}})
			expect(t, r, http.StatusConflict, "他の承認者が先に判断しました", "決裁待ち")
			expect(t, f.approver.post(href+"/decide", url.Values{"decision": {"approve"}, "version": {v}}), http.StatusSeeOther, href)
			r = f.applicant.get(href)
			expect(t, r, http.StatusOK, "承認済み", "承認する", "kanri", "本人", "令和8年4月1日 09:00", "持ち出しを記録する")
			expect(t, f.approver.get("/requests/inbox"), http.StatusOK, "あなたを待っている申請はありません")
		})
		t.Run("a returnable request through take-out, overdue, and return", func(t *testing.T) {
			expect(t, f.applicant.post(href+"/take-out", url.Values{"taken_out_on": {"2026-04-01"}, "version": {versionOf(t, f.applicant.get(href))}}),
				http.StatusSeeOther, href)
			expect(t, f.applicant.get(href), http.StatusOK, "持ち出し中", "返却を記録する")
			a, _ := f.s.Assets.Get(context.Background(), f.sys, f.terminal.ID)
			if a.State != "taken_out" {
				t.Fatalf("asset state %q", a.State)
			}
			f.now = f.now.Add(5 * 24 * time.Hour)
			manager := f.login(t, "kanri")
			expect(t, manager.get("/requests/inbox"), http.StatusOK, "返却期限を過ぎているもの", "3日超過", "令和8年4月3日")
			back := f.login(t, "shinsei")
			r := back.post(href+"/return", url.Values{"returned_on": {"2026-04-07"}, "version": {versionOf(t, back.get(href))}})
			expect(t, r, http.StatusUnprocessableEntity, "未来の日付は記録できません", `href="#f-returned_on"`)
			expect(t, back.post(href+"/return", url.Values{"returned_on": {"2026-04-06"}, "version": {versionOf(t, back.get(href))}}), http.StatusSeeOther)
			expect(t, back.get(href), http.StatusOK, "返却済み", "令和8年4月6日")
			f.applicant, f.approver = back, manager
		})
		t.Run("send back, resubmit, reject", func(t *testing.T) {
			r := f.applicant.post("/requests/new?kind=private_pc", url.Values{"fields.device": {"私物ノートPC"}, "fields.importance": {"IV"}})
			expect(t, r, http.StatusSeeOther)
			pc := r.location
			v := versionOf(t, f.approver.get(pc))
			r = f.approver.post(pc+"/decide", url.Values{"decision": {"send_back"}, "version": {v}})
			expect(t, r, http.StatusUnprocessableEntity, "理由をコメントに入力してください", `href="#f-comment"`)
			expect(t, f.approver.post(pc+"/decide", url.Values{"decision": {"send_back"}, "version": {v}, "comment": {"機種名を書いてください"}}), http.StatusSeeOther)
			r = f.applicant.get(pc)
			expect(t, r, http.StatusOK, "差戻し", "機種名を書いてください", pc+"/edit")
			lacks(t, r, "sent_back")
			r = f.applicant.get(pc + "/edit")
			expect(t, r, http.StatusOK, "再申請", `value="私物ノートPC"`, `value="IV" selected`)
			v = versionOf(t, r)
			expect(t, f.applicant.post(pc+"/resubmit", url.Values{"fields.device": {"私物ノートPC（機種A）"}, "fields.importance": {"IV"}, "version": {v}}),
				http.StatusSeeOther, pc)
			r = f.approver.get(pc)
			expect(t, r, http.StatusOK, "決裁待ち", "私物ノートPC（機種A）", "再申請する")
			expect(t, f.approver.post(pc+"/decide", url.Values{"decision": {"reject"}, "version": {versionOf(t, r)}, "comment": {"認められません"}}), http.StatusSeeOther)
			r = f.applicant.get(pc)
			expect(t, r, http.StatusOK, "却下", "認められません")
			lacks(t, r, "/edit", "/cancel")
		})
		t.Run("a request without a form prints as a generic 申請書", func(t *testing.T) {
			expect(t, f.applicant.get(href+"/print"), http.StatusOK, "申請書", "form-sheet", "窓口 花子", "印", "令和8年4月1日")
		})
	})
}

// TestRequestPickerAmongManyAssets: a department with hundreds of assets, of which few are
// covered, still finds the covered ones, and says when a search should be narrowed.
func TestRequestPickerAmongManyAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		ctx := context.Background()
		for i := range 300 {
			kind := "server"
			if i%100 == 99 {
				kind = "terminal"
			}
			in := asset.Input{Number: "A-" + pad3(i), Name: "資産", Kind: kind, DepartmentID: f.civic.ID, Class: map[string]string{"importance": "III"}, State: "in_use"}
			if _, err := f.s.Assets.Create(ctx, f.sys, in); err != nil {
				t.Fatal(err)
			}
		}
		r := f.applicant.get("/requests/new?kind=security_setting_change")
		expect(t, r, http.StatusOK, "A-099", "A-199", "A-299")
		lacks(t, r, "A-098", "ほかにも該当する資産があります")
		r = f.applicant.get("/requests/new?kind=take_out")
		expect(t, r, http.StatusOK, "A-000", "ほかにも該当する資産があります")
		lacks(t, r, "A-299")
	})
}

func pad3(i int) string { s := "00" + idStr(int64(i)); return s[len(s)-3:] }
