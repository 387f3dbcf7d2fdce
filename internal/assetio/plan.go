package assetio

import (
	"context"
	"errors"
	"strings"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/sheet"
	"mamori/internal/textcheck"
)

// plan is how the rows of one file become assets: which column is which field, and the pack's
// and the organisation's names to read values with.
type plan struct {
	pack      *policy.Compiled
	words     *packWords
	dir       *directory
	check     func(asset.Input) (asset.Input, error)
	labels    map[string]string // field id → Japanese label
	sheet     string
	headerRow int
	headers   []string
	fields    []string // field id per column, "" for a column left out
	// values maps a cell of a column to the pack's or the organisation's value: field id →
	// folded cell → level id, kind id or department code (see valuemap.go).
	values map[string]map[string]string
}

// findHeader finds the header row: the first row, among the first few of a sheet, in which
// columns are recognised as the number or the name and one more field. Title rows above it are
// skipped. A workbook's sheets are tried in order; when no row is recognised, the first row of
// the first sheet is the header and the missing columns are reported.
func (pl *plan) findHeader(ctx context.Context, src sheet.Sheet, g *guesser, explicit map[string]string) error {
	sheets := src.Sheets()
	var first *plan
	for _, sheet := range sheets {
		src.Use(sheet)
		seen := 0
		var found bool
		err := src.Each(ctx, func(row int, cells []string) error {
			if blank(cells) {
				return nil
			}
			fields, err := g.assign(cells, explicit)
			if err != nil {
				return err
			}
			candidate := &plan{sheet: sheet, headerRow: row, headers: append([]string(nil), cells...), fields: fields}
			if first == nil {
				first = candidate
			}
			if recognised(fields) {
				pl.sheet, pl.headerRow, pl.headers, pl.fields, found = sheet, row, candidate.headers, fields, true
				return errStop
			}
			if seen++; seen >= maxHeaderSearchRows {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return err
		}
		if found {
			break
		}
	}
	if pl.headers == nil {
		if first == nil {
			return apperr.New(apperr.Invalid, "import.error.empty")
		}
		pl.sheet, pl.headerRow, pl.headers, pl.fields = first.sheet, first.headerRow, first.headers, first.fields
	}
	src.Use(pl.sheet)
	return nil
}

func recognised(fields []string) bool {
	n, key := 0, false
	for _, f := range fields {
		if f != "" {
			n++
		}
		key = key || f == "number" || f == "name"
	}
	return key && n >= 2
}

// requireColumns refuses a file in which a field every asset needs has no column.
func (pl *plan) requireColumns() error {
	has := map[string]bool{}
	for _, f := range pl.fields {
		has[f] = true
	}
	need := []string{"number", "name", "kind", "department"}
	for _, a := range pl.pack.Classification.Axes {
		need = append(need, "class."+a.ID)
	}
	var v []apperr.FieldError
	for _, f := range need {
		if !has[f] && !(f == "department" && has["department_code"]) {
			v = append(v, apperr.FieldError{Field: f, Key: "import.error.column_missing", Args: []any{pl.labels[f]}})
		}
	}
	if len(v) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Key: "import.error.columns_missing", Fields: v}
	}
	return nil
}

// dataRows calls fn with every row below the header that has something in a mapped column.
func (pl *plan) dataRows(ctx context.Context, src sheet.Sheet, fn func(row int, cells []string) error) error {
	return src.Each(ctx, func(row int, cells []string) error {
		if row <= pl.headerRow {
			return nil
		}
		for i, f := range pl.fields {
			if f != "" && i < len(cells) && strings.TrimSpace(cells[i]) != "" {
				return fn(row, cells)
			}
		}
		return nil
	})
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

type problem struct {
	field, key string
	args       []any
}

// rowIn is one row as read from its cells, before it is checked as the register would.
type rowIn struct {
	in                  asset.Input
	problems            []problem
	deptField, deptText string // the column the department was read from, and its cell
	managerText         string
}

// read reads one row's cells into an asset's fields.
func (pl *plan) read(cells []string) rowIn {
	in := asset.Input{Class: map[string]string{}, Attrs: map[string]any{}}
	var problems []problem
	fail := func(field, key string, args ...any) { problems = append(problems, problem{field, key, args}) }
	var dept, deptCode, manager string
	for i, field := range pl.fields {
		if field == "" || i >= len(cells) {
			continue
		}
		v := unneutralize(strings.TrimSpace(cells[i]))
		if v == "" {
			continue
		}
		if p := cellText(field, v); p != textcheck.OK {
			fail(field, p.Key(), textcheck.Escape(pl.column(field)))
			continue
		}
		mapped, isMapped := pl.values[field][fold(v)]
		switch field {
		case "number":
			in.Number = v
		case "name":
			in.Name = v
		case "kind":
			if isMapped {
				in.Kind = mapped
			} else if id, ok := parseKind(v); ok {
				in.Kind = id
			} else {
				fail(field, "import.error.kind", v)
			}
		case "department":
			dept = v
		case "department_code":
			deptCode = v
		case "manager":
			manager = v
			id, key := pl.dir.manager(v)
			if key != "" {
				fail(field, key, v)
			}
			in.ManagerStaffID = id
		case "segment":
			if id, ok := pl.words.segment(v); ok {
				in.Segment = id
			} else {
				fail(field, "import.error.segment", v)
			}
		case "zone":
			if id, ok := pl.words.zone(v); ok {
				in.Zone = id
			} else {
				fail(field, "import.error.zone", v)
			}
		case "location":
			in.Location = v
		case "system_ref":
			in.SystemRef = v
		case "quantity":
			if n, ok := parseQuantity(v); ok {
				in.Quantity = n
			} else {
				fail(field, "import.error.quantity", v)
			}
		case "copies":
			in.Copies = v
		case "state":
			if id, ok := parseState(v); ok {
				in.State = id
			} else {
				fail(field, "import.error.state", v)
			}
		case "acquired_on", "disposed_on":
			d, ok := parseDate(v)
			if !ok {
				fail(field, "import.error.date", v)
			} else if field == "acquired_on" {
				in.AcquiredOn = d
			} else {
				in.DisposedOn = d
			}
		case "note":
			in.Note = v
		default:
			if axis, ok := strings.CutPrefix(field, "class."); ok {
				if isMapped {
					in.Class[axis] = mapped
				} else {
					in.Class[axis] = pl.words.level(axis, v)
				}
			} else if attr, ok := strings.CutPrefix(field, "attrs."); ok {
				val, ok := pl.attr(attr, v)
				if !ok {
					fail(field, "import.error.date", v)
					continue
				}
				in.Attrs[attr] = val
			}
		}
	}
	r := rowIn{deptField: "department", managerText: manager}
	switch {
	case deptCode != "":
		r.deptField, r.deptText = "department_code", deptCode
		id, key := pl.dir.department(deptCode, true)
		if key != "" {
			fail(r.deptField, key, deptCode)
		}
		in.DepartmentID = id
	case dept != "":
		r.deptText = dept
		code, isMapped := pl.values["department"][fold(dept)]
		id, key := pl.dir.department(dept, false)
		if isMapped {
			id, key = pl.dir.department(code, true)
		}
		if key != "" {
			fail(r.deptField, key, dept)
		}
		in.DepartmentID = id
	}
	r.in, r.problems = in, problems
	return r
}

// finish checks a row as the register would: as a new asset, or laid over cur, the asset of the
// register it changes (see merge). The problems name fields; a field that could not be read is
// not reported again by the check.
func (pl *plan) finish(r rowIn, cur *asset.Asset) (asset.Input, []problem) {
	in, problems := r.in, r.problems
	if cur != nil {
		in, problems = pl.merge(*cur, r)
	}
	fail := func(field, key string, args ...any) { problems = append(problems, problem{field, key, args}) }
	out, err := pl.check(in)
	if err == nil {
		return out, problems
	}
	e := apperr.As(err)
	switch {
	case e.Code == apperr.Forbidden:
		fail(r.deptField, "import.error.forbidden", r.deptText)
	case e.Code != apperr.Invalid:
		fail("", e.Key, e.Args...)
	}
	failed := map[string]bool{}
	for _, pr := range problems {
		failed[pr.field] = true
	}
	for _, f := range e.Fields {
		field := pl.fieldOf(f.Field)
		if field == "department" {
			field = r.deptField
		}
		if !failed[field] {
			fail(field, f.Key, f.Args...)
		}
	}
	return out, problems
}

// attr reads an attribute's cell by the attribute's type: dates in any form parseDate reads,
// yes/no in the words sheets use. The register's validation has the last word.
func (pl *plan) attr(id, v string) (any, bool) {
	for _, a := range pl.pack.Attributes {
		if a.ID != id {
			continue
		}
		switch a.Type {
		case "bool":
			return parseBool(v), true
		case "date":
			d, ok := parseDate(v)
			return d, ok
		case "int":
			return strings.ReplaceAll(norm.NFKC.String(v), ",", ""), true
		}
	}
	return v, true
}

// fieldOf turns a field of the asset package's validation into the field of a column.
func (pl *plan) fieldOf(f string) string {
	switch f {
	case "department_id":
		return "department"
	case "manager_staff_id":
		return "manager"
	}
	return f
}

// column is the header of the column a field was read from, or the field's label when no
// column has it.
func (pl *plan) column(field string) string {
	for i, f := range pl.fields {
		if f == field && field != "" {
			return strings.TrimSpace(pl.headers[i])
		}
	}
	if l, ok := pl.labels[field]; ok {
		return l
	}
	return field
}

// cellText checks a cell's text as the register would take it: the note may run over lines,
// every other field is one line.
func cellText(field, v string) textcheck.Problem {
	if field == "note" {
		return textcheck.Text(v)
	}
	return textcheck.Line(v)
}

func (pl *plan) rowError(row int, field, key string, args ...any) RowError {
	return RowError{Row: row, Column: textcheck.Escape(pl.column(field)), Kind: key, Message: i18n.T(i18n.Ja, key, args...), MessageEn: i18n.T(i18n.En, key, args...)}
}
