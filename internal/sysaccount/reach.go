package sysaccount

import (
	"slices"
	"sort"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// sight is who reads which accounts — decided here once, and asked by the lists, the export,
// the print, the audit log reader and the desk:
//   - the program itself, holders of an organisation-wide security role (CISO, 統括情報セキュリティ
//     責任者, CSIRT …) and auditors: every account;
//   - holders of a role held for an information system (its 情報システム管理者, 情報システム担当者):
//     every account of that system — 上毛町 第2章 3(2)①ア 「情報システム管理者は、その所管する
//     情報資産について管理責任を有する」;
//   - holders of the roles the pack names to keep every system's accounts (ネットワーク管理者):
//     every account;
//   - holders of a department-wide role (the 課長 as 情報セキュリティ管理者 …): the accounts owned
//     by the staff of that department now;
//   - everyone: the accounts they own and those they act on for the ネットワーク管理者.
type sight struct {
	all     bool
	systems map[string]bool
	depts   map[int64]bool
	staff   int64
}

func sightOf(who access.Actor, p *policy.Compiled) sight {
	s := sight{systems: map[string]bool{}, depts: map[int64]bool{}, staff: who.StaffID}
	if who.IsSystem() || who.IsAuditor() {
		s.all = true
		return s
	}
	for _, g := range who.Roles {
		switch {
		case g.AllStaff:
		case g.Scope == "organization" && g.Security:
			s.all = true
		case p != nil && slices.Contains(p.Accounts.ManagedBy, g.RoleID):
			s.all = true
		case g.Scope == "system" && g.SystemRef != "":
			s.systems[g.SystemRef] = true
		case g.Scope == "department" && g.DepartmentID != 0:
			s.depts[g.DepartmentID] = true
		}
	}
	return s
}

// reads reports whether the actor reads the account.
func (s sight) reads(a Account) bool {
	return s.all || s.systems[a.SystemRef] ||
		(a.OwnerStaffID != 0 && a.OwnerDepartmentID != 0 && s.depts[a.OwnerDepartmentID]) ||
		(s.staff != 0 && (a.OwnerStaffID == s.staff || a.DeputyStaffID == s.staff))
}

// where is the read rule as a condition over system_accounts sa joined to the owner's staff
// record st, with its arguments numbered from n.
func (s sight) where(n int) (string, []any) {
	if s.all {
		return "", nil
	}
	var parts []string
	var args []any
	next := func(v any) string {
		args = append(args, v)
		return "$" + itoa(int64(n+len(args)-1))
	}
	for _, sys := range sortedKeys(s.systems) {
		parts = append(parts, "sa.system_ref = "+next(sys))
	}
	for _, d := range sortedIDs(s.depts) {
		parts = append(parts, "(sa.owner_staff_id IS NOT NULL AND st.department_id = "+next(d)+")")
	}
	if s.staff != 0 {
		p := next(s.staff)
		parts = append(parts, "sa.owner_staff_id = "+p, "sa.deputy_staff_id = "+p)
	}
	if len(parts) == 0 {
		return " AND 1 = 0", nil
	}
	out := " AND ("
	for i, p := range parts {
		if i > 0 {
			out += " OR "
		}
		out += p
	}
	return out + ")", args
}

// readsSystem reports whether the actor reads every account of the system.
func (s sight) readsSystem(ref string) bool { return s.all || s.systems[ref] }

// mayChange reports whether the actor may record, change and remove the accounts of the
// system: the program, the holders of a role held for that system, and the holders of the
// roles the pack names to keep every system's accounts.
func mayChange(who access.Actor, p *policy.Compiled, system string) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if who.IsSystem() {
		return nil
	}
	for _, g := range who.Roles {
		if g.Scope == "system" && g.SystemRef == system && !g.AllStaff {
			return nil
		}
		if p != nil && slices.Contains(p.Accounts.ManagedBy, g.RoleID) {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "sysaccount.error.forbidden")
}

// mayRecordPassword reports whether the actor may record the change of a privileged ID's
// password: the holders of the roles the pack names (上毛町 ウ(ウ): the ネットワーク管理者, not
// a contractor) and the person they named to act for them on that account (ウ(イ)); where the
// pack names none, those who keep the account.
func mayRecordPassword(who access.Actor, p *policy.Compiled, a Account) error {
	if who.ReadOnly {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if who.IsSystem() {
		return nil
	}
	if p == nil || len(p.Accounts.PasswordBy) == 0 {
		return mayChange(who, p, a.SystemRef)
	}
	if a.DeputyStaffID != 0 && who.StaffID == a.DeputyStaffID {
		return nil
	}
	if holdsFor(who, p.Accounts.PasswordBy, a.SystemRef) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "sysaccount.error.password_by")
}

// mayName reports whether the actor may name who acts for the ネットワーク管理者 on a
// privileged ID (上毛町 ウ(イ): 「ネットワーク管理者が指名した者」): the roles that record its
// password change.
func mayName(who access.Actor, p *policy.Compiled, system string) bool {
	if who.IsSystem() {
		return true
	}
	if p == nil || len(p.Accounts.PasswordBy) == 0 {
		return true
	}
	return holdsFor(who, p.Accounts.PasswordBy, system)
}

// holdsFor reports whether the actor holds one of the roles — one held for a system counting
// for that system only.
func holdsFor(who access.Actor, roles []string, system string) bool {
	for _, g := range who.Roles {
		if slices.Contains(roles, g.RoleID) && (g.Scope != "system" || g.SystemRef == system) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedIDs(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
