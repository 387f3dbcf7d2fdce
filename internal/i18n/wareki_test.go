package i18n

import (
	"testing"
	"time"
)

func jst(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, Tokyo)
}

func TestWareki(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"last day of 明治", jst(1912, 7, 29), "明治45年7月29日"},
		{"first day of 大正 is 元年", jst(1912, 7, 30), "大正元年7月30日"},
		{"last day of 大正", jst(1926, 12, 24), "大正15年12月24日"},
		{"first day of 昭和 is 元年", jst(1926, 12, 25), "昭和元年12月25日"},
		{"last day of 昭和", jst(1989, 1, 7), "昭和64年1月7日"},
		{"first day of 平成 is 元年", jst(1989, 1, 8), "平成元年1月8日"},
		{"last day of 平成", jst(2019, 4, 30), "平成31年4月30日"},
		{"first day of 令和 is 元年", jst(2019, 5, 1), "令和元年5月1日"},
		{"first instant of 令和 in JST", time.Date(2019, 5, 1, 0, 0, 0, 0, Tokyo), "令和元年5月1日"},
		{"normal date", jst(2026, 3, 31), "令和8年3月31日"},
		{"UTC evening is already the next day in JST", time.Date(2019, 4, 30, 15, 0, 0, 0, time.UTC), "令和元年5月1日"},
		{"UTC one second earlier is still the previous day in JST", time.Date(2019, 4, 30, 14, 59, 59, 0, time.UTC), "平成31年4月30日"},
		{"earliest supported date counts 明治 from 1868", jst(1873, 1, 1), "明治6年1月1日"},
		{"before the Gregorian calendar falls back to 西暦", jst(1872, 12, 31), "1872年12月31日"},
		{"zero time is blank", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Wareki(tt.in); got != tt.want {
				t.Errorf("Wareki(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWarekiYear(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"normal year", jst(2026, 3, 31), "令和8年"},
		{"first year is 元年", jst(2019, 5, 1), "令和元年"},
		{"same calendar year before the new era", jst(2019, 4, 30), "平成31年"},
		{"uses the JST date", time.Date(2019, 4, 30, 15, 0, 0, 0, time.UTC), "令和元年"},
		{"before the Gregorian calendar falls back to 西暦", jst(1872, 12, 31), "1872年"},
		{"zero time is blank", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WarekiYear(tt.in); got != tt.want {
				t.Errorf("WarekiYear(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
