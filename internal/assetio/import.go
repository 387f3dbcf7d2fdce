package assetio

import (
	"context"
	"errors"
	"io"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// Import reads a register sheet and checks every row against the organisation's pack; unless
// it is a dry run it then registers the rows: all of them in one transaction, refusing the
// whole file when a row is bad, or with ValidOnly the valid rows only. The report says what
// was found and done; a problem with the file as a whole (unreadable, too large, columns
// missing) is an error, and changes nothing.
func (im *Importer) Import(ctx context.Context, who access.Actor, filename string, r io.Reader, opts Options) (Report, error) {
	rep := Report{Mapping: map[string]string{}, Errors: []RowError{}}
	src, err := open(filename, r, im.maxBytes())
	if err != nil {
		return rep, err
	}
	defer src.close()
	rep.Encoding = src.encoding()
	p, _, err := im.Assets.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return rep, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return rep, err
	}
	check, err := im.Assets.Checker(ctx, who)
	if err != nil {
		return rep, err
	}
	remembered, err := rememberedMapping(ctx, im.DB, who.OrgID)
	if err != nil {
		return rep, err
	}
	dir, err := loadDirectory(ctx, im.DB, who.OrgID)
	if err != nil {
		return rep, err
	}
	pl := &plan{pack: p, words: newPackWords(p), dir: dir, check: check, labels: map[string]string{}}
	for _, f := range fieldsOf(p) {
		pl.labels[f.ID] = f.Label
	}
	if err := pl.findHeader(ctx, src, newGuesser(p, remembered), opts.Mapping); err != nil {
		return rep, err
	}
	rep.Sheet, rep.HeaderRow, rep.Headers = pl.sheet, pl.headerRow, pl.headers
	for i, h := range pl.headers {
		h = strings.TrimSpace(h)
		if _, twice := rep.Mapping[h]; h != "" && (!twice || pl.fields[i] != "") {
			rep.Mapping[h] = pl.fields[i]
		}
	}
	if err := pl.requireColumns(); err != nil {
		return rep, err
	}

	bad, err := im.checkRows(ctx, who, src, pl, &rep, opts)
	if err != nil || opts.DryRun || rep.Valid == 0 || (len(bad) > 0 && !opts.ValidOnly) {
		return rep, err
	}
	return im.apply(ctx, who, src, pl, bad, rep, opts)
}

// checkRows is the first pass over the file: it checks every row, and the management numbers
// against each other and the register, and returns the rows found bad.
func (im *Importer) checkRows(ctx context.Context, who access.Actor, src source, pl *plan, rep *Report, opts Options) (map[int]bool, error) {
	bad := map[int]bool{}
	seen := map[string]int{} // management number → first row
	var pending []numbered
	flush := func() error {
		taken, err := im.takenNumbers(ctx, who.OrgID, pending)
		if err != nil {
			return err
		}
		for _, n := range taken {
			rep.Errors = append(rep.Errors, pl.rowError(n.row, "number", "asset.error.number_taken", n.number))
			bad[n.row] = true
		}
		pending = pending[:0]
		return nil
	}
	err := pl.dataRows(ctx, src, func(row int, cells []string) error {
		rep.Rows++
		if rep.Rows > MaxRows {
			return apperr.New(apperr.TooLarge, "import.error.too_many_rows", MaxRows)
		}
		in, problems := pl.convert(cells)
		for _, pr := range problems {
			rep.Errors = append(rep.Errors, pl.rowError(row, pr.field, pr.key, pr.args...))
			bad[row] = true
		}
		if in.Number != "" {
			if first, dup := seen[in.Number]; dup {
				rep.Errors = append(rep.Errors, pl.rowError(row, "number", "import.error.duplicate", in.Number, first))
				bad[row] = true
			} else {
				seen[in.Number] = row
				pending = append(pending, numbered{row, in.Number})
			}
		}
		if len(pending) >= numberBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		if opts.Progress != nil && rep.Rows%1000 == 0 {
			opts.Progress("check", rep.Rows, 0)
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	if rep.Rows == 0 {
		return nil, apperr.New(apperr.Invalid, "import.error.no_rows")
	}
	sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Row < rep.Errors[j].Row })
	rep.Valid = rep.Rows - len(bad)
	return bad, nil
}

// apply is the second pass: it registers the rows that are not bad in one transaction.
func (im *Importer) apply(ctx context.Context, who access.Actor, src source, pl *plan, bad map[int]bool, rep Report, opts Options) (Report, error) {
	lastRow, done := 0, 0
	rows := func(yield func(asset.Input, error) bool) {
		err := pl.dataRows(ctx, src, func(row int, cells []string) error {
			if bad[row] {
				return nil
			}
			in, _ := pl.convert(cells)
			lastRow = row
			if !yield(in, nil) {
				return errStop
			}
			if done++; opts.Progress != nil && done%1000 == 0 {
				opts.Progress("apply", done, rep.Valid)
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(asset.Input{}, err)
		}
	}
	n, err := im.Assets.CreateMany(ctx, who, iter.Seq2[asset.Input, error](rows))
	if err != nil {
		e := apperr.As(err)
		if e.Code == apperr.Internal || len(e.Fields) == 0 {
			return rep, err
		}
		// The register changed since the check (another user took a number): nothing is
		// written, and the row is reported.
		for _, f := range e.Fields {
			rep.Errors = append(rep.Errors, pl.rowError(lastRow, pl.fieldOf(f.Field), f.Key, f.Args...))
		}
		rep.Valid--
		return rep, nil
	}
	rep.Created, rep.Applied = n, true
	// The mapping is a convenience for the next import: failing to keep it does not undo this one.
	now := time.Now()
	if im.Assets.Now != nil {
		now = im.Assets.Now()
	}
	_ = rememberMapping(ctx, im.DB, who.OrgID, pl.headers, pl.fields, now.UTC())
	return rep, nil
}

var errStop = errors.New("stop")

// numberBatch is how many numbers one query looks up in the register.
const numberBatch = 200

type numbered struct {
	row    int
	number string
}

// takenNumbers returns those of the numbers the register already has.
func (im *Importer) takenNumbers(ctx context.Context, orgID int64, list []numbered) ([]numbered, error) {
	if len(list) == 0 {
		return nil, nil
	}
	args := []any{orgID}
	marks := make([]string, len(list))
	byNumber := map[string]numbered{}
	for i, n := range list {
		args = append(args, n.number)
		marks[i] = "($" + strconv.Itoa(i+2) + ")"
		byNumber[n.number] = n
	}
	// A join with a list of values, which both engines answer from the (org_id, number) index
	// whatever their statistics; PostgreSQL planned "number IN (…)" on a table not yet analysed
	// by scanning the organisation's assets, 30 ms a query at 4,000 assets and growing.
	rows, err := im.DB.SQL.QueryContext(ctx, `SELECT a.number FROM (VALUES `+strings.Join(marks, ", ")+`) AS v
		JOIN assets a ON a.org_id = $1 AND a.number = v.column1`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "taken numbers")
	}
	defer rows.Close()
	var out []numbered
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, apperr.Wrap(err, "taken numbers")
		}
		out = append(out, byNumber[s])
	}
	return out, rows.Err()
}

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
}

// findHeader finds the header row: the first row, among the first few of a sheet, in which
// columns are recognised as the number or the name and one more field. Title rows above it are
// skipped. A workbook's sheets are tried in order; when no row is recognised, the first row of
// the first sheet is the header and the missing columns are reported.
func (pl *plan) findHeader(ctx context.Context, src source, g *guesser, explicit map[string]string) error {
	sheets := []string{""}
	x, isXLSX := src.(*xlsxSource)
	if isXLSX {
		sheets = x.sheets()
	}
	var first *plan
	for _, sheet := range sheets {
		if isXLSX {
			x.sheet = sheet
		}
		seen := 0
		var found bool
		err := src.each(ctx, func(row int, cells []string) error {
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
	if isXLSX {
		x.sheet = pl.sheet
	}
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
func (pl *plan) dataRows(ctx context.Context, src source, fn func(row int, cells []string) error) error {
	return src.each(ctx, func(row int, cells []string) error {
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

// convert reads one row into an asset and checks it as the register would. The problems name
// fields; a field that could not be read is not reported again by the check.
func (pl *plan) convert(cells []string) (asset.Input, []problem) {
	in := asset.Input{Class: map[string]string{}, Attrs: map[string]any{}}
	var problems []problem
	fail := func(field, key string, args ...any) { problems = append(problems, problem{field, key, args}) }
	var dept, deptCode string
	for i, field := range pl.fields {
		if field == "" || i >= len(cells) {
			continue
		}
		v := unneutralize(strings.TrimSpace(cells[i]))
		if v == "" {
			continue
		}
		switch field {
		case "number":
			in.Number = v
		case "name":
			in.Name = v
		case "kind":
			if id, ok := parseKind(v); ok {
				in.Kind = id
			} else {
				fail(field, "import.error.kind", v)
			}
		case "department":
			dept = v
		case "department_code":
			deptCode = v
		case "manager":
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
				in.Class[axis] = pl.words.level(axis, v)
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
	deptField := "department"
	switch {
	case deptCode != "":
		deptField = "department_code"
		id, key := pl.dir.department(deptCode, true)
		if key != "" {
			fail(deptField, key, deptCode)
		}
		in.DepartmentID = id
	case dept != "":
		id, key := pl.dir.department(dept, false)
		if key != "" {
			fail(deptField, key, dept)
		}
		in.DepartmentID = id
	}
	out, err := pl.check(in)
	if err == nil {
		return out, problems
	}
	e := apperr.As(err)
	switch {
	case e.Code == apperr.Forbidden:
		name := dept
		if name == "" {
			name = deptCode
		}
		fail(deptField, "import.error.forbidden", name)
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
			field = deptField
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

func (pl *plan) rowError(row int, field, key string, args ...any) RowError {
	return RowError{Row: row, Column: pl.column(field), Message: i18n.T(i18n.Ja, key, args...), MessageEn: i18n.T(i18n.En, key, args...)}
}
