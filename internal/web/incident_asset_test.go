package web

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestIncidentReportAssetAndDepartment: the related asset named on the report form is linked to
// the incident, not written on its timeline, an asset the reporter may not see is refused by its
// 管理番号, and the list's department filter is the database's.
func TestIncidentReportAssetAndDepartment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRequestFixture(t, db, "koge")
		network := f.signInHolder(t, "network", "network_admin")
		clerk := f.applicant
		log := []byte("2026-04-01 08:29 alert\n")
		terminal := f.create(t, asset.Input{Number: "T-001", Name: "窓口端末", Kind: "terminal", DepartmentID: f.civic.ID,
			Class: map[string]string{"importance": "II"}, State: "in_use"})
		f.create(t, asset.Input{Number: "G-001", Name: "総務課の端末", Kind: "terminal", DepartmentID: f.general.ID,
			Class: map[string]string{"importance": "II"}, State: "in_use"})

		form := reportForm("窓口端末の画面が暗転")
		form.Set("asset", "G-001")
		expect(t, clerk.postFiles("/incidents/new", form, "files.records", "log.txt", "text/plain", log), http.StatusUnprocessableEntity,
			"管理番号「G-001」の情報資産が見つかりません", `href="#f-asset"`)
		form.Set("asset", "T-001")
		r := clerk.postFiles("/incidents/new", form, "files.records", "log.txt", "text/plain", log)
		expect(t, r, http.StatusSeeOther)
		m := incidentRe.FindStringSubmatch(r.location)
		if m == nil {
			t.Fatalf("redirected to %q", r.location)
		}
		in, err := f.s.Incidents.Get(context.Background(), f.sys, mustInt(t, m[1]))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(in.AssetIDs, []int64{terminal.ID}) {
			t.Fatalf("assets of the incident = %v, want [%d]", in.AssetIDs, terminal.ID)
		}
		lacks(t, network.get("/incidents/"+m[1]), "関連する情報資産: T-001")

		form = reportForm("総務課のサーバの警告")
		expect(t, network.postFiles("/incidents/new", form, "files.records", "log.txt", "text/plain", log), http.StatusSeeOther)
		r = network.get("/incidents?state=all&department_id=" + idStr(f.civic.ID))
		expect(t, r, http.StatusOK, "窓口端末の画面が暗転")
		lacks(t, r, "総務課のサーバの警告")
		r = network.get("/incidents?state=all&department_id=" + idStr(f.general.ID))
		expect(t, r, http.StatusOK, "総務課のサーバの警告")
		lacks(t, r, "窓口端末の画面が暗転")
	})
}
