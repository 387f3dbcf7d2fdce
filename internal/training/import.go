package training

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/sheet"
)

// The attendance import, in the register import's steps: upload a sheet, confirm which field
// each column is (guessed from its heading, or as the organisation chose last time), check it
// — a dry run that changes nothing and names the row and column of every problem — then apply
// it, every row or none.

// MaxImportBytes is the largest attendance sheet accepted.
const MaxImportBytes = 20 << 20

// Fields of an attendance sheet.
const (
	FieldEmployeeNo  = "employee_no"
	FieldCourse      = "course"
	FieldCompletedOn = "completed_on"
	FieldSkip        = "-"
)

// ImportFields are the fields a column may be mapped to, in the order the mapping offers them.
var ImportFields = []string{FieldEmployeeNo, FieldCourse, FieldCompletedOn}

// headings are the column headings each field is guessed from (folded).
var headings = map[string][]string{
	FieldEmployeeNo:  {"職員番号", "職員コード", "職員no", "職員no.", "社員番号", "個人番号", "番号", "employeeno", "staffno", "employee_no"},
	FieldCourse:      {"研修", "研修名", "研修コード", "研修id", "コース", "科目", "研修・訓練", "course", "courseid"},
	FieldCompletedOn: {"受講日", "実施日", "修了日", "受講年月日", "出席日", "日付", "completedon", "date", "completed_on"},
}

// mappingKind names the attendance sheets' mappings in import_mappings.
const mappingKind = "training"

// Import states.
const (
	ImportUploaded = "uploaded"
	ImportChecked  = "checked"
	ImportApplied  = "applied"
)

// Import is an uploaded attendance sheet.
type Import struct {
	ID       int64     `json:"id"`
	PlanID   int64     `json:"plan_id"`
	UserID   int64     `json:"user_id"`
	Filename string    `json:"filename"`
	State    string    `json:"state"`
	Columns  []Column  `json:"columns"`
	Report   *Report   `json:"report,omitempty"`
	Created  time.Time `json:"created_at"`
}

// Column is one column of the sheet, with samples and the field it is mapped to.
type Column struct {
	Index   int      `json:"index"`
	Letter  string   `json:"letter"`
	Header  string   `json:"header"`
	Samples []string `json:"samples"`
	Field   string   `json:"field"`
}

// RowError is a problem of one row, naming its column: a catalog key and its arguments.
type RowError struct {
	Row    int      `json:"row"`
	Column string   `json:"column"` // the column's letter and heading: B（職員番号）
	Field  string   `json:"field"`
	Key    string   `json:"key"`
	Args   []string `json:"args,omitempty"`
}

// Report is what a check found, or an apply did.
type Report struct {
	Rows      int        `json:"rows"`
	Valid     int        `json:"valid"`
	New       int        `json:"new"`     // completions that will be (or were) recorded
	Already   int        `json:"already"` // already recorded as completed: left as they are
	Extra     int        `json:"extra"`   // attendance by people outside the course's audience, assigned by the import
	Errors    []RowError `json:"errors"`
	Applied   int        `json:"applied,omitempty"`
	Encoding  string     `json:"encoding"`
	HeaderRow int        `json:"header_row"`
}

// Upload keeps an attendance sheet for the plan and guesses its columns. Nothing is recorded.
func (s *Service) Upload(ctx context.Context, who access.Actor, planID int64, filename string, body []byte) (Import, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Import{}, err
	}
	if err := MayPlan(who, p.Pack); err != nil {
		return Import{}, err
	}
	if _, err := planByID(ctx, s.DB.SQL, who.OrgID, planID); err != nil {
		return Import{}, err
	}
	sh, err := sheet.Open(filename, bytes.NewReader(body), MaxImportBytes)
	if err != nil {
		return Import{}, err
	}
	defer sh.Close()
	cols, _, err := s.columns(ctx, who.OrgID, sh)
	if err != nil {
		return Import{}, err
	}
	im := Import{PlanID: planID, UserID: who.UserID, Filename: filename, State: ImportUploaded, Columns: cols, Created: s.now()}
	mapping, _ := json.Marshal(fieldsOf(cols))
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO training_imports (org_id, plan_id, user_id, filename, body, mapping_json, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, who.OrgID, planID, who.UserID, filename, body, string(mapping), ImportUploaded, im.Created).Scan(&im.ID)
		return wrap(err, "insert import")
	})
	return im, err
}

func fieldsOf(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Field
	}
	return out
}

// columns reads the heading row (the first row with a cell) and samples, and guesses fields.
func (s *Service) columns(ctx context.Context, orgID int64, sh sheet.Sheet) ([]Column, int, error) {
	remembered := map[string]string{}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT header, field FROM import_mappings WHERE org_id = $1 AND kind = $2`, orgID, mappingKind)
	if err != nil {
		return nil, 0, wrap(err, "import mappings")
	}
	for rows.Next() {
		var h, f string
		if err := rows.Scan(&h, &f); err != nil {
			rows.Close()
			return nil, 0, wrap(err, "import mappings")
		}
		remembered[h] = f
	}
	rows.Close()
	var cols []Column
	headerRow := 0
	samples := 0
	errStop := apperr.New(apperr.Internal, "stop")
	err = sh.Each(ctx, func(row int, cells []string) error {
		if headerRow == 0 {
			if strings.TrimSpace(strings.Join(cells, "")) == "" {
				return nil
			}
			headerRow = row
			taken := map[string]bool{}
			for i, h := range cells {
				c := Column{Index: i, Letter: letter(i), Header: strings.TrimSpace(h), Field: FieldSkip, Samples: []string{}}
				if f, ok := remembered[fold(h)]; ok && !taken[f] {
					c.Field = f
				} else {
					for _, f := range ImportFields {
						for _, w := range headings[f] {
							if fold(h) == fold(w) && !taken[f] {
								c.Field = f
							}
						}
					}
				}
				taken[c.Field] = true
				cols = append(cols, c)
			}
			return nil
		}
		for i := range cols {
			if i < len(cells) && strings.TrimSpace(cells[i]) != "" && len(cols[i].Samples) < 3 {
				cols[i].Samples = append(cols[i].Samples, strings.TrimSpace(cells[i]))
			}
		}
		if samples++; samples >= 5 {
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return nil, 0, err
	}
	if headerRow == 0 {
		return nil, 0, apperr.New(apperr.Invalid, "import.error.empty")
	}
	return cols, headerRow, nil
}

// GetImport returns an upload of the actor's.
func (s *Service) GetImport(ctx context.Context, who access.Actor, id int64) (Import, error) {
	im, _, err := s.importByID(ctx, s.DB.SQL, who, id)
	return im, err
}

func (s *Service) importByID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, who access.Actor, id int64) (Import, []byte, error) {
	var im Import
	var body []byte
	var mapping, report string
	err := q.QueryRowContext(ctx, `SELECT id, plan_id, user_id, filename, body, mapping_json, state, report_json, created_at
		FROM training_imports WHERE org_id = $1 AND id = $2`, who.OrgID, id).
		Scan(&im.ID, &im.PlanID, &im.UserID, &im.Filename, &body, &mapping, &im.State, &report, &im.Created)
	if err == sql.ErrNoRows || err == nil && im.UserID != who.UserID {
		return im, nil, apperr.New(apperr.NotFound, "training.error.import_missing")
	}
	if err != nil {
		return im, nil, wrap(err, "read import")
	}
	sh, err := sheet.Open(im.Filename, bytes.NewReader(body), MaxImportBytes)
	if err != nil {
		return im, nil, err
	}
	defer sh.Close()
	if im.Columns, _, err = s.columns(ctx, who.OrgID, sh); err != nil {
		return im, nil, err
	}
	var fields []string
	if json.Unmarshal([]byte(mapping), &fields) == nil {
		for i := range im.Columns {
			if i < len(fields) {
				im.Columns[i].Field = fields[i]
			}
		}
	}
	if report != "" {
		im.Report = &Report{}
		if err := json.Unmarshal([]byte(report), im.Report); err != nil {
			return im, nil, wrap(err, "read import report")
		}
	}
	return im, body, nil
}

// Check sets the column mapping (field by column index; nil keeps the one held) and runs the
// dry run: every row is checked, nothing is recorded.
func (s *Service) Check(ctx context.Context, who access.Actor, id int64, fields []string) (Import, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Import{}, err
	}
	if err := MayPlan(who, p.Pack); err != nil {
		return Import{}, err
	}
	im, body, err := s.importByID(ctx, s.DB.SQL, who, id)
	if err != nil {
		return im, err
	}
	if im.State == ImportApplied {
		return im, apperr.New(apperr.Conflict, "training.error.import_applied")
	}
	if fields != nil {
		if err := setFields(im.Columns, fields); err != nil {
			return im, err
		}
	}
	rep, _, err := s.check(ctx, s.DB.SQL, who, im, body)
	if err != nil {
		return im, err
	}
	im.Report, im.State = &rep, ImportChecked
	mapping, _ := json.Marshal(fieldsOf(im.Columns))
	report, _ := json.Marshal(rep)
	_, err = s.DB.SQL.ExecContext(ctx, `UPDATE training_imports SET mapping_json = $1, report_json = $2, state = $3 WHERE id = $4`,
		string(mapping), string(report), ImportChecked, im.ID)
	return im, wrap(err, "keep check")
}

// setFields applies a mapping, refusing a field that does not exist or is chosen twice and a
// mapping that leaves a required field out.
func setFields(cols []Column, fields []string) error {
	seen := map[string]string{}
	for i := range cols {
		f := FieldSkip
		if i < len(fields) && fields[i] != "" {
			f = fields[i]
		}
		if f != FieldSkip {
			known := false
			for _, k := range ImportFields {
				known = known || k == f
			}
			if !known {
				return apperr.InvalidField("col."+cols[i].Letter, "import.error.mapping_field", cols[i].Header, f)
			}
			if prev, ok := seen[f]; ok {
				return apperr.InvalidField("col."+cols[i].Letter, "import.error.mapping_twice", prev, cols[i].Header, f)
			}
			seen[f] = cols[i].Header
		}
		cols[i].Field = f
	}
	for _, f := range ImportFields {
		if _, ok := seen[f]; !ok {
			return apperr.InvalidField("mapping", "training.import.error.field_missing")
		}
	}
	return nil
}

// Apply records the checked sheet's attendance: every row or, when any row has a problem,
// none. It runs the check again in its transaction, so that what was checked is what is
// written.
func (s *Service) Apply(ctx context.Context, who access.Actor, id int64) (Import, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Import{}, err
	}
	if err := MayPlan(who, p.Pack); err != nil {
		return Import{}, err
	}
	im, body, err := s.importByID(ctx, s.DB.SQL, who, id)
	if err != nil {
		return im, err
	}
	switch {
	case im.State == ImportApplied:
		return im, apperr.New(apperr.Conflict, "training.error.import_applied")
	case im.State != ImportChecked || im.Report == nil:
		return im, apperr.New(apperr.Conflict, "import.error.not_checked")
	case len(im.Report.Errors) > 0:
		return im, apperr.New(apperr.Invalid, "import.error.has_errors", len(im.Report.Errors))
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		rep, rows, err := s.check(ctx, tx, who, im, body)
		if err != nil {
			return err
		}
		if len(rep.Errors) > 0 {
			return apperr.New(apperr.Invalid, "import.error.has_errors", len(rep.Errors))
		}
		for _, r := range rows {
			if r.already {
				continue
			}
			if r.assignment == 0 {
				err = tx.QueryRowContext(ctx, `INSERT INTO training_assignments (org_id, plan_id, course_id, staff_id, reason, due_on, assigned_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, who.OrgID, im.PlanID, r.course, r.staff, ReasonExtra, r.due, now).Scan(&r.assignment)
				if err != nil {
					return wrap(err, "assign")
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE training_assignments SET completed_on = $1, how = $2, recorded_by = $3, recorded_at = $4
				WHERE id = $5`, r.day, HowImport, who.Name, now, r.assignment); err != nil {
				return wrap(err, "record attendance")
			}
			rep.Applied++
		}
		im.Report, im.State = &rep, ImportApplied
		report, _ := json.Marshal(rep)
		if _, err := tx.ExecContext(ctx, `UPDATE training_imports SET state = $1, report_json = $2 WHERE id = $3`,
			ImportApplied, string(report), im.ID); err != nil {
			return wrap(err, "import applied")
		}
		for _, c := range im.Columns {
			if strings.TrimSpace(c.Header) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (org_id, kind, header, field, updated_at) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (org_id, kind, header) DO UPDATE SET field = excluded.field, updated_at = excluded.updated_at`,
				who.OrgID, mappingKind, fold(c.Header), c.Field, now); err != nil {
				return wrap(err, "remember mapping")
			}
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "training_import", EntityID: im.ID, Action: "training.import",
			After: map[string]any{"plan_id": im.PlanID, "file": im.Filename, "rows": rep.Rows, "recorded": rep.Applied, "already": rep.Already, "extra": rep.Extra}})
		return err
	})
	if err != nil {
		return im, err
	}
	return im, nil
}
