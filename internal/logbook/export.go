package logbook

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// Column is one column of a logbook as a ledger shows it: its heading and how an entry fills it.
type Column struct {
	Name  string
	Field policy.Field // zero for the columns Mamori adds
	Value func(Entry) string
}

// Dates formats dates and times of a ledger: in 和暦 as municipal forms print them (the pages
// and prints in Japanese), or in ISO 8601 (the xlsx export and the command line, which
// machines and spreadsheets read).
type Dates struct {
	Lang   i18n.Lang
	Wareki bool
}

// DateTime shows a time's JST date and minute.
func (d Dates) DateTime(t time.Time) string {
	if d.Wareki {
		return i18n.FormatDateTime(i18n.Ja, t)
	}
	return i18n.FormatDateTime(i18n.En, t) // 2026-03-15 10:00
}

// Date shows a time's JST date.
func (d Dates) Date(t time.Time) string {
	if d.Wareki {
		return i18n.FormatDate(i18n.Ja, t)
	}
	return i18n.FormatDate(i18n.En, t) // 2026-03-15
}

// Columns are the columns of a logbook's ledger, in the language given: the entry's date, its
// department, the pack's fields in pack order, the visitor's escort where the pack's room
// access log has no field for it, the confirmation where a second person is required, and who
// wrote the entry.
func Columns(lb policy.Logbook, d Dates) []Column {
	lang := d.Lang
	t := func(key string) string { return i18n.T(lang, key) }
	cols := []Column{{Name: t("logbooks.occurred_at"), Value: func(e Entry) string { return d.DateTime(e.OccurredAt) }},
		{Name: t("logbooks.department"), Value: func(e Entry) string { return e.DepartmentName }}}
	for _, f := range lb.Fields {
		cols = append(cols, Column{Name: f.Name, Field: f, Value: func(e Entry) string { return FieldText(f, e, d) }})
	}
	if IsRoomAccess(lb) {
		_, own := escortField(lb)
		cols = append(cols, Column{Name: t("logbooks.visitor"), Value: func(e Entry) string { return yesNo(lang, e.Visitor) }})
		if !own {
			cols = append(cols, Column{Name: t("logbooks.escort"), Value: func(e Entry) string { return e.EscortName }})
		}
	}
	if lb.SecondPerson {
		cols = append(cols,
			Column{Name: t("logbooks.status"), Value: func(e Entry) string { return t(StatusKey(e.Status)) }},
			Column{Name: t("logbooks.confirmed_by"), Value: func(e Entry) string { return e.ConfirmerName + nameLogin(e.ConfirmerName, e.ConfirmedBy) }},
			Column{Name: t("logbooks.confirmed_at"), Value: func(e Entry) string {
				if e.ConfirmedAt == nil {
					return ""
				}
				return d.DateTime(*e.ConfirmedAt)
			}})
	}
	cols = append(cols,
		Column{Name: t("logbooks.written_by"), Value: func(e Entry) string { return e.WriterName + nameLogin(e.WriterName, e.WrittenBy) }},
		Column{Name: t("logbooks.created_at"), Value: func(e Entry) string { return d.DateTime(e.CreatedAt) }})
	return cols
}

func nameLogin(name, login string) string {
	if name == "" {
		return login
	}
	return ""
}

func yesNo(lang i18n.Lang, b bool) string {
	if b {
		return i18n.T(lang, "common.yes")
	}
	return i18n.T(lang, "common.no")
}

// FieldText is an entry's value of a field as a person reads it: names for staff, assets and
// departments as they were when written, dates and times in JST.
func FieldText(f policy.Field, e Entry, d Dates) string {
	lang := d.Lang
	v, ok := e.Fields[f.ID]
	if !ok || v == nil {
		return ""
	}
	if n, ok := e.Display[f.ID]; ok {
		return n
	}
	switch f.Type {
	case "datetime":
		if t, err := time.Parse(time.RFC3339, fmt.Sprint(v)); err == nil {
			return d.DateTime(t)
		}
	case "date":
		if t, err := time.ParseInLocation(time.DateOnly, fmt.Sprint(v), i18n.Tokyo); err == nil {
			return d.Date(t)
		}
	case "bool":
		b, _ := v.(bool)
		return yesNo(lang, b)
	case "number":
		if n, ok := v.(float64); ok {
			return strconv.FormatFloat(n, 'f', -1, 64)
		}
	}
	return fmt.Sprint(v)
}

// Export writes the filter's entries as an .xlsx workbook, streamed: one sheet named after the
// logbook, a header row, one row per entry. Text that a spreadsheet would take for a formula
// is neutralised.
func (s *Service) Export(ctx context.Context, who access.Actor, f Filter, lang i18n.Lang, w io.Writer) error {
	lb, _, err := s.Logbook(ctx, who.OrgID, f.Logbook)
	if err != nil {
		return err
	}
	cols := Columns(lb, Dates{Lang: lang})
	x := excelize.NewFile()
	defer x.Close()
	sheet := sheetName(lb.Name)
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return apperr.Wrap(err, "xlsx sheet")
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return apperr.Wrap(err, "xlsx stream")
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return apperr.Wrap(err, "xlsx style")
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return apperr.Wrap(err, "xlsx panes")
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = assetio.Neutralize(c.Name)
		width := float64(utf8.RuneCountInString(c.Name))*2 + 2
		if err := sw.SetColWidth(i+1, i+1, min(max(width, 12), 40)); err != nil {
			return apperr.Wrap(err, "xlsx width")
		}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return apperr.Wrap(err, "xlsx row")
	}
	n := 1
	err = s.Each(ctx, who, f, func(e Entry) error {
		n++
		row := make([]any, len(cols))
		for i, c := range cols {
			row[i] = assetio.Neutralize(c.Value(e))
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, row); err != nil {
			return apperr.Wrap(err, "xlsx row")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return apperr.Wrap(err, "xlsx flush")
	}
	if err := x.Write(w); err != nil {
		return apperr.Wrap(err, "xlsx write")
	}
	return nil
}

// sheetName shortens a logbook's name to what a sheet name may hold: 31 characters, none of
// : \ / ? * [ ].
func sheetName(name string) string {
	out := []rune{}
	for _, r := range name {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = '・'
		}
		out = append(out, r)
	}
	if len(out) > 31 {
		out = out[:31]
	}
	return string(out)
}

// StatusKey is the catalog key of a confirmation state.
func StatusKey(status string) string {
	if status == NotRequired {
		return "logbooks.status.none"
	}
	return "logbooks.status." + status
}
