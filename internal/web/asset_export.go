package web

import (
	"net/http"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
)

var exportTypes = map[assetio.Format]struct{ contentType, ext string }{
	assetio.XLSX:    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
	assetio.CSV:     {"text/csv; charset=utf-8", "csv"},
	assetio.CSVSJIS: {"text/csv; charset=Shift_JIS", "csv"},
}

// assetExport downloads the register as the list's filter shows it, as .xlsx or CSV.
func (w *Server) assetExport(rw http.ResponseWriter, r *http.Request) error {
	format := assetio.Format(r.URL.Query().Get("format"))
	t, ok := exportTypes[format]
	if !ok {
		return apperr.InvalidField("format", "error.choose")
	}
	name := "register-" + time.Now().In(i18n.Tokyo).Format("20060102") + "." + t.ext
	rw.Header().Set("Content-Type", t.contentType)
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	return assetio.Export(r.Context(), w.s.Assets, stateOf(r).who, assetFilter(r.URL.Query()), format, rw)
}
