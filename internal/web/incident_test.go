package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var incidentRe = regexp.MustCompile(`^/incidents/(\d+)/reported$`)

// reportForm is a report on 上毛町's pack with every report item but the file.
func reportForm(title string) url.Values {
	return url.Values{"title": {title}, "detected_at": {"2026-04-01T08:30"}, "items.situation": {"添付ファイルを開いたら画面が暗転した"},
		"items.suspected_act": {"不審メールの添付ファイル"}, "items.damage": {"窓口端末1台"}}
}

// lineOf finds the checklist line from → to of an incident.
func lineOf(t *testing.T, f *requestFixture, id int64, from, to string) incident.ChecklistStep {
	t.Helper()
	in, err := f.s.Incidents.Get(context.Background(), f.sys, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range in.Checklist {
		if n.From == from && n.To == to {
			return n
		}
	}
	t.Fatalf("no line %s → %s in %+v", from, to, in.Checklist)
	return incident.ChecklistStep{}
}

func TestIncidentPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		network := f.signInHolder(t, "network", "network_admin")
		other := f.signInHolder(t, "network2", "network_admin")
		chief := f.signInHolder(t, "chief", "chief")
		clerk := f.applicant
		log := []byte("2026-04-01 08:29 smtp: 添付ファイル invoice.zip を受信\n")

		var href string
		var id int64
		t.Run("the form asks the pack's items, with the detection time already now", func(t *testing.T) {
			r := clerk.get("/incidents/new")
			expect(t, r, http.StatusOK, "事案の状況", "想定される行為", "記録", `value="2026-04-01T09:00"`, "ネットワーク管理者、情報システム管理者",
				"緊急時対応計画 3(1)①", `href="/incidents/new"`, `<option value="serious_damage" >重大な被害が生じるおそれ</option>`,
				"サイバーテロその他情報資産及び住民に重大な被害が生じるおそれのあるとき", "あなたが今すること", `data-steps="next-steps"`, "incident_report.")
			if strings.Contains(r.body, `記録 <span class="badge-required">`) {
				t.Error("the file item is marked required")
			}
		})
		t.Run("a report needs no file and may name its category", func(t *testing.T) {
			form := reportForm("窓口端末の画面に警告")
			form.Set("category", "system_damage")
			r := clerk.post("/incidents/new", form)
			expect(t, r, http.StatusSeeOther)
			in, err := f.s.Incidents.Get(context.Background(), f.sys, mustInt(t, incidentRe.FindStringSubmatch(r.location)[1]))
			if err != nil || in.Category != "system_damage" || len(in.Evidence) != 0 {
				t.Fatalf("%+v %v", in.Category, err)
			}
			expect(t, clerk.get(r.location), http.StatusOK, "あなたが今すること", "発見者の報告")
		})
		t.Run("a field error is shown by its field and what was typed is kept", func(t *testing.T) {
			form := reportForm("不審メールの添付を開いた")
			form.Del("items.damage")
			r := clerk.postFiles("/incidents/new", form, "files.records", "mail.txt", "text/plain", log)
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-items-damage"`, `id="e-items-damage"`, `value="不審メールの添付を開いた"`,
				"添付ファイルを開いたら画面が暗転した", `<a href="#f-items-damage">確認した被害及び影響範囲（事案の種類、損害規模、復旧に要する額等）：`)
		})
		t.Run("a report is saved and says who was told", func(t *testing.T) {
			r := clerk.postFiles("/incidents/new", reportForm("不審メールの添付を開いた"), "files.records", "mail.txt", "text/plain", log)
			expect(t, r, http.StatusSeeOther)
			m := incidentRe.FindStringSubmatch(r.location)
			if m == nil {
				t.Fatalf("redirected to %q", r.location)
			}
			id, href = mustInt(t, m[1]), "/incidents/"+m[1]
			expect(t, clerk.get(r.location), http.StatusOK, "報告しました", "次の方に通知しました", "ネットワーク管理者: network",
				"LANケーブルの即時取り外し")
			expect(t, clerk.get(href), http.StatusOK, "判断待ち", "mail.txt", "令和8年4月1日 08:30")
		})
		t.Run("only a first recipient gets the triage form", func(t *testing.T) {
			lacks(t, clerk.get(href), `action="`+href+`/triage"`)
			expect(t, f.outsider.get(href), http.StatusNotFound)
			r := network.get("/incidents")
			expect(t, r, http.StatusOK, "不審メールの添付を開いた", "判断待ち")
			expect(t, network.get(href), http.StatusOK, `action="`+href+`/triage"`, "重大な被害が生じるおそれ")
			expect(t, clerk.post(href+"/triage", url.Values{"is_incident": {"yes"}, "severity": {"high"}, "version": {"1"}}), http.StatusForbidden)
		})
		t.Run("the first recipient triages and the checklist shows deadlines with the source's words", func(t *testing.T) {
			r := network.post(href+"/triage", url.Values{"form": {"triage"}, "version": {"1"}, "is_incident": {"yes"}, "category": {"crime"}})
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-triage-severity"`)
			r = network.post(href+"/triage", url.Values{"form": {"triage"}, "version": {"1"}, "is_incident": {"yes"}, "category": {"crime"},
				"severity": {"high"}, "routes": {"internal_report"}})
			expect(t, r, http.StatusSeeOther, href)
			r = network.get(href)
			expect(t, r, http.StatusOK, "対応中", "連絡のチェックリスト", "ネットワーク管理者 → 統括情報セキュリティ責任者", "「速やかに」",
				"期限 令和8年4月2日 09:00", "第2章 5(3)①", "警察及び関係機関", "期限なし", "高")
		})
		t.Run("a line is ticked by whoever must make it, refused to anyone else", func(t *testing.T) {
			n := lineOf(t, f, id, "network_admin", "chief")
			tick := href + "/checklist/" + idStr(n.ID)
			lacks(t, clerk.get(href), `action="`+tick+`"`)
			expect(t, clerk.post(tick, url.Values{"means": {"phone"}}), http.StatusForbidden, "ネットワーク管理者が行い記録します")
			expect(t, network.post(tick, url.Values{"form": {"tick-" + idStr(n.ID)}, "at": {"2026-04-02T09:00"}, "means": {"phone"}}),
				http.StatusUnprocessableEntity, "未来の日時は記録できません")
			expect(t, network.post(tick, url.Values{"form": {"tick-" + idStr(n.ID)}, "means": {"phone"}, "note": {"統括に電話で報告"}}), http.StatusSeeOther)
			r := network.get(href)
			expect(t, r, http.StatusOK, "連絡済み", "統括に電話で報告")
			lacks(t, r, `action="`+tick+`"`)
		})
		t.Run("evidence is kept with its hash and sent only as an attachment", func(t *testing.T) {
			r := network.postFiles(href+"/evidence", url.Values{"form": {"evidence"}, "description": {"メールサーバのログ"}}, "file", "invoice.pdf.exe",
				"application/octet-stream", []byte("MZ\x90\x00"))
			expect(t, r, http.StatusUnprocessableEntity, "ファイル名に使えない文字・名前・拡張子", `href="#f-evidence-file"`, "メールサーバのログ")
			body := []byte("Apr  1 08:29:01 mx postfix: from=<x@example.invalid>\n")
			r = network.postFiles(href+"/evidence", url.Values{"form": {"evidence"}, "description": {"メールサーバのログ"}}, "file", "maillog.txt", "text/plain", body)
			expect(t, r, http.StatusSeeOther)
			sum := sha256.Sum256(body)
			r = network.get(href)
			expect(t, r, http.StatusOK, "maillog.txt", hex.EncodeToString(sum[:]), "20MB")
			link := regexp.MustCompile(`href="(` + href + `/evidence/\d+)" download>maillog`).FindStringSubmatch(r.body)
			if link == nil {
				t.Fatal("no evidence link")
			}
			res, err := network.c.Get(f.srv.URL + link[1])
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			h := res.Header
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || string(got) != string(body) {
				t.Fatalf("download: %d %v %q", res.StatusCode, h, got)
			}
			expect(t, network.get(href), http.StatusOK, "証拠の閲覧")
		})
		t.Run("what is past its deadline is shown in red to those responsible", func(t *testing.T) {
			f.now = f.now.Add(25 * time.Hour)
			network = f.login(t, "network")
			r := network.get("/incidents")
			expect(t, r, http.StatusOK, "期限を過ぎた連絡", "情報セキュリティ管理者への連絡が期限を過ぎています", `class="is-overdue"`, "status--ng")
			expect(t, network.get(href), http.StatusOK, "checklist__line is-overdue")
			chief = f.login(t, "chief")
			expect(t, chief.get("/incidents"), http.StatusOK, "期限を過ぎた連絡", "情報セキュリティに関する統一的な窓口への連絡が期限を過ぎています")
			clerk, other = f.login(t, "shinsei"), f.login(t, "network2")
		})
		t.Run("a restricted incident is not found by other staff", func(t *testing.T) {
			r := clerk.postFiles("/incidents/new", reportForm("職員による持ち出しの疑い"), "files.records", "memo.txt", "text/plain", log)
			expect(t, r, http.StatusSeeOther, "/reported")
			secret := strings.TrimSuffix(r.location, "/reported")
			expect(t, other.get(secret), http.StatusOK)
			expect(t, network.post(secret+"/triage", url.Values{"version": {"1"}, "is_incident": {"yes"}, "category": {"other_damage"},
				"severity": {"medium"}, "restricted": {"on"}}), http.StatusSeeOther)
			expect(t, network.get(secret), http.StatusOK, "限定公開")
			expect(t, other.get(secret), http.StatusNotFound)
			expect(t, other.get(secret+"/print"), http.StatusNotFound)
			lacks(t, other.get("/incidents"), "職員による持ち出しの疑い")
			expect(t, clerk.get(secret), http.StatusOK, "職員による持ち出しの疑い")
		})
		t.Run("a report from outside names its reporter", func(t *testing.T) {
			form := reportForm("住民から不審な電話の通報")
			r := clerk.postFiles("/incidents/new?outside=1", form, "files.records", "call.txt", "text/plain", log)
			expect(t, r, http.StatusUnprocessableEntity, `href="#f-outside-reporter"`, `value="住民から不審な電話の通報"`)
			form.Set("outside.reporter", "上毛 太郎")
			form.Set("outside.contact", "0930-00-0000")
			r = clerk.postFiles("/incidents/new?outside=1", form, "files.records", "call.txt", "text/plain", log)
			expect(t, r, http.StatusSeeOther)
			expect(t, clerk.get(r.location), http.StatusOK, "上毛 太郎（0930-00-0000）")
		})
		t.Run("the 緊急連絡網 warns of roles without holders and holders without numbers", func(t *testing.T) {
			r := chief.get("/incidents/contacts")
			expect(t, r, http.StatusOK, "緊急連絡網", "最高情報セキュリティ責任者（CISO）", "担当者がいません", "電話番号がありません", "network", "確認が必要な箇所が")
			expect(t, clerk.get("/incidents/contacts"), http.StatusForbidden)
		})
		t.Run("the printed report and the statistics are in 和暦", func(t *testing.T) {
			r := network.get(href + "/print")
			expect(t, r, http.StatusOK, "事案報告書", "form-sheet", "令和8年4月1日 08:30", "令和8年4月2日", "統括に電話で報告", "テスト町")
			r = network.get("/incidents/stats")
			expect(t, r, http.StatusOK, "事案の統計", "令和8年4月1日から令和9年3月31日まで", "不審メールの添付を開いた")
		})
	})
}

// visitIncidentPages renders every incident page once on the administration test's organisation:
// a member of staff holding an organisation-wide security role of its pack reports and reads.
func visitIncidentPages(t *testing.T, f *fixture, deptID string) {
	t.Helper()
	ctx := context.Background()
	sys := f.s.Org
	o, _ := f.s.Org.First(ctx)
	pack, _, err := f.s.Policy.Active(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sys.CreateStaff(ctx, access.System(o.ID, "test"), org.StaffInput{DepartmentID: mustInt(t, deptID), EmployeeNo: "I-1", Name: "報告 一郎", Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range pack.Roles {
		if r.Security && r.Scope == "organization" && !r.AllStaff {
			if _, err := sys.AssignRole(ctx, access.System(o.ID, "test"), org.RoleAssignment{RoleID: r.ID, Scope: "organization", HolderStaffID: st.ID}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	_, temp, err := f.s.Auth.CreateUser(ctx, access.System(o.ID, "test"), auth.NewUser{Login: "hokoku", DisplayName: "報告 一郎", StaffID: st.ID, Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	expect(t, b.post("/login", url.Values{"login": {"hokoku"}, "password": {temp}}), http.StatusSeeOther)
	b.changedPassword(b.post("/account/password", url.Values{"current": {temp}, "new": {staffPW}, "confirm": {staffPW}}), "hokoku")
	expect(t, b.get("/incidents/new"), http.StatusOK)
	form := url.Values{"title": {"画面表示の確認"}, "detected_at": {f.now.In(time.FixedZone("JST", 9*3600)).Format(localLayout)}}
	input := "evidence"
	for _, it := range pack.Incident.ReportItems {
		switch it.Type {
		case "file":
			input = "files." + it.ID
		case "text", "textarea":
			form.Set("items."+it.ID, "確認")
		case "enum":
			form.Set("items."+it.ID, it.Values[0])
		}
	}
	r := b.postFiles("/incidents/new", form, input, "log.txt", "text/plain", []byte("log\n"))
	expect(t, r, http.StatusSeeOther)
	href := strings.TrimSuffix(r.location, "/reported")
	for _, path := range []string{r.location, href, href + "/print", "/incidents", "/incidents/contacts", "/incidents/stats"} {
		expect(t, b.get(path), http.StatusOK)
	}
}
