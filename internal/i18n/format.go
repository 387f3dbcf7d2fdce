package i18n

import (
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

// FormatDate shows the JST date of t as people read dates: in the Japanese
// era calendar in Japanese ("令和8年3月31日", see Wareki), "2026-03-31" in
// English. The zero time is shown as "". ISO 8601 for machines (the API,
// CSV, xlsx) is written with time.Format, not here.
func FormatDate(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == En {
		return t.In(Tokyo).Format("2006-01-02")
	}
	return Wareki(t)
}

// Day is a calendar day as records store it (YYYY-MM-DD), for T.
type Day string

// In shows the day in lang's form; text that is not a day is shown as it is.
func (d Day) In(lang Lang) string {
	t, err := time.ParseInLocation(time.DateOnly, string(d), Tokyo)
	if err != nil {
		return string(d)
	}
	return FormatDate(lang, t)
}

// FormatDateTime shows the JST date and minute of t: "令和8年3月31日 14:05"
// in Japanese, "2026-03-31 14:05" in English. The zero time is shown as "".
func FormatDateTime(lang Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return FormatDate(lang, t) + " " + t.In(Tokyo).Format("15:04")
}
