package sysaccount_test

import (
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/sysaccount"
)

// TestImport: a system's list is read with its Japanese headings, a dry run changes nothing, a
// list with bad rows names each row and column and changes nothing, and a good list is applied
// whole — owners matched by staff number or by name, accounts absent from the list removed only
// when asked.
func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		s, sysAdmin := e.S.SystemAccounts, e.Holder("system_admin@s:SYS1")
		hanako := e.Person("髙橋　花子", e.DeptA)
		taro := e.Person("税務 太郎", e.DeptB)
		st, err := e.S.Org.StaffMember(ctx, e.Admin, taro.StaffID)
		if err != nil {
			t.Fatal(err)
		}
		taroNo := st.EmployeeNo
		if _, err := s.Create(ctx, sysAdmin, sysaccount.Input{SystemRef: "SYS1", Login: "old", Kind: "personal", OwnerStaffID: taro.StaffID}); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			var n int
			if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM system_accounts WHERE state = 'active'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		bad := "ログインID,種別,職員番号,氏名,最終ログイン\n" +
			"u1,個人,,高橋花子,2026/3/1\n" +
			"u2,スーパー,,,\n" +
			"u1,個人," + taroNo + ",,\n" +
			"u3,個人,X999,,\n" +
			"u4,特権,,,昨日\n"
		rep, err := s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(bad), sysaccount.ImportOptions{SystemRef: "SYS1"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"3/種別": true, "4/ログインID": true, "5/職員番号": true, "6/最終ログイン": true}
		if rep.Applied || len(rep.Errors) != len(want) {
			t.Fatalf("bad list: applied %v, errors %+v", rep.Applied, rep.Errors)
		}
		for _, x := range rep.Errors {
			if !want[itoa(int64(x.Row))+"/"+x.Column] || x.Message == "" || x.MessageEn == "" {
				t.Errorf("unexpected error %+v", x)
			}
		}
		if count() != 1 {
			t.Fatal("a bad list changed the accounts")
		}
		if _, err := s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(bad), sysaccount.ImportOptions{SystemRef: "NOPE"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("unknown system: %v", err)
		}

		good := "ログインID,種別,職員番号,氏名,最終ログイン,パスワード変更日\n" +
			"u1,個人,,高橋花子,2026/3/1,\n" +
			"u2,共用,,課長,2026-03-02,2026-03-01\n" +
			"u3,個人," + taroNo + ",,,\n"
		_ = hanako
		rep, err = s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(good), sysaccount.ImportOptions{SystemRef: "SYS1", DryRun: true, RemoveMissing: true})
		if err != nil || rep.Applied || rep.New != 3 || rep.Missing != 1 || len(rep.Errors) != 0 {
			t.Fatalf("dry run %+v %v", rep, err)
		}
		if count() != 1 {
			t.Fatal("a dry run changed the accounts")
		}
		rep, err = s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(good), sysaccount.ImportOptions{SystemRef: "SYS1", RemoveMissing: true})
		if err != nil || !rep.Applied || rep.New != 3 || rep.Removed != 1 {
			t.Fatalf("apply %+v %v", rep, err)
		}
		page, err := s.List(ctx, sysAdmin, sysaccount.Filter{SystemRef: "SYS1"})
		if err != nil || len(page.Accounts) != 3 {
			t.Fatalf("after the import %+v %v", page, err)
		}
		for _, a := range page.Accounts {
			switch a.Login {
			case "u1":
				if a.OwnerStaffID != hanako.StaffID || a.LastLoginOn != "2026-03-01" {
					t.Errorf("u1 %+v", a)
				}
			case "u2":
				if a.Kind != "shared" || a.ResponsibleName != "課長" {
					t.Errorf("u2 %+v", a)
				}
			case "u3":
				if a.OwnerStaffID != taro.StaffID {
					t.Errorf("u3 %+v", a)
				}
			}
		}
		rep, err = s.Import(ctx, sysAdmin, "list.csv", strings.NewReader(good), sysaccount.ImportOptions{SystemRef: "SYS1", DryRun: true})
		if err != nil || rep.Unchanged != 3 || rep.New != 0 {
			t.Errorf("the same list again %+v %v", rep, err)
		}
		rows := []sysaccount.Row{{Line: 1, Login: "dir1", Kind: "personal", OwnerNo: taroNo}}
		rep, err = s.ImportRows(ctx, sysAdmin, rows, sysaccount.ImportOptions{SystemRef: "SYS1", Source: "directory"}, nil)
		if err != nil || !rep.Applied || rep.New != 1 {
			t.Errorf("rows from the directory %+v %v", rep, err)
		}
		e.VerifyAudit()
	})
}
