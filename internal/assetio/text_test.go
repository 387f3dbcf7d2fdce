package assetio_test

import (
	"strings"
	"testing"

	"mamori/internal/assetio"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestCellsWithBadTextAreRowErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "kishiwada")
		header := []string{"管理番号", "名称", "種別", "所属", "重要度", "区画", "設置場所", "備考"}
		row := func(number, name, location, note string) []string {
			return []string{number, name, "端末", "総務課", "B", "L2", location, note}
		}
		rows := [][]string{
			header,
			row("PC-001", "端末", "本庁舎", "一行目\n二行目\t(タブ)"), // row 2: a multi-line note is fine
			row("PC-002", "端末\u202Egpj.exe", "本庁舎", ""),  // row 3
			row("PC-003", "端末", "本庁舎\x07", ""),           // row 4
			row("PC-004", "端末\n二行目", "本庁舎", ""),          // row 5: a name is one line
			row("PC-005", "端末", "本庁舎", "備考\x1b[2J"),      // row 6
			row("PC-006", "端末", "\u2066本庁舎\u2069", ""),   // row 7
		}
		want := map[string]string{
			"3 名称":   "「名称」に文字の向きを変える制御文字（U+202A〜U+202E、U+2066〜U+2069）は使えません。",
			"4 設置場所": "「設置場所」に制御文字（NUL など）は使えません。",
			"5 名称":   "「名称」に制御文字（NUL など）は使えません。",
			"6 備考":   "「備考」に制御文字（NUL など）は使えません。",
			"7 設置場所": "「設置場所」に文字の向きを変える制御文字（U+202A〜U+202E、U+2066〜U+2069）は使えません。",
		}
		// A workbook holds a control character as Excel writes it, _x0007_, which reads back as
		// the character.
		var sheet [][]string
		for _, r := range rows {
			var cells []string
			for _, c := range r {
				cells = append(cells, strings.NewReplacer("\x07", "_x0007_", "\x1b", "_x001B_").Replace(c))
			}
			sheet = append(sheet, cells)
		}
		for name, data := range map[string][]byte{"台帳.csv": withBOM(csvFile(rows...)), "台帳.xlsx": xlsxFile(t, sheet)} {
			t.Run(name, func(t *testing.T) {
				rep := e.load(name, data, assetio.Options{DryRun: true})
				got := map[string]string{}
				for _, re := range rep.Errors {
					got[itoa(re.Row)+" "+re.Column] = re.Message
					if re.MessageEn == "" || re.MessageEn == re.Message {
						t.Errorf("row %d has no English message", re.Row)
					}
				}
				for k, msg := range want {
					if got[k] != msg {
						t.Errorf("%s: %q, want %q%s", k, got[k], msg, rowErrors(rep))
					}
				}
				if len(got) != len(want) || rep.Valid != 1 {
					t.Errorf("%d errors, %d valid rows, want %d and 1:%s", len(got), rep.Valid, len(want), rowErrors(rep))
				}
			})
		}
		t.Run("nothing is registered from a file with a bad row", func(t *testing.T) {
			rep := e.load("台帳.csv", withBOM(csvFile(rows...)), assetio.Options{})
			if rep.Applied || e.count() != 0 {
				t.Fatalf("applied %v, %d assets", rep.Applied, e.count())
			}
		})
	})
}
