package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/transfer"
)

// 人事異動: the 情報政策課 uploads the list, checks which field each column is, reads the dry
// run row by row, and applies the list all or nothing; a list for a later day waits and may be
// withdrawn. The CISO, the other organisation-wide security roles and the auditors read them.

// CanReadTransfers reports whether the navigation shows the 人事異動 lists.
func (p *page) CanReadTransfers() bool { return p.Who != nil && transfer.MayRead(*p.Who) }

func transferPath(id int64) string { return "/transfers/" + strconv.FormatInt(id, 10) }

type transfersData struct {
	Lists     []transfer.List
	CanImport bool
	MaxMB     int64
	Articles  []policy.Cite
	Vacancies []transfer.Vacancy
}

func (w *Server) transfers(rw http.ResponseWriter, r *http.Request) error {
	return w.renderTransfers(rw, r, http.StatusOK, nil)
}

func (w *Server) renderTransfers(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	lists, e := w.s.Transfers.Lists(ctx, who, "", 100)
	if e != nil {
		return e
	}
	d := transfersData{Lists: lists, CanImport: transfer.MayImport(who), MaxMB: transfer.MaxBytes >> 20}
	if d.Articles, e = w.transferArticles(r); e != nil {
		return e
	}
	if d.Vacancies, e = w.s.Transfers.Vacancies(ctx, who, today(w.s.Now())); e != nil {
		return e
	}
	p := w.newPage(r, "transfer.title", "transfers")
	if err != nil {
		e := apperr.As(err)
		p.Errors = []fieldMessage{{Field: "file", Message: p.T(e.Key, e.Args...)}}
	}
	p.Data = d
	w.render(rw, r, status, "transfers", p)
	return nil
}

func (w *Server) transferArticles(r *http.Request) ([]policy.Cite, error) {
	p, err := w.s.Policy.Optional(r.Context(), stateOf(r).who.OrgID)
	if err != nil || p == nil {
		return nil, err
	}
	return transfer.Articles(p.ID), nil
}

// transferUpload keeps the uploaded list as a draft and shows its dry run.
func (w *Server) transferUpload(rw http.ResponseWriter, r *http.Request) error {
	if !transfer.MayImport(stateOf(r).who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := r.ParseMultipartForm(importMaxMemory); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return w.renderTransfers(rw, r, http.StatusRequestEntityTooLarge, apperr.New(apperr.TooLarge, "import.error.too_large", transfer.MaxBytes>>20))
		}
		return w.renderTransfers(rw, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, "import.error.no_file"))
	}
	defer r.MultipartForm.RemoveAll()
	if err := formText(r); err != nil {
		return err
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return w.renderTransfers(rw, r, http.StatusUnprocessableEntity, apperr.New(apperr.Invalid, "import.error.no_file"))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, transfer.MaxBytes+1))
	if err != nil {
		return apperr.Wrap(err, "read upload")
	}
	l, err := w.s.Transfers.Upload(r.Context(), stateOf(r).who, hdr.Filename, data)
	switch apperr.CodeOf(err) {
	case "":
		return w.redirect(rw, r, transferPath(l.ID), "")
	case apperr.Invalid, apperr.TooLarge:
		return w.renderTransfers(rw, r, apperr.HTTPStatus(apperr.CodeOf(err)), err)
	}
	return err
}

// transferRowView is a row of the dry run with what the page says of it in words.
type transferRowView struct {
	transfer.Row
	Messages []string
	Ends     []string
	Keeps    []string
}

type transferData struct {
	Report    transfer.Report
	Rows      []transferRowView
	Columns   []mappingColumn
	Fields    []fieldOption
	Missing   []string
	CanImport bool
	Articles  []policy.Cite
	Problems  []string // why a pending list could not be applied on its day
}

func (w *Server) transferDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.renderTransfer(rw, r, http.StatusOK, nil)
}

func (w *Server) renderTransfer(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	id, e := pathID(r)
	if e != nil {
		return e
	}
	ctx, who := r.Context(), stateOf(r).who
	rep, e := w.s.Transfers.Check(ctx, who, id)
	if e != nil {
		return e
	}
	pack, e := w.s.Policy.Optional(ctx, who.OrgID)
	if e != nil {
		return e
	}
	p := w.newPage(r, "transfer.list.title", "transfers")
	p.Crumbs = []crumb{{p.T("transfer.title"), "/transfers"}}
	d := transferData{Report: rep, CanImport: transfer.MayImport(who), Rows: transferRows(p, pack, rep.Rows)}
	if pack != nil {
		d.Articles = transfer.Articles(pack.ID)
	}
	for _, f := range rep.Missing {
		d.Missing = append(d.Missing, p.T("transfer.field."+f))
	}
	for _, f := range transfer.Fields {
		d.Fields = append(d.Fields, fieldOption{ID: f, Label: p.T("transfer.field." + f), Required: transfer.Required(f)})
	}
	for i, h := range rep.List.Headers {
		c := mappingColumn{Index: i, Header: h, Field: "-"}
		c.Letter, _ = excelize.ColumnNumberToName(i + 1)
		if i < len(rep.List.Mapping) && rep.List.Mapping[i] != "" {
			c.Field = rep.List.Mapping[i]
		}
		d.Columns = append(d.Columns, c)
	}
	if rep.List.Problem != "" {
		d.Problems = failedProblems(p, rep.List.Problem)
	}
	if err != nil {
		e := apperr.As(err)
		p.Errors = append(p.Errors, fieldMessage{Message: p.T(e.Key, e.Args...)})
		for _, f := range e.Fields {
			p.Errors = append(p.Errors, fieldMessage{Message: rowMessage(p, f)})
		}
	}
	p.Data = d
	w.render(rw, r, status, "transfer", p)
	return nil
}

// transferRows puts the dry run's rows in words: each problem naming its column, and the role
// assignments a move ends or leaves to hand over.
func transferRows(p *page, pack *policy.Compiled, rows []transfer.Row) []transferRowView {
	out := make([]transferRowView, len(rows))
	role := func(e transfer.RoleEnd) string {
		name := e.RoleID
		if pack != nil {
			name = pack.RoleName(e.RoleID)
		}
		if e.Department != "" {
			name += "（" + e.Department + "）"
		} else if e.SystemRef != "" {
			name += "（" + e.SystemRef + "）"
		}
		if e.Acting {
			name += p.T("transfer.acting_mark")
		}
		return name
	}
	for i, r := range rows {
		v := transferRowView{Row: r}
		for _, pr := range r.Problems {
			v.Messages = append(v.Messages, p.T("transfer.field."+pr.Field)+": "+p.T(pr.Key, pr.Args...))
		}
		for _, e := range r.EndRoles {
			v.Ends = append(v.Ends, role(e))
		}
		for _, e := range r.KeepRoles {
			v.Keeps = append(v.Keeps, role(e))
		}
		out[i] = v
	}
	return out
}

func (w *Server) transferMapping(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	l, err := w.s.Transfers.Get(ctx, who, id)
	if err != nil {
		return err
	}
	mapping := make([]string, len(l.Headers))
	for i := range mapping {
		mapping[i] = r.PostForm.Get("col." + strconv.Itoa(i))
	}
	_, err = w.s.Transfers.SetMapping(ctx, who, id, mapping)
	return w.saved(rw, r, err, func(status int, err error) error { return w.renderTransfer(rw, r, status, err) }, transferPath(id), "transfer.mapped")
}

func (w *Server) transferApply(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, err = w.s.Transfers.Apply(r.Context(), stateOf(r).who, id)
	return w.saved(rw, r, err, func(status int, err error) error { return w.renderTransfer(rw, r, status, err) }, transferPath(id), "transfer.applied")
}

func (w *Server) transferWithdraw(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if !w.confirmed(rw, r, "transfer.withdraw.title", "transfer.withdraw.confirm", transferPath(id)) {
		return nil
	}
	_, err = w.s.Transfers.Withdraw(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	return w.redirect(rw, r, transferPath(id), "transfer.withdrawn")
}

// transferExport is the list's rows with what each did or will do, as an .xlsx.
func (w *Server) transferExport(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	rep, err := w.s.Transfers.Check(ctx, who, id)
	if err != nil {
		return err
	}
	pack, err := w.s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return err
	}
	p := w.newPage(r, "transfer.list.title", "transfers")
	header := []string{p.T("transfer.row"), p.T("transfer.field.employee_no"), p.T("transfer.field.name"), p.T("transfer.field.kind"),
		p.T("transfer.field.from_department"), p.T("transfer.field.to_department"), p.T("transfer.field.title"), p.T("transfer.field.effective_on"),
		p.T("transfer.row_state"), p.T("transfer.ends"), p.T("transfer.keeps"), p.T("transfer.accounts"), p.T("transfer.problems")}
	var rows [][]any
	for _, v := range transferRows(p, pack, rep.Rows) {
		state := p.T("transfer.row_state.check")
		if v.State != "" {
			state = p.T("transfer.row_state." + v.State)
		}
		kind := ""
		if v.Kind != "" {
			kind = p.T("transfer.kind." + v.Kind)
		}
		to := v.ToDepartment
		if v.Destination != "" {
			to = v.Destination
		}
		rows = append(rows, []any{v.Row.Row, v.EmployeeNo, v.Name, kind, v.FromDepartment, to, v.ToTitle, v.EffectiveOn, state,
			strings.Join(v.Ends, "\n"), strings.Join(v.Keeps, "\n"), v.Accounts, strings.Join(v.Messages, "\n")})
	}
	return sendXLSX(rw, "transfer-"+strconv.FormatInt(id, 10), p.T("transfer.list.title"), header, rows)
}

// failedProblems reads the problems kept with a list that could not be applied on its day.
func failedProblems(p *page, problem string) []string {
	fields, err := decodeFieldErrors(problem)
	if err != nil {
		return []string{p.T("transfer.error.failed")}
	}
	var out []string
	for _, f := range fields {
		out = append(out, rowMessage(p, f))
	}
	return out
}

// rowMessage says a problem of a row ("row N: field", as transfer names it) in words: the row,
// the column's name and what is wrong.
func rowMessage(p *page, f apperr.FieldError) string {
	msg := i18n.T(p.Lang, f.Key, f.Args...)
	rest, ok := strings.CutPrefix(f.Field, "row ")
	if !ok {
		if f.Field == "" {
			return msg
		}
		return p.T("transfer.field."+f.Field) + ": " + msg
	}
	n, field, _ := strings.Cut(rest, ": ")
	where := p.T("transfer.row_n", n)
	if field != "" {
		where += " " + p.T("transfer.field."+field)
	}
	return where + ": " + msg
}

func decodeFieldErrors(s string) ([]apperr.FieldError, error) {
	var out []apperr.FieldError
	err := json.Unmarshal([]byte(s), &out)
	for _, f := range out {
		for i, a := range f.Args {
			if n, ok := a.(float64); ok && n == float64(int64(n)) {
				f.Args[i] = int64(n) // a row number, kept as JSON
			}
		}
	}
	return out, err
}
