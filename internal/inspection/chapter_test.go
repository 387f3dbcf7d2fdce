package inspection

import "testing"

func TestChapterIsTheLeadingPartOfTheArticle(t *testing.T) {
	for in, want := range map[string]string{
		"第2章 5(1)①ウ(イ)": "第2章 5",
		"第2章 3(1) 表5 注": "第2章 3",
		"第2章 11(2)①":    "第2章 11",
		"第15条":          "第15条",
		"第14条第1項(1)(3)": "第14条",
		"7.10(1)①":      "7.10",
		"6.4":           "6.4",
		"6(1)":          "6",
		"10":            "10",
		"上毛町 対策基準5(1)①キ / 安平町 第20条 / 山形県 6.1(1)⑭": "上毛町 対策基準5",
		"": "—",
	} {
		if got := Chapter(in); got != want {
			t.Errorf("Chapter(%q) = %q, want %q", in, got, want)
		}
	}
	if chapterLess("第2章 5", "第2章 10") >= 0 || chapterLess("6.4", "6.10") >= 0 || chapterLess("第9条", "第10条") >= 0 {
		t.Error("chapters are not ordered by their numbers")
	}
}
