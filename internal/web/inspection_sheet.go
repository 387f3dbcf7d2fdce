package web

import (
	"mime"
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// A department's answer sheet: each item with its article, the answer (実施 / 一部 / 未実施 /
// 該当なし), a comment and an evidence file; submitting it; the 情報政策課's 差戻し; its A4 print
// and its .xlsx.

// maxSheetBody is how large a sheet's form may be: a few evidence files at once.
const maxSheetBody = 4*inspection.MaxEvidenceSize + 1<<20

func sheetPath(r *http.Request) (int64, int64, string, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, "", err
	}
	sheet, err := strconv.ParseInt(r.PathValue("sheet"), 10, 64)
	if err != nil || sheet <= 0 {
		return 0, 0, "", apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, sheet, "/self-inspections/" + strconv.FormatInt(id, 10) + "/sheets/" + strconv.FormatInt(sheet, 10), nil
}

type inspectionSheetData struct {
	inspection.SheetView
	Href      string
	Choices   []string
	PrintedOn string
}

func (w *Server) inspectionSheet(rw http.ResponseWriter, r *http.Request) error {
	return w.inspectionSheetPage(rw, r, http.StatusOK, nil, "inspection_sheet")
}

func (w *Server) inspectionSheetPrint(rw http.ResponseWriter, r *http.Request) error {
	return w.inspectionSheetPage(rw, r, http.StatusOK, nil, "inspection_sheet_print")
}

func (w *Server) inspectionSheetPage(rw http.ResponseWriter, r *http.Request, status int, err error, tmpl string) error {
	id, sheet, href, perr := sheetPath(r)
	if perr != nil {
		return perr
	}
	v, verr := w.s.Inspections.View(r.Context(), stateOf(r).who, id, sheet)
	if verr != nil {
		return verr
	}
	p := w.newPage(r, "inspection.sheet.title", "inspections")
	p.Crumbs = []crumb{{p.T("inspection.title"), "/self-inspections"}, {v.Campaign.Title, "/self-inspections/" + strconv.FormatInt(id, 10)}}
	if tmpl == "inspection_sheet_print" {
		p.Crumbs = append(p.Crumbs, crumb{v.Sheet.Name(), href})
	}
	if err != nil {
		p.withErrors(err)
	}
	p.Data = inspectionSheetData{SheetView: v, Href: href, Choices: inspection.Answers, PrintedOn: p.Date(w.s.Now())}
	w.render(rw, r, status, tmpl, p)
	return nil
}

// inspectionAnswer saves the answers given on the sheet's form.
func (w *Server) inspectionAnswer(rw http.ResponseWriter, r *http.Request) error {
	id, sheet, href, err := sheetPath(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	v, err := w.s.Inspections.View(ctx, who, id, sheet)
	if err != nil {
		return err
	}
	var given []inspection.Given
	for _, a := range v.Answers {
		key := "answers." + strconv.Itoa(a.Item.Seq)
		g := inspection.Given{Seq: a.Item.Seq, Answer: r.PostForm.Get(key), Comment: r.PostForm.Get(key + ".comment")}
		if r.MultipartForm != nil {
			if files := r.MultipartForm.File[key+".evidence"]; len(files) > 0 && (files[0].Filename != "" || files[0].Size > 0) {
				body, err := readUpload(files[0])
				if err != nil {
					return err
				}
				g.Evidence = &inspection.NewEvidence{Name: files[0].Filename, Body: body}
			}
		}
		if g.Answer == "" && g.Comment == "" && g.Evidence == nil {
			continue
		}
		given = append(given, g)
	}
	_, err = w.s.Inspections.Save(ctx, who, id, sheet, given)
	return w.sheetActed(rw, r, err, href, "inspection.flash.saved")
}

// sheetActed redisplays the sheet with what refused the act (invalid input, a passed deadline,
// a sheet already submitted), or goes back to it with a notice.
func (w *Server) sheetActed(rw http.ResponseWriter, r *http.Request, err error, href, notice string) error {
	switch apperr.CodeOf(err) {
	case "":
		return w.redirect(rw, r, href, notice)
	case apperr.Invalid:
		return w.inspectionSheetPage(rw, r, http.StatusUnprocessableEntity, err, "inspection_sheet")
	case apperr.Conflict:
		return w.inspectionSheetPage(rw, r, http.StatusConflict, err, "inspection_sheet")
	}
	return err
}

func (w *Server) inspectionSubmit(rw http.ResponseWriter, r *http.Request) error {
	id, sheet, href, err := sheetPath(r)
	if err != nil {
		return err
	}
	if !w.confirmed(rw, r, "inspection.submit.title", "inspection.submit.confirm", href) {
		return nil
	}
	_, err = w.s.Inspections.Submit(r.Context(), stateOf(r).who, id, sheet)
	return w.sheetActed(rw, r, err, href, "inspection.flash.submitted")
}

func (w *Server) inspectionReturn(rw http.ResponseWriter, r *http.Request) error {
	id, sheet, href, err := sheetPath(r)
	if err != nil {
		return err
	}
	_, err = w.s.Inspections.Return(r.Context(), stateOf(r).who, id, sheet, r.PostForm.Get("reason"), r.PostForm.Get("deadline"))
	return w.sheetActed(rw, r, err, href, "inspection.flash.returned")
}

func (w *Server) inspectionSheetExport(rw http.ResponseWriter, r *http.Request) error {
	id, sheet, _, err := sheetPath(r)
	if err != nil {
		return err
	}
	st := stateOf(r)
	v, err := w.s.Inspections.View(r.Context(), st.who, id, sheet)
	if err != nil {
		return err
	}
	t := func(k string, a ...any) string { return i18n.T(st.lang, k, a...) }
	return w.xlsx(rw, "self-inspection-sheet-"+strconv.FormatInt(sheet, 10), inspection.Table{
		Name: v.Sheet.Name(),
		Head: []string{t("inspection.field.seq"), t("inspection.field.question"), t("inspection.field.role"), t("inspection.field.article"),
			t("inspection.field.chapter"), t("inspection.field.answer"), t("inspection.field.comment"), t("inspection.field.evidence"),
			t("inspection.field.answered_by")},
		Rows: rowsOf(v.Answers, func(a inspection.Answer) []any {
			answer := ""
			if a.Answer != "" {
				answer = t("inspection.answer." + a.Answer)
			}
			return []any{a.Item.Seq, a.Item.Question, a.Item.RoleName, a.Item.Article, a.Item.Chapter, answer, a.Comment, a.Evidence, a.AnsweredBy}
		}),
	})
}

// inspectionEvidence sends an evidence file as an attachment the browser neither sniffs nor runs.
func (w *Server) inspectionEvidence(rw http.ResponseWriter, r *http.Request) error {
	id, sheet, _, err := sheetPath(r)
	if err != nil {
		return err
	}
	eid, err := evidenceID(r)
	if err != nil {
		return err
	}
	ev, err := w.s.Inspections.EvidenceFile(r.Context(), stateOf(r).who, id, sheet, eid)
	if err != nil {
		return err
	}
	h := rw.Header()
	h.Set("Content-Type", ev.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(ev.Body)))
	_, err = rw.Write(ev.Body)
	return err
}
