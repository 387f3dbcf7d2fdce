package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// logbookFixture is an organisation on 上毛町's pack (a second-person logbook, a room access
// log with an escort field) with two members of 総務課 signed in.
type logbookFixture struct {
	*registerFixture
	writer, checker *browser
	a, b            org.Staff
	asset           int64
}

func newLogbookFixture(t *testing.T, db *store.DB) *logbookFixture {
	t.Helper()
	ctx := context.Background()
	f := &logbookFixture{registerFixture: &registerFixture{fixture: newFixture(t, db)}}
	o, err := f.s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.sys = access.System(o.ID, "test")
	if _, err := f.s.Policy.Use(ctx, f.sys, "koge"); err != nil {
		t.Fatal(err)
	}
	if f.general, err = f.s.Org.CreateDepartment(ctx, f.sys, org.DepartmentInput{Code: "100", Name: "総務課", Kind: "section", Active: true}); err != nil {
		t.Fatal(err)
	}
	for i, st := range []*org.Staff{&f.a, &f.b} {
		if *st, err = f.s.Org.CreateStaff(ctx, f.sys, org.StaffInput{DepartmentID: f.general.ID, EmployeeNo: "10" + strconv.Itoa(i),
			Name: []string{"上毛 一郎", "上毛 二郎"}[i], Employment: "regular", Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SQL.QueryRowContext(ctx, `INSERT INTO assets (org_id, number, name, kind, department_id, created_at, updated_at)
		VALUES ($1, 'SV-001', '基幹系サーバ', 'server', $2, $3, $3) RETURNING id`, o.ID, f.general.ID, f.now).Scan(&f.asset); err != nil {
		t.Fatal(err)
	}
	f.writer = f.signInStaff(t, "ichiro", f.a.ID)
	f.checker = f.signInStaff(t, "jiro", f.b.ID)
	return f
}

func TestLogbookPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newLogbookFixture(t, db)
		const lb = "/logbooks/system_change_record"
		expect(t, f.writer.get("/logbooks"), http.StatusOK, "システム変更等の作業記録", "第2章 6(1)④イ・ウ", "2名以上で作業し")
		expect(t, f.writer.get(lb+"/new"), http.StatusOK, "作業を確認した者", `name="fields.work"`, `list="assets-list"`, "SV-001")

		form := url.Values{"department_id": {strconv.FormatInt(f.general.ID, 10)}, "fields.system": {"SV-001"},
			"fields.at": {"2026-03-30T09:15"}, "fields.worker": {strconv.FormatInt(f.a.ID, 10)},
			"fields.confirmer": {strconv.FormatInt(f.b.ID, 10)}}
		expect(t, f.writer.post(lb, form), http.StatusUnprocessableEntity, "「作業内容」を入力してください。", `href="#f-fields-work"`)
		form.Set("fields.work", "基幹系サーバのパッチ適用")
		r := f.writer.post(lb, form)
		expect(t, r, http.StatusSeeOther, lb+"/")
		entry := r.location

		r = f.writer.get(entry)
		expect(t, r, http.StatusOK, "未確認", "基幹系サーバのパッチ適用", "SV-001 基幹系サーバ", "令和8年3月30日 09:15")
		if strings.Contains(r.body, "/confirm") {
			t.Fatal("the writer is offered to confirm their own entry")
		}
		expect(t, f.writer.post(entry+"/confirm", url.Values{"confirmed": {"yes"}}), http.StatusForbidden)

		expect(t, f.checker.get(entry), http.StatusOK, entry+"/confirm")
		expect(t, f.checker.post(entry+"/confirm", nil), http.StatusOK, `name="confirmed"`)
		expect(t, f.checker.post(entry+"/confirm", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther, entry)
		expect(t, f.writer.get(entry), http.StatusOK, "確認済み", "jiro")

		expect(t, f.writer.get(lb+"?q=パッチ"), http.StatusOK, "基幹系サーバのパッチ適用")
		if r := f.writer.get(lb + "?q=存在しない"); strings.Contains(r.body, "パッチ適用") {
			t.Fatal("search found an entry without the words")
		}
		expect(t, f.writer.get(lb+"/print?from=2026-03-01&to=2026-03-31"), http.StatusOK,
			"令和8年3月30日 09:15", "令和8年3月1日 〜 令和8年3月31日", "確認者", "jiro", "令和8年4月1日")

		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+lb+"/export", nil)
		res, err := f.writer.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		res.Body.Close()
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatalf("export does not open: %v", err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "基幹系サーバのパッチ適用") {
			t.Fatalf("rows = %q", rows)
		}

		// A correction is a new entry; the original stays, marked.
		r = f.writer.get(entry + "/correct")
		expect(t, r, http.StatusOK, "基幹系サーバのパッチ適用", `value="SV-001"`, `value="2026-03-30T09:15"`)
		form.Set("fields.work", "基幹系サーバのパッチ適用（再起動を含む）")
		r = f.writer.post(entry+"/correct", form)
		expect(t, r, http.StatusSeeOther)
		expect(t, f.writer.get(entry), http.StatusOK, "訂正済み", r.location)

		// A visitor in the room access log needs an escort.
		visit := url.Values{"department_id": {strconv.FormatInt(f.general.ID, 10)}, "visitor": {"on"},
			"fields.person": {"保守業者 田中"}, "fields.entered_at": {"2026-03-31T10:00"}}
		expect(t, f.writer.post("/logbooks/room_access", visit), http.StatusUnprocessableEntity, "立ち会う職員を選んでください")
		visit.Set("fields.escort", strconv.FormatInt(f.b.ID, 10))
		expect(t, f.writer.post("/logbooks/room_access", visit), http.StatusSeeOther)
	})
}

// visitLogbookPages renders every logbook page once for the administration test's check that
// each template is used: 岸和田市's work record, written by a platform administrator.
func visitLogbookPages(t *testing.T, b *browser, deptID, staffID string) {
	t.Helper()
	const lb = "/logbooks/work_record"
	expect(t, b.get("/logbooks"), http.StatusOK, "情報システム担当者の作業の記録", "第2章 7(2)④")
	expect(t, b.get(lb+"/new"), http.StatusOK, `name="fields.worker"`)
	r := b.post(lb, url.Values{"department_id": {deptID}, "fields.at": {"2026-04-01T09:00"}, "fields.worker": {staffID}, "fields.work": {"バックアップ媒体の交換"}})
	expect(t, r, http.StatusSeeOther, lb+"/")
	expect(t, b.get(r.location), http.StatusOK, "バックアップ媒体の交換")
	expect(t, b.get(lb), http.StatusOK, "バックアップ媒体の交換")
	expect(t, b.get(lb+"/print"), http.StatusOK, "バックアップ媒体の交換", "09:00")
}
