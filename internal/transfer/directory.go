package transfer

import (
	"context"

	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/store"
)

// directory is what a list is checked against: the organisation's departments, staff, role
// assignments in force and system accounts, each read once whatever the length of the list.
type directory struct {
	deptByKey map[string][]int64 // folded name or code → departments
	deptName  map[int64]string
	staffByNo map[string]*person
	roles     map[int64][]assignment // by staff id, as holder or acting holder
	accounts  map[int64]int          // active system accounts by owner
}

type person struct {
	ID           int64
	EmployeeNo   string
	Name         string
	DepartmentID int64
	Title        string
	Active       bool
}

type assignment struct {
	ID           int64
	RoleID       string
	Scope        string
	DepartmentID int64
	SystemRef    string
	ValidFrom    string
	ValidTo      string
	Acting       bool // the person is the acting holder (代行), not the holder
}

func employeeKey(s string) string { return assetio.Fold(s) }

func loadDirectory(ctx context.Context, q store.Querier, orgID int64, since string) (*directory, error) {
	d := &directory{deptByKey: map[string][]int64{}, deptName: map[int64]string{}, staffByNo: map[string]*person{},
		roles: map[int64][]assignment{}, accounts: map[int64]int{}}
	rows, err := q.QueryContext(ctx, `SELECT id, code, name FROM departments WHERE org_id = $1 AND active = TRUE`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "departments")
	}
	for rows.Next() {
		var id int64
		var code, name string
		if err := rows.Scan(&id, &code, &name); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "departments")
		}
		d.deptName[id] = name
		for _, k := range []string{assetio.Fold(name), assetio.Fold(code)} {
			if !containsID(d.deptByKey[k], id) {
				d.deptByKey[k] = append(d.deptByKey[k], id)
			}
		}
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, employee_no, name, COALESCE(department_id, 0), title, active FROM staff WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "staff")
	}
	for rows.Next() {
		p := &person{}
		if err := rows.Scan(&p.ID, &p.EmployeeNo, &p.Name, &p.DepartmentID, &p.Title, &p.Active); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "staff")
		}
		d.staffByNo[employeeKey(p.EmployeeNo)] = p
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT id, role_id, scope, COALESCE(department_id, 0), system_ref, valid_from, valid_to,
		COALESCE(holder_staff_id, 0), COALESCE(acting_staff_id, 0)
		FROM role_assignments WHERE org_id = $1 AND (valid_to = '' OR valid_to >= $2)`, orgID, since)
	if err != nil {
		return nil, apperr.Wrap(err, "role assignments")
	}
	for rows.Next() {
		var a assignment
		var holder, acting int64
		if err := rows.Scan(&a.ID, &a.RoleID, &a.Scope, &a.DepartmentID, &a.SystemRef, &a.ValidFrom, &a.ValidTo, &holder, &acting); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "role assignments")
		}
		if holder != 0 {
			d.roles[holder] = append(d.roles[holder], a)
		}
		if acting != 0 && acting != holder {
			a.Acting = true
			d.roles[acting] = append(d.roles[acting], a)
		}
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT owner_staff_id, count(*) FROM system_accounts
		WHERE org_id = $1 AND owner_staff_id IS NOT NULL AND state <> 'removed' GROUP BY owner_staff_id`, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "system accounts")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, apperr.Wrap(err, "system accounts")
		}
		d.accounts[id] = n
	}
	return d, rows.Err()
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
