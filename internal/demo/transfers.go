package demo

import (
	"fmt"
	"strings"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/policy"
)

// The demo's 人事異動: last April's list, applied — two members of staff moved between
// sections (one of them leaving the post of a department role, which shows as vacant), a hire
// and a leaver — and the list for the coming 4月1日, imported and waiting for its day, which the
// 情報政策課 can open, check and withdraw. People who sign in to the demo are never moved.

// transfers imports and applies the two demo lists.
func (b *builder) transfers(p *policy.Compiled) error {
	signIn := map[*member]bool{}
	for _, m := range b.logins() {
		signIn[m] = true
	}
	// The audit's team and the owners of its corrective actions stay where the issued report
	// names them (its hash is taken over the team as it reads now).
	named, err := b.auditPeople()
	if err != nil {
		return err
	}
	for _, m := range b.members {
		if named[m.id] {
			signIn[m] = true
		}
	}
	var clerks, holders []*member
	for _, m := range b.members {
		switch {
		case signIn[m] || m.head:
		case len(m.roles) == 0 && m.clerk:
			clerks = append(clerks, m)
		case len(m.roles) > 0 && b.deptRole(p, m):
			holders = append(holders, m)
		}
	}
	if len(clerks) < 5 || len(b.order) < 2 {
		return nil
	}
	now := b.s.Now().In(i18n.Tokyo)
	fy := now.Year()
	if now.Month() < time.April {
		fy--
	}
	april := fmt.Sprintf("%d/4/1", fy)
	next := fmt.Sprintf("%d/4/1", fy+1)
	line := func(m *member, kind, to, title, day string) string {
		return strings.Join([]string{b.employeeNo(m), m.name, kind, m.dept, to, title, day}, ",")
	}
	other := func(m *member) string {
		for i := len(b.order) - 1; i >= 0; i-- {
			if d := b.order[i]; d != m.dept && b.kinds[d] == b.kinds[m.dept] {
				return d
			}
		}
		return b.order[0]
	}
	const head = "職員番号,氏名,異動区分,旧所属,新所属,新職名,発令日"
	last := []string{head,
		line(clerks[0], "異動", other(clerks[0]), "主任", april),
		line(clerks[1], "退職", "", "", fmt.Sprintf("%d/3/31", fy)),
		fmt.Sprintf("%s,%s,採用,,%s,主事,%s", b.hireNo(1), "新井 まどか", clerks[2].dept, april),
	}
	if len(holders) > 0 {
		h := holders[0]
		last = append(last, line(h, "異動", other(h), h.title, april))
	}
	if err := b.transferList(fmt.Sprintf("令和%d年4月1日付人事異動.csv", fy-2018), last, true); err != nil {
		return err
	}
	coming := []string{head,
		line(clerks[3], "異動", other(clerks[3]), "主査", next),
		line(clerks[4], "退職", "", "", fmt.Sprintf("%d/3/31", fy+1)),
		fmt.Sprintf("%s,%s,採用,,%s,主事,%s", b.hireNo(2), "大野 湊", clerks[3].dept, next),
	}
	return b.transferList(fmt.Sprintf("令和%d年4月1日付人事異動（内示）.csv", fy+1-2018), coming, true)
}

// transferList uploads one list and applies it.
func (b *builder) transferList(name string, lines []string, apply bool) error {
	l, err := b.s.Transfers.Upload(b.ctx, b.sys, name, []byte(strings.Join(lines, "\n")+"\n"))
	if err != nil {
		return fmt.Errorf("demo transfers: %w", err)
	}
	if !apply {
		return nil
	}
	if _, err := b.s.Transfers.Apply(b.ctx, b.sys, l.ID); err != nil {
		return fmt.Errorf("demo transfers %s: %w", name, err)
	}
	return nil
}

// deptRole reports whether the member holds a department-scoped role of the pack.
func (b *builder) deptRole(p *policy.Compiled, m *member) bool {
	for _, id := range m.roles {
		if r, ok := p.Role(id); ok && r.Scope == "department" {
			return true
		}
	}
	return false
}

func (b *builder) employeeNo(m *member) string {
	st, err := b.s.Org.StaffMember(b.ctx, b.sys, m.id)
	if err != nil {
		return ""
	}
	return st.EmployeeNo
}

// hireNo is the staff number of the demo's n-th new hire, after every number the demo gave.
func (b *builder) hireNo(n int) string { return fmt.Sprintf("9%05d", n) }

// auditPeople are the staff the demo's audits name: auditors and owners of corrective actions.
func (b *builder) auditPeople() (map[int64]bool, error) {
	rows, err := b.s.DB.SQL.QueryContext(b.ctx, `SELECT staff_id FROM audit_auditors WHERE org_id = $1
		UNION SELECT owner_staff_id FROM audit_actions WHERE org_id = $1`, b.sys.OrgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
