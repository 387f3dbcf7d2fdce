package demo

import (
	"database/sql"
	"fmt"
	"slices"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/sysaccount"
)

// The demo's accounts of the organisation's systems (利用者ID): for the systems of the register
// whose 情報システム管理者 the demo names (住民基本台帳システム, グループウェア …), personal IDs of
// their users, a privileged ID owned by the system's 情報システム管理者 with a person named to act
// for the ネットワーク管理者, a shared 課ID, a service ID a contractor answers for and an
// emergency ID. 岸和田市 has three systems, one ID of a member of staff who has left (退職, with
// its 人事異動 row) and one of a member who moved to another 課 after it was granted, so that
// the account rules find a leaver and a mover; the other packs have one or two systems.

// accountSystems are the systems the demo gives accounts, in order of preference.
var accountSystems = []string{"住民基本台帳システム", "グループウェア", "校務支援システム", "県税システム", "税務システム（住民税・固定資産税）",
	"介護保険システム", "戸籍情報システム"}

// systemAccounts records the demo accounts and evaluates the pack's account rules over them.
func (b *builder) systemAccounts(p *policy.Compiled) error {
	list, err := b.s.SystemAccounts.Systems(b.ctx, b.sys)
	if err != nil {
		return err
	}
	var refs []string
	for _, name := range accountSystems {
		if slices.ContainsFunc(list, func(s sysaccount.System) bool { return s.Ref == name }) {
			refs = append(refs, name)
		}
	}
	want := 1
	if p.ID == "kishiwada" {
		want = 3
	} else if p.ID == "koge" || p.ID == "yamagata" {
		want = 2
	}
	for _, s := range list {
		if len(refs) >= want {
			break
		}
		if !slices.Contains(refs, s.Ref) {
			refs = append(refs, s.Ref)
		}
	}
	if len(refs) > want {
		refs = refs[:want]
	}
	now := b.s.Now().In(i18n.Tokyo)
	day := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format(time.DateOnly) }
	netAdmin := b.holderOf(p, "network_admin", "")
	for i, ref := range refs {
		admin := b.holderOf(p, "", ref)
		if admin == nil {
			admin = netAdmin
		}
		dept := b.order[len(b.order)-1]
		if admin != nil {
			dept = admin.dept
		}
		users := b.staffOf(dept, admin, 3)
		code := fmt.Sprintf("s%d", i+1)
		var ins []sysaccount.Input
		for j, m := range users {
			ins = append(ins, sysaccount.Input{SystemRef: ref, Login: fmt.Sprintf("%s-u%03d", code, j+1), Kind: sysaccount.KindPersonal,
				DisplayName: m.name, OwnerStaffID: m.id, GrantedOn: day(400 - 30*j), LastLoginOn: day(j + 1), ApprovalRef: fmt.Sprintf("第%d号", 100+j)})
		}
		if admin != nil {
			priv := sysaccount.Input{SystemRef: ref, Login: code + "-admin", Kind: sysaccount.KindPrivileged, DisplayName: "システム管理者ID",
				OwnerStaffID: admin.id, GrantedOn: day(700), LastLoginOn: day(3), PasswordChangedOn: day(30 + 120*i)}
			if dep := b.deputyFor(admin); dep != nil {
				priv.DeputyStaffID = dep.id
			}
			ins = append(ins, priv,
				sysaccount.Input{SystemRef: ref, Login: code + "-ka", Kind: sysaccount.KindShared, DisplayName: dept + " 課ID",
					OwnerStaffID: admin.id, GrantedOn: day(500), LastLoginOn: day(2), PasswordChangedOn: day(45)})
		}
		ins = append(ins,
			sysaccount.Input{SystemRef: ref, Login: code + "-batch", Kind: sysaccount.KindService, DisplayName: "夜間バッチ",
				ResponsibleName: "保守委託事業者 システム保守責任者", GrantedOn: day(900), LastLoginOn: day(1)},
			sysaccount.Input{SystemRef: ref, Login: code + "-emergency", Kind: sysaccount.KindEmergency, DisplayName: "緊急用ID（封緘保管）",
				ResponsibleName: "ネットワーク管理者", GrantedOn: day(900)})
		for _, in := range ins {
			if _, err := b.s.SystemAccounts.Create(b.ctx, b.sys, in); err != nil {
				return fmt.Errorf("demo account %s of %s: %w", in.Login, ref, err)
			}
		}
		if p.ID == "kishiwada" && i == 0 {
			if err := b.leaverAndMover(ref, dept, day); err != nil {
				return err
			}
		}
	}
	_, err = b.s.SystemAccounts.Sweep(b.ctx, b.sys)
	return err
}

// leaverAndMover adds to the system an ID of a member of staff who has since left, and one of a
// member who has since moved to another 課, each with the 人事異動 row that says so.
func (b *builder) leaverAndMover(ref, dept string, day func(int) string) error {
	leaver, err := b.person(dept, "主事", "regular")
	if err != nil {
		return err
	}
	mover, err := b.person(dept, "主任", "regular")
	if err != nil {
		return err
	}
	for i, m := range []*member{leaver, mover} {
		in := sysaccount.Input{SystemRef: ref, Login: fmt.Sprintf("s1-u9%02d", i+1), Kind: sysaccount.KindPersonal, DisplayName: m.name,
			OwnerStaffID: m.id, GrantedOn: day(600), LastLoginOn: day(40), ApprovalRef: fmt.Sprintf("第%d号", 90+i)}
		if _, err := b.s.SystemAccounts.Create(b.ctx, b.sys, in); err != nil {
			return fmt.Errorf("demo account %s: %w", in.Login, err)
		}
	}
	// The leaver left and the mover moved after their IDs were granted: recorded as a 人事異動
	// by hand would record them.
	to := b.otherDepartment(dept)
	err = b.s.DB.InTx(b.ctx, func(tx *sql.Tx) error {
		for _, mv := range []org.MoveInput{
			{Kind: org.MoveLeave, StaffID: leaver.id, EffectiveOn: day(20), Source: "manual"},
			{Kind: org.MoveTransfer, StaffID: mover.id, ToDepartmentID: b.depts[to], EffectiveOn: day(30), Source: "manual"},
		} {
			if _, _, err := org.ApplyMove(b.ctx, tx, b.sys, b.s.Now(), mv); err != nil {
				return fmt.Errorf("demo move: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	mover.dept = to
	return nil
}

// holderOf is the demo member who holds the role, or a system role held for the system.
func (b *builder) holderOf(p *policy.Compiled, role, system string) *member {
	for _, m := range b.members {
		for _, r := range m.roles {
			if role != "" && r == role {
				return m
			}
		}
	}
	if system == "" {
		return nil
	}
	assignments, err := b.s.Org.Roles(b.ctx, b.sys)
	if err != nil {
		return nil
	}
	for _, ra := range assignments {
		if ra.Scope != "system" || ra.SystemRef != system {
			continue
		}
		if r, ok := p.Role(ra.RoleID); !ok || r.AllStaff {
			continue
		}
		for _, m := range b.members {
			if m.id == ra.HolderStaffID {
				return m
			}
		}
	}
	return nil
}

// staffOf returns up to n members of the department, the given one first.
func (b *builder) staffOf(dept string, first *member, n int) []*member {
	var out []*member
	if first != nil {
		out = append(out, first)
	}
	for _, m := range b.members {
		if len(out) >= n {
			break
		}
		if m.dept == dept && m != first {
			out = append(out, m)
		}
	}
	return out
}

// deputyFor is another member of the same department, to act for the ネットワーク管理者.
func (b *builder) deputyFor(admin *member) *member {
	for _, m := range b.members {
		if m != admin && m.dept == admin.dept {
			return m
		}
	}
	return nil
}

// otherDepartment is a department other than dept that has a head, for the mover.
func (b *builder) otherDepartment(dept string) string {
	for _, d := range b.order {
		if d != dept && b.kinds[d] == b.kinds[dept] {
			return d
		}
	}
	return b.order[0]
}
