package training

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/sheet"
	"mamori/internal/store"
)

// checked is one valid row, ready to be written.
type checked struct {
	staff      int64
	course     string
	day        string
	due        string
	assignment int64 // 0: the person is outside the course's audience and is assigned by the import
	already    bool
}

// check reads every row of the sheet under the import's mapping and reports each problem with
// its row and column; it writes nothing.
func (s *Service) check(ctx context.Context, q store.Querier, who access.Actor, im Import, body []byte) (Report, []*checked, error) {
	pl, err := planByID(ctx, q, who.OrgID, im.PlanID)
	if err != nil {
		return Report{}, nil, err
	}
	courses, err := planCourses(ctx, q, pl.ID)
	if err != nil {
		return Report{}, nil, err
	}
	byCourse := map[string]Course{}
	for _, c := range courses {
		byCourse[fold(c.ID)] = c
		byCourse[fold(c.Name)] = c
	}
	staff := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT id, employee_no FROM staff WHERE org_id = $1`, who.OrgID)
	if err != nil {
		return Report{}, nil, wrap(err, "read staff")
	}
	for rows.Next() {
		var id int64
		var no string
		if err := rows.Scan(&id, &no); err != nil {
			rows.Close()
			return Report{}, nil, wrap(err, "read staff")
		}
		staff[fold(no)] = id
	}
	rows.Close()
	type held struct {
		id   int64
		done bool
	}
	assigned := map[string]held{}
	rows, err = q.QueryContext(ctx, `SELECT id, course_id, staff_id, completed_on FROM training_assignments WHERE plan_id = $1`, pl.ID)
	if err != nil {
		return Report{}, nil, wrap(err, "read assignments")
	}
	for rows.Next() {
		var id, sid int64
		var c, done string
		if err := rows.Scan(&id, &c, &sid, &done); err != nil {
			rows.Close()
			return Report{}, nil, wrap(err, "read assignments")
		}
		assigned[c+"/"+strconv.FormatInt(sid, 10)] = held{id, done != ""}
	}
	rows.Close()

	col := map[string]int{}
	names := map[string]string{}
	for _, c := range im.Columns {
		if c.Field != FieldSkip {
			col[c.Field] = c.Index
			names[c.Field] = c.Letter + "（" + c.Header + "）"
		}
	}
	for _, f := range ImportFields {
		if _, ok := col[f]; !ok {
			return Report{}, nil, apperr.InvalidField("mapping", "training.import.error.field_missing")
		}
	}
	sh, err := sheet.Open(im.Filename, bytes.NewReader(body), MaxImportBytes)
	if err != nil {
		return Report{}, nil, err
	}
	defer sh.Close()
	rep := Report{Encoding: sh.Encoding(), Errors: []RowError{}}
	first, last := yearBounds(pl.FiscalYear)
	if today := s.today(); today < last {
		last = today
	}
	seen := map[string]int{}
	var out []*checked
	headerSeen := false
	err = sh.Each(ctx, func(row int, cells []string) error {
		if !headerSeen {
			if strings.TrimSpace(strings.Join(cells, "")) != "" {
				headerSeen, rep.HeaderRow = true, row
			}
			return nil
		}
		if strings.TrimSpace(strings.Join(cells, "")) == "" {
			return nil
		}
		rep.Rows++
		cell := func(f string) string {
			if i := col[f]; i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		bad := func(f, key string, args ...string) {
			rep.Errors = append(rep.Errors, RowError{Row: row, Column: names[f], Field: f, Key: key, Args: args})
		}
		n := len(rep.Errors)
		r := &checked{}
		no := cell(FieldEmployeeNo)
		switch id, ok := staff[fold(no)]; {
		case no == "":
			bad(FieldEmployeeNo, "training.import.error.required")
		case !ok:
			bad(FieldEmployeeNo, "training.import.error.staff_unknown", no)
		default:
			r.staff = id
		}
		cname := cell(FieldCourse)
		switch c, ok := byCourse[fold(cname)]; {
		case cname == "":
			bad(FieldCourse, "training.import.error.required")
		case !ok:
			bad(FieldCourse, "training.import.error.course_unknown", cname)
		default:
			r.course, r.due = c.ID, c.DueOn
		}
		day := cell(FieldCompletedOn)
		d, ok := parseDate(day)
		switch {
		case day == "":
			bad(FieldCompletedOn, "training.import.error.required")
		case !ok:
			bad(FieldCompletedOn, "import.error.date", day)
		case d < first || d > last:
			bad(FieldCompletedOn, "training.import.error.date_range", day)
		default:
			r.day = d
		}
		if len(rep.Errors) > n {
			return nil
		}
		key := r.course + "/" + strconv.FormatInt(r.staff, 10)
		if prev, ok := seen[key]; ok {
			bad(FieldEmployeeNo, "training.import.error.duplicate", no, strconv.Itoa(prev))
			return nil
		}
		seen[key] = row
		if h, ok := assigned[key]; ok {
			r.assignment, r.already = h.id, h.done
		}
		switch {
		case r.already:
			rep.Already++
		case r.assignment == 0:
			rep.Extra++
			rep.New++
		default:
			rep.New++
		}
		rep.Valid++
		out = append(out, r)
		return nil
	})
	if err != nil {
		return rep, nil, err
	}
	if rep.Rows == 0 {
		return rep, nil, apperr.New(apperr.Invalid, "import.error.no_rows")
	}
	return rep, out, nil
}
