package server

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestAuthorizationMatrix walks every route of both surfaces — the HTML route table of
// internal/web and the API's of internal/api, so that a route added there is walked too — as
// each actor (staff of X and of Y, X's security manager, the CISO, an auditor, the platform
// administrator, the ネットワーク管理者 and the CISO of a second organisation), with every path
// wildcard filled with the ids of the planted records and of records that do not exist. No
// answer — page, JSON, CSV, xlsx (unzipped), printed form, evidence or attachment — may hold a
// canary the actor may not see. Then each route that changes a record is asked, by every
// actor to whom that record does not exist, to change it: the answer must refuse and nothing
// may change. Finally a writer names, in a logbook reference, an asset of another department
// of the highest class: the answer must not name it.
func TestAuthorizationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		m := newMatrix(t, db)
		routes := m.routes()
		t.Run("no page or answer shows what its reader may not see", func(t *testing.T) {
			m.t = t
			for _, key := range actorKeys {
				for _, rt := range routes {
					if rt.method == http.MethodGet {
						m.sweep(t, m.actors[key], rt)
					}
				}
			}
		})
		t.Run("changes to a record are refused to those it does not exist for", func(t *testing.T) {
			m.t = t
			for _, rt := range routes {
				if rt.method != http.MethodGet {
					m.probe(t, rt)
				}
			}
		})
		t.Run("a logbook reference to an asset the writer may not see names nothing", func(t *testing.T) {
			m.t = t
			m.referOutsideReach(t)
		})
		t.Run("departments are added by the platform administrator and organisation-wide security roles", func(t *testing.T) {
			m.t = t
			m.addDepartments(t)
		})
	})
}

// addDepartments asks every actor to add a department through the page and through the API:
// the platform administrator and the CISO (an organisation-wide security role of the pack) of
// either organisation may, no one else; a refusal writes nothing.
func (m *matrix) addDepartments(t *testing.T) {
	may := map[string]bool{platform: true, cisoKey: true, otherOrg: true}
	for i, key := range actorKeys {
		a := m.actors[key]
		before := m.state()
		page := m.send(a, http.MethodPost, "/departments", url.Values{"code": {"W" + strconv.Itoa(i)}, "name": {"新設課W" + strconv.Itoa(i)}, "kind": {"section"}})
		json := m.send(a, http.MethodPost, "/api/v1/departments", fmt.Sprintf(`{"code":"A%d","name":"新設課A%d","kind":"section"}`, i, i))
		switch {
		case may[key] && (page.status != http.StatusSeeOther || json.status != http.StatusCreated):
			t.Errorf("%s may add departments: page %d, API %d %.200s", key, page.status, json.status, json.body)
		case !may[key] && (page.status != http.StatusForbidden || json.status != http.StatusForbidden):
			t.Errorf("%s may not add departments: page %d, API %d", key, page.status, json.status)
		case !may[key] && m.state() != before:
			t.Errorf("%s: a refused addition changed something", key)
		}
		form := m.send(a, http.MethodGet, "/departments/new", nil)
		if (form.status == http.StatusOK) != may[key] {
			t.Errorf("%s: the new department form answers %d", key, form.status)
		}
	}
}

// mRoute is one route of either surface.
type mRoute struct {
	method, path string
	surface      string // web or api
}

// routes reads both route tables. Every route but the catch-all has a method.
func (m *matrix) routes() []mRoute {
	m.t.Helper()
	var out []mRoute
	for _, rt := range web.New(m.s, web.Options{}).Routes() {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok {
			continue // "/": the not-found page
		}
		out = append(out, mRoute{method: method, path: strings.TrimSuffix(path, "{$}"), surface: "web"})
	}
	for _, rt := range api.Routes() {
		out = append(out, mRoute{method: rt.Method, path: rt.Path, surface: "api"})
	}
	if len(out) < 150 {
		m.t.Fatalf("only %d routes in the route tables", len(out))
	}
	return out
}

// paramKinds names the records a path wildcard stands for, by the segment before it.
var paramKinds = map[string]string{
	"assets/{id}": "asset", "jobs/{id}": "job", "requests/{id}": "request", "attachments/{attachment}": "attachment",
	"attachments/{aid}": "attachment", "incidents/{id}": "incident", "evidence/{evidence}": "evidence", "evidence/{e}": "evidence",
	"logbooks/{logbook}": "logbook", "{logbook}/{id}": "entry", "entries/{id}": "entry", "users/{id}": "user",
	"departments/{id}": "department", "staff/{id}": "staff", "notices/{id}": "notice", "roles/{id}": "role",
	"tokens/{id}": "token", "lang/{lang}": "lang", "risks/{id}": "risk", "tasks/{id}": "task",
	"self-inspections/{id}": "campaign", "sheets/{sheet}": "sheet", "self-inspection-findings/{id}": "inspection_finding",
	"reviews/{id}": "review", "proposals/{proposal}": "proposal", "procedures/{id}": "procedure",
	"forms/{pledge}": "pledge", "signatures/{id}": "pledge_signature",
	"access-reviews/{id}": "access_review", "items/{item}": "access_review_item",
	"transfers/{id}":       "transfer",
	"system-accounts/{id}": "system_account",
	"trainings/{id}":       "training_plan", "sessions/{session}": "training_session", "imports/{import}": "training_import",
	"training/{id}": "training_assignment",
}

// slot is one wildcard of a path.
type slot struct {
	index int // segment index
	kind  string
	name  string
}

func slotsOf(path string) []slot {
	segs := strings.Split(path, "/")
	var out []slot
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			k := ""
			if i > 0 {
				k = paramKinds[segs[i-1]+"/"+s]
			}
			out = append(out, slot{index: i, kind: k, name: s})
		}
	}
	return out
}

// filled is a path with its wildcards filled, and what it names.
type filled struct {
	path    string
	records []string
	keys    []string // kind:value of each wildcard
}

// fill returns every filling of the path's wildcards with the values of their kinds.
func (m *matrix) fill(path string) ([]filled, error) {
	segs := strings.Split(path, "/")
	out := []filled{{}}
	for _, s := range slotsOf(path) {
		vals := m.params[s.kind]
		if s.kind == "" || len(vals) == 0 {
			return nil, fmt.Errorf("no values for %s in %s: tell the matrix what it names (paramKinds, fillParams)", s.name, path)
		}
		var next []filled
		for _, f := range out {
			for _, v := range vals {
				next = append(next, filled{records: append(slices.Clone(f.records), v.label),
					keys: append(slices.Clone(f.keys), s.kind+":"+v.value), path: f.path + "\x00" + v.value})
			}
		}
		out = next
	}
	for i := range out {
		vals := strings.Split(out[i].path, "\x00")[1:]
		p := slices.Clone(segs)
		for j, s := range slotsOf(path) {
			p[s.index] = url.PathEscape(vals[j])
		}
		out[i].path = strings.Join(p, "/")
	}
	return out, nil
}

// queries are the variants a GET route is asked with besides its bare path: the export
// formats, the audit log narrowed to each kind of record (its pages hold 50 entries), and the
// findings an exception suppresses.
func (m *matrix) queries(path string) []string {
	switch path {
	case "/assets/export":
		return []string{"?format=csv", "?format=csv-sjis", "?format=xlsx"}
	case "/compliance/findings", "/api/v1/compliance/findings":
		return []string{"", "?state=all"}
	case "/audit", "/api/v1/audit":
		out := []string{"?limit=500"}
		rows, err := m.s.DB.SQL.Query(`SELECT DISTINCT entity FROM audit_entries ORDER BY entity`)
		m.must(err, "audit entities")
		defer rows.Close()
		for rows.Next() {
			var e string
			m.must(rows.Scan(&e), "audit entities")
			out = append(out, "?limit=500&entity="+url.QueryEscape(e))
		}
		return out
	}
	return []string{""}
}

// sweep asks one GET route as one actor with every filling of its wildcards, and reports each
// canary the actor may not see that an answer holds.
func (m *matrix) sweep(t *testing.T, a *mActor, rt mRoute) {
	fills, err := m.fill(rt.path)
	if err != nil {
		t.Error(err)
		return
	}
	for _, f := range fills {
		for _, q := range m.queries(rt.path) {
			res := m.send(a, http.MethodGet, f.path+q, nil)
			where := fmt.Sprintf("GET %s [%s%s] as %s", rt.path, f.path, q, a.key)
			if len(f.records) > 0 {
				where += " (" + strings.Join(f.records, ", ") + ")"
			}
			if res.status >= 500 {
				t.Errorf("%s: status %d", where, res.status)
			}
			for _, c := range m.canaries {
				if !c.seenBy[a.key] && strings.Contains(res.body, c.text) {
					t.Errorf("%s: shows %s — %s", where, c.text, c.record)
				}
			}
		}
	}
}

// state is what any change leaves a trace in: every write has its audit entry; reading a
// notice and revoking a token are the writes that have none.
func (m *matrix) state() string {
	var audit, read, revoked, entries, sessions int
	err := m.s.DB.SQL.QueryRow(`SELECT (SELECT count(*) FROM audit_entries), (SELECT count(*) FROM notice_recipients WHERE read_at IS NOT NULL),
		(SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL), (SELECT count(*) FROM logbook_entries), (SELECT count(*) FROM sessions)`).
		Scan(&audit, &read, &revoked, &entries, &sessions)
	m.must(err, "state")
	return fmt.Sprintf("audit entries %d, notices read %d, tokens revoked %d, logbook entries %d, sessions %d", audit, read, revoked, entries, sessions)
}

// probe asks a route that changes a record, as each actor to whom the record does not exist,
// to change it, with a body a legitimate change could carry. It must be refused (400, 403,
// 404, 409, 415 for a route that takes files, 422) and change nothing.
func (m *matrix) probe(t *testing.T, rt mRoute) {
	slots := slotsOf(rt.path)
	if len(slots) == 0 {
		return // creating records is not a change to one; the sweep reads what there is
	}
	fills, err := m.fill(rt.path)
	if err != nil {
		return // wildcards that name no record (a checklist line, a plan step, a contact)
	}
	for _, f := range fills {
		var strangers []string
		for i, key := range f.keys {
			if i == 0 || len(m.strangers[key]) > 0 {
				strangers = m.strangers[key] // the first wildcard names the record; a later one a part of it
			}
		}
		for _, key := range strangers {
			a := m.actors[key]
			var body any = `{"version":1,"decision":"approve","comment":"x","confirmed":true,"disabled":true,"name":"x"}`
			if rt.surface == "web" {
				body = url.Values{"version": {"1"}, "decision": {"approve"}, "comment": {"x"}, "confirmed": {"yes"}, "name": {"x"},
					"code": {"x"}, "text": {"x"}}
			}
			before := m.state()
			res := m.send(a, rt.method, f.path, body)
			where := fmt.Sprintf("%s %s [%s] as %s (%s)", rt.method, rt.path, f.path, a.key, strings.Join(f.records, ", "))
			switch res.status {
			case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnsupportedMediaType,
				http.StatusUnprocessableEntity:
			default:
				t.Errorf("%s: status %d, want a refusal; body %.300s", where, res.status, res.body)
			}
			if after := m.state(); after != before {
				t.Errorf("%s: changed something: %s → %s", where, before, after)
			}
			for _, c := range m.canaries {
				if !c.seenBy[a.key] && strings.Contains(res.body, c.text) {
					t.Errorf("%s: shows %s — %s", where, c.text, c.record)
				}
			}
		}
	}
}

// referOutsideReach writes, as Y's staff, media log entries of Y that name X's highest-class
// asset — through the API by id, through the page by its 管理番号 — which Y's staff may not
// see: the answer must be the refusal an unknown asset gets, must not name the asset, and no
// entry may be written.
func (m *matrix) referOutsideReach(t *testing.T) {
	a := m.actors[staffY]
	hidden := m.canariesOf(m.aXTop.Name)
	count := func() int {
		var n int
		m.must(m.s.DB.SQL.QueryRowContext(context.Background(), `SELECT count(*) FROM logbook_entries WHERE org_id = $1`, m.org1).Scan(&n), "entries")
		return n
	}
	tries := []struct {
		how  string
		path string
		body any
	}{
		{"API, by id", "/api/v1/logbooks/media_handling/entries", fmt.Sprintf(`{"fields":{"date":"2026-04-01T11:00:00+09:00","media":%d,`+
			`"action":"持ち出し","handler":%d}}`, m.aXTop.ID, m.stYID)},
		{"page, by 管理番号", "/logbooks/media_handling", url.Values{"department_id": {strconv.FormatInt(m.deptY, 10)},
			"fields.date": {"2026-04-01T11:00"}, "fields.media": {m.aXTop.Number}, "fields.action": {"持ち出し"}, "fields.handler": {strconv.FormatInt(m.stYID, 10)}}},
	}
	for _, try := range tries {
		before := count()
		res := m.send(a, http.MethodPost, try.path, try.body)
		where := fmt.Sprintf("POST %s (%s) as %s naming X's highest-class asset %s", try.path, try.how, a.key, m.aXTop.Number)
		for _, c := range hidden {
			if strings.Contains(res.body, c.text) {
				t.Errorf("%s: shows %s — %s", where, c.text, c.record)
			}
		}
		if res.status != http.StatusBadRequest && res.status != http.StatusNotFound && res.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d (%s), want the refusal of an unknown asset", where, res.status, res.location)
		}
		if after := count(); after != before {
			t.Errorf("%s: %d entries written", where, after-before)
			if res.location != "" {
				if page := m.send(a, http.MethodGet, res.location, nil); strings.Contains(page.body, m.aXTop.Name) {
					t.Errorf("%s: the entry written (%s) shows %s — %s", where, res.location, m.aXTop.Name, hidden[0].record)
				}
			}
		}
	}
}

// canariesOf returns the planted canaries with the given texts.
func (m *matrix) canariesOf(texts ...string) []canary {
	var out []canary
	for _, c := range m.canaries {
		if slices.Contains(texts, c.text) {
			out = append(out, c)
		}
	}
	return out
}

// readable is an answer's body as text: the XML parts of an xlsx workbook (a zip), or the body.
func readable(raw []byte) string {
	if !bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		return string(raw)
	}
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return string(raw)
	}
	var b strings.Builder
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			continue
		}
		io.Copy(&b, rc)
		rc.Close()
		b.WriteString("\n")
	}
	return b.String()
}
