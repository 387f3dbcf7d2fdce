package api

import (
	"context"
	"encoding/base64"
	"net/http"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/task"
)

func TestTaskAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLogbookAPI(t, db)
		sys := access.System(f.orgID, "test")
		if _, err := f.svcs.Org.AssignRole(ctx, sys, org.RoleAssignment{RoleID: "network_admin", Scope: "organization",
			HolderStaffID: f.staff["ichiro"]}); err != nil {
			t.Fatal(err)
		}
		fy := task.FiscalYear(f.svcs.Now())
		if _, err := f.svcs.Tasks.Generate(ctx, f.orgID, fy); err != nil {
			t.Fatal(err)
		}
		mine := decodeAs[list[task.Task]](t, f.do("GET", "/api/v1/tasks?mine=true&limit=100&year="+itoa64(int64(fy)), f.tokens["ichiro"], nil), http.StatusOK)
		if mine.Total != 16 {
			t.Fatalf("the network administrator has %d tasks, want 16", mine.Total)
		}
		if got := decodeAs[list[task.Task]](t, f.do("GET", "/api/v1/tasks", f.tokens["jiro"], nil), http.StatusOK); got.Total != 0 {
			t.Errorf("a clerk lists %d tasks", got.Total)
		}
		var drill, review task.Task
		for _, x := range mine.Items {
			switch {
			case x.DutyID == "emergency-drill":
				drill = x
			case x.DutyID == "network-log-review" && review.ID == 0:
				review = x
			}
		}
		path := "/api/v1/tasks/" + itoa64(review.ID)
		apiError(t, f.do("GET", path, f.tokens["jiro"], nil), http.StatusNotFound, "not_found")
		got := decodeAs[task.Task](t, f.do("GET", path, f.tokens["kansa"], nil), http.StatusOK)
		if len(got.Holders) != 1 || got.Holders[0].StaffID != f.staff["ichiro"] {
			t.Errorf("holders %+v", got.Holders)
		}
		apiError(t, f.do("POST", path+"/complete", f.tokens["ichiro"], taskCompletion{}), http.StatusUnprocessableEntity, "invalid")
		apiError(t, f.do("POST", path+"/complete", f.tokens["kansa"], taskCompletion{Note: "x"}), http.StatusForbidden, "forbidden")
		done := decodeAs[task.Task](t, f.do("POST", path+"/complete", f.tokens["ichiro"], taskCompletion{Note: "ログを点検した"}), http.StatusOK)
		if done.State != task.Done || done.DoneByStaffID != f.staff["ichiro"] {
			t.Errorf("done %+v", done)
		}
		apiError(t, f.do("POST", path+"/complete", f.tokens["ichiro"], taskCompletion{Note: "again"}), http.StatusConflict, "conflict")

		dpath := "/api/v1/tasks/" + itoa64(drill.ID)
		png := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n0000"))
		apiError(t, f.do("POST", dpath+"/complete", f.tokens["ichiro"], taskCompletion{FileName: "訓練.pdf", FileBase64: png}),
			http.StatusUnprocessableEntity, "invalid")
		pdf := []byte("%PDF-1.4\n")
		decodeAs[task.Task](t, f.do("POST", dpath+"/complete", f.tokens["ichiro"],
			taskCompletion{FileName: "訓練.pdf", FileBase64: base64.StdEncoding.EncodeToString(pdf)}), http.StatusOK)
		rec := f.do("GET", dpath+"/file", f.tokens["kansa"], nil)
		if rec.Code != http.StatusOK || rec.Body.String() != string(pdf) || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("file: %d %q", rec.Code, rec.Body)
		}
		apiError(t, f.do("GET", dpath+"/file", f.tokens["jiro"], nil), http.StatusNotFound, "not_found")
	})
}
