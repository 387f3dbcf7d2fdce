//go:build screenshots

package server

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/auth"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store/storetest"
)

// TestPrintedSheets prints a 持ち出し request (its 承認 box) and a ledger of 38 lines on 上毛町's
// pack as the browser prints them, honouring the pages' own @page sizes, into the folder
// MAMORI_SCREENSHOTS names: each PDF and each sheet as a picture, for a person to look at.
//
//	MAMORI_SCREENSHOTS=/tmp/prints go test -tags screenshots -run TestPrintedSheets ./internal/server/
func TestPrintedSheets(t *testing.T) {
	dir := os.Getenv("MAMORI_SCREENSHOTS")
	if dir == "" {
		t.Fatal("set MAMORI_SCREENSHOTS to the folder for the printed sheets")
	}
	must(t, os.MkdirAll(dir, 0o755))
	ctx := browserContext(t)
	s, srv, _ := start(t, storetest.SQLite(t))
	bg := context.Background()
	o, _ := s.Org.First(bg)
	sys := access.System(o.ID, "test")
	_, err := s.Policy.Use(bg, sys, "koge")
	must(t, err)
	dept, err := s.Org.CreateDepartment(bg, sys, org.DepartmentInput{Code: "200", Name: "住民課", Kind: "section", Active: true})
	must(t, err)
	st, err := s.Org.CreateStaff(bg, sys, org.StaffInput{DepartmentID: dept.ID, EmployeeNo: "2001", Name: "住民 花子", Employment: "regular", Active: true})
	must(t, err)
	_, err = s.Org.AssignRole(bg, sys, org.RoleAssignment{RoleID: "network_admin", Scope: "organization", HolderStaffID: st.ID})
	must(t, err)
	_, temp, err := s.Auth.CreateUser(bg, sys, auth.NewUser{Login: "clerk", DisplayName: "住民 花子", StaffID: st.ID, Lang: "ja"})
	must(t, err)
	clerk := access.Actor{OrgID: o.ID, StaffID: st.ID, DepartmentID: dept.ID, Login: "clerk", Name: "住民 花子"}
	a, err := s.Assets.Create(bg, sys, asset.Input{Number: "PC-0001", Name: "窓口ノートPC（住民記録システム端末）", Kind: "terminal", DepartmentID: dept.ID,
		Class: map[string]string{"importance": "II"}, Location: "本庁舎1階 住民課"})
	must(t, err)
	today := time.Now().In(time.FixedZone("JST", 9*3600))
	r, err := s.Requests.Submit(bg, clerk, request.Input{Kind: "take_out", AssetIDs: []int64{a.ID}, Fields: map[string]any{
		"destination": "福岡県庁 情報政策課（市町村情報セキュリティ研修会場）", "out_date": today.Format(time.DateOnly), "return_date": today.AddDate(0, 0, 2).Format(time.DateOnly)}})
	must(t, err)
	for i := 0; i < 38; i++ {
		_, err := s.Logbooks.Create(bg, clerk, logbook.Input{Logbook: "room_access", DepartmentID: dept.ID, Fields: map[string]any{
			"person": fmt.Sprintf("保守事業者 作業員%02d（株式会社サンプル情報システム 九州支店）", i), "entered_at": today.Add(-time.Duration(i) * time.Hour).Format(time.RFC3339),
			"left_at": today.Add(-time.Duration(i)*time.Hour + 30*time.Minute).Format(time.RFC3339), "escort": st.ID}, Visitor: true})
		must(t, err)
	}
	staffFirstSignIn(t, ctx, srv.URL, "clerk", temp)
	print := func(name, path string) {
		must(t, do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main"))))
		pdf, err := run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		must(t, err)
		file := filepath.Join(dir, name+".pdf")
		must(t, os.WriteFile(file, pdf, 0o644))
		if out, err := exec.Command("pdftoppm", "-png", "-r", "60", file, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
	print("request", fmt.Sprintf("/requests/%d/print", r.ID))
	print("ledger", "/logbooks/room_access/print")
}
