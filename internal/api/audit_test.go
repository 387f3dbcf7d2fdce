package api

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		d := decodeAs[org.Department](t, f.do("POST", "/api/v1/departments", f.admin,
			map[string]any{"code": "1000", "name": "総務部", "kind": "division"}), http.StatusCreated)

		t.Run("the log holds the department's creation", func(t *testing.T) {
			l := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit?entity=department&entity_id="+itoa64(d.ID), f.admin, nil), http.StatusOK)
			if l.Total != 1 || l.Items[0].Action != "department.create" || l.Items[0].Actor != "admin" {
				t.Fatalf("entries %+v", l)
			}
			if l.Items[0].RemoteAddr != "192.0.2.1" {
				t.Errorf("remote address %q, want the host part only", l.Items[0].RemoteAddr)
			}
		})

		t.Run("newest first, all of it", func(t *testing.T) {
			l := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit", f.admin, nil), http.StatusOK)
			if l.Total < 4 || l.Items[0].Action != "department.create" { // organisation, admin, token, department
				t.Errorf("entries %+v", l)
			}
		})

		today := time.Now().In(i18n.Tokyo).Format(time.DateOnly)
		yesterday := time.Now().In(i18n.Tokyo).AddDate(0, 0, -1).Format(time.DateOnly)
		for q, want := range map[string]int{
			"action=department.create&from=" + today:   1,
			"action=department.create&to=" + today:     1,
			"action=department.create&to=" + yesterday: 0,
			"action=department.create&actor=adm":       1,
			"action=department.create&actor=nobody":    0,
			"action=department.create&from=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339)): 0,
			"action=department.create&from=" + time.Now().Add(-time.Hour).Format(time.RFC3339):                 1, // "+09:00" unescaped
		} {
			t.Run("filter "+q, func(t *testing.T) {
				l := decodeAs[list[auditlog.Entry]](t, f.do("GET", "/api/v1/audit?"+q, f.admin, nil), http.StatusOK)
				if l.Total != want {
					t.Errorf("total %d, want %d", l.Total, want)
				}
			})
		}

		t.Run("a bad date names the parameter", func(t *testing.T) {
			e := apiError(t, f.do("GET", "/api/v1/audit?from=yesterday", f.admin, nil), http.StatusUnprocessableEntity, "invalid")
			if e.Field != "from" {
				t.Errorf("field %q", e.Field)
			}
		})

		t.Run("the chain verifies", func(t *testing.T) {
			v := decodeAs[map[string]any](t, f.do("GET", "/api/v1/audit/verify", f.admin, nil), http.StatusOK)
			if v["ok"] != true || v["org_id"] != float64(f.orgID) || v["entries"].(float64) < 4 || v["head_hash"] == "" {
				t.Errorf("verify %v", v)
			}
		})
	})
}
