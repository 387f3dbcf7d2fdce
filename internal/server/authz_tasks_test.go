package server

import (
	"context"
	"strconv"
	"time"
)

// The matrix's tasks of recurring duties (定期業務): one of 住民課's 情報セキュリティ管理者, open,
// one of the ネットワーク管理者, done with a note, and one of 隣村's CISO. A task is read by the
// holders of its role in its scope, the organisation-wide security roles and the auditors —
// not by the department's other staff, not by the platform administrator, and not by the
// ネットワーク管理者 for a role he does not hold.
var (
	seesXTask   = set(secMgrX, cisoKey, auditor)
	seesNetTask = set(netAdmin, cisoKey, auditor)
)

func (m *matrix) plantTasks(ctx context.Context) {
	at := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	plant := func(orgID int64, role, scope, key string, dept any, state, tag, what string, seenBy map[string]bool) {
		var id int64
		err := m.s.DB.SQL.QueryRowContext(ctx, `INSERT INTO tasks (org_id, duty_id, role_id, scope, scope_key, department_id, every,
			fiscal_year, period_start, due_on, text, cite, evidence, state, note, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'year', 2026, '2026-04-01', '2027-03-31', $7, '試験用 3', 'note', $8, $9, $10) RETURNING id`,
			orgID, "matrix-"+tag, role, scope, key, dept, m.plant("CNRY-"+tag+"-TEXT-Q", what+": text", seenBy), state,
			m.plant("CNRY-"+tag+"-NOTE-Q", what+": note", seenBy), at).Scan(&id)
		m.must(err, "task "+what)
		m.addRecord("task", id, what, seenBy)
	}
	plant(m.org1, "security_officer", "department", "d:"+strconv.FormatInt(m.deptX, 10), m.deptX, "open", "TX", "住民課's task", seesXTask)
	plant(m.org1, "network_admin", "organization", "", nil, "done", "TN", "the network administrator's task", seesNetTask)
	plant(m.org2, "ciso", "organization", "", nil, "open", "T2", "隣村's task", seesOther)
}
