package transfer

import (
	"context"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/assetio"
	"mamori/internal/org"
	"mamori/internal/store"
)

// Row is one row of a list as the dry run reads it: the move it is, what applying it does, and
// what is wrong with it.
type Row struct {
	Row              int    `json:"row"` // the row's number in the sheet
	Kind             string `json:"kind,omitempty"`
	EmployeeNo       string `json:"employee_no"`
	Name             string `json:"name"`
	StaffID          int64  `json:"staff_id,omitempty"`
	FromDepartmentID int64  `json:"from_department_id,omitempty"`
	FromDepartment   string `json:"from_department,omitempty"`
	ToDepartmentID   int64  `json:"to_department_id,omitempty"`
	ToDepartment     string `json:"to_department,omitempty"`
	FromTitle        string `json:"from_title,omitempty"`
	ToTitle          string `json:"to_title,omitempty"`
	Employment       string `json:"employment,omitempty"`
	Destination      string `json:"destination,omitempty"`
	EffectiveOn      string `json:"effective_on,omitempty"`
	// Later: the move takes effect on a day after today; it waits until then.
	Later bool `json:"later"`
	// What applying it does.
	Creates     bool      `json:"creates"`     // a new staff record (採用)
	Deactivates bool      `json:"deactivates"` // the record made inactive (退職, 出向)
	Reactivates bool      `json:"reactivates"` // made active again (復帰, 再採用)
	DeptChanges bool      `json:"department_changes"`
	EndRoles    []RoleEnd `json:"end_roles,omitempty"`   // assignments that end the day before
	KeepRoles   []RoleEnd `json:"check_roles,omitempty"` // assignments held elsewhere, to hand over by hand
	Accounts    int       `json:"system_accounts"`       // the system accounts the person holds
	Problems    []Problem `json:"problems,omitempty"`
	// State of the row once the list is applied: pending, applied, withdrawn.
	State string `json:"state,omitempty"`
}

// RoleEnd is a role assignment a move ends, or one it leaves to be handed over.
type RoleEnd struct {
	AssignmentID int64  `json:"assignment_id"`
	RoleID       string `json:"role_id"`
	Scope        string `json:"scope"`
	DepartmentID int64  `json:"department_id,omitempty"`
	Department   string `json:"department,omitempty"`
	SystemRef    string `json:"system_ref,omitempty"`
	Acting       bool   `json:"acting"`
	ValidTo      string `json:"valid_to,omitempty"`
}

// Problem is what is wrong with a row: the column and the catalog key of the message.
type Problem struct {
	Field string `json:"field"`
	Key   string `json:"key"`
	Args  []any  `json:"args,omitempty"`
	// Message and MessageEn are the problem in words, filled by the API.
	Message   string `json:"message,omitempty"`
	MessageEn string `json:"message_en,omitempty"`
}

// Report is the dry run of a list: every row with its effect, and the totals.
type Report struct {
	List     List           `json:"list"`
	Rows     []Row          `json:"rows"`
	Errors   int            `json:"errors"` // rows with a problem
	Kinds    map[string]int `json:"kinds"`
	Later    int            `json:"later"`
	EndRoles int            `json:"end_roles"`
	Accounts int            `json:"system_accounts"`
	// Missing: required fields no column is mapped to; the rows cannot be read until they are.
	Missing []string `json:"missing,omitempty"`
}

// OK reports whether the list can be applied: every required column mapped and no row wrong.
func (r Report) OK() bool { return len(r.Missing) == 0 && r.Errors == 0 && len(r.Rows) > 0 }

// kindWords are the words a list writes each kind of move in.
var kindWords = map[string][]string{
	org.MoveHire:       {"採用", "新規採用", "新採用", "再任用", "再採用", "任用", "hire"},
	org.MoveTransfer:   {"異動", "転任", "配置換", "配置換え", "配置替", "配置替え", "転勤", "昇任", "昇格", "所属換", "兼務", "transfer"},
	org.MoveSecondment: {"出向", "派遣", "割愛", "secondment"},
	org.MoveReturn:     {"復帰", "復職", "出向復帰", "帰任", "return"},
	org.MoveLeave:      {"退職", "定年退職", "普通退職", "勧奨退職", "辞職", "離職", "任期満了", "死亡退職", "leave", "leaver"},
}

var kindOf = func() map[string]string {
	out := map[string]string{}
	for k, words := range kindWords {
		for _, w := range words {
			out[assetio.Fold(w)] = k
		}
	}
	return out
}()

var employmentWords = map[string][]string{
	"regular":     {"職員", "正職員", "常勤", "一般職", "regular"},
	"fiscal_year": {"会計年度任用職員", "会計年度", "会計年度職員", "fiscal_year"},
	"part_time":   {"非常勤", "非常勤職員", "臨時", "臨時職員", "パート", "part_time"},
	"contractor":  {"委託", "委託事業者", "外部委託", "contractor"},
}

var employmentOf = func() map[string]string {
	out := map[string]string{}
	for k, words := range employmentWords {
		for _, w := range words {
			out[assetio.Fold(w)] = k
		}
	}
	return out
}()

// Check is the dry run of a list: what applying it would do today, row by row, with the
// problems of each row. It changes nothing.
func (s *Service) Check(ctx context.Context, who access.Actor, id int64) (Report, error) {
	l, err := s.Get(ctx, who, id)
	if err != nil {
		return Report{}, err
	}
	if l.State != StateDraft {
		return s.appliedReport(ctx, who, l)
	}
	return s.plan(ctx, s.DB.SQL, l)
}

func (s *Service) plan(ctx context.Context, q store.Querier, l List) (Report, error) {
	rep := Report{List: l, Kinds: map[string]int{}}
	col := map[string]int{}
	for i, f := range l.Mapping {
		if f != "" {
			col[f] = i
		}
	}
	for _, f := range Fields {
		if _, ok := col[f]; !ok && Required(f) {
			rep.Missing = append(rep.Missing, f)
		}
	}
	if len(rep.Missing) > 0 {
		return rep, nil
	}
	today := s.today()
	dir, err := loadDirectory(ctx, q, l.OrgID, "0000-00-00")
	if err != nil {
		return rep, err
	}
	cell := func(r storedRow, f string) string {
		i, ok := col[f]
		if !ok || i >= len(r.C) {
			return ""
		}
		return strings.TrimSpace(r.C[i])
	}
	seen := map[string]int{}
	for _, sr := range l.rows {
		row := dir.planRow(sr.N, func(f string) string { return cell(sr, f) }, today, seen)
		rep.Rows = append(rep.Rows, row)
		if len(row.Problems) > 0 {
			rep.Errors++
			continue
		}
		rep.Kinds[row.Kind]++
		if row.Later {
			rep.Later++
		}
		rep.EndRoles += len(row.EndRoles)
		rep.Accounts += row.Accounts
	}
	return rep, nil
}

// planRow reads one row and works out its move against the directory.
func (d *directory) planRow(n int, cell func(string) string, today string, seen map[string]int) Row {
	row := Row{Row: n, EmployeeNo: cell(FieldEmployeeNo), Name: cell(FieldName), ToTitle: cell(FieldTitle), Destination: cell(FieldDestination)}
	bad := func(field, key string, args ...any) {
		row.Problems = append(row.Problems, Problem{Field: field, Key: key, Args: args})
	}
	if k := cell(FieldKind); k == "" {
		bad(FieldKind, "transfer.error.kind_empty")
	} else if kind, ok := kindOf[assetio.Fold(k)]; ok {
		row.Kind = kind
	} else {
		bad(FieldKind, "transfer.error.kind", k)
	}
	if v := cell(FieldDate); v == "" {
		bad(FieldDate, "transfer.error.date_empty")
	} else if day, ok := assetio.ParseDate(v); ok && day != "" {
		row.EffectiveOn = day
		row.Later = day > today
	} else {
		bad(FieldDate, "transfer.error.date", v)
	}
	if v := cell(FieldEmployment); v != "" {
		if e, ok := employmentOf[assetio.Fold(v)]; ok {
			row.Employment = e
		} else {
			bad(FieldEmployment, "transfer.error.employment", v)
		}
	}
	no := employeeKey(row.EmployeeNo)
	if no == "" {
		bad(FieldEmployeeNo, "transfer.error.employee_no_empty")
	} else if first, dup := seen[no]; dup {
		bad(FieldEmployeeNo, "transfer.error.employee_no_twice", row.EmployeeNo, first)
	} else {
		seen[no] = n
	}
	p := d.staffByNo[no]
	dept := func(field string) (int64, string) {
		v := cell(field)
		if v == "" {
			return 0, ""
		}
		ids := d.deptByKey[assetio.Fold(v)]
		switch len(ids) {
		case 0:
			bad(field, "transfer.error.department", v)
		case 1:
			return ids[0], d.deptName[ids[0]]
		default:
			bad(field, "transfer.error.department_ambiguous", v)
		}
		return 0, v
	}
	fromID, fromName := dept(FieldFrom)
	if row.Kind != org.MoveSecondment && row.Kind != org.MoveLeave {
		row.ToDepartmentID, row.ToDepartment = dept(FieldTo)
		if cell(FieldTo) == "" && row.Kind != "" {
			bad(FieldTo, "transfer.error.to_empty")
		}
	} else if row.Destination == "" && row.Kind == org.MoveSecondment {
		row.Destination = cell(FieldTo) // 出向先, outside the organisation
	}
	if no == "" || row.Kind == "" {
		return row
	}
	if p == nil {
		if row.Kind != org.MoveHire {
			bad(FieldEmployeeNo, "transfer.error.staff_unknown", row.EmployeeNo)
		} else {
			row.Creates = true
			if row.Name == "" {
				bad(FieldName, "transfer.error.name_empty")
			}
		}
		return row
	}
	row.StaffID, row.FromDepartmentID, row.FromDepartment, row.FromTitle = p.ID, p.DepartmentID, d.deptName[p.DepartmentID], p.Title
	row.Accounts = d.accounts[p.ID]
	if row.Name != "" && assetio.NameKey(row.Name) != assetio.NameKey(p.Name) {
		bad(FieldName, "transfer.error.name_mismatch", row.Name, row.EmployeeNo, p.Name)
	}
	if fromID != 0 && fromID != p.DepartmentID && row.Kind != org.MoveHire && row.Kind != org.MoveReturn {
		bad(FieldFrom, "transfer.error.from_mismatch", fromName, row.FromDepartment)
	}
	switch row.Kind {
	case org.MoveHire:
		if p.Active {
			bad(FieldEmployeeNo, "transfer.error.already_staff", row.EmployeeNo, p.Name)
		}
		row.Reactivates = true
	case org.MoveReturn:
		if p.Active {
			bad(FieldKind, "transfer.error.not_away", p.Name)
		}
		row.Reactivates = true
	default:
		if !p.Active {
			bad(FieldEmployeeNo, "transfer.error.inactive", p.Name)
		}
	}
	row.DeptChanges = row.ToDepartmentID != 0 && row.ToDepartmentID != p.DepartmentID
	row.Deactivates = row.Kind == org.MoveLeave || row.Kind == org.MoveSecondment
	if row.EffectiveOn != "" {
		d.rolesOf(&row, p)
	}
	return row
}

// rolesOf works out the assignments a move ends: every one of a leaver or a seconded person;
// for a transfer, those scoped to the old department. The others a person who changes post
// holds — organisation-wide, of a system, of another department — are listed to be handed over.
func (d *directory) rolesOf(row *Row, p *person) {
	eff, _ := time.Parse(time.DateOnly, row.EffectiveOn)
	last := eff.AddDate(0, 0, -1).Format(time.DateOnly)
	for _, a := range d.roles[p.ID] {
		if a.ValidTo != "" && a.ValidTo < row.EffectiveOn {
			continue // ended before the move
		}
		if a.ValidFrom != "" && a.ValidFrom >= row.EffectiveOn {
			continue // begins with or after the move: made for the new post
		}
		e := RoleEnd{AssignmentID: a.ID, RoleID: a.RoleID, Scope: a.Scope, DepartmentID: a.DepartmentID, Department: d.deptName[a.DepartmentID],
			SystemRef: a.SystemRef, Acting: a.Acting, ValidTo: last}
		switch {
		case row.Deactivates:
			row.EndRoles = append(row.EndRoles, e)
		case row.DeptChanges && a.Scope == "department" && a.DepartmentID == p.DepartmentID:
			row.EndRoles = append(row.EndRoles, e)
		case row.DeptChanges || row.ToTitle != "" && row.ToTitle != p.Title:
			e.ValidTo = ""
			row.KeepRoles = append(row.KeepRoles, e)
		}
	}
}
