package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// registerData prepares a data folder (or a PostgreSQL database) with an organisation on
// 岸和田市's pack and its 総務課 and 税務課, as a first start and the department screens would.
func registerData(t *testing.T, cfg store.Config) {
	t.Helper()
	db := openData(t, cfg)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	first, err := s.Bootstrap(context.Background(), app.Setup{OrgCode: "k", OrgName: "テスト市", PackID: "kishiwada"})
	if err != nil {
		t.Fatal(err)
	}
	sys := access.System(first.Org.ID, "test")
	for _, d := range [][2]string{{"100", "総務課"}, {"200", "税務課"}} {
		if _, err := s.Org.CreateDepartment(context.Background(), sys, org.DepartmentInput{Code: d[0], Name: d[1], Kind: "section", Active: true}); err != nil {
			t.Fatal(err)
		}
	}
}

func sheet(rows ...[]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.WriteAll(rows)
	return b.Bytes()
}

func TestImportExportAssets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		dir := t.TempDir()
		cfg := store.Config{DataDir: dir}
		flags := []string{"--data", dir}
		if db.Engine == store.Postgres {
			dsn := storetest.PostgresDSN(t)
			cfg, flags = store.Config{DSN: dsn}, []string{"--db", dsn}
		}
		registerData(t, cfg)
		header := []string{"管理番号", "名称", "種別", "所属", "重要度", "区画", "取得日", "備考"}
		good := [][]string{
			{"PC-001", "業務用端末", "パソコン", "総務課", "A", "L2", "令和8年4月1日", "=HYPERLINK(\"http://example.invalid\")"},
			{"MD-001", "USBメモリ", "媒体", "200", "B", "L3", "2026/4/1", ""},
		}
		bad := []string{"PC-002", "端末", "宇宙船", "総務課", "A", "L2", "2026-02-30", ""}
		file := filepath.Join(t.TempDir(), "台帳.csv")
		sj, err := japanese.ShiftJIS.NewEncoder().Bytes(sheet(append([][]string{header}, append(good, bad)...)...))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(file, sj, 0o600)

		t.Run("a dry run reports every bad row and changes nothing", func(t *testing.T) {
			out, _, err := cli(t, append([]string{"import", "assets", file, "--dry-run"}, flags...)...)
			if err == nil || exitCode(err) != 1 {
				t.Fatalf("dry run with a bad row: %v", err)
			}
			for _, want := range []string{"行数 3, 正常 2, 誤り 1, 登録 0", "行 4 列「種別」: 種別「宇宙船」を判別できません", "行 4 列「取得日」: 日付「2026-02-30」を読み取れません", "shift_jis"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if n := countRows(t, openData(t, cfg), "assets"); n != 0 {
				t.Fatalf("a dry run registered %d assets", n)
			}
		})
		t.Run("a file with a bad row is refused whole", func(t *testing.T) {
			out, _, err := cli(t, append([]string{"import", "assets", file}, flags...)...)
			if err == nil || !strings.Contains(out, "何も登録していません") {
				t.Fatalf("import with a bad row: %v\n%s", err, out)
			}
			if n := countRows(t, openData(t, cfg), "assets"); n != 0 {
				t.Fatalf("%d assets registered from a refused file", n)
			}
		})
		rejected := filepath.Join(t.TempDir(), "rejected.csv")
		t.Run("--valid-only registers the good rows and writes the bad one out", func(t *testing.T) {
			out := mustCLI(t, append([]string{"import", "assets", "--valid-only", file, "--rejected", rejected}, flags...)...)
			if !strings.Contains(out, "2 件を登録しました") {
				t.Fatalf("valid-only:\n%s", out)
			}
			b, err := os.ReadFile(rejected)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
			if err != nil || len(rows) != 2 || rows[1][0] != "PC-002" || rows[1][len(rows[1])-2] != "4" || !strings.Contains(rows[1][len(rows[1])-1], "宇宙船") {
				t.Fatalf("rejected file: %v %q", err, rows)
			}
		})
		t.Run("export writes the register, filtered, in each format", func(t *testing.T) {
			out := mustCLI(t, append([]string{"export", "assets", "--format", "csv"}, flags...)...)
			if !strings.HasPrefix(out, "\xEF\xBB\xBF管理番号,名称,種別,所属,所属コード") || !strings.Contains(out, "PC-001,業務用端末,端末,総務課,100") {
				t.Fatalf("csv export:\n%s", out)
			}
			if !strings.Contains(out, `"'=HYPERLINK(""http://example.invalid"")"`) {
				t.Fatalf("a formula was exported as it is:\n%s", out)
			}
			only := mustCLI(t, append([]string{"export", "assets", "--format", "csv", "--department", "200", "--kind", "媒体"}, flags...)...)
			if strings.Contains(only, "PC-001") || !strings.Contains(only, "MD-001") {
				t.Fatalf("filtered export:\n%s", only)
			}
			sjisOut := mustCLI(t, append([]string{"export", "assets", "--format", "csv-sjis", "--q", "端末"}, flags...)...)
			text, err := japanese.ShiftJIS.NewDecoder().String(sjisOut)
			if err != nil || !strings.HasPrefix(text, "管理番号,") || !strings.Contains(text, "業務用端末") || strings.Contains(text, "MD-001") {
				t.Fatalf("Shift_JIS export: %v\n%s", err, text)
			}
			book := filepath.Join(t.TempDir(), "台帳.xlsx")
			mustCLI(t, append([]string{"export", "assets", "--out", book}, flags...)...)
			if b, err := os.ReadFile(book); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
				t.Fatalf("xlsx export: %v", err)
			}
			// What was exported imports back: without --update every number is taken.
			out, _, err = cli(t, append([]string{"import", "assets", book, "--dry-run"}, flags...)...)
			if err == nil || !strings.Contains(out, "列「管理番号」: 2 件") || !strings.Contains(out, "行 3 列「管理番号」: 管理番号「PC-001」は既に使われています") {
				t.Fatalf("re-import of the export: %v\n%s", err, out)
			}
			// With --update an unedited export changes nothing; --dispose-missing disposes of
			// what the file leaves out.
			out = mustCLI(t, append([]string{"import", "assets", book, "--update"}, flags...)...)
			if !strings.Contains(out, "新規 0, 変更 0, 変更なし 2") || !strings.Contains(out, "0 件を登録、0 件を更新、0 件を廃棄済にしました") {
				t.Fatalf("re-import with --update:\n%s", out)
			}
			partial := filepath.Join(t.TempDir(), "一部.csv")
			os.WriteFile(partial, sheet([]string{"管理番号", "名称", "種別", "所属", "重要度", "区画"}, []string{"PC-001", "業務用端末（更新）", "端末", "総務課", "A", "L2"}), 0o600)
			out = mustCLI(t, append([]string{"import", "assets", partial, "--update", "--dispose-missing"}, flags...)...)
			if !strings.Contains(out, "変更 PC-001: 名称「業務用端末」→「業務用端末（更新）」") || !strings.Contains(out, "0 件を登録、1 件を更新、0 件を廃棄済にしました") {
				t.Fatalf("--update --dispose-missing of 総務課's sheet:\n%s", out)
			}
			if _, _, err := cli(t, append([]string{"import", "assets", partial, "--dispose-missing"}, flags...)...); err == nil || !strings.Contains(err.Error(), "--update") {
				t.Fatalf("--dispose-missing alone: %v", err)
			}
		})
		t.Run("bad invocations say what is wrong", func(t *testing.T) {
			if _, _, err := cli(t, append([]string{"import", "assets"}, flags...)...); err == nil || !strings.Contains(err.Error(), "FILE") {
				t.Fatalf("import without a file: %v", err)
			}
			if _, _, err := cli(t, append([]string{"export", "assets", "--format", "pdf"}, flags...)...); err == nil || !strings.Contains(err.Error(), "pdf") {
				t.Fatalf("export as pdf: %v", err)
			}
			empty := filepath.Join(t.TempDir(), "empty.csv")
			os.WriteFile(empty, nil, 0o600)
			if _, _, err := cli(t, append([]string{"import", "assets", empty}, flags...)...); err == nil || !strings.Contains(err.Error(), "ファイルが空です") {
				t.Fatalf("empty file: %v", err)
			}
		})
	})
}
