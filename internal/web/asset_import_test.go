package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// importSheet is a 課's register in which the column 呼称 (the name) is not recognised and 区分,
// which holds the 重要度, is taken for the network segment: the mapping step corrects both.
// Rows 3 and 4 are bad: a level the pack lacks, and a zone it lacks.
func importSheet() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll([][]string{
		{"管理番号", "呼称", "種別", "担当課", "区分", "区画", "備考"},
		{"PC-001", "業務用端末 1", "パソコン", "総務課", "A", "L2", ""},
		{"PC-002", "業務用端末 2", "端末", "総務課", "Z", "L2", "分類の誤り"},
		{"PC-003", "業務用端末 3", "端末", "市民課", "B", "L9", "区画の誤り"},
		{"MD-001", "USBメモリ", "USBメモリ", "市民課", "C", "L3", ""},
	})
	return b.Bytes()
}

// correctedMapping is the mapping form with the user's corrections.
var correctedMapping = url.Values{"col.0": {"number"}, "col.1": {"name"}, "col.2": {"kind"}, "col.3": {"department"},
	"col.4": {"class.importance"}, "col.5": {"zone"}, "col.6": {"note"}}

var jobPathRe = regexp.MustCompile(`^/assets/import/jobs/\d+$`)

// startImport uploads a file and returns its job's path.
func startImport(t *testing.T, b *browser, name string, data []byte) string {
	t.Helper()
	r := b.upload("/assets/import", "file", name, data)
	expect(t, r, http.StatusSeeOther)
	if !jobPathRe.MatchString(r.location) {
		t.Fatalf("upload went to %q", r.location)
	}
	return r.location
}

func (f *registerFixture) numbers(t *testing.T) []string {
	t.Helper()
	list, _, err := f.s.Assets.List(context.Background(), f.sys, asset.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range list {
		out = append(out, a.Number)
	}
	slices.Sort(out)
	return out
}

func TestAssetImportFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		b := f.admin
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		f.web.imports.Go = func(work func()) { work() } // applies finish before their redirect

		expect(t, b.get("/assets"), http.StatusOK, `href="/assets/import"`)
		expect(t, b.get("/assets/import"), http.StatusOK, "台帳の取り込み", `enctype="multipart/form-data"`, "50 MB")
		job := startImport(t, b, "台帳.csv", importSheet())

		t.Run("the mapping step shows every header with the guessed field", func(t *testing.T) {
			r := b.get(job)
			expect(t, r, http.StatusOK, "列の対応付け", "台帳.csv", "CSV（UTF-8）", `<label for="f-col-1">呼称</label>`,
				`<label for="f-col-4">区分</label>`, "重要度", "第2章")
			if !regexp.MustCompile(`name="col.4">\s*<option value="-" >`).MatchString(r.body) ||
				!strings.Contains(r.body, `<option value="segment" selected>`) {
				t.Fatalf("区分 is not guessed as the network segment:\n%s", r.body)
			}
			if !strings.Contains(r.body, `name="col.1">`+"\n"+`        <option value="-" selected>`) {
				t.Fatalf("呼称 is not left out by the guess:\n%s", r.body)
			}
		})

		t.Run("the dry run with the corrected mapping reports every bad row and registers nothing", func(t *testing.T) {
			expect(t, b.post(job+"/check", correctedMapping), http.StatusSeeOther, job)
			r := b.get(job)
			expect(t, r, http.StatusOK, "取り込みの確認結果", "2 行にエラーがあります", "正しい 2 行だけを登録する",
				"<td class=\"num\">3</td><td>区分</td>", "<td class=\"num\">4</td><td>区画</td>", "エラーの行をダウンロード")
			lacks(t, r, "すべての行（")
			if n := f.numbers(t); len(n) != 0 {
				t.Fatalf("the dry run registered %v", n)
			}
			csvOut := b.get(job + "/errors")
			expect(t, csvOut, http.StatusOK, "行,列,エラー内容", "3,区分,", "4,区画,")
		})

		t.Run("registering all rows is refused while rows are bad", func(t *testing.T) {
			expect(t, b.post(job+"/apply", url.Values{"mode": {"all"}}), http.StatusConflict, "エラーが 2 件あるため")
			if n := f.numbers(t); len(n) != 0 {
				t.Fatalf("registered %v", n)
			}
		})

		t.Run("the valid rows are registered and the rejected rows are the bad ones", func(t *testing.T) {
			expect(t, b.post(job+"/apply", url.Values{"mode": {"valid"}}), http.StatusSeeOther, job)
			expect(t, b.get(job), http.StatusOK, "2 件の資産を台帳に登録しました", "登録済み")
			if n := f.numbers(t); !slices.Equal(n, []string{"MD-001", "PC-001"}) {
				t.Fatalf("register = %v, want exactly the good rows", n)
			}
			r := b.get(job + "/rejected")
			expect(t, r, http.StatusOK)
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 3 || recs[0][0] != "管理番号" || recs[1][0] != "PC-002" || recs[2][0] != "PC-003" ||
				recs[1][7] != "3" || recs[2][7] != "4" || !strings.Contains(recs[2][8], "区画") {
				t.Fatalf("rejected rows = %q", recs)
			}
			var file []byte
			db.SQL.QueryRow(`SELECT file FROM import_jobs`).Scan(&file)
			if file != nil {
				t.Fatal("the uploaded file is kept after the apply")
			}
			expect(t, b.post(job+"/apply", url.Values{"mode": {"valid"}}), http.StatusConflict)
		})

		t.Run("the corrected mapping is remembered for the next import", func(t *testing.T) {
			r := b.get(startImport(t, b, "台帳2.csv", importSheet()))
			expect(t, r, http.StatusOK, `<option value="class.importance" selected>`, `<option value="name" selected>`)
		})

		t.Run("the import page lists the user's imports", func(t *testing.T) {
			expect(t, b.get("/assets/import"), http.StatusOK, "最近の取り込み", "台帳2.csv", "登録済み")
		})
	})
}

func TestAssetImportJobsAreTheirStarters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		job := startImport(t, f.admin, "台帳.csv", importSheet())
		expect(t, f.admin.post(job+"/check", correctedMapping), http.StatusSeeOther)

		// 窓口 花子 holds a role over 市民課, so she may import too, but not see another's import.
		if _, err := f.s.Org.AssignRole(context.Background(), f.sys, org.RoleAssignment{RoleID: "security_manager",
			Scope: "department", DepartmentID: f.civic.ID, HolderStaffID: f.clerk.ID}); err != nil {
			t.Fatal(err)
		}
		other := f.signInStaff(t, "madoguchi", f.clerk.ID)
		expect(t, other.get("/assets/import"), http.StatusOK)
		for _, path := range []string{job, job + "/status", job + "/rejected", job + "/errors", job + "/mapping"} {
			expect(t, other.get(path), http.StatusNotFound)
		}
		expect(t, other.post(job+"/apply", url.Values{"mode": {"valid"}}), http.StatusNotFound)
		expect(t, other.post(job+"/check", correctedMapping), http.StatusNotFound)
		lacks(t, other.get("/assets/import"), "台帳.csv")
		if n := f.numbers(t); len(n) != 0 {
			t.Fatalf("registered %v", n)
		}
		expect(t, f.admin.get(job+"/status"), http.StatusOK, `"state":"checked"`)

		// Staff without a role may change no department: the import is refused before reading.
		plain, err := f.s.Org.CreateStaff(context.Background(), f.sys, org.StaffInput{DepartmentID: f.general.ID, EmployeeNo: "1002", Name: "総務 一郎", Employment: "regular", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		p := f.signInStaff(t, "soumu", plain.ID)
		expect(t, p.get("/assets/import"), http.StatusForbidden)
		expect(t, p.upload("/assets/import", "file", "台帳.csv", importSheet()), http.StatusForbidden)
	})
}

// status reads a job's progress as the progress page's script does.
func status(t *testing.T, b *browser, job string) importStatus {
	t.Helper()
	r := b.get(job + "/status")
	expect(t, r, http.StatusOK)
	var s importStatus
	if err := json.Unmarshal([]byte(r.body), &s); err != nil {
		t.Fatalf("status %q: %v", r.body, err)
	}
	return s
}

func TestAssetImportProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		b := f.admin
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		var queued []func()
		f.web.imports.InlineBytes = -1 // every dry run is a job, as a large file's is
		f.web.imports.Go = func(work func()) { queued = append(queued, work) }

		job := startImport(t, b, "台帳.csv", importSheet())
		expect(t, b.post(job+"/check", correctedMapping), http.StatusSeeOther, job)
		if len(queued) != 1 {
			t.Fatalf("%d jobs queued", len(queued))
		}

		t.Run("a running job shows its progress, and its status says so", func(t *testing.T) {
			r := b.get(job)
			expect(t, r, http.StatusOK, "取り込みの進み具合", `<progress id="import-progress" data-status="`+job+`/status"`,
				`/static/import.`, `href="`+job+`">最新の状態を表示`)
			if s := status(t, b, job); !s.Running || s.State != "checking" || s.Interrupted {
				t.Fatalf("status = %+v", s)
			}
		})

		t.Run("a job of another process is alive while its heartbeat is fresh", func(t *testing.T) {
			db.SQL.Exec(`UPDATE import_jobs SET runner = 'another', heartbeat_at = $1`, f.now.Add(-time.Minute))
			if s := status(t, b, job); !s.Running {
				t.Fatalf("status = %+v", s)
			}
		})

		t.Run("a job whose process died shows as interrupted and may run again", func(t *testing.T) {
			db.SQL.Exec(`UPDATE import_jobs SET heartbeat_at = $1`, f.now.Add(-10*time.Minute))
			if s := status(t, b, job); s.Running || !s.Interrupted || s.State != "checking" {
				t.Fatalf("status = %+v", s)
			}
			expect(t, b.get(job), http.StatusOK, "処理が中断されました", "中断", "もう一度確認する")
			expect(t, b.get("/assets/import"), http.StatusOK, "中断")

			// Run again with 区画 left out, so that only row 3 is bad.
			f.web.imports.InlineBytes = 0
			without := url.Values{}
			for k, v := range correctedMapping {
				without[k] = v
			}
			without.Set("col.5", "-")
			expect(t, b.post(job+"/check", without), http.StatusSeeOther)
			expect(t, b.get(job), http.StatusOK, "1 行にエラーがあります")
		})

		t.Run("the run taken for dead cannot overwrite the new one", func(t *testing.T) {
			queued[0]() // the first dry run, which would report two bad rows
			if s := status(t, b, job); s.State != "checked" || s.Running {
				t.Fatalf("status = %+v", s)
			}
			expect(t, b.get(job), http.StatusOK, "1 行にエラーがあります")
			expect(t, b.post(job+"/apply", url.Values{"mode": {"valid"}}), http.StatusSeeOther)
			if s := status(t, b, job); !s.Running || s.State != "applying" {
				t.Fatalf("status = %+v", s)
			}
			expect(t, b.get(job), http.StatusOK, "資産を登録しています")
			if n := f.numbers(t); len(n) != 0 {
				t.Fatalf("registered %v before the apply ran", n)
			}
			queued[1]()
			if s := status(t, b, job); s.State != "applied" || s.Running {
				t.Fatalf("status = %+v", s)
			}
			if n := f.numbers(t); !slices.Equal(n, []string{"MD-001", "PC-001", "PC-003"}) {
				t.Fatalf("register = %v", n)
			}
		})
	})
}

func TestAssetImportBadFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, file string
			data       []byte
			want       string
		}{
			{"empty", "台帳.csv", nil, "ファイルが空です"},
			{"not a zip", "台帳.xlsx", importSheet(), "Excel ブック（.xlsx）として読み込めません"},
			{"a PDF", "台帳.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "PDF のファイルは取り込めません"},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := f.admin.upload("/assets/import", "file", c.file, c.data)
				expect(t, r, http.StatusUnprocessableEntity, c.want, `aria-invalid="true"`, `href="#f-file"`)
			})
		}
		t.Run("no file", func(t *testing.T) {
			expect(t, f.admin.post("/assets/import", url.Values{}), http.StatusUnprocessableEntity, "取り込むファイルを選んでください")
		})
		var jobs int
		db.SQL.QueryRow(`SELECT count(*) FROM import_jobs`).Scan(&jobs)
		if jobs != 0 || len(f.numbers(t)) != 0 {
			t.Fatalf("%d jobs kept and %d assets registered from refused files", jobs, len(f.numbers(t)))
		}
		t.Run("in English", func(t *testing.T) {
			expect(t, f.admin.post("/account/lang", url.Values{"lang": {"en"}}), http.StatusSeeOther)
			expect(t, f.admin.upload("/assets/import", "file", "scan.pdf", []byte("%PDF-1.4\n")), http.StatusUnprocessableEntity,
				"A PDF file cannot be imported")
		})
	})
}

// visitImportPages renders each page of the import, for the test that every template is used:
// the upload form, the mapping step, a running job's progress and the report.
func visitImportPages(t *testing.T, f *fixture, b *browser) {
	t.Helper()
	expect(t, b.get("/assets/import"), http.StatusOK)
	job := startImport(t, b, "台帳.csv", importSheet())
	expect(t, b.get(job), http.StatusOK, `name="col.0"`)
	var queued []func()
	f.web.imports.InlineBytes, f.web.imports.Go = -1, func(work func()) { queued = append(queued, work) }
	defer func() { f.web.imports.InlineBytes, f.web.imports.Go = 0, nil }()
	expect(t, b.post(job+"/check", correctedMapping), http.StatusSeeOther)
	expect(t, b.get(job), http.StatusOK, "<progress")
	for _, work := range queued {
		work()
	}
	expect(t, b.get(job), http.StatusOK, job+"/errors")
}

func TestAssetImportFilesAreDroppedAfterADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		b := f.admin
		if _, err := f.s.Policy.Use(context.Background(), f.sys, "kishiwada"); err != nil {
			t.Fatal(err)
		}
		old := startImport(t, b, "台帳.csv", importSheet())
		expect(t, b.post(old+"/check", correctedMapping), http.StatusSeeOther)
		expect(t, b.get(old+"/rejected"), http.StatusOK, "PC-002")

		f.now = f.now.Add(25 * time.Hour)
		b.signInAgain(t)
		startImport(t, b, "台帳2.csv", importSheet())
		var kept int
		db.SQL.QueryRow(`SELECT count(*) FROM import_jobs WHERE file IS NOT NULL`).Scan(&kept)
		if kept != 1 {
			t.Fatalf("%d files kept, want only the new upload's", kept)
		}
		r := b.get(old)
		expect(t, r, http.StatusOK, "アップロードされたファイルは削除されています")
		lacks(t, r, "正しい 2 行だけを登録する", old+"/rejected", old+"/mapping")
		expect(t, b.get(old+"/rejected"), http.StatusConflict)
		expect(t, b.post(old+"/apply", url.Values{"mode": {"valid"}}), http.StatusConflict)
		expect(t, b.get(old+"/errors"), http.StatusOK, "3,区分,") // the report stays
	})
}
