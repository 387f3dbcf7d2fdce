package auditlog_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/request"
	"mamori/internal/store"
)

// benchAuditEntries is how many entries BenchmarkListReach fills the log with:
// MAMORI_BENCH_AUDIT_ENTRIES, 100,000 by default.
func benchAuditEntries() int {
	if n, err := strconv.Atoi(os.Getenv("MAMORI_BENCH_AUDIT_ENTRIES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// BenchmarkListReach reads a page (50) of the audit page's listing among many entries about
// real records of every kind — assets of the highest class and not, requests, incidents,
// logbook entries, users, departments — with each kind's reader deciding what the reader may
// read in full (app.New), beside the same listing with every kind open (no reader looks
// anything up): the difference is the cost of the reach checks. It reads the newest page and
// one half-way down the log, as an auditor and as a platform administrator.
//
//	CI=true go test -run '^$' -bench ListReach -benchtime 3s ./internal/auditlog/
func BenchmarkListReach(b *testing.B) {
	for _, eng := range benchEngines {
		b.Run(eng.name, func(b *testing.B) {
			ctx := context.Background()
			db := eng.open(b)
			now := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
			s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, func() time.Time { return now })
			first, err := s.Bootstrap(ctx, app.Setup{OrgCode: "bench", OrgName: "ベンチ町", PackID: "koge"})
			if err != nil {
				b.Fatal(err)
			}
			orgID := first.Org.ID
			sys := access.System(orgID, "bench")
			kinds := records(b, s, sys)
			fillAudit(b, db, orgID, kinds, benchAuditEntries())
			open := auditlog.Readers{}
			for k := range kinds {
				open[k] = auditlog.Open
			}
			plain := &auditlog.Service{DB: db, Readers: open}
			auditor := access.Actor{OrgID: orgID, UserID: 2, Login: "kansa", Roles: []access.Grant{{RoleID: "chief_auditor", Scope: "organization", Auditor: true}}}
			admin := access.Actor{OrgID: orgID, UserID: 1, Login: "admin", PlatformAdmin: true}
			for _, c := range []struct {
				name string
				svc  *auditlog.Service
				who  access.Actor
			}{{"open", plain, auditor}, {"reach/auditor", s.Audit, auditor}, {"reach/platform_admin", s.Audit, admin}} {
				for _, offset := range []int{0, benchAuditEntries() / 2} {
					b.Run(c.name+"/offset="+strconv.Itoa(offset), func(b *testing.B) {
						for b.Loop() {
							list, _, err := c.svc.List(ctx, c.who, auditlog.Filter{Limit: 50, Offset: offset})
							if err != nil || len(list) != 50 {
								b.Fatalf("%d %v", len(list), err)
							}
						}
					})
				}
			}
		})
	}
}

// records makes a few records of each kind and returns their ids by kind.
func records(b *testing.B, s *app.Services, sys access.Actor) map[string][]string {
	b.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	add := func(kind string, id int64) { out[kind] = append(out[kind], strconv.FormatInt(id, 10)) }
	var depts []int64
	for i, name := range []string{"総務課", "税務課"} {
		d, err := s.Org.CreateDepartment(ctx, sys, org.DepartmentInput{Code: fmt.Sprint(i + 1), Name: name, Kind: "section"})
		if err != nil {
			b.Fatal(err)
		}
		depts = append(depts, d.ID)
		add("department", d.ID)
	}
	st, err := s.Org.CreateStaff(ctx, sys, org.StaffInput{DepartmentID: depts[0], EmployeeNo: "E1", Name: "職員", Employment: "regular"})
	if err != nil {
		b.Fatal(err)
	}
	add("staff", st.ID)
	add("user", 1)
	clerk := access.Actor{OrgID: sys.OrgID, UserID: 100, StaffID: st.ID, DepartmentID: depts[0], Login: "clerk", Name: "職員"}
	var assets []int64
	for i := range 20 {
		level := "II"
		if i%2 == 0 {
			level = "I" // the highest class
		}
		a, err := s.Assets.Create(ctx, sys, asset.Input{Number: fmt.Sprintf("PC-%03d", i), Name: "端末", Kind: "terminal",
			DepartmentID: depts[i%2], Class: map[string]string{"importance": level}})
		if err != nil {
			b.Fatal(err)
		}
		assets = append(assets, a.ID)
		add("asset", a.ID)
	}
	for i := range 10 {
		r, err := s.Requests.Submit(ctx, clerk, request.Input{Kind: "take_out", AssetIDs: []int64{assets[(2*i)%len(assets)]},
			Fields: map[string]any{"destination": "県庁", "out_date": "2026-04-02", "return_date": "2026-04-03"}})
		if err != nil {
			b.Fatal(err)
		}
		add("request", r.ID)
	}
	p, _, err := s.Policy.Active(ctx, sys.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		items := map[string]any{}
		var files []incident.NewEvidence
		for _, f := range p.Incident.ReportItems {
			switch f.Type {
			case "datetime":
				items[f.ID] = s.Now().Add(-time.Hour).Format(time.RFC3339)
			case "file":
				files = append(files, incident.NewEvidence{Field: f.ID, Name: "log.txt", ContentType: "text/plain", Body: []byte("alert\n")})
			case "staff", "asset":
			default:
				items[f.ID] = "報告事項"
			}
		}
		in, err := s.Incidents.Report(ctx, clerk, incident.ReportInput{Title: fmt.Sprintf("事案%d", i), Items: items, DetectedAt: s.Now().Add(-time.Hour), Evidence: files})
		if err != nil {
			b.Fatal(err)
		}
		add("incident", in.ID)
	}
	return out
}

// fillAudit writes n entries straight into the log, about the records given in turn, in
// batches (so for benchmarks only: the chain of these entries does not verify).
func fillAudit(b *testing.B, db *store.DB, orgID int64, kinds map[string][]string, n int) {
	b.Helper()
	ctx := context.Background()
	var seq int64
	if err := db.SQL.QueryRowContext(ctx, `SELECT seq FROM audit_heads WHERE org_id = $1`, orgID).Scan(&seq); err != nil {
		b.Fatal(err)
	}
	type ref struct{ kind, id string }
	var refs []ref
	for k, ids := range kinds {
		for _, id := range ids {
			refs = append(refs, ref{k, id})
		}
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 500
	for from := 0; from < n; from += batch {
		var rows []string
		var args []any
		for i := from; i < min(from+batch, n); i++ {
			r := refs[i%len(refs)]
			seq++
			p := len(args)
			rows = append(rows, fmt.Sprintf("($%d, $%d, $%d, 'bench', '', '', $%d, $%d, $%d, '', $%d, $%d, $%d)", p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9))
			args = append(args, orgID, seq, at.Add(time.Duration(i)*time.Second), r.kind, r.id, r.kind+".update",
				`{"department_id":1,"class":{"importance":"II"},"name":"記録"}`, strings.Repeat("0", 64), fmt.Sprintf("%064d", seq))
		}
		if _, err := db.SQL.ExecContext(ctx, `INSERT INTO audit_entries (org_id, seq, at, actor, remote_addr, user_agent, entity, entity_id, action,
			before_json, after_json, prev_hash, hash) VALUES `+strings.Join(rows, ", "), args...); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.SQL.ExecContext(ctx, `UPDATE audit_heads SET seq = $1 WHERE org_id = $2`, seq, orgID); err != nil {
		b.Fatal(err)
	}
	if _, err := db.SQL.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}
