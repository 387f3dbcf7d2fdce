package web

import (
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
)

// sendXLSX writes a list as one sheet — a bold header row and one row per record, text as it
// is and dates in ISO 8601 — as an .xlsx download named for the list and the JST day.
func sendXLSX(rw http.ResponseWriter, name, sheet string, header []string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return apperr.Wrap(err, "xlsx")
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return apperr.Wrap(err, "xlsx")
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return apperr.Wrap(err, "xlsx")
	}
	end, _ := excelize.CoordinatesToCellName(max(len(header), 1), 1)
	if err := f.SetCellStyle(sheet, "A1", end, bold); err != nil {
		return apperr.Wrap(err, "xlsx")
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return apperr.Wrap(err, "xlsx")
		}
	}
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+"-"+time.Now().In(i18n.Tokyo).Format("20060102")+`.xlsx"`)
	rw.Header().Set("Cache-Control", "no-store")
	return f.Write(rw)
}
