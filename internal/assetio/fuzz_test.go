package assetio_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/store/storetest"
	"mamori/internal/textcheck"
)

// fuzzImport checks an import of any file as a dry run: it never panics, never fails as an
// internal error (a file that cannot be read is the user's to fix, and is told so), changes
// nothing, and reports no text a user could not read back.
func fuzzImport(f *testing.F, name string) {
	e := newEnv(f, storetest.SQLite(f), "kishiwada")
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := e.im.Import(context.Background(), e.admin, name, bytes.NewReader(data), assetio.Options{DryRun: true})
		if err != nil {
			if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.TooLarge {
				t.Fatalf("import failed as %s: %v", c, err)
			}
			return
		}
		if rep.Applied || rep.Created != 0 {
			t.Fatalf("a dry run applied: %+v", rep)
		}
		for _, re := range rep.Errors {
			if textcheck.Text(re.Column) != textcheck.OK || textcheck.Text(re.Message) != textcheck.OK {
				t.Fatalf("row %d reports bad text: %q %q", re.Row, re.Column, re.Message)
			}
		}
	})
}

func FuzzImportCSV(f *testing.F) {
	plain := csvFile(kishiwadaRows()...)
	for _, seed := range [][]byte{
		plain,
		withBOM(plain),
		sjis(f, plain),
		utf16LE(strings.ReplaceAll(string(plain), ",", "\t")),
		csvFile([]string{"情報資産管理台帳"}, nil, kishiwadaHeader, []string{"PC-9", "端末\u202E", "宇宙船", "秘書課", "鈴木", "Z", "", "L9", "", "たくさん", "紛失", "2026-02-30", "備考\x07", "△"}),
		[]byte("管理番号,名称\r\n\"PC-1\",\"複数行\r\nの名称\"\r\n\"PC-2,\"閉じていない"),
		[]byte("管理番号,資産名,種別,担当課,重要度\nPC-1,端末,端末,100,A\n" + strings.Repeat(",", 600) + "\n"),
		[]byte("=cmd|' /C calc'!A0,@SUM(1),+1,-1\n"),
		[]byte("\xef\xbb\xbf\xff\xfe"),
		[]byte("%PDF-1.7"),
	} {
		f.Add(seed)
	}
	fuzzImport(f, "台帳.csv")
}

func FuzzImportXLSX(f *testing.F) {
	f.Add(xlsxFile(f, kishiwadaRows()))
	f.Add(xlsxFile(f, [][]string{{"台帳"}, {}, kishiwadaHeader, {"PC-9", "端末_x0007_", "端末", "総務課", "", "A", "", "L2", "", "1", "", "45383", "", "1"}}))
	f.Add(xlsxFile(f, [][]string{{"only", "one", "row"}}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	fuzzImport(f, "台帳.xlsx")
}
