package assetio

import "testing"

func TestParseDate(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2026-04-01", "2026-04-01", true},
		{"2026/4/1", "2026-04-01", true},
		{"２０２６／４／１", "2026-04-01", true},
		{"2026年4月1日", "2026-04-01", true},
		{"2026.4.1", "2026-04-01", true},
		{"2026/04/01 0:00", "2026-04-01", true},
		{"20260401", "2026-04-01", true},
		{"2026-04-01T00:00:00Z", "2026-04-01", true}, // an ISO date cell of a workbook
		{"令和8年4月1日", "2026-04-01", true},
		{"令和８年４月１日", "2026-04-01", true},
		{"令和元年5月1日", "2019-05-01", true},
		{"平成31年4月30日", "2019-04-30", true},
		{"平成元年1月8日", "1989-01-08", true},
		{"昭和64年1月7日", "1989-01-07", true},
		{"R8.4.1", "2026-04-01", true},
		{"H31/4/30", "2019-04-30", true},
		{"㋿8年4月1日", "2026-04-01", true},
		{"46113", "2026-04-01", true}, // an Excel serial day
		{"46113.5", "2026-04-01", true},
		{"", "", true},
		{"2026-02-30", "", false},
		{"2026/13/1", "", false},
		{"令和1年4月1日", "", false}, // still 平成 then
		{"平成0年1月1日", "", false},
		{"4月1日", "", false},
		{"2026", "", false},
		{"来年度", "", false},
	} {
		got, ok := parseDate(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseDate(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestWords(t *testing.T) {
	for in, want := range map[string]string{"端末": "terminal", "パソコン": "terminal", "ＰＣ": "terminal", "サーバー": "server",
		"電磁的記録媒体": "media", "媒体": "media", "USBメモリ": "media", "ＵＳＢメモリ": "media", "情報システム": "system",
		"文書": "document", "紙": "document", "ネットワーク機器": "network", "モバイル": "mobile", "携帯端末": "mobile",
		"情報": "information", "terminal": "terminal", "Server": "server"} {
		if got, ok := parseKind(in); !ok || got != want {
			t.Errorf("kind %q = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := parseKind("宇宙船"); ok {
		t.Error("an unknown kind was read")
	}
	for in, want := range map[string]string{"使用中": "in_use", "稼働中": "in_use", "貸出中": "lent", "持出中": "taken_out",
		"持ち出し中": "taken_out", "修理中": "in_repair", "保管": "stored", "廃棄済": "disposed", "廃棄済み": "disposed", "disposed": "disposed"} {
		if got, ok := parseState(in); !ok || got != want {
			t.Errorf("state %q = %q, %v; want %q", in, got, ok, want)
		}
	}
	for in, want := range map[string]int{"1": 1, "１２": 12, "3台": 3, "1,000": 1000, "１，０００枚": 1000, "2.0": 2, "": 0} {
		if got, ok := parseQuantity(in); !ok || got != want {
			t.Errorf("quantity %q = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"1.5", "-1", "多数"} {
		if _, ok := parseQuantity(in); ok {
			t.Errorf("quantity %q was read", in)
		}
	}
	// A kind and a state an export writes are read back as the same.
	for id := range kindWords {
		if got, _ := parseKind(kindLabel(id)); got != id {
			t.Errorf("kind %s is exported as %q, read back as %q", id, kindLabel(id), got)
		}
	}
	for id := range stateWords {
		if got, _ := parseState(stateLabel(id)); got != id {
			t.Errorf("state %s is exported as %q, read back as %q", id, stateLabel(id), got)
		}
	}
}

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+81-3": "'+81-3", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"端末": "端末", "a=b": "a=b", "": "", "'quoted": "'quoted",
	} {
		got := neutralize(in)
		if got != want {
			t.Errorf("neutralize(%q) = %q; want %q", in, got, want)
		}
		if back := unneutralize(got); back != in {
			t.Errorf("unneutralize(%q) = %q; want %q", got, back, in)
		}
	}
}

func TestHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"管理番号": "管理番号", " 管理 番号 ": "管理番号", "管理番号※": "管理番号", "＊名称（必須）": "名称", "【必須】種別": "種別",
		"Ｎｏ．": "no.", "取得日(YYYY/MM/DD)": "取得日(yyyy/mm/dd)",
	} {
		if got := headerKey(in); got != want {
			t.Errorf("headerKey(%q) = %q; want %q", in, got, want)
		}
	}
	if got := bare(headerKey("取得日（YYYY/MM/DD）")); got != "取得日" {
		t.Errorf("bare = %q", got)
	}
}
