package i18n

import (
	"testing"
	"time"
)

func TestTokyoIsNineHoursAheadOfUTC(t *testing.T) {
	_, offset := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC).In(Tokyo).Zone()
	if offset != 9*60*60 {
		t.Errorf("Tokyo offset = %ds, want %ds", offset, 9*60*60)
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		in   time.Time
		want string
	}{
		{"japanese", Ja, jst(2026, 3, 31), "令和8年3月31日"},
		{"english is ISO", En, jst(2026, 3, 31), "2026-03-31"},
		{"english pads month and day", En, jst(2026, 1, 2), "2026-01-02"},
		{"UTC is shown as the JST date", Ja, time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC), "令和8年4月1日"},
		{"unknown language is Japanese", Lang("fr"), jst(2026, 3, 31), "令和8年3月31日"},
		{"zero time is blank", Ja, time.Time{}, ""},
		{"zero time is blank in English", En, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDate(tt.lang, tt.in); got != tt.want {
				t.Errorf("FormatDate(%q, %v) = %q, want %q", tt.lang, tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatDateTime(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		in   time.Time
		want string
	}{
		{"japanese", Ja, time.Date(2026, 3, 31, 14, 5, 0, 0, Tokyo), "令和8年3月31日 14:05"},
		{"english", En, time.Date(2026, 3, 31, 14, 5, 0, 0, Tokyo), "2026-03-31 14:05"},
		{"UTC is shown in JST", Ja, time.Date(2026, 3, 31, 15, 30, 0, 0, time.UTC), "令和8年4月1日 00:30"},
		{"seconds are dropped", En, time.Date(2026, 3, 31, 5, 7, 59, 0, Tokyo), "2026-03-31 05:07"},
		{"zero time is blank", Ja, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatDateTime(tt.lang, tt.in); got != tt.want {
				t.Errorf("FormatDateTime(%q, %v) = %q, want %q", tt.lang, tt.in, got, tt.want)
			}
		})
	}
}

func TestTShowsMomentsAndDaysInTheLanguage(t *testing.T) {
	at := time.Date(2026, 4, 1, 0, 30, 0, 0, time.UTC) // 09:30 JST
	c := catalogs{Ja: {"k": "%s（%s）"}, En: {"k": "%s (%s)"}}
	if got := c.translate(Ja, "k", at, Day("2019-05-01")); got != "令和8年4月1日 09:30（令和元年5月1日）" {
		t.Errorf("Japanese: %q", got)
	}
	if got := c.translate(En, "k", at, Day("2019-05-01")); got != "2026-04-01 09:30 (2019-05-01)" {
		t.Errorf("English: %q", got)
	}
	if got := c.translate(Ja, "k", "x", Day("not a day")); got != "x（not a day）" {
		t.Errorf("text that is not a day: %q", got)
	}
}
