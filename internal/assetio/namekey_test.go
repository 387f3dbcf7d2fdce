package assetio

import "testing"

func TestNameKeyMatchesVariantsAndSpaces(t *testing.T) {
	same := [][]string{
		{"髙橋 一郎", "高橋　一郎", "高橋一郎", "髙橋 　一郎"},
		{"山﨑 花子", "山崎花子", "山嵜　花子"},
		{"渡邊 次郎", "渡邉次郎", "渡辺 次郎"},
		{"澤田 三郎", "沢田三郎"},
		{"齋藤 四郎", "斎藤四郎", "齊藤　四郎"},
		{"濱田 五郎", "浜田五郎"},
		{"吉田 葛\U000E0100子", "吉田葛子"}, // a variation selector
	}
	for _, group := range same {
		for _, name := range group[1:] {
			if nameKey(name) != nameKey(group[0]) {
				t.Errorf("%q (%q) and %q (%q) differ", name, nameKey(name), group[0], nameKey(group[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"高橋一郎", "高橋二郎"}, {"斎藤", "佐藤"}, {"山崎", "山﨑子"}} {
		if nameKey(pair[0]) == nameKey(pair[1]) {
			t.Errorf("%q and %q share a key", pair[0], pair[1])
		}
	}
}

func TestDirectoryFindsStaffAcrossVariants(t *testing.T) {
	d := &directory{staffByNo: map[string]int64{}, staffByName: map[string][]int64{nameKey("髙橋 一郎"): {7}, nameKey("渡辺 次郎"): {8, 9}}}
	if id, key := d.manager("高橋一郎"); id != 7 || key != "" {
		t.Errorf("高橋一郎 → %d %q", id, key)
	}
	if _, key := d.manager("渡邊　次郎"); key != "import.error.manager_ambiguous" {
		t.Errorf("two 渡辺 次郎: %q", key)
	}
}
