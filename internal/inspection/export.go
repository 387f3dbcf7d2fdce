package inspection

import (
	"context"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
)

// Table is one worksheet of an export: its name, its header row and its rows, given one at a
// time to emit so that a large table streams.
type Table struct {
	Name string
	Head []string
	Rows func(emit func(row []any) error) error
}

// WriteXLSX writes tables as an .xlsx workbook, streamed, one worksheet each, the header row
// frozen. Text a spreadsheet would take for a formula is neutralised.
func WriteXLSX(w io.Writer, tables ...Table) error {
	x := excelize.NewFile()
	defer x.Close()
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return apperr.Wrap(err, "xlsx style")
	}
	for i, t := range tables {
		name := sheetName(t.Name)
		if i == 0 {
			err = x.SetSheetName("Sheet1", name)
		} else {
			_, err = x.NewSheet(name)
		}
		if err != nil {
			return apperr.Wrap(err, "xlsx sheet")
		}
		sw, err := x.NewStreamWriter(name)
		if err != nil {
			return apperr.Wrap(err, "xlsx stream")
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return apperr.Wrap(err, "xlsx panes")
		}
		head := make([]any, len(t.Head))
		for j, h := range t.Head {
			head[j] = assetio.Neutralize(h)
			width := float64(utf8.RuneCountInString(h))*2 + 2
			if err := sw.SetColWidth(j+1, j+1, min(max(width, 10), 60)); err != nil {
				return apperr.Wrap(err, "xlsx width")
			}
		}
		if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
			return apperr.Wrap(err, "xlsx row")
		}
		n := 1
		err = t.Rows(func(row []any) error {
			n++
			for j, v := range row {
				if s, ok := v.(string); ok {
					row[j] = assetio.Neutralize(s)
				}
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
	}
	if err := x.Write(w); err != nil {
		return apperr.Wrap(err, "xlsx write")
	}
	return nil
}

// sheetName keeps what a worksheet name may hold: 31 characters, none of : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet1"
	}
	return name
}

// AnswersTable is every answer of a campaign on the sheets the actor reads, one row each: the
// department or role, the item, its article and chapter, the answer, the comment, who answered
// and when — read from the database row by row.
func (s *Service) AnswersTable(ctx context.Context, who access.Actor, campaignID int64, lang i18n.Lang) (Table, error) {
	pr, err := s.Campaign(ctx, who, campaignID)
	if err != nil {
		return Table{}, err
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Table{}, err
	}
	t := func(k string) string { return i18n.T(lang, k) }
	conds := []string{"s.campaign_id = $1"}
	args := []any{campaignID}
	if !pr.All {
		cond, more := mine(p, who, len(args))
		if cond == "" {
			cond = "1 = 0"
		}
		args = append(args, more...)
		conds = append(conds, cond)
	}
	return Table{
		Name: t("inspection.export.answers"),
		Head: []string{t("inspection.field.department"), t("inspection.field.seq"), t("inspection.field.question"), t("inspection.field.article"),
			t("inspection.field.chapter"), t("inspection.field.answer"), t("inspection.field.comment"), t("inspection.field.answered_by"),
			t("inspection.field.answered_at")},
		Rows: func(emit func([]any) error) error {
			rows, err := s.DB.SQL.QueryContext(ctx, `SELECT COALESCE(d.name, ''), s.role_id, i.seq, i.question, i.article, i.chapter, a.answer, a.comment,
				COALESCE(st.name, ''), a.answered_at
				FROM inspection_answers a JOIN inspection_sheets s ON s.id = a.sheet_id JOIN inspection_items i ON i.id = a.item_id
				LEFT JOIN departments d ON d.id = s.department_id LEFT JOIN staff st ON st.id = a.answered_by_staff_id
				WHERE `+strings.Join(conds, " AND ")+` ORDER BY s.id, i.seq`, args...)
			if err != nil {
				return apperr.Wrap(err, "answers export")
			}
			defer rows.Close()
			for rows.Next() {
				var dept, role, question, article, chapter, answer, comment, by string
				var seq int
				var at timeValue
				if err := rows.Scan(&dept, &role, &seq, &question, &article, &chapter, &answer, &comment, &by, &at.t); err != nil {
					return apperr.Wrap(err, "answers export")
				}
				if dept == "" {
					if r, ok := p.Role(role); ok {
						dept = r.Name
					}
				}
				if err := emit([]any{dept, seq, question, article, chapter, t("inspection.answer." + answer), comment, by,
					i18n.FormatDateTime(i18n.En, at.t)}); err != nil {
					return err
				}
			}
			return rows.Err()
		},
	}, nil
}
