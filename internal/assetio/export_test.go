package assetio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// export writes the organisation's register in a format.
func (e *env) export(who access.Actor, f asset.Filter, format assetio.Format) []byte {
	e.t.Helper()
	var b bytes.Buffer
	if err := assetio.Export(context.Background(), e.s.Assets, who, f, format, &b); err != nil {
		e.t.Fatalf("export %s: %v", format, err)
	}
	return b.Bytes()
}

// richRegister fills the organisation with assets that use every field, among them text a
// spreadsheet would take for a formula.
func richRegister(t *testing.T, e *env) {
	t.Helper()
	rows := kishiwadaRows()
	rows[0] = append(rows[0], "関連システム", "複製の保管場所", "廃棄日", "盗難防止用ワイヤー等の対策", "権限を停止する認証失敗回数", "廃棄・リース返却等の日")
	rows[1] = append(rows[1], "=HYPERLINK(\"http://example.invalid\",\"x\")", "+81-3-0000", "", "○", "3", "令和9年3月31日")
	rows[2] = append(rows[2], "@SUM(A1)", "-", "", "×", "", "")
	rows[3] = append(rows[3], "", "別館", "", "", "", "")
	rows[4][10] = "廃棄済"
	rows[4] = append(rows[4], "", "", "2026/3/31", "", "", "")
	if rep := e.load("台帳.csv", csvFile(rows...), assetio.Options{}); rep.Created != 4 {
		t.Fatalf("%+v%s", rep, rowErrors(rep))
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		richRegister(t, e)
		want := register(e)
		for i, format := range []assetio.Format{assetio.XLSX, assetio.CSV, assetio.CSVSJIS} {
			t.Run(string(format), func(t *testing.T) {
				file := e.export(e.admin, asset.Filter{}, format)
				fresh := e.anotherOrg("rt"+itoa(i), "kishiwada")
				rep := fresh.load("台帳."+string(format), file, assetio.Options{})
				if !rep.Applied || rep.Created != 4 {
					t.Fatalf("%+v%s", rep, rowErrors(rep))
				}
				if got := register(fresh); got != want {
					t.Fatalf("after the round trip\n%s\nbefore\n%s", got, want)
				}
				for _, v := range rep.Mapping {
					if v == "" {
						t.Errorf("an exported column is not imported: %v", rep.Mapping)
					}
				}
			})
		}
	})
}

func TestExportMultiAxis(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "yamagata")
		in := asset.Input{Number: "S-1", Name: "住民情報システム", Kind: "system", DepartmentID: e.soumu,
			Class: map[string]string{"confidentiality": "3", "integrity": "2", "availability": "1"}, Attrs: map[string]any{"mirrored": true}}
		if _, err := e.s.Assets.Create(context.Background(), e.admin, in); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(e.export(e.admin, asset.Filter{}, assetio.CSV)[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := strings.Join(recs[0], ",")
		if !strings.Contains(head, "管理責任者,機密性,完全性,可用性,ネットワーク区分,セキュリティ区画") || !strings.Contains(strings.Join(recs[1], ","), "情報システム,総務課,100,,3,2,1") {
			t.Fatalf("export:\n%q", recs)
		}
		fresh := e.anotherOrg("y2", "yamagata")
		if rep := fresh.load("x.csv", e.export(e.admin, asset.Filter{}, assetio.XLSX), assetio.Options{}); rep.Created != 1 || register(fresh) != register(e) {
			t.Fatalf("%+v%s\n%s", rep, rowErrors(rep), register(fresh))
		}
	})
}

func TestExportNeutralisesFormulas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		richRegister(t, e)
		text := string(e.export(e.admin, asset.Filter{}, assetio.CSV))
		for _, want := range []string{`"'=HYPERLINK(""http://example.invalid"",""x"")"`, "'+81-3-0000", "'@SUM(A1)", "'-"} {
			if !strings.Contains(text, want) {
				t.Errorf("CSV lacks %q:\n%s", want, text)
			}
		}
		sj, err := japanese.ShiftJIS.NewDecoder().String(string(e.export(e.admin, asset.Filter{}, assetio.CSVSJIS)))
		if err != nil || !strings.Contains(sj, "'@SUM(A1)") || !strings.HasPrefix(sj, "管理番号,") {
			t.Errorf("Shift_JIS CSV: %v\n%s", err, sj)
		}
		f, err := excelize.OpenReader(bytes.NewReader(e.export(e.admin, asset.Filter{}, assetio.XLSX)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows(assetio.SheetName)
		var cells []string
		for _, r := range rows {
			cells = append(cells, r...)
		}
		joined := strings.Join(cells, "|")
		if !strings.Contains(joined, "|'=HYPERLINK(") || !strings.Contains(joined, "|'@SUM(A1)|") || strings.Contains(joined, "|=") {
			t.Errorf("xlsx cells: %q", cells)
		}
		for _, r := range rows {
			for i := range r {
				if formula, _ := f.GetCellFormula(assetio.SheetName, cellName(i+1, 2)); formula != "" {
					t.Errorf("a cell holds a formula: %s", formula)
				}
			}
		}
	})
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

func TestExportFollowsTheFilterAndVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		richRegister(t, e)
		count := func(b []byte) int {
			recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return len(recs) - 1
		}
		if n := count(e.export(e.admin, asset.Filter{Kind: "terminal"}, assetio.CSV)); n != 2 {
			t.Errorf("kind filter: %d rows", n)
		}
		if n := count(e.export(e.admin, asset.Filter{DepartmentID: e.zeimu}, assetio.CSV)); n != 2 {
			t.Errorf("department filter: %d rows", n)
		}
		clerk := access.Actor{OrgID: e.admin.OrgID, UserID: 7, Login: "c", DepartmentID: e.soumu}
		if n := count(e.export(clerk, asset.Filter{}, assetio.CSV)); n != 2 {
			t.Errorf("a 総務課 clerk exported %d rows", n)
		}
		if err := assetio.Export(context.Background(), e.s.Assets, e.admin, asset.Filter{}, "pdf", &bytes.Buffer{}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("pdf: %v", err)
		}
	})
}

func TestExportShiftJISReplacesWhatItCannotHold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		in := asset1("U-1", e.soumu)
		in.Name, in.Note = "𠮷野家の端末 ①", "髙橋さん管理 🙂"
		if _, err := e.s.Assets.Create(context.Background(), e.admin, in); err != nil {
			t.Fatal(err)
		}
		text, err := japanese.ShiftJIS.NewDecoder().String(string(e.export(e.admin, asset.Filter{}, assetio.CSVSJIS)))
		if err != nil || !strings.Contains(text, "〓野家の端末 ①") || !strings.Contains(text, "髙橋さん管理 〓") {
			t.Fatalf("%v\n%s", err, text)
		}
	})
}

func TestPaging(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), "kishiwada")
	rows := bigRegister(1203)
	if rep := e.load("x.csv", csvFile(rows...), assetio.Options{}); rep.Created != 1203 {
		t.Fatalf("%+v", rep)
	}
	recs, err := csv.NewReader(bytes.NewReader(e.export(e.admin, asset.Filter{}, assetio.CSV)[3:])).ReadAll()
	if err != nil || len(recs) != 1204 || recs[1][0] != "A-000001" || recs[1203][0] != "A-001203" {
		t.Fatalf("%v: %d rows", err, len(recs))
	}
}
