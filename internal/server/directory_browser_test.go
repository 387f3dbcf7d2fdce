package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/directory/ldaptest"
	"mamori/internal/store/storetest"
)

// byAttr selects the element whose id is id, ids with brackets included.
func byAttr(id string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`[id="%s"]`, id))
}

// TestBrowserDirectorySignIn: 岸和田市's administrator turns on sign-in from the directory on
// its settings page; a member of staff then signs in with their directory password and lands in
// the department and role the directory gives; with the directory down, the break-glass
// account still signs in, and the audit log shows it.
func TestBrowserDirectorySignIn(t *testing.T) {
	ctx := browserContext(t)
	s, srvWeb, temp := start(t, storetest.SQLite(t))
	bg := context.Background()
	o, err := s.Org.First(bg)
	must(t, err)
	sys := access.System(o.ID, "test")
	_, err = s.Policy.Use(bg, sys, "kishiwada")
	must(t, err)
	p, _, err := s.Policy.Active(bg, o.ID)
	must(t, err)
	_, err = demo.Load(bg, s, o.ID, p)
	must(t, err)
	tree, err := s.Org.Tree(bg, sys)
	must(t, err)
	dept := tree[len(tree)-1]
	role := ""
	for _, r := range p.Roles {
		if r.Scope == "department" {
			role = r.ID
			break
		}
	}
	ldif := ldaptest.DefaultLDIF + fmt.Sprintf(`
dn: uid=yamada,ou=総務課,dc=example,dc=jp
objectClass: inetOrgPerson
uid: yamada
cn: 山田 太郎
sn: 山田
displayName: 山田 太郎
employeeNumber: Y2001
departmentNumber: %s
userPassword: yamada-directory-pass

dn: cn=dept-managers,ou=groups,dc=example,dc=jp
objectClass: groupOfNames
cn: dept-managers
member: uid=yamada,ou=総務課,dc=example,dc=jp
`, dept.Name)
	dir := ldaptest.Start(t, ldif)
	cfg := dir.Config()
	s.Directory.LDAP = &cfg
	_, keeperPW, err := s.Auth.CreateUser(bg, sys, auth.NewUser{Login: "keeper", DisplayName: "緊急用管理者"})
	must(t, err)

	// The administrator turns directory sign-in on, with the group of managers as the role.
	firstSignIn(t, ctx, srvWeb.URL, temp)
	group, roleSel, bgLogin := byAttr("f-groups[3].group"), byAttr("f-groups[3].role_id"), byAttr("f-break_glass[1]")
	must(t, do(ctx,
		chromedp.Navigate(srvWeb.URL+"/settings/directory"),
		chromedp.WaitVisible(chromedp.ID("f-enabled")),
		chromedp.Click(chromedp.ID("f-enabled")),
		chromedp.SetValue(chromedp.ID("f-department_attribute"), "departmentNumber"),
		chromedp.SendKeys(group, "cn=dept-managers,ou=groups,dc=example,dc=jp"),
		chromedp.SetValue(roleSel, role),
		chromedp.SendKeys(bgLogin, "keeper"),
		chromedp.Submit(chromedp.ID("f-enabled")),
		chromedp.WaitVisible(chromedp.CSS(".notice, .flash, [role=status]")),
	))
	st, err := s.Directory.Settings(bg, sys)
	must(t, err)
	if !st.Enabled || st.DepartmentAttribute != "departmentNumber" || len(st.BreakGlass) != 2 {
		t.Fatalf("saved settings %+v", st)
	}

	// 山田 signs in with the directory's password; the role asks for MFA, which they enrol.
	staff, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	must(t, chromedp.Do(staff))
	must(t, do(staff,
		chromedp.Navigate(srvWeb.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("f-login"), "yamada"),
		chromedp.SendKeys(chromedp.ID("f-password"), "yamada-directory-pass"),
		chromedp.Submit(chromedp.ID("f-password")),
	))
	enrolMFA(t, staff)
	who, err := s.Auth.ActAs(bg, "yamada")
	must(t, err)
	if who.DepartmentID != dept.ID || !who.HasRole(role) {
		t.Fatalf("yamada signed in as %+v; want department %d and role %s", who, dept.ID, role)
	}
	name, err := run(staff, chromedp.Text(chromedp.CSS("body")))
	must(t, err)
	if !strings.Contains(name, "山田 太郎") {
		t.Fatalf("the page does not greet 山田:\n%.500s", name)
	}

	// The directory goes down: 鈴木 reads that sign-in is unavailable; keeper still signs in.
	dir.Stop()
	other, cancel2 := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel2()
	must(t, chromedp.Do(other))
	must(t, do(other,
		chromedp.Navigate(srvWeb.URL+"/login"),
		chromedp.SendKeys(chromedp.ID("f-login"), "suzuki"),
		chromedp.SendKeys(chromedp.ID("f-password"), "suzuki-pass"),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.ID("f-login")),
	))
	text, err := run(other, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "ディレクトリでのサインインを利用できません") {
		t.Fatalf("login page with the directory down:\n%s", text)
	}
	setFirstPassword(t, other, srvWeb.URL, "keeper", keeperPW)
	must(t, do(other, chromedp.WaitVisible(chromedp.CSS(".site-nav"))))

	// The administrator finds the break-glass sign-in in the audit log, and the problem on the
	// settings page.
	must(t, do(ctx,
		chromedp.Navigate(srvWeb.URL+"/audit?action=auth.break_glass"),
		chromedp.WaitVisible(chromedp.CSS("main")),
	))
	log, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(log, "緊急用管理者") || !strings.Contains(log, "緊急用ローカルアカウントでのログイン") {
		t.Fatalf("audit log:\n%.2000s", log)
	}
	must(t, do(ctx, chromedp.Navigate(srvWeb.URL+"/settings/directory"), chromedp.WaitVisible(chromedp.ID("f-enabled"))))
	page, err := run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(page, "ディレクトリサーバーに接続できません") {
		t.Fatalf("settings page shows no problem:\n%.1500s", page)
	}
}
