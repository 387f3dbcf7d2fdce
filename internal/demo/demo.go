// Package demo fills an organisation with a fictional staff for its policy pack — departments,
// staff, accounts and the pack's roles held as the source assigns them — so that Mamori can be
// tried from the first minute. The people are invented; the posts come from the pack.
package demo

import (
	"context"
	"fmt"
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

// Account is a demo sign-in, printed once when the demo is loaded: who it is, where they sit
// and what they do.
type Account struct {
	Login      string
	Name       string
	Title      string // 役職: 主事, 住民課長, 副町長 …
	Department string // 所属
	Role       string // the names of the pack's roles they hold, or of the role every member of staff holds
	Password   string
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
	sh, shaped := shapeOf(p)
	b := &builder{ctx: ctx, s: s, sys: sys, depts: map[string]int64{}, kinds: map[string]string{}, parent: map[string]string{},
		people: newPool(sh.offset), pack: p}
	if !shaped {
		sh = shape{tree: treeFor(p)}
	}
	if err := b.departments(sh.tree); err != nil {
		return Result{}, err
	}
	if !shaped {
		if err := b.derivedDepartments(p); err != nil {
			return Result{}, err
		}
	}
	if err := b.staff(); err != nil {
		return Result{}, err
	}
	if shaped {
		err = b.shapedRoles(p, sh)
	} else {
		err = b.roles(p)
	}
	if err != nil {
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
	if err := b.inspections(p); err != nil {
		return Result{}, err
	}
	res := Result{Loaded: true}
	for _, m := range b.logins() {
		_, pw, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: m.login, DisplayName: m.name, StaffID: m.id, Lang: "ja"})
		if err != nil {
			return res, err
		}
		res.Accounts = append(res.Accounts, Account{Login: m.login, Name: m.name, Title: m.title, Department: m.dept,
			Role: b.roleNames(m), Password: pw, MFA: b.needsMFA(m)})
	}
	if err := b.incidents(p); err != nil {
		return res, err
	}
	if err := b.audits(p); err != nil {
		return res, err
	}
	if err := b.reviews(p); err != nil {
		return res, err
	}
	if err := b.requests(p); err != nil {
		return res, err
	}
	if err := b.risks(p); err != nil {
		return res, err
	}
	if err := b.systemAccounts(p); err != nil {
		return res, err
	}
	if err := b.accessReviews(p); err != nil {
		return res, err
	}
	if err := b.directory(p); err != nil {
		return res, err
	}
	if err := b.transfers(p); err != nil {
		return res, err
	}
	if err := b.training(p); err != nil {
		return res, err
	}
	// After the parts that hire people (training, 人事異動), so that those the pledges bind sign.
	if err := b.pledges(p); err != nil {
		return res, err
	}
	// Last, once every role the demo grants is held (the requests grant systems' roles), so
	// that every task is made and followed.
	return res, b.tasks(p)
}

// roleNames names what a member does: the pack's roles they hold, each once, or the role every
// member of staff holds (職員等) when they hold none.
func (b *builder) roleNames(m *member) string {
	var names []string
	for _, r := range m.roles {
		if n := b.pack.RoleName(r); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		for _, r := range b.pack.Roles {
			if r.AllStaff {
				return r.Name
			}
		}
		return "職員等"
	}
	return strings.Join(names, "・")
}

func (b *builder) needsMFA(m *member) bool {
	for _, r := range m.roles {
		if slices.Contains(b.pack.Auth.MFARoles, r) {
			return true
		}
	}
	return false
}

type member struct {
	id                 int64
	name, login, title string
	dept               string
	roles              []string
	head, clerk        bool // the head of their department; staff without a post
	post               bool // claimed by a post of the shape
	seat               int  // the place of the member's post among those that sign in, from 1; 0 for none
}

type builder struct {
	ctx     context.Context
	s       *app.Services
	sys     access.Actor
	depts   map[string]int64  // by name
	kinds   map[string]string // department kind by name
	noHead  map[string]bool   // departments without a head of their own
	parent  map[string]string // department name → its parent's
	order   []string          // department names in creation order
	members []*member
	people  *pool
	seq     int
	pack    *policy.Compiled
}

func (b *builder) departments(tree []dept) error {
	var add func(parent string, ds []dept) error
	add = func(parent string, ds []dept) error {
		for i, d := range ds {
			if err := b.department(parent, d, i); err != nil {
				return err
			}
			if err := add(d.name, d.children); err != nil {
				return err
			}
		}
		return nil
	}
	return add("", tree)
}

func (b *builder) department(parent string, d dept, order int) error {
	if _, ok := b.depts[d.name]; ok {
		return nil
	}
	b.seq++
	code := 1000 + b.seq*10
	made, err := b.s.Org.CreateDepartment(b.ctx, b.sys, org.DepartmentInput{ParentID: b.depts[parent], Code: itoa(code), Name: d.name, Kind: d.kind, SortOrder: order})
	if err != nil {
		return err
	}
	b.depts[d.name], b.kinds[d.name], b.parent[d.name] = made.ID, d.kind, parent
	if d.noHead {
		if b.noHead == nil {
			b.noHead = map[string]bool{}
		}
		b.noHead[d.name] = true
	}
	b.order = append(b.order, d.name)
	return nil
}

// derivedDepartments adds the departments the pack's posts name (企画開発課長 → 企画開発課),
// so that the role holders sit where the source puts them.
func (b *builder) derivedDepartments(p *policy.Compiled) error {
	firstSection := ""
	for _, r := range p.Roles {
		name, kind := deptOfPost(r.HeldBy)
		if name == "" {
			continue
		}
		parent := ""
		if kind == "unit" {
			parent = firstSection
		}
		if err := b.department(parent, dept{name: name, kind: kind}, len(b.order)); err != nil {
			return err
		}
		if kind == "section" && firstSection == "" {
			firstSection = name
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

// staff gives every department a head and every 課, 係, office and school two members of staff
// without a post; the first 課 also a 会計年度任用職員, and a contractor's worker sits there too.
func (b *builder) staff() error {
	first := ""
	for _, name := range b.order {
		kind := b.kinds[name]
		title := headTitle(name, kind)
		if title == "" || b.noHead[name] {
			continue
		}
		h, err := b.person(name, title, "regular")
		if err != nil {
			return err
		}
		h.head = true
		if kind == "division" || kind == "board" {
			continue
		}
		if first == "" && kind == "section" {
			first = name
		}
		for _, t := range []string{clerkTitle(kind), "主任"} {
			c, err := b.person(name, t, "regular")
			if err != nil {
				return err
			}
			c.clerk = true
		}
	}
	if first == "" {
		first = b.order[0]
	}
	if _, err := b.person(first, "会計年度任用職員", "fiscal_year"); err != nil {
		return err
	}
	_, err := b.person(first, "委託事業者 作業者", "contractor")
	return err
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

// shapedRoles places the people of a shaped organisation: each post is given to the member of
// its department with its title (the head, or a clerk nobody else claimed) or to a new one, and
// holds its roles; the heads and first clerks of each kind of department hold the shape's
// department roles for it.
func (b *builder) shapedRoles(p *policy.Compiled, sh shape) error {
	for i, ps := range sh.posts {
		if _, ok := b.depts[ps.dept]; !ok {
			return fmt.Errorf("demo post %s: no department %s", ps.title, ps.dept)
		}
		m := b.claim(ps.dept, ps.title)
		if m == nil {
			var err error
			if m, err = b.person(ps.dept, ps.title, "regular"); err != nil {
				return err
			}
			m.post = true
		}
		if ps.login {
			m.seat = i + 1
		}
		for _, spec := range ps.roles {
			if err := b.hold(p, m, spec); err != nil {
				return err
			}
		}
	}
	for _, name := range b.order {
		kind := b.kinds[name]
		for _, m := range b.members {
			if m.dept != name || !m.head {
				continue
			}
			for _, role := range sh.heads[kind] {
				for _, d := range b.subtree(name, kind == "division") {
					if err := b.hold(p, m, role+"@dept:"+d); err != nil {
						return err
					}
				}
			}
		}
		if roles := sh.clerks[kind]; len(roles) > 0 {
			for _, m := range b.members {
				if m.dept == name && m.clerk && !m.post {
					for _, role := range roles {
						if err := b.hold(p, m, role); err != nil {
							return err
						}
					}
					m.post = true
					break
				}
			}
		}
	}
	return nil
}

// claim finds the member of the department with the title nobody has claimed yet.
func (b *builder) claim(dept, title string) *member {
	for _, m := range b.members {
		if m.dept == dept && m.title == title && !m.post {
			m.post = true
			return m
		}
	}
	return nil
}

// subtree is the department, and when deep the departments below it.
func (b *builder) subtree(name string, deep bool) []string {
	out := []string{name}
	if !deep {
		return out
	}
	for _, d := range b.order {
		for up := b.parent[d]; up != ""; up = b.parent[up] {
			if up == name {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// hold gives the member a role written as a post's roles are: "id", "id@dept:NAME" or
// "id@system:NAME".
func (b *builder) hold(p *policy.Compiled, m *member, spec string) error {
	id, where, _ := strings.Cut(spec, "@")
	r, ok := p.Role(id)
	if !ok {
		return fmt.Errorf("demo post %s: pack %s has no role %s", m.title, p.ID, id)
	}
	ra := org.RoleAssignment{RoleID: r.ID, Scope: r.Scope, HolderStaffID: m.id}
	switch r.Scope {
	case "department":
		d := m.dept
		if name, ok := strings.CutPrefix(where, "dept:"); ok {
			d = name
		}
		ra.DepartmentID = b.depts[d]
		if ra.DepartmentID == 0 {
			return fmt.Errorf("demo role %s: no department %s", spec, d)
		}
	case "system":
		name, ok := strings.CutPrefix(where, "system:")
		if !ok {
			return fmt.Errorf("demo role %s: a system role needs its system", spec)
		}
		ra.SystemRef = name
	}
	if _, err := b.s.Org.AssignRole(b.ctx, b.sys, ra); err != nil {
		return fmt.Errorf("demo role %s of %s: %w", spec, m.title, err)
	}
	if !slices.Contains(m.roles, r.ID) {
		m.roles = append(m.roles, r.ID)
	}
	return nil
}

// roles assigns the pack's roles where no shape places them: department roles to every head of
// a section, school or office; the others to the staff member holding the post the pack names,
// created if need be in the department the post names or the first one. The role every member
// of staff holds is nobody's in particular.
func (b *builder) roles(p *policy.Compiled) error {
	for _, r := range p.Roles {
		if r.AllStaff {
			continue
		}
		if r.Scope == "department" {
			for _, m := range b.members {
				kind := b.kinds[m.dept]
				if !m.head || (kind != "section" && kind != "school" && kind != "office") {
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
			if dept == "" {
				dept = b.order[0]
			}
			title := r.HeldBy
			if t := []rune(title); len(t) > 40 {
				title = string(t[:40])
			}
			if title == "" {
				title = r.Name
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

// logins are the people who sign in: the posts of a shaped organisation that do, in the
// shape's order; otherwise
// the first holders of organisation roles, a department head and a clerk without a role.
func (b *builder) logins() []*member {
	var out []*member
	for _, m := range b.members {
		if m.seat > 0 {
			out = append(out, m)
		}
	}
	if len(out) > 0 {
		slices.SortFunc(out, func(a, b *member) int { return a.seat - b.seat })
		return out
	}
	seen := map[*member]bool{}
	add := func(m *member) {
		if m != nil && !seen[m] && len(out) < 6 {
			seen[m] = true
			out = append(out, m)
		}
	}
	for _, m := range b.members {
		if len(m.roles) > 0 && !m.head {
			add(m)
		}
	}
	for _, m := range b.members {
		if len(m.roles) > 0 && m.head {
			add(m)
			break
		}
	}
	for _, m := range b.members {
		if len(m.roles) == 0 && m.clerk {
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

// headed are the departments whose head holds a role for it (a 課長 who is its 情報セキュリティ
// 管理者), whose clerks the demo has file requests and report incidents, so that the steps of
// the applicant's department have someone to decide them; every department when no head holds
// such a role (上毛町, whose approvers are organisation-wide).
func (b *builder) headed() map[string]bool {
	out := map[string]bool{}
	for _, m := range b.members {
		for _, id := range m.roles {
			if r, _ := b.pack.Role(id); m.head && r.Scope == "department" {
				out[m.dept] = true
			}
		}
	}
	if len(out) == 0 {
		for _, name := range b.order {
			out[name] = true
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
