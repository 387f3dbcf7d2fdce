package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var taskIDs = regexp.MustCompile(`data-task="(\d+)"`)

// firstTask is the id of the first task a list page shows.
func firstTask(t *testing.T, r response) string {
	t.Helper()
	m := taskIDs.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no task on the page:\n%s", r.body)
	}
	return m[1]
}

// visitTaskPages opens every page of the recurring tasks as a holder of 上毛町's ネットワーク管理者,
// then puts the organisation back on its pack.
func visitTaskPages(t *testing.T, f *fixture, deptID string) {
	t.Helper()
	ctx := context.Background()
	o, _ := f.s.Org.First(ctx)
	sys := access.System(o.ID, "test")
	before := o.PackID
	if _, err := f.s.Policy.Use(ctx, sys, "koge"); err != nil {
		t.Fatal(err)
	}
	dept, _ := strconv.ParseInt(deptID, 10, 64)
	st, err := f.s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: dept, EmployeeNo: "T-1", Name: "定期 担当", Employment: "regular", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Org.AssignRole(ctx, sys, orgRole("network_admin", st.ID)); err != nil {
		t.Fatal(err)
	}
	b := (&registerFixture{fixture: f, sys: sys}).signInStaff(t, "teiki", st.ID)
	r := b.get("/tasks?status=current")
	expect(t, r, http.StatusOK, "緊急時対応を想定した訓練を定期的に実施する")
	id := firstTask(t, r)
	expect(t, b.get("/tasks/"+id), http.StatusOK, `action="/tasks/`+id+`/complete"`)
	expect(t, b.get("/tasks/calendar"), http.StatusOK, "4月", "3月")
	expect(t, b.get("/tasks/print"), http.StatusOK, "定期業務一覧")
	if _, err := f.s.Policy.Use(ctx, sys, before); err != nil {
		t.Fatal(err)
	}
}

// postFile posts a multipart form with one file.
func (b *browser) postFile(path string, form url.Values, name string, body []byte) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(body)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.f.srv.URL)
	return b.do(req)
}

func TestTaskPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLogbookFixture(t, db)
		if _, err := f.s.Org.AssignRole(ctx, f.sys, orgRole("network_admin", f.a.ID)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Tasks.Generate(ctx, f.sys.OrgID, 2026); err != nil {
			t.Fatal(err)
		}
		// ネットワーク管理者: 訓練 1, 定期保守 1, ログの点検 12, 遵守状況の確認 2.
		r := f.writer.get("/tasks?year=2026&role=network_admin")
		expect(t, r, http.StatusOK, "全16件", "取得したログを定期的に点検又は分析し", "ネットワーク管理者", "上毛 一郎")
		expect(t, f.checker.get("/tasks?year=2026"), http.StatusOK, "全0件")

		var logReview, drill string
		for _, m := range regexp.MustCompile(`data-task="(\d+)"[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>.*?</td>\s*<td><a href="/tasks/\d+">([^<]+)</a>`).FindAllStringSubmatch(r.body, -1) {
			switch {
			case strings.HasPrefix(m[2], "取得したログ") && logReview == "":
				logReview = m[1]
			case strings.HasPrefix(m[2], "緊急時対応") && drill == "":
				drill = m[1]
			}
		}
		if logReview == "" || drill == "" {
			t.Fatalf("tasks not found on the list")
		}
		expect(t, f.checker.get("/tasks/"+logReview), http.StatusNotFound)

		t.Run("a note closes the log review", func(t *testing.T) {
			path := "/tasks/" + logReview
			expect(t, f.writer.get(path), http.StatusOK, "実施した内容を記入して完了してください。", "第2章 6(1)⑥ウ")
			expect(t, f.writer.postFile(path+"/complete", url.Values{"note": {" "}}, "", nil), http.StatusUnprocessableEntity,
				"実施した内容を記入してください。", `href="#f-note"`)
			expect(t, f.checker.postFile(path+"/complete", url.Values{"note": {"点検済み"}}, "", nil), http.StatusNotFound)
			expect(t, f.writer.postFile(path+"/complete", url.Values{"note": {"4月分のログを点検した"}}, "", nil), http.StatusSeeOther, path)
			expect(t, f.writer.get(path), http.StatusOK, "完了", "4月分のログを点検した", "上毛 一郎")
		})
		t.Run("a file closes the drill, of an accepted kind only", func(t *testing.T) {
			path := "/tasks/" + drill
			expect(t, f.writer.postFile(path+"/complete", nil, "訓練.exe", []byte("MZ")), http.StatusUnprocessableEntity,
				"この種類のファイルは添付できません。")
			pdf := []byte("%PDF-1.4\n訓練記録")
			expect(t, f.writer.postFile(path+"/complete", nil, "訓練記録.pdf", pdf), http.StatusSeeOther, path)
			expect(t, f.writer.get(path), http.StatusOK, "訓練記録.pdf", path+"/file")
			r := f.writer.get(path + "/file")
			if r.status != http.StatusOK || r.body != string(pdf) {
				t.Errorf("file: %d %q", r.status, r.body)
			}
			expect(t, f.checker.get(path+"/file"), http.StatusNotFound)
		})
		t.Run("the list as xlsx and print", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/tasks/export?year=2026&status=done", nil)
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
			if len(rows) != 3 || !strings.Contains(strings.Join(rows[1], "|")+strings.Join(rows[2], "|"), "上毛 一郎") {
				t.Fatalf("rows = %q", rows)
			}
			expect(t, f.writer.get("/tasks/print?year=2026&status=done"), http.StatusOK, "定期業務一覧", "全2件")
		})
		expect(t, f.writer.get("/tasks/calendar?year=2026"), http.StatusOK, "完了 1", "予定 ")
		expect(t, f.writer.get("/tasks?status=bogus"), http.StatusUnprocessableEntity)
		// The committee report counts the year's tasks and lists the overdue ones the reader reads.
		expect(t, f.writer.get("/compliance/report"), http.StatusOK, "定期業務の実施状況（令和8年度）", "期限を過ぎた定期業務")
	})
}
