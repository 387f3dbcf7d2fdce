package assetio_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// bigRegister is a register of n assets as a 課 keeps it, in kishiwadaHeader's columns.
func bigRegister(n int) [][]string {
	rows := make([][]string, 0, n+1)
	rows = append(rows, kishiwadaHeader)
	kinds := []string{"パソコン", "サーバ", "USBメモリ", "文書", "ネットワーク機器", "モバイル端末"}
	depts := []string{"総務課", "税務課"}
	levels := []string{"A", "B", "C"}
	for i := range n {
		rows = append(rows, []string{
			fmt.Sprintf("A-%06d", i+1), fmt.Sprintf("業務用資産 第%d号", i+1), kinds[i%len(kinds)], depts[i%2], "",
			levels[i%3], "LGWAN接続系", "L2", fmt.Sprintf("本庁舎%d階", i%5+1), "1", "使用中",
			fmt.Sprintf("令和%d年%d月%d日", i%7+2, i%12+1, i%28+1), fmt.Sprintf("備考 %d", i), "○",
		})
	}
	return rows
}

// xlsxFile writes rows as Excel does, the text in the shared strings table.
func xlsxFile(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
