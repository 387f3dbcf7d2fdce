package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
)

// policyCoverageExport downloads the coverage list as the filter shows it, as .xlsx: one row
// per article of the source in the source's order, with its chapter, whether an element acts on
// it (未対応 where none does) and the elements.
func (w *Server) policyCoverageExport(rw http.ResponseWriter, r *http.Request) error {
	p, _, err := w.s.Policy.Active(r.Context(), stateOf(r).who.OrgID)
	if err != nil {
		return err
	}
	lang := stateOf(r).lang
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	x := excelize.NewFile()
	defer x.Close()
	sheet := "coverage"
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
	for i, width := range []float64{30, 16, 36, 10, 8, 80} {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return apperr.Wrap(err, "xlsx width")
		}
	}
	head := []any{t("policy.coverage.chapter"), t("policy.article"), t("policy.coverage.heading"),
		t("policy.coverage.status"), t("policy.coverage.count"), t("policy.coverage.elements")}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return apperr.Wrap(err, "xlsx row")
	}
	n := 1
	for _, ch := range coverageFilter(p.Coverage(), coverageShow(r)) {
		for _, a := range ch.Articles {
			n++
			status := t("policy.coverage.acted")
			if !a.Acted() {
				status = t("policy.coverage.unacted")
			}
			var els []string
			for _, e := range a.Elements {
				s := t("policy.coverage.kind."+e.Kind) + " " + e.Name
				if e.Cite.Added() {
					s += "（" + t("policy.added") + "）"
				}
				els = append(els, s)
			}
			row := []any{assetio.Neutralize(ch.Chapter), assetio.Neutralize(a.Article), assetio.Neutralize(a.Title),
				status, len(a.Elements), assetio.Neutralize(strings.Join(els, "\n"))}
			cell, _ := excelize.CoordinatesToCellName(1, n)
			if err := sw.SetRow(cell, row); err != nil {
				return apperr.Wrap(err, "xlsx row")
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return apperr.Wrap(err, "xlsx flush")
	}
	name := "coverage-" + p.ID + "-" + time.Now().In(i18n.Tokyo).Format("20060102") + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	if err := x.Write(rw); err != nil {
		return apperr.Wrap(err, "xlsx write")
	}
	return nil
}
