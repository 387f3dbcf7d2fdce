package assetio_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestImportReadsARegisterAsMunicipalitiesKeepIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "kishiwada")
		rep := e.load("台帳.csv", csvFile(kishiwadaRows()...), assetio.Options{})
		if len(rep.Errors) > 0 || !rep.Applied || rep.Created != 4 || rep.Rows != 4 || rep.Valid != 4 {
			t.Fatalf("report = %+v%s", rep, rowErrors(rep))
		}
		got := e.all()
		a := got[2] // PC-001
		if a.Number != "PC-001" || a.Kind != "terminal" || a.DepartmentID != e.soumu || a.ManagerStaffID != e.yamada ||
			a.Class["importance"] != "A" || a.Segment != "lgwan" || a.Zone != "L2" || a.State != "in_use" ||
			a.AcquiredOn != "2026-04-01" || a.Attrs["mfa"] != true || a.Location != "本庁舎2階" {
			t.Fatalf("PC-001 = %+v", a)
		}
		b := got[3] // ＰＣ－００２, in full width in the file, its department by code and manager by number
		if b.Number != "PC-002" || b.Quantity != 2 || b.DepartmentID != e.soumu || b.ManagerStaffID != e.yamada || b.Attrs["mfa"] != false || b.Note != "予備機" {
			t.Fatalf("PC-002 = %+v", b)
		}
		m := got[1]
		if m.Number != "MD-001" || m.Kind != "media" || m.Quantity != 3 || m.State != "stored" || m.AcquiredOn != "2025-10-01" || m.Class["importance"] != "A" || m.DepartmentID != e.zeimu {
			t.Fatalf("MD-001 = %+v", m)
		}
		d := got[0]
		if d.Number != "DOC-001" || d.Kind != "document" || d.AcquiredOn != "2019-04-30" || d.Quantity != 1 || d.State != "in_use" {
			t.Fatalf("DOC-001 = %+v", d)
		}
		for header, field := range map[string]string{"管理番号": "number", "資産名": "name", "種別": "kind", "担当課": "department", "管理責任者": "manager",
			"重要度": "class.importance", "ネットワーク": "segment", "区画": "zone", "設置場所": "location", "数量": "quantity", "状態": "state",
			"取得日": "acquired_on", "備考": "note", "多要素認証": "attrs.mfa"} {
			if rep.Mapping[header] != field {
				t.Errorf("%s mapped to %q, want %q", header, rep.Mapping[header], field)
			}
		}
		if rep.Encoding != "utf-8" || rep.HeaderRow != 1 {
			t.Errorf("encoding %q, header row %d", rep.Encoding, rep.HeaderRow)
		}

		t.Run("each asset is audited as a registration, in an intact chain", func(t *testing.T) {
			boss := access.Actor{OrgID: e.admin.OrgID, PlatformAdmin: true}
			entries, _, err := e.s.Audit.List(ctx, boss, auditlog.Filter{Action: "asset.create"})
			if err != nil || len(entries) != 4 {
				t.Fatalf("%d audit entries: %v", len(entries), err)
			}
			for _, entry := range entries {
				var after map[string]any
				json.Unmarshal([]byte(entry.After), &after)
				a, err := e.s.Assets.Get(ctx, e.admin, int64(after["id"].(float64)))
				if err != nil {
					t.Fatal(err)
				}
				want, _ := json.Marshal(a)
				if entry.After != string(want) || entry.Actor != "test" {
					t.Fatalf("audit entry records\n%s\nthe register holds\n%s", entry.After, want)
				}
			}
			if r, err := auditlog.Verify(ctx, db.SQL, e.admin.OrgID); err != nil || !r.OK() {
				t.Fatalf("chain after an import: %+v %v", r.Problem, err)
			}
			// The chain goes on after the import.
			if _, err := e.s.Assets.Create(ctx, e.admin, asset1("PC-100", e.soumu)); err != nil {
				t.Fatal(err)
			}
			if r, _ := auditlog.Verify(ctx, db.SQL, e.admin.OrgID); !r.OK() {
				t.Fatalf("chain after an import and a registration: %+v", r.Problem)
			}
		})
	})
}

func TestEncodings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		plain := csvFile(kishiwadaRows()...)
		tsv := strings.ReplaceAll(string(plain), ",", "\t")
		files := []struct {
			name, encoding string
			data           []byte
		}{
			{"utf8.csv", "utf-8", plain},
			{"bom.csv", "utf-8-bom", withBOM(plain)},
			{"sjis.csv", "shift_jis", sjis(t, plain)},
			{"unicode.txt", "utf-16", utf16LE(tsv)},
		}
		var first string
		for i, f := range files {
			o := e
			if i > 0 {
				o = e.anotherOrg("o"+itoa(i), "kishiwada")
			}
			rep := o.load(f.name, f.data, assetio.Options{})
			if rep.Created != 4 || rep.Encoding != f.encoding || len(rep.Errors) > 0 {
				t.Fatalf("%s: %+v%s", f.name, rep, rowErrors(rep))
			}
			got := register(o)
			if first == "" {
				first = got
			} else if got != first {
				t.Fatalf("%s gives\n%s\nutf8.csv gave\n%s", f.name, got, first)
			}
		}
		if !strings.Contains(first, "業務用端末 1") || !strings.Contains(first, "USBメモリ（暗号化）") {
			t.Fatalf("register:\n%s", first)
		}
	})
}

func TestDryRunChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		rep := e.load("台帳.csv", csvFile(kishiwadaRows()...), assetio.Options{DryRun: true})
		if rep.Applied || rep.Created != 0 || rep.Valid != 4 || rep.Rows != 4 || len(rep.Errors) != 0 {
			t.Fatalf("dry run: %+v%s", rep, rowErrors(rep))
		}
		for _, table := range []string{"assets", "asset_levels", "import_mappings"} {
			var n int
			db.SQL.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n)
			if n != 0 {
				t.Errorf("a dry run wrote %d rows to %s", n, table)
			}
		}
		var audits int
		db.SQL.QueryRow(`SELECT count(*) FROM audit_entries WHERE action = 'asset.create'`).Scan(&audits)
		if audits != 0 {
			t.Errorf("a dry run wrote %d audit entries", audits)
		}
	})
}

func TestBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "kishiwada")
		if _, err := e.s.Assets.Create(ctx, e.admin, asset1("OLD-001", e.soumu)); err != nil {
			t.Fatal(err)
		}
		header := []string{"管理番号", "名称", "種別", "所属", "管理責任者", "重要度", "ネットワーク区分", "区画", "数量", "状態", "取得日", "廃棄日"}
		ok := func(n string) []string {
			return []string{n, "端末", "端末", "総務課", "", "B", "", "L2", "1", "使用中", "2026-04-01", ""}
		}
		rows := [][]string{
			{"情報資産管理台帳（総務課）"}, // a title above the header
			{},
			header,
			ok("PC-001"), // row 4
			{"PC-002", "端末", "宇宙船", "総務課", "", "Z", "", "L2", "1", "", "", ""}, // row 5: kind, level
			ok("PC-001"), // row 6: the number of row 4
			{"OLD-001", "端末", "端末", "総務課", "", "B", "", "L2", "1", "", "", ""},                       // row 7: taken in the register
			{"PC-003", "端末", "端末", "秘書課", "鈴木", "B", "", "L2", "1", "", "", ""},                      // row 8: department, manager
			{"PC-004", "端末", "端末", "総務課", "", "B", "衛星系", "L9", "たくさん", "紛失", "2026-02-30", ""},      // row 9
			{"PC-005", "端末", "端末", "総務課", "", "B", "", "L2", "1", "廃棄済", "2026-04-01", "2025-04-01"}, // row 10
			{},
			ok("PC-006"), // row 12
		}
		data := csvFile(rows...)
		rep := e.load("台帳.csv", data, assetio.Options{})
		want := map[string]string{
			"5 種別":       "種別「宇宙船」を判別できません",
			"5 重要度":      "「重要度」に分類「Z」はありません",
			"6 管理番号":     "管理番号「PC-001」は 4 行目と重複しています",
			"7 管理番号":     "管理番号「OLD-001」は既に使われています",
			"8 所属":       "所属「秘書課」が見つかりません",
			"8 管理責任者":    "管理責任者「鈴木」が職員に見つかりません",
			"9 ネットワーク区分": "ネットワーク区分「衛星系」はポリシーにありません",
			"9 区画":       "セキュリティ区画「L9」はポリシーにありません",
			"9 数量":       "数量「たくさん」は 1 以上の整数で入力してください",
			"9 状態":       "状態「紛失」を判別できません",
			"9 取得日":      "日付「2026-02-30」を読み取れません",
			"10 廃棄日":     "廃棄日が取得日より前になっています",
		}
		got := map[string]string{}
		for _, re := range rep.Errors {
			if re.MessageEn == "" || re.MessageEn == re.Message {
				t.Errorf("row %d has no English message: %+v", re.Row, re)
			}
			got[itoa(re.Row)+" "+re.Column] = re.Message
		}
		for k, msg := range want {
			if !strings.Contains(got[k], msg) {
				t.Errorf("row/column %s: %q, want %q", k, got[k], msg)
			}
		}
		if len(got) != len(want) {
			t.Errorf("errors:%s", rowErrors(rep))
		}
		if rep.Applied || rep.Created != 0 || rep.Rows != 8 || rep.Valid != 2 || rep.HeaderRow != 3 {
			t.Fatalf("a file with bad rows was applied: %+v", rep)
		}
		if n := e.count(); n != 1 {
			t.Fatalf("%d assets after a refused import", n)
		}

		t.Run("valid-only applies the rest and the rejected file holds the bad rows", func(t *testing.T) {
			rep := e.load("台帳.csv", data, assetio.Options{ValidOnly: true})
			if !rep.Applied || rep.Created != 2 || rep.Valid != 2 || len(rep.Errors) != len(want) {
				t.Fatalf("valid only: %+v", rep)
			}
			if n := e.count(); n != 3 {
				t.Fatalf("%d assets after a valid-only import of 2", n)
			}
			var out bytes.Buffer
			if err := e.im.Rejected(rep, "台帳.csv", bytes.NewReader(data), &out); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(out.Bytes(), []byte("\xEF\xBB\xBF")) {
				t.Fatal("the rejected file has no BOM")
			}
			recs, err := csv.NewReader(bytes.NewReader(out.Bytes()[3:])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1+6 || strings.Join(recs[0][:3], ",") != "管理番号,名称,種別" || recs[0][len(header)] != assetio.RejectedRowHeader {
				t.Fatalf("rejected file: %q", recs)
			}
			if recs[1][0] != "PC-002" || recs[1][len(header)] != "5" || !strings.Contains(recs[1][len(header)+1], "列「種別」: 種別「宇宙船」を判別できません") {
				t.Fatalf("rejected row: %q", recs[1])
			}
			// Once fixed, the rejected rows import as they are (the added columns are left out).
			for _, r := range recs[1:] {
				r[0] = "FIX-" + r[len(header)]
				r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11] = "端末", "総務課", "", "B", "", "L2", "1", "", "", ""
			}
			fixed := e.load("修正.csv", csvFile(recs...), assetio.Options{})
			if !fixed.Applied || fixed.Created != 6 || fixed.Mapping[assetio.RejectedErrorHeader] != "" {
				t.Fatalf("fixed rows: %+v%s", fixed, rowErrors(fixed))
			}
		})
	})
}

func TestColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		t.Run("headers as sheets write them", func(t *testing.T) {
			rows := [][]string{
				{"No.", "資産管理番号※", "情報資産の名称（必須）", "資産の種類", "所管課", "重要性分類", "取得年月日(YYYY/MM/DD)", "メモ"},
				{"1", "X-1", "庁内LAN スイッチ", "ネットワーク機器", "総務課", "B", "2020/10/1", "=1+1 ではない"},
				{"2", "", "", "", "", "", "", ""}, // a numbered, empty row of the template
			}
			rep := e.load("x.csv", csvFile(rows...), assetio.Options{})
			if rep.Created != 1 || rep.Mapping["No."] != "" || rep.Mapping["資産管理番号※"] != "number" || rep.Mapping["取得年月日(YYYY/MM/DD)"] != "acquired_on" {
				t.Fatalf("%+v%s", rep, rowErrors(rep))
			}
		})
		t.Run("English field ids", func(t *testing.T) {
			rows := [][]string{
				{"number", "name", "kind", "department_code", "class.importance", "zone", "attrs.mfa"},
				{"E-1", "Mail server", "server", "200", "A", "L3", "true"},
			}
			rep := e.load("x.csv", csvFile(rows...), assetio.Options{})
			if rep.Created != 1 {
				t.Fatalf("%+v%s", rep, rowErrors(rep))
			}
		})
		t.Run("a missing column is named and nothing is read", func(t *testing.T) {
			rows := [][]string{{"管理番号", "名称", "所属"}, {"Y-1", "端末", "総務課"}}
			rep, err := e.im.Import(context.Background(), e.admin, "x.csv", bytes.NewReader(csvFile(rows...)), assetio.Options{})
			ae := apperr.As(err)
			if ae.Key != "import.error.columns_missing" || len(ae.Fields) != 2 || ae.Fields[0].Field != "kind" || ae.Fields[1].Field != "class.importance" {
				t.Fatalf("err = %v", err)
			}
			if rep.Mapping["名称"] != "name" || len(rep.Headers) != 3 {
				t.Fatalf("the report of a refused file lacks its mapping: %+v", rep)
			}
		})
		t.Run("a mapping chosen by hand is remembered for the organisation", func(t *testing.T) {
			rows := [][]string{{"台帳No", "機器の呼び名", "種別", "所属", "重要度", "旧システム区分"}, {"M-1", "端末", "端末", "総務課", "C", "x"}}
			mapping := map[string]string{"台帳No": "number", "機器の呼び名": "name", "旧システム区分": ""}
			rep := e.load("x.csv", csvFile(rows...), assetio.Options{Mapping: mapping})
			if rep.Created != 1 || rep.Mapping["機器の呼び名"] != "name" {
				t.Fatalf("%+v%s", rep, rowErrors(rep))
			}
			rows[1][0] = "M-2"
			rep = e.load("x.csv", csvFile(rows...), assetio.Options{DryRun: true})
			if rep.Valid != 1 || rep.Mapping["台帳No"] != "number" || rep.Mapping["機器の呼び名"] != "name" {
				t.Fatalf("the mapping was not remembered: %+v%s", rep, rowErrors(rep))
			}
			other := e.anotherOrg("other", "kishiwada")
			if _, err := other.im.Import(context.Background(), other.admin, "x.csv", bytes.NewReader(csvFile(rows...)), assetio.Options{DryRun: true}); apperr.As(err).Key != "import.error.columns_missing" {
				t.Fatalf("another organisation used the mapping: %v", err)
			}
		})
		t.Run("a mapping to no field is refused", func(t *testing.T) {
			_, err := e.im.Import(context.Background(), e.admin, "x.csv", bytes.NewReader(csvFile(kishiwadaRows()...)),
				assetio.Options{Mapping: map[string]string{"備考": "class.secrecy"}})
			if apperr.As(err).Key != "error.invalid" || apperr.As(err).Fields[0].Key != "import.error.mapping_field" {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestMultiAxisPack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "yamagata")
		rows := [][]string{
			{"資産番号", "件名", "分類", "担当課", "機密性", "完全性", "可用性", "ミラーリング等による情報の保持", "サポートの終了日"},
			{"S-1", "住民情報システム", "情報システム", "総務課", "機密性3", "2", "２", "○", "令和10年3月31日"},
			{"S-2", "庁内掲示板", "情報システム", "税務課", "1", "完全性1", "1", "", ""},
		}
		rep := e.load("x.csv", csvFile(rows...), assetio.Options{})
		if rep.Created != 2 || rep.Mapping["機密性"] != "class.confidentiality" || rep.Mapping["完全性"] != "class.integrity" ||
			rep.Mapping["可用性"] != "class.availability" || rep.Mapping["ミラーリング等による情報の保持"] != "attrs.mirrored" ||
			rep.Mapping["サポートの終了日"] != "attrs.support_end" {
			t.Fatalf("%+v%s", rep, rowErrors(rep))
		}
		a := e.all()[0]
		if a.Class["confidentiality"] != "3" || a.Class["integrity"] != "2" || a.Class["availability"] != "2" || a.Attrs["mirrored"] != true || a.TopRank != 3 || a.Attrs["support_end"] != "2028-03-31" {
			t.Fatalf("S-1 = %+v", a)
		}
		rows[1][0], rows[2][0] = "S-3", "S-4"
		rows[2][4] = "4"
		rep = e.load("x.csv", csvFile(rows...), assetio.Options{DryRun: true})
		if len(rep.Errors) != 1 || rep.Errors[0].Column != "機密性" || !strings.Contains(rep.Errors[0].Message, "「機密性」に分類「4」はありません") {
			t.Fatalf("errors:%s", rowErrors(rep))
		}
	})
}

func TestBadFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		good := csvFile(kishiwadaRows()...)
		book := xlsxFile(t, kishiwadaRows())
		sj := sjis(t, good)
		cases := []struct {
			name, file string
			data       []byte
			max        int64
			key        string
		}{
			{"empty", "x.csv", nil, 0, "import.error.empty"},
			{"a BOM and blank lines", "x.csv", withBOM([]byte("\r\n\r\n")), 0, "import.error.empty"},
			{"a header only", "x.csv", csvFile(kishiwadaHeader), 0, "import.error.no_rows"},
			{"an open quote (truncated)", "x.csv", append(append([]byte{}, good...), []byte(`X-9,"業務用`)...), 0, "import.error.csv"},
			{"UTF-8 cut inside a character", "x.csv", append(append([]byte{}, good...), "X-9,端末"[:len("X-9,端末")-1]...), 0, "import.error.truncated"},
			{"bytes no encoding reads", "x.csv", append(append([]byte{}, sj...), 0x82, 0xFF, 0xFF), 0, "import.error.encoding"},
			{"binary", "x.csv", []byte("\x00\x01\x02\x03binary"), 0, "import.error.encoding"},
			{"oversized", "x.csv", good, int64(len(good) - 1), "import.error.too_large"},
			{"an .xlsx that is not a zip", "x.xlsx", good, 0, "import.error.not_xlsx"},
			{"a truncated .xlsx", "x.xlsx", book[:len(book)/2], 0, "import.error.xlsx_broken"},
			{"a zip that is no workbook", "x.xlsx", zipOf(t, map[string]int{"word/document.xml": 10}), 0, "import.error.not_xlsx"},
			{"a zip bomb", "x.xlsx", zipOf(t, map[string]int{"xl/workbook.xml": 10, "xl/worksheets/sheet1.xml": 300 << 20}), 0, "import.error.zip_bomb"},
			{"a PDF of the register", "台帳.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), 0, "import.error.type"},
			{"a photo of it", "台帳.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00"), 0, "import.error.type"},
			{"an old .xls", "x.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), 0, "import.error.xls"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				im := *e.im
				im.MaxBytes = c.max
				for _, opts := range []assetio.Options{{DryRun: true}, {}, {ValidOnly: true}} {
					_, err := im.Import(context.Background(), e.admin, c.file, bytes.NewReader(c.data), opts)
					ae := apperr.As(err)
					if ae.Key != c.key {
						t.Fatalf("err = %v, want %s", err, c.key)
					}
				}
			})
		}
		if n := e.count(); n != 0 {
			t.Fatalf("%d assets after refused files", n)
		}
		t.Run("an .xlsx of the register imports", func(t *testing.T) {
			rep := e.load("台帳.xlsx", book, assetio.Options{})
			if rep.Created != 4 || rep.Encoding != "xlsx" {
				t.Fatalf("%+v%s", rep, rowErrors(rep))
			}
		})
	})
}

func TestTooManyRows(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t), "kishiwada")
	rows := bigRegister(assetio.MaxRows + 1)
	_, err := e.im.Import(context.Background(), e.admin, "x.csv", bytes.NewReader(csvFile(rows...)), assetio.Options{DryRun: true})
	if ae := apperr.As(err); ae.Key != "import.error.too_many_rows" || ae.Code != apperr.TooLarge {
		t.Fatalf("err = %v", err)
	}
}

func TestPermission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		manager := access.Actor{OrgID: e.admin.OrgID, UserID: 9, Login: "m", DepartmentID: e.soumu,
			Roles: []access.Grant{{RoleID: "security_manager", Scope: "department", DepartmentID: e.soumu, Security: true}}}
		rep, err := e.im.Import(context.Background(), manager, "x.csv", bytes.NewReader(csvFile(kishiwadaRows()...)), assetio.Options{ValidOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		// 総務課's manager registers 総務課's two assets, not 税務課's.
		if rep.Created != 2 || len(rep.Errors) != 2 || rep.Errors[0].Column != "担当課" || !strings.Contains(rep.Errors[0].Message, "所属「税務課」の資産を登録する権限がありません") {
			t.Fatalf("%+v%s", rep, rowErrors(rep))
		}
		// An auditor reads everything and changes nothing: not even a dry run is theirs.
		auditor := access.Actor{OrgID: e.admin.OrgID, UserID: 10, Login: "a", Roles: []access.Grant{{RoleID: "audit_chief", Scope: "organization", Auditor: true}}}
		if _, err := e.im.Import(context.Background(), auditor, "x.csv", bytes.NewReader(csvFile(kishiwadaRows()...)), assetio.Options{DryRun: true}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("an auditor's import: %v", err)
		}
	})
}

// utf16LE is text as Excel saves "Unicode テキスト": UTF-16 little-endian with a BOM.
func utf16LE(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// zipOf makes a zip whose directory declares the given sizes, without the data to match:
// what a zip bomb's directory says is all an import may read before refusing it.
func zipOf(t *testing.T, files map[string]int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, size := range files {
		data := []byte("<x/>")
		fw, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(size)})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	return b.Bytes()
}

func TestTypedExcelCells(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		f := excelize.NewFile()
		defer f.Close()
		sheet := "台帳"
		f.SetSheetName("Sheet1", sheet)
		f.NewSheet("記入例") // another sheet, after the register
		f.SetCellValue(sheet, "A1", "情報資産管理台帳")
		f.MergeCell(sheet, "A1", "F1")
		f.SetSheetRow(sheet, "A3", &[]any{"管理番号", "名称", "種別", "所属", "重要度", "取得日", "数量", "多要素認証"})
		jst := time.FixedZone("JST", 9*3600)
		f.SetSheetRow(sheet, "A4", &[]any{1001, "業務用端末", "端末", 100, "A", time.Date(2026, 4, 1, 0, 0, 0, 0, jst), 2, true})
		f.SetSheetRow(sheet, "A6", &[]any{1002, "サーバ", "サーバ", "税務課", "B", 46113, 1.0, false}) // a serial day without a date format
		short, _ := f.NewStyle(&excelize.Style{NumFmt: 14})                                   // the built-in short date
		f.SetCellStyle(sheet, "F4", "F4", short)
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		rep := e.load("台帳.xlsx", b.Bytes(), assetio.Options{})
		if rep.Created != 2 || rep.Sheet != sheet || rep.HeaderRow != 3 {
			t.Fatalf("%+v%s", rep, rowErrors(rep))
		}
		got := e.all()
		if got[0].Number != "1001" || got[0].AcquiredOn != "2026-04-01" || got[0].Quantity != 2 || got[0].DepartmentID != e.soumu || got[0].Attrs["mfa"] != true {
			t.Fatalf("1001 = %+v", got[0])
		}
		if got[1].AcquiredOn != "2026-04-01" || got[1].Attrs["mfa"] != false {
			t.Fatalf("1002 = %+v", got[1])
		}
	})
}

func TestPreviewReadsOnlyTheHeader(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		rows := kishiwadaRows()
		rows[0][1] = "呼称" // not recognised: left out, and the dry run says the name is missing
		rep, err := e.im.Preview(context.Background(), e.admin, "x.csv", bytes.NewReader(csvFile(rows...)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 0 || rep.HeaderRow != 1 || len(rep.Headers) != len(kishiwadaHeader) || rep.Mapping["呼称"] != "" ||
			rep.Mapping["管理番号"] != "number" || rep.Mapping["重要度"] != "class.importance" || rep.Encoding != "utf-8" {
			t.Fatalf("preview = %+v", rep)
		}
		rep, err = e.im.Preview(context.Background(), e.admin, "x.csv", bytes.NewReader(csvFile(rows...)), map[string]string{"呼称": "name"})
		if err != nil || rep.Mapping["呼称"] != "name" {
			t.Fatalf("preview with a mapping = %+v, %v", rep.Mapping, err)
		}
		if _, err := e.im.Preview(context.Background(), e.admin, "x.csv", bytes.NewReader(nil), nil); apperr.As(err).Key != "import.error.empty" {
			t.Fatalf("an empty file: %v", err)
		}
	})
}

func TestWriteErrors(t *testing.T) {
	rep := assetio.Report{Errors: []assetio.RowError{{Row: 3, Column: "重要度", Message: "「重要度」に分類「Z」はありません。", MessageEn: "No level Z."},
		{Row: 9, Column: "備考", Message: "=1+1", MessageEn: "=1+1"}}}
	var ja, en bytes.Buffer
	if err := assetio.WriteErrors(rep, false, &ja); err != nil {
		t.Fatal(err)
	}
	assetio.WriteErrors(rep, true, &en)
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(ja.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) != 3 || recs[0][0] != "行" || recs[1][0] != "3" || recs[1][2] != "「重要度」に分類「Z」はありません。" {
		t.Fatalf("ja = %q, %v", recs, err)
	}
	if recs[2][2] == "=1+1" {
		t.Error("a message that looks like a formula is written as one")
	}
	if !strings.Contains(en.String(), "Row,Column,Problem") || !strings.Contains(en.String(), "No level Z.") {
		t.Fatalf("en = %s", en.String())
	}
}
