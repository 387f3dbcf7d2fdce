package incident_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/incident"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// env is an organisation on one pack with departments A and B, a clerk in each, and one holder
// of every pack role but the all-staff ones (of both departments for department roles, of
// system SYS1 for system roles), each signed in with the marks the pack gives their roles.
// Staff carry the organisation in their e-mail, user id and login, so that two organisations'
// people stay apart.
type env struct {
	*apptest.Env
	clerk  access.Actor // in A
	clerkB access.Actor // in B
}

func newEnv(t testing.TB, db *store.DB, packID string) *env {
	t.Helper()
	return fill(apptest.New(t, db, packID, options))
}

// orgEnv fills an organisation that has its pack.
func orgEnv(t testing.TB, s *app.Services, c *apptest.Clock, orgID int64) *env {
	t.Helper()
	return fill(apptest.ForOrg(t, s, c, orgID, options))
}

var options = apptest.Options{Roles: func(r policy.Role) bool { return !r.AllStaff }, Marks: true, OrgNamed: true}

func fill(a *apptest.Env) *env {
	e := &env{Env: a}
	e.clerk = e.Person("職員A", e.DeptA)
	e.clerkB = e.Person("職員B", e.DeptB)
	return e
}

// report files a report of the pack's required items by who, detected an hour ago.
func (e *env) report(who access.Actor, title string) incident.Incident {
	e.T.Helper()
	in, err := e.reportAssets(who, title)
	if err != nil {
		e.T.Fatalf("report: %v", err)
	}
	return in
}

// reportAssets reports with every item of the pack answered, naming the assets given.
func (e *env) reportAssets(who access.Actor, title string, assets ...int64) (incident.Incident, error) {
	items := map[string]any{}
	var files []incident.NewEvidence
	for _, f := range e.P.Incident.ReportItems {
		switch f.Type {
		case "file":
			files = append(files, incident.NewEvidence{Field: f.ID, Name: "log.txt", ContentType: "text/plain", Body: []byte("2026-04-01 09:55 alert\n")})
		case "datetime":
			items[f.ID] = e.Clock.T.Add(-time.Hour).Format(time.RFC3339)
		case "staff", "asset":
		default:
			items[f.ID] = title + "の" + f.Name
		}
	}
	return e.S.Incidents.Report(context.Background(), who, incident.ReportInput{Title: title, Items: items,
		DetectedAt: e.Clock.T.Add(-time.Hour), Evidence: files, AssetIDs: assets})
}

// notices counts the notices of a kind about an incident.
func (e *env) notices(kind string, id int64) int {
	e.T.Helper()
	var n int
	if err := e.S.DB.SQL.QueryRow(`SELECT count(*) FROM notices WHERE kind = $1 AND ref_type = 'incident' AND ref_id = $2`, kind, id).Scan(&n); err != nil {
		e.T.Fatal(err)
	}
	return n
}

func mustCode(t testing.TB, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" && apperr.As(err).Field() != field {
		t.Fatalf("err = %v names field %q, want %q", err, apperr.As(err).Field(), field)
	}
}

// tos lists the checklist's receivers in order.
func tos(list []incident.ChecklistStep) []string {
	var out []string
	for _, n := range list {
		out = append(out, n.From+">"+n.To)
	}
	return out
}

func find(t testing.TB, list []incident.ChecklistStep, from, to string) incident.ChecklistStep {
	t.Helper()
	for _, n := range list {
		if n.From == from && n.To == to {
			return n
		}
	}
	t.Fatalf("no %s>%s in %v", from, to, tos(list))
	return incident.ChecklistStep{}
}

func itoa(n int64) string { return fmt.Sprint(n) }
