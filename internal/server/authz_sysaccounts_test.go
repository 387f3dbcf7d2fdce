package server

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/sysaccount"
)

// plantSystemAccounts registers an information system of 守町 and two of its accounts, one
// owned by a member of staff of X and one by one of Y, each with a display name and a note that
// only those who read the account may see: the owner, the 所属長 of the owner's department, the
// organisation-wide security roles, the auditor and the ネットワーク管理者 (who keeps every
// system's accounts in the base pack). The platform administrator is not among them.
func (m *matrix) plantSystemAccounts(ctx context.Context, stX, stY access.Actor) {
	_, err := m.s.DB.SQL.ExecContext(ctx, `INSERT INTO assets (org_id, number, name, kind, system_ref, created_at, updated_at)
		VALUES ($1, 'SYS-MX', '住民記録システム', 'system', 'JUKI', $2, $2)`, m.org1, time.Now())
	m.must(err, "system of the register")
	for _, c := range []struct {
		owner  access.Actor
		tag    string
		seenBy map[string]bool
	}{{stX, "ACCX", set(staffX, secMgrX, cisoKey, auditor, netAdmin)}, {stY, "ACCY", set(staffY, cisoKey, auditor, netAdmin)}} {
		a, err := m.s.SystemAccounts.Create(ctx, m.sys, sysaccount.Input{SystemRef: "JUKI", Login: "acct-" + c.tag, Kind: "personal",
			OwnerStaffID: c.owner.StaffID, DisplayName: m.plant("CNRY-"+c.tag+"-NAME-Q", "account of "+c.tag+": display name", c.seenBy),
			Note: m.plant("CNRY-"+c.tag+"-NOTE-Q", "account of "+c.tag+": note", c.seenBy)})
		m.must(err, "system account "+c.tag)
		m.addRecord("system_account", a.ID, "account of "+c.tag, c.seenBy)
	}
}
