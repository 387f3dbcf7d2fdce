package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestListPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		t.Run("an empty list has an empty items array", func(t *testing.T) {
			rec := f.do("GET", "/api/v1/staff", f.admin, nil)
			if !strings.Contains(rec.Body.String(), `"items":[]`) || !strings.Contains(rec.Body.String(), `"next":null`) {
				t.Errorf("body %s", rec.Body)
			}
			if l := decodeAs[list[org.Staff]](t, rec, http.StatusOK); l.Total != 0 {
				t.Errorf("total %d", l.Total)
			}
		})

		for i := range 5 {
			body := map[string]any{"code": fmt.Sprintf("d%d", i), "name": fmt.Sprintf("課%d", i), "kind": "section", "sort_order": i}
			decodeAs[org.Department](t, f.do("POST", "/api/v1/departments", f.admin, body), http.StatusCreated)
			body = map[string]any{"employee_no": fmt.Sprintf("E%03d", i), "name": fmt.Sprintf("職員%d", i), "employment": "regular"}
			decodeAs[org.Staff](t, f.do("POST", "/api/v1/staff", f.admin, body), http.StatusCreated)
		}

		for _, path := range []string{"/api/v1/departments", "/api/v1/staff"} {
			t.Run("pages of "+path+" link to the next", func(t *testing.T) {
				var seen []int64
				next := path + "?limit=2"
				for pages := 0; next != ""; pages++ {
					if pages > 3 {
						t.Fatal("too many pages")
					}
					rec := f.do("GET", next, f.admin, nil)
					l := decodeAs[list[struct {
						ID int64 `json:"id"`
					}]](t, rec, http.StatusOK)
					if l.Total != 5 {
						t.Errorf("total %d", l.Total)
					}
					for _, it := range l.Items {
						seen = append(seen, it.ID)
					}
					next = ""
					if l.Next != nil {
						next = *l.Next
						if len(l.Items) != 2 || !strings.HasPrefix(next, path+"?") {
							t.Errorf("page %d: %d items, next %q", pages, len(l.Items), next)
						}
					} else if !strings.Contains(rec.Body.String(), `"next":null`) {
						t.Errorf("last page without next:null: %s", rec.Body)
					}
				}
				if len(seen) != 5 {
					t.Errorf("saw %v", seen)
				}
			})
		}

		t.Run("filters are kept in next", func(t *testing.T) {
			l := decodeAs[list[org.Staff]](t, f.do("GET", "/api/v1/staff?q=%E8%81%B7%E5%93%A1&limit=1", f.admin, nil), http.StatusOK)
			if l.Next == nil || !strings.Contains(*l.Next, "q=%E8%81%B7%E5%93%A1") || !strings.Contains(*l.Next, "offset=1") {
				t.Errorf("next %v", l.Next)
			}
		})

		t.Run("limit is capped at 500", func(t *testing.T) {
			l := decodeAs[list[org.Staff]](t, f.do("GET", "/api/v1/staff?limit=100000", f.admin, nil), http.StatusOK)
			if len(l.Items) != 5 || l.Next != nil {
				t.Errorf("%d items, next %v", len(l.Items), l.Next)
			}
		})

		t.Run("an offset past the end is an empty page", func(t *testing.T) {
			l := decodeAs[list[org.Department]](t, f.do("GET", "/api/v1/departments?offset=50", f.admin, nil), http.StatusOK)
			if len(l.Items) != 0 || l.Total != 5 || l.Next != nil {
				t.Errorf("%+v", l)
			}
		})

		for _, q := range []string{"limit=0", "limit=-1", "limit=x", "offset=-1", "offset=x"} {
			t.Run("bad "+q, func(t *testing.T) {
				e := apiError(t, f.do("GET", "/api/v1/departments?"+q, f.admin, nil), http.StatusUnprocessableEntity, "invalid")
				if field, _, _ := strings.Cut(q, "="); e.Field != field {
					t.Errorf("field %q", e.Field)
				}
			})
		}
	})
}
