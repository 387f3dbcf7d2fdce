// Package demo fills an organisation with a fictional staff for its policy pack — departments,
// staff, accounts and the pack's roles held as the source assigns them — so that Mamori can be
// tried from the first minute. The people are invented; the posts come from the pack.
package demo

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// DefaultPack is the pack the demo uses when none is named: 上毛町's, the fullest source.
const DefaultPack = "koge"

// Account is a demo sign-in, printed once when the demo is loaded.
type Account struct {
	Login    string
	Name     string
	Role     string
	Password string
	// MFA is whether the pack makes one of the account's roles sign in with MFA: the account
	// is asked to enrol at its first sign-in, after the password change.
	MFA bool
}

// Result says what Load did.
type Result struct {
	Loaded   bool // false when the organisation already had departments
	Accounts []Account
}

// Load adds the demo staff for pack p to the organisation, unless it already has departments.
func Load(ctx context.Context, s *app.Services, orgID int64, p *policy.Compiled) (Result, error) {
	sys := access.System(orgID, "demo")
	existing, err := s.Org.Tree(ctx, sys)
	if err != nil {
		return Result{}, err
	}
	if len(existing) > 0 {
		return Result{}, nil
	}
	b := &builder{ctx: ctx, s: s, sys: sys, depts: map[string]int64{}, people: newPool(), pack: p}
	if err := b.departments(treeFor(p)); err != nil {
		return Result{}, err
	}
	if err := b.derivedDepartments(p); err != nil {
		return Result{}, err
	}
	if err := b.staff(p); err != nil {
		return Result{}, err
	}
	if err := b.roles(p); err != nil {
		return Result{}, err
	}
	if err := b.register(p); err != nil {
		return Result{}, err
	}
	if err := b.logbooks(p); err != nil {
		return Result{}, err
	}
	if err := b.compliance(p); err != nil {
		return Result{}, err
	}
	res := Result{Loaded: true}
	for _, m := range b.logins() {
		_, pw, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: m.login, DisplayName: m.name, StaffID: m.id, Lang: "ja"})
		if err != nil {
			return res, err
		}
		role := m.title
		if len(m.roles) > 0 {
			role = p.RoleName(m.roles[0])
		}
		mfa := false
		for _, r := range m.roles {
			mfa = mfa || slices.Contains(p.Auth.MFARoles, r)
		}
		res.Accounts = append(res.Accounts, Account{Login: m.login, Name: m.name, Role: role, Password: pw, MFA: mfa})
	}
	if err := b.incidents(p); err != nil {
		return res, err
	}
	return res, b.requests(p)
}

type member struct {
	id                 int64
	name, login, title string
	dept               string
	roles              []string
}

type builder struct {
	ctx     context.Context
	s       *app.Services
	sys     access.Actor
	depts   map[string]int64 // by name
	order   []string         // department names in creation order
	members []*member
	people  *pool
	seq     int
	pack    *policy.Compiled
}

func (b *builder) departments(tree []dept) error {
	var add func(parent int64, ds []dept) error
	add = func(parent int64, ds []dept) error {
		for i, d := range ds {
			if err := b.department(parent, d.name, d.kind, i); err != nil {
				return err
			}
			if err := add(b.depts[d.name], d.children); err != nil {
				return err
			}
		}
		return nil
	}
	return add(0, tree)
}

func (b *builder) department(parent int64, name, kind string, order int) error {
	if _, ok := b.depts[name]; ok {
		return nil
	}
	b.seq++
	code := 1000 + b.seq*10
	made, err := b.s.Org.CreateDepartment(b.ctx, b.sys, org.DepartmentInput{ParentID: parent, Code: itoa(code), Name: name, Kind: kind, SortOrder: order})
	if err != nil {
		return err
	}
	b.depts[name] = made.ID
	b.order = append(b.order, name)
	return nil
}

// derivedDepartments adds the departments the pack's posts name (企画開発課長 → 企画開発課),
// so that the role holders sit where the source puts them.
func (b *builder) derivedDepartments(p *policy.Compiled) error {
	var firstSection int64
	for _, r := range p.Roles {
		name, kind := deptOfPost(r.HeldBy)
		if name == "" {
			continue
		}
		parent := int64(0)
		if kind == "unit" {
			parent = firstSection
		}
		if err := b.department(parent, name, kind, len(b.order)); err != nil {
			return err
		}
		if kind == "section" && firstSection == 0 {
			firstSection = b.depts[name]
		}
	}
	return nil
}

// deptOfPost reads the department out of a post: 企画開発課長 → 企画開発課 (section),
// 企画情報係長 → 企画情報係 (unit). Posts without one (副町長, 所属長) give "".
func deptOfPost(post string) (string, string) {
	post = strings.TrimSpace(post)
	if i := strings.IndexAny(post, "（(、,"); i > 0 {
		post = post[:i]
	}
	// "各課長", "課長等", "A又はB": a kind of post, not one department.
	if strings.HasPrefix(post, "各") || strings.ContainsAny(post, "等又及") {
		return "", ""
	}
	switch {
	case strings.HasSuffix(post, "課長") && len([]rune(post)) > 2:
		return strings.TrimSuffix(post, "長"), "section"
	case strings.HasSuffix(post, "係長") && len([]rune(post)) > 2:
		return strings.TrimSuffix(post, "長"), "unit"
	case strings.HasSuffix(post, "室長") && len([]rune(post)) > 2:
		return strings.TrimSuffix(post, "長"), "office"
	}
	return "", ""
}

// staff gives every section, school and office a head and some of them a clerk.
func (b *builder) staff(p *policy.Compiled) error {
	for i, name := range b.order {
		kind := kindOf(name)
		title := headTitle(name, kind)
		if title == "" {
			continue
		}
		if _, err := b.person(name, title, "regular"); err != nil {
			return err
		}
		if i%2 == 0 && kind != "division" {
			if _, err := b.person(name, "主事", "regular"); err != nil {
				return err
			}
		}
	}
	if _, err := b.person(b.order[0], "会計年度任用職員", "fiscal_year"); err != nil {
		return err
	}
	_, err := b.person("", "委託事業者 作業者", "contractor")
	return err
}

func kindOf(name string) string {
	switch {
	case strings.HasSuffix(name, "学校"):
		return "school"
	case strings.HasSuffix(name, "部"):
		return "division"
	case strings.HasSuffix(name, "課"):
		return "section"
	case strings.HasSuffix(name, "係"):
		return "unit"
	case strings.HasSuffix(name, "室"), strings.HasSuffix(name, "局"):
		return "office"
	case strings.HasSuffix(name, "委員会"):
		return "board"
	}
	return "office"
}

func headTitle(name, kind string) string {
	switch kind {
	case "school":
		return "校長"
	case "board":
		return "教育長"
	case "unit", "section", "division", "office":
		return name + "長"
	}
	return ""
}

func (b *builder) person(deptName, title, employment string) (*member, error) {
	who := b.people.next()
	st, err := b.s.Org.CreateStaff(b.ctx, b.sys, org.StaffInput{DepartmentID: b.depts[deptName], EmployeeNo: itoa(1000 + len(b.members) + 1),
		Name: who.name, Kana: who.kana, Title: title, Employment: employment})
	if err != nil {
		return nil, err
	}
	m := &member{id: st.ID, name: who.name, login: who.login, title: title, dept: deptName}
	b.members = append(b.members, m)
	return m, nil
}

// roles assigns the pack's roles: department roles to every head of a section, school or
// office; the others to the staff member holding the post the pack names (created if need be).
func (b *builder) roles(p *policy.Compiled) error {
	for _, r := range p.Roles {
		if r.Scope == "department" {
			for _, m := range b.members {
				kind := kindOf(m.dept)
				if m.dept == "" || m.title != headTitle(m.dept, kind) || (kind != "section" && kind != "school" && kind != "office") {
					continue
				}
				if err := b.assign(r, m, b.depts[m.dept]); err != nil {
					return err
				}
			}
			continue
		}
		holder := b.holder(r.HeldBy)
		if holder == nil {
			dept, _ := deptOfPost(r.HeldBy)
			title := r.HeldBy
			if t := []rune(title); len(t) > 40 {
				title = string(t[:40])
			}
			var err error
			if holder, err = b.person(dept, title, "regular"); err != nil {
				return err
			}
		}
		if err := b.assign(r, holder, 0); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) holder(post string) *member {
	for _, m := range b.members {
		if m.title == post {
			return m
		}
	}
	return nil
}

func (b *builder) assign(r policy.Role, m *member, deptID int64) error {
	ra := org.RoleAssignment{RoleID: r.ID, Scope: r.Scope, HolderStaffID: m.id}
	switch r.Scope {
	case "department":
		ra.DepartmentID = deptID
	case "system":
		ra.SystemRef = "全システム"
	}
	if _, err := b.s.Org.AssignRole(b.ctx, b.sys, ra); err != nil {
		return err
	}
	m.roles = append(m.roles, r.ID)
	return nil
}

// logins picks a few people to sign in as: the first holders of organisation roles, a
// department head and a clerk without a role.
func (b *builder) logins() []*member {
	var out []*member
	seen := map[*member]bool{}
	add := func(m *member) {
		if m != nil && !seen[m] && len(out) < 6 {
			seen[m] = true
			out = append(out, m)
		}
	}
	for _, m := range b.members {
		if len(m.roles) > 0 && m.dept == "" {
			add(m)
		}
	}
	for _, m := range b.members {
		if len(m.roles) > 0 && m.dept != "" {
			add(m)
			break
		}
	}
	for _, m := range b.members {
		if len(m.roles) == 0 && m.title == "主事" {
			add(m)
			break
		}
	}
	for _, m := range b.members {
		if len(m.roles) > 0 {
			add(m)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
