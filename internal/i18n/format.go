package i18n

import (
	"fmt"
	"time"

	_ "time/tzdata" // Asia/Tokyo must load even on servers without zoneinfo.
)

// Tokyo is the zone dates are shown in. Times are stored in UTC.
var Tokyo = loadTokyo()

func loadTokyo() *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		return time.FixedZone("JST", 9*60*60)
	}
	return loc
}

// FormatDate shows the JST date of t: "2026年3月31日" in Japanese,
// "2026-03-31" in English. The zero time is shown as "".
func FormatDate(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Tokyo)
	if lang == En {
		return t.Format("2006-01-02")
	}
	y, m, d := t.Date()
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}

// FormatDateTime shows the JST date and minute of t: "2026年3月31日 14:05"
// in Japanese, "2026-03-31 14:05" in English. The zero time is shown as "".
func FormatDateTime(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatDate(lang, t) + " " + t.In(Tokyo).Format("15:04")
}
