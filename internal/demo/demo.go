// Package demo fills an organisation with a fictional town — departments, staff, accounts and
// role assignments — so that Mamori can be tried from the first minute.
package demo

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/org"
)

// Packs the demo can be loaded for. Policy packs extend this list.
var Packs = []string{"default"}

// Account is a demo sign-in, printed once when the demo is loaded.
type Account struct {
	Login    string
	Name     string
	Role     string
	Password string
}

// Result says what Load did.
type Result struct {
	Loaded   bool // false when the organisation already had departments
	Accounts []Account
}

type dept struct {
	code, name, kind string
	children         []dept
}

var tree = []dept{
	{"1000", "総務部", "division", []dept{
		{"1100", "総務課", "section", []dept{{"1110", "情報政策係", "unit", nil}, {"1120", "人事係", "unit", nil}}},
		{"1200", "企画財政課", "section", nil},
	}},
	{"2000", "住民福祉部", "division", []dept{
		{"2100", "住民課", "section", []dept{{"2110", "窓口係", "unit", nil}}},
		{"2200", "税務課", "section", nil},
		{"2300", "福祉課", "section", nil},
	}},
	{"3000", "建設部", "division", []dept{{"3100", "建設課", "section", nil}}},
	{"8000", "会計課", "section", nil},
	{"9000", "教育委員会", "board", []dept{
		{"9100", "教育総務課", "section", nil},
		{"9200", "デモ町立第一小学校", "school", nil},
		{"9300", "デモ町立第一中学校", "school", nil},
	}},
}

type person struct {
	no, name, kana, title, employment, dept string
	login                                   string
	roles                                   []string // role ids; department-scoped roles use the staff member's department
}

var people = []person{
	{"0001", "山本 和夫", "ヤマモト カズオ", "副町長", "regular", "", "", []string{"ciso"}},
	{"1001", "田中 恵子", "タナカ ケイコ", "総務課長", "regular", "1100", "tanaka", []string{"chief_security_officer", "security_officer"}},
	{"1002", "鈴木 大輔", "スズキ ダイスケ", "情報政策係長", "regular", "1110", "suzuki", []string{"network_admin", "csirt"}},
	{"1003", "高橋 美咲", "タカハシ ミサキ", "主事", "regular", "1110", "", []string{"csirt"}},
	{"1004", "伊藤 誠", "イトウ マコト", "人事係長", "regular", "1120", "", nil},
	{"1201", "渡辺 直樹", "ワタナベ ナオキ", "企画財政課長", "regular", "1200", "", []string{"security_officer"}},
	{"2101", "佐藤 花子", "サトウ ハナコ", "住民課長", "regular", "2100", "sato", []string{"security_officer"}},
	{"2102", "小林 翔", "コバヤシ ショウ", "主事", "regular", "2110", "kobayashi", nil},
	{"2103", "中村 由美", "ナカムラ ユミ", "窓口係", "fiscal_year", "2110", "", nil},
	{"2201", "加藤 健一", "カトウ ケンイチ", "税務課長", "regular", "2200", "", []string{"security_officer"}},
	{"2301", "吉田 さくら", "ヨシダ サクラ", "福祉課長", "regular", "2300", "", []string{"security_officer"}},
	{"3101", "山田 隆", "ヤマダ タカシ", "建設課長", "regular", "3100", "", []string{"security_officer"}},
	{"8001", "松本 洋子", "マツモト ヨウコ", "会計管理者", "regular", "8000", "matsumoto", []string{"auditor"}},
	{"9101", "井上 浩二", "イノウエ コウジ", "教育総務課長", "regular", "9100", "", []string{"security_officer"}},
	{"9201", "木村 春香", "キムラ ハルカ", "校長", "regular", "9200", "", []string{"security_officer"}},
	{"9901", "株式会社デモシステム 作業者", "デモシステム", "保守作業者", "contractor", "1110", "", nil},
}

// Load adds the demo town to the organisation, unless it already has departments.
func Load(ctx context.Context, s *app.Services, orgID int64, pack string) (Result, error) {
	if pack == "" {
		pack = "default"
	}
	known := false
	for _, p := range Packs {
		known = known || p == pack
	}
	if !known {
		return Result{}, apperr.New(apperr.Invalid, "demo.error.unknown_pack", pack)
	}
	sys := access.System(orgID, "demo")
	existing, err := s.Org.Tree(ctx, sys)
	if err != nil {
		return Result{}, err
	}
	if len(existing) > 0 {
		return Result{}, nil
	}
	ids := map[string]int64{}
	var add func(parent int64, ds []dept) error
	add = func(parent int64, ds []dept) error {
		for i, d := range ds {
			made, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{ParentID: parent, Code: d.code, Name: d.name, Kind: d.kind, SortOrder: i})
			if err != nil {
				return err
			}
			ids[d.code] = made.ID
			if err := add(made.ID, d.children); err != nil {
				return err
			}
		}
		return nil
	}
	if err := add(0, tree); err != nil {
		return Result{}, err
	}
	res := Result{Loaded: true}
	for _, p := range people {
		st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: ids[p.dept], EmployeeNo: p.no, Name: p.name, Kana: p.kana,
			Title: p.title, Employment: p.employment})
		if err != nil {
			return res, err
		}
		for _, r := range p.roles {
			ra := org.RoleAssignment{RoleID: r, Scope: "organization", HolderStaffID: st.ID}
			if r == "security_officer" {
				ra.Scope, ra.DepartmentID = "department", ids[p.dept]
			}
			if _, err := s.Org.AssignRole(ctx, sys, ra); err != nil {
				return res, err
			}
		}
		if p.login == "" {
			continue
		}
		_, pw, err := s.Auth.CreateUser(ctx, sys, auth.NewUser{Login: p.login, DisplayName: p.name, StaffID: st.ID, Lang: "ja"})
		if err != nil {
			return res, err
		}
		res.Accounts = append(res.Accounts, Account{Login: p.login, Name: p.name, Role: p.title, Password: pw})
	}
	return res, nil
}
