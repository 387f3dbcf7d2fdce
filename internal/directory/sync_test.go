package directory_test

import (
	"slices"
	"testing"

	"mamori/internal/directory"
	"mamori/internal/directory/ldaptest"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestSyncPeopleRecordsMoves(t *testing.T) {
	srv := ldaptest.Start(t, "")
	cfg := srv.Config()
	people, err := cfg.People(ctx, "departmentNumber")
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 3 || people[0].Login != "sato" {
		t.Fatalf("people %+v", people)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.configure(t, false)
		// 鈴木 is in 総務課 in Mamori; the directory says 税務課.
		st, err := e.S.Org.CreateStaff(ctx, e.Admin, org.StaffInput{DepartmentID: e.DeptA, EmployeeNo: "D1002", Name: "鈴木 花子", Employment: "regular"})
		if err != nil {
			t.Fatal(err)
		}
		// The department attribute of the settings is "department"; the test directory has
		// departmentNumber, read above.
		res, err := e.dir.SyncPeople(ctx, e.admin, people)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 1 || res.Moved != 1 || !slices.Equal(res.Unmapped, []string{"sato"}) {
			t.Fatalf("sync %+v", res)
		}
		moves, err := org.MovesBetween(ctx, db.SQL, e.Org, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(moves) != 1 || moves[0].StaffID != st.ID || moves[0].Source != directory.MoveSource || moves[0].ToDepartmentID != e.DeptB {
			t.Fatalf("moves %+v", moves)
		}
		again, err := e.dir.SyncPeople(ctx, e.admin, people)
		if err != nil || again.Unchanged != 2 || again.Created != 0 || again.Moved != 0 {
			t.Fatalf("second sync %+v %v", again, err)
		}
		e.VerifyAudit()
	})
}
