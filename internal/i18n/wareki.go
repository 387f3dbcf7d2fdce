package i18n

import (
	"fmt"
	"strconv"
	"time"
)

// era is a Japanese era (元号), the letter it is abbreviated to (R8.4.1) and the JST date it
// began.
type era struct {
	name   string
	letter string
	year   int
	month  time.Month
	day    int
}

// eras is newest first. 明治 years are counted from 1868, but only dates
// from 1873-01-01, when Japan adopted the Gregorian calendar, are shown
// in 和暦; earlier dates would need the old lunisolar calendar.
var eras = [...]era{
	{"令和", "r", 2019, time.May, 1},
	{"平成", "h", 1989, time.January, 8},
	{"昭和", "s", 1926, time.December, 25},
	{"大正", "t", 1912, time.July, 30},
	{"明治", "m", 1868, time.January, 25},
}

// EraStart returns the day (as a UTC date) the era named by its name or its lower-case letter
// began: 令和 or r → 2019-05-01. Reading 和暦 (the register import) and writing it (Wareki)
// use this one table.
func EraStart(name string) (time.Time, bool) {
	for _, e := range eras {
		if e.name == name || e.letter == name {
			return time.Date(e.year, e.month, e.day, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// firstWareki is the earliest date (JST) Wareki writes in an era.
const firstWareki = 1873_01_01

// Wareki shows the JST date of t in the Japanese era calendar:
// "令和8年3月31日", with the first year of an era written "元年"
// ("令和元年5月1日"). Dates before 1873-01-01 are shown in the Gregorian
// form "1872年12月31日". The zero time is shown as "".
func Wareki(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	_, m, d := t.In(Tokyo).Date()
	return fmt.Sprintf("%s%d月%d日", WarekiYear(t), m, d)
}

// WarekiYear shows the era year of t in JST: "令和8年", "令和元年".
// Before 1873-01-01 it shows the Gregorian year, "1872年".
func WarekiYear(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.In(Tokyo).Date()
	day := y*10000 + int(m)*100 + d
	if day >= firstWareki {
		for _, e := range eras {
			if day >= e.year*10000+int(e.month)*100+e.day {
				return e.name + eraYear(y-e.year+1) + "年"
			}
		}
	}
	return strconv.Itoa(y) + "年"
}

func eraYear(n int) string {
	if n == 1 {
		return "元"
	}
	return strconv.Itoa(n)
}
