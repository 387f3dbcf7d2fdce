package api

import (
	"net/http"
	"testing"

	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestDepartments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		rec := f.do("POST", "/api/v1/departments", f.admin, map[string]any{"code": "1000", "name": "総務部", "kind": "division"})
		parent := decodeAs[org.Department](t, rec, http.StatusCreated)
		if parent.ID == 0 || parent.Name != "総務部" || !parent.Active {
			t.Fatalf("created %+v", parent)
		}
		if loc := rec.Header().Get("Location"); loc != "/api/v1/departments/"+itoa64(parent.ID) {
			t.Errorf("Location = %q", loc)
		}
		child := decodeAs[org.Department](t, f.do("POST", "/api/v1/departments", f.admin,
			map[string]any{"parent_id": parent.ID, "code": "1100", "name": "総務課", "kind": "section"}), http.StatusCreated)

		t.Run("the list is the tree in order with depth and path", func(t *testing.T) {
			l := decodeAs[list[org.Department]](t, f.do("GET", "/api/v1/departments", f.admin, nil), http.StatusOK)
			if l.Total != 2 || len(l.Items) != 2 || l.Next != nil {
				t.Fatalf("list %+v", l)
			}
			got := l.Items[1]
			if got.ID != child.ID || got.Depth != 1 || len(got.Path) != 2 || got.Path[0] != "総務部" || got.Path[1] != "総務課" {
				t.Errorf("child in list %+v", got)
			}
		})

		t.Run("one department", func(t *testing.T) {
			got := decodeAs[org.Department](t, f.do("GET", "/api/v1/departments/"+itoa64(child.ID), f.admin, nil), http.StatusOK)
			if got.ParentID != parent.ID || got.Code != "1100" {
				t.Errorf("got %+v", got)
			}
			apiError(t, f.do("GET", "/api/v1/departments/999999", f.admin, nil), http.StatusNotFound, "not_found")
		})

		t.Run("update replaces the department", func(t *testing.T) {
			got := decodeAs[org.Department](t, f.do("PUT", "/api/v1/departments/"+itoa64(child.ID), f.admin,
				map[string]any{"parent_id": parent.ID, "code": "1100", "name": "総務課（改）", "kind": "section", "active": false}), http.StatusOK)
			if got.Name != "総務課（改）" || got.Active {
				t.Errorf("updated %+v", got)
			}
		})

		t.Run("update without active names the field", func(t *testing.T) {
			rec := f.do("PUT", "/api/v1/departments/"+itoa64(child.ID), f.admin,
				map[string]any{"parent_id": parent.ID, "code": "1100", "name": "総務課", "kind": "section"})
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "active" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("a cycle is refused on parent_id", func(t *testing.T) {
			rec := f.do("PUT", "/api/v1/departments/"+itoa64(parent.ID), f.admin,
				map[string]any{"parent_id": child.ID, "code": "1000", "name": "総務部", "kind": "division", "active": true})
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "parent_id" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("validation errors name their fields, in Japanese by default", func(t *testing.T) {
			rec := f.do("POST", "/api/v1/departments", f.admin, map[string]any{"code": "2000", "name": "", "kind": "castle"})
			e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid")
			if e.Field != "name" {
				t.Errorf("field %q, want name", e.Field)
			}
			if e.Message != "入力内容を確認してください" {
				t.Errorf("message %q", e.Message)
			}
			if len(e.Fields) != 2 || e.Fields[0].Field != "name" || e.Fields[1].Field != "kind" {
				t.Fatalf("fields %+v", e.Fields)
			}
			for _, fe := range e.Fields {
				if fe.Message == "" {
					t.Errorf("field %s without message", fe.Field)
				}
			}
		})

		t.Run("in English for a user whose language is English", func(t *testing.T) {
			token := f.tokenFor("smith", "en", true)
			rec := f.do("POST", "/api/v1/departments", token, map[string]any{"code": "2000", "name": "", "kind": "division"},
				"Accept-Language", "ja")
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Message != "Please check what you entered" || e.Field != "name" {
				t.Errorf("error %+v", e)
			}
		})

		t.Run("a taken code is a validation error", func(t *testing.T) {
			rec := f.do("POST", "/api/v1/departments", f.admin, map[string]any{"code": "1000", "name": "重複", "kind": "division"})
			if e := apiError(t, rec, http.StatusUnprocessableEntity, "invalid"); e.Field != "code" {
				t.Errorf("field %q", e.Field)
			}
		})
	})
}
