package task

import (
	"context"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
)

// Export writes the tasks of f the actor reads as an .xlsx workbook, streamed: a header row
// and one row per task, dates in ISO 8601, labels in lang. Text a spreadsheet would take for a
// formula is neutralised.
func (s *Service) Export(ctx context.Context, who access.Actor, f Filter, lang i18n.Lang, w io.Writer) error {
	f.Limit, f.Offset = MaxLimit, 0
	list, _, err := s.List(ctx, who, f)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := i18n.T(lang, "tasks.title")
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
	keys := []string{"tasks.field.due_on", "tasks.field.period_start", "tasks.field.status", "tasks.field.text", "tasks.field.role",
		"tasks.field.scope", "tasks.field.holders", "tasks.field.cite", "tasks.field.evidence", "tasks.field.done_at", "tasks.field.done_by"}
	head := make([]any, len(keys))
	for i, k := range keys {
		head[i] = i18n.T(lang, k)
		width := 14.0
		if k == "tasks.field.text" {
			width = 60
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return apperr.Wrap(err, "xlsx width")
		}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return apperr.Wrap(err, "xlsx row")
	}
	for n, t := range list {
		done := ""
		if t.DoneAt != nil {
			done = t.DoneAt.In(jst).Format("2006-01-02")
		}
		row := []any{t.DueOn, t.PeriodStart, i18n.T(lang, "tasks.status."+t.Status), assetio.Neutralize(t.Text),
			assetio.Neutralize(t.RoleName), assetio.Neutralize(ScopeName(t)), assetio.Neutralize(HolderNames(t, i18n.T(lang, "tasks.acting"))), assetio.Neutralize(t.Cite),
			i18n.T(lang, "tasks.evidence."+t.Evidence), done, assetio.Neutralize(t.DoneBy)}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return apperr.Wrap(err, "xlsx row")
		}
	}
	if err := sw.Flush(); err != nil {
		return apperr.Wrap(err, "xlsx flush")
	}
	if err := x.Write(w); err != nil {
		return apperr.Wrap(err, "xlsx write")
	}
	return nil
}

// ScopeName is where a task's role is held: its department or system; "" for the organisation.
func ScopeName(t Task) string {
	if t.Department != "" {
		return t.Department
	}
	return t.SystemRef
}

// HolderNames are the names of a task's holders, acting holders marked with acting.
func HolderNames(t Task, acting string) string {
	var names []string
	for _, h := range t.Holders {
		n := h.Name
		if h.Acting {
			n += acting
		}
		names = append(names, n)
	}
	return strings.Join(names, "、")
}
