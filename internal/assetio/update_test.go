package assetio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// readCSV reads an export written as CSV with BOM.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// edit sets the cell of the column with header in the row whose first cell is number.
func edit(t *testing.T, rows [][]string, number, header, value string) {
	t.Helper()
	col := -1
	for i, h := range rows[0] {
		if h == header {
			col = i
		}
	}
	for _, r := range rows[1:] {
		if r[0] == number && col >= 0 {
			r[col] = value
			return
		}
	}
	t.Fatalf("no cell %s / %s", number, header)
}

func (e *env) auditCount(action string) int {
	e.t.Helper()
	boss := access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true}
	_, total, err := e.s.Audit.List(context.Background(), boss, auditlog.Filter{Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	return total
}

func TestReimportOfAnEditedExportUpdatesExactlyTheEditedAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "kishiwada")
		richRegister(t, e)
		before := e.all()
		export := e.export(e.admin, asset.Filter{}, assetio.CSV)

		t.Run("without update, every row is a number taken", func(t *testing.T) {
			rep := e.load("台帳.csv", export, assetio.Options{DryRun: true})
			if rep.Valid != 0 || len(rep.Errors) != 4 || rep.Errors[0].Kind != "asset.error.number_taken" {
				t.Fatalf("%+v%s", rep, rowErrors(rep))
			}
		})

		t.Run("an unedited export changes nothing", func(t *testing.T) {
			updates := e.auditCount("asset.update")
			rep := e.load("台帳.csv", export, assetio.Options{Update: true, DryRun: true})
			if len(rep.Errors) > 0 || rep.Unchanged != 4 || rep.Changed != 0 || rep.New != 0 || len(rep.Outcomes) != 0 {
				t.Fatalf("dry run %+v%s", rep, rowErrors(rep))
			}
			rep = e.load("台帳.csv", export, assetio.Options{Update: true})
			if !rep.Applied || rep.Updated != 0 || rep.Created != 0 {
				t.Fatalf("apply %+v", rep)
			}
			if e.auditCount("asset.update") != updates {
				t.Fatal("an unchanged row was written")
			}
			for i, a := range e.all() {
				if !a.UpdatedAt.Equal(before[i].UpdatedAt) {
					t.Fatalf("%s was touched", a.Number)
				}
			}
		})

		t.Run("an edited export updates the edited assets", func(t *testing.T) {
			rows := readCSV(t, export)
			edit(t, rows, "PC-001", "設置場所", "本庁舎3階")
			edit(t, rows, "MD-001", "重要度", "B")
			edit(t, rows, "MD-001", "備考", "金庫から移動")
			file := csvFile(rows...)
			rep := e.load("台帳.csv", file, assetio.Options{Update: true, DryRun: true})
			if len(rep.Errors) > 0 || rep.Changed != 2 || rep.Unchanged != 2 || len(rep.Outcomes) != 2 {
				t.Fatalf("dry run %+v%s", rep, rowErrors(rep))
			}
			var got []string
			for _, o := range rep.Outcomes {
				for _, c := range o.Changes {
					got = append(got, o.Number+" "+c.Label+" "+c.Old+"→"+c.New)
				}
			}
			want := "MD-001 備考 →金庫から移動|MD-001 重要度 A→B|PC-001 設置場所 本庁舎2階→本庁舎3階"
			if strings.Join(sorted(got), "|") != want {
				t.Fatalf("changes %q, want %q", strings.Join(sorted(got), "|"), want)
			}
			updates := e.auditCount("asset.update")
			rep = e.load("台帳.csv", file, assetio.Options{Update: true})
			if !rep.Applied || rep.Updated != 2 || rep.Created != 0 {
				t.Fatalf("apply %+v%s", rep, rowErrors(rep))
			}
			if e.auditCount("asset.update") != updates+2 {
				t.Fatalf("%d update entries, want %d", e.auditCount("asset.update"), updates+2)
			}
			after := e.all()
			for i, a := range after {
				b := before[i]
				switch a.Number {
				case "PC-001":
					b.Location = "本庁舎3階"
				case "MD-001":
					b.Class = map[string]string{"importance": "B"}
					b.TopRank, b.Note = a.TopRank, "金庫から移動"
				default:
					if !a.UpdatedAt.Equal(b.UpdatedAt) {
						t.Fatalf("%s was touched", a.Number)
					}
				}
				a.UpdatedAt = b.UpdatedAt
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				if string(ja) != string(jb) {
					t.Fatalf("after the import\n%s\nwant\n%s", ja, jb)
				}
			}
			// Each change has the entry an edit from the form writes: the asset before and after.
			boss := access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true}
			entries, _, err := e.s.Audit.List(ctx, boss, auditlog.Filter{Action: "asset.update"})
			if err != nil || len(entries) < 2 {
				t.Fatalf("%d entries: %v", len(entries), err)
			}
			for _, entry := range entries[:2] {
				var b, a asset.Asset
				json.Unmarshal([]byte(entry.Before), &b)
				json.Unmarshal([]byte(entry.After), &a)
				if b.Number != a.Number || b.ID == 0 || (a.Location != "本庁舎3階" && a.Note != "金庫から移動") {
					t.Fatalf("entry %+v", entry)
				}
			}
			if _, err := e.s.Audit.Verify(ctx, boss); err != nil {
				t.Fatalf("chain: %v", err)
			}
		})

		t.Run("assets missing from the file are disposed of only when asked", func(t *testing.T) {
			rows := readCSV(t, e.export(e.admin, asset.Filter{}, assetio.CSV))
			var kept [][]string
			for _, r := range rows {
				if r[0] != "PC-002" {
					kept = append(kept, r)
				}
			}
			file := csvFile(kept...)
			if rep := e.load("台帳.csv", file, assetio.Options{Update: true, DryRun: true}); rep.Missing != 0 {
				t.Fatalf("missing without the option: %+v", rep)
			}
			rep := e.load("台帳.csv", file, assetio.Options{Update: true, DisposeMissing: true, DryRun: true})
			if rep.Missing != 1 || len(rep.Outcomes) != 1 || rep.Outcomes[0].Number != "PC-002" || rep.Outcomes[0].Outcome != assetio.OutcomeMissing {
				t.Fatalf("dry run %+v", rep)
			}
			rep = e.load("台帳.csv", file, assetio.Options{Update: true, DisposeMissing: true})
			if rep.Disposed != 1 || rep.Updated != 0 {
				t.Fatalf("apply %+v%s", rep, rowErrors(rep))
			}
			for _, a := range e.all() {
				if want := a.Number == "PC-002" || a.Number == "DOC-001"; want != (a.State == "disposed") || a.DisposedOn == "" && want {
					t.Fatalf("%s is %s", a.Number, a.State)
				}
			}
		})
	})
}

func TestUpdateRefusesAssetsTheImporterMayNotChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		richRegister(t, e)
		rows := readCSV(t, e.export(e.admin, asset.Filter{}, assetio.CSV))
		edit(t, rows, "DOC-001", "設置場所", "別の書庫")
		edit(t, rows, "PC-001", "設置場所", "本庁舎3階")
		// A member of 税務課 who is 総務課's manager reads 税務課's assets and changes 総務課's.
		manager := access.Actor{OrgID: e.admin.OrgID, UserID: 9, Login: "m", DepartmentID: e.zeimu,
			Roles: []access.Grant{{RoleID: "security_manager", Scope: "department", DepartmentID: e.soumu, Security: true}}}
		rep, err := e.im.Import(context.Background(), manager, "x.csv", bytes.NewReader(csvFile(rows...)),
			assetio.Options{Update: true, ValidOnly: true, DisposeMissing: true})
		if err != nil {
			t.Fatal(err)
		}
		// 税務課's two assets are named with why, and nothing of them is disclosed or changed;
		// they are not missing either.
		if rep.Updated != 1 || rep.Disposed != 0 || len(rep.Errors) != 2 || rep.Errors[0].Kind != "asset.error.change_department" ||
			!strings.Contains(rep.Errors[0].Message, "税務課") || rep.Summary[0].Count != 2 {
			t.Fatalf("%+v%s", rep, rowErrors(rep))
		}
		for _, a := range e.all() {
			if a.Number == "DOC-001" && a.Location != "書庫" {
				t.Fatalf("DOC-001 changed: %+v", a)
			}
		}
	})
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
