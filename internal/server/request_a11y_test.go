package server

import (
	"context"
	"strconv"
	"testing"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/org"
	"mamori/internal/request"
)

// fileDemoRequest files a request of the demo pack as one of the demo staff, so that the
// request pages have one to show; it returns the request's address.
func fileDemoRequest(t *testing.T, s *app.Services, orgID int64) string {
	t.Helper()
	ctx := context.Background()
	staff, _, err := s.Org.ListStaff(ctx, access.System(orgID, "test"), org.StaffFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range staff {
		if st.DepartmentID == 0 {
			continue
		}
		rq, err := s.Requests.Submit(ctx, access.Actor{OrgID: orgID, StaffID: st.ID, DepartmentID: st.DepartmentID, Name: st.Name},
			request.Input{Kind: "offsite_processing", Comment: "出張先で資料を作成するため"})
		if err != nil {
			t.Fatal(err)
		}
		return "/requests/" + strconv.FormatInt(rq.ID, 10)
	}
	t.Fatal("the demo has no staff in a department")
	return ""
}
