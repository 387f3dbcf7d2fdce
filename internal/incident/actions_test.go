package incident_test

import (
	"context"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// incAct performs one act on an incident, with input that is valid whenever the act is
// allowed; in is the incident as it is now.
type incAct struct {
	name    string
	offered func(incident.Actions, incident.Incident) bool
	do      func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error
}

// TestOfferedIncidentActsAreAllowed: for incidents reported, open, restricted, with a plan
// waiting for approval and with an approved plan, and for their reporter, first recipient,
// other staff, security roles, the plan's approver, an auditor and a platform administrator,
// every act the page offers (ActionsFor) is carried out when performed, and every act it
// withholds is refused.
func TestOfferedIncidentActsAreAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		na := e.Holder("network_admin@org")
		ago := func(d time.Duration) time.Time { return e.Clock.T.Add(-d) }
		triage := func(restricted bool) func(incident.Incident) incident.Incident {
			return func(in incident.Incident) incident.Incident {
				out, err := e.S.Incidents.Triage(ctx, na, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true,
					Category: "serious_damage", Severity: "high", Systems: []string{"SYS1"}, Restricted: restricted})
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
		}
		plan := func(in incident.Incident) incident.Incident {
			out, err := e.S.Incidents.DraftPlan(ctx, na, in.ID, in.Version, "アクセス制御を見直す")
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		approve := func(in incident.Incident) incident.Incident {
			out, err := e.S.Incidents.ApprovePlan(ctx, e.Holder("ciso@org"), in.ID, in.Version, "承認")
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		records := []struct {
			name  string
			steps []func(incident.Incident) incident.Incident
		}{
			{"reported", nil},
			{"open", []func(incident.Incident) incident.Incident{triage(false)}},
			{"restricted", []func(incident.Incident) incident.Incident{triage(true)}},
			{"plan drafted", []func(incident.Incident) incident.Incident{triage(false), plan}},
			{"plan approved", []func(incident.Incident) incident.Incident{triage(false), plan, approve}},
		}
		acts := []incAct{
			{"note", func(a incident.Actions, _ incident.Incident) bool { return a.Note }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.AddNote(ctx, who, in.ID, ago(30*time.Minute), "経過を記録")
				return err
			}},
			{"respond", func(a incident.Actions, _ incident.Incident) bool { return a.Respond }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.MarkCrime(ctx, who, in.ID, in.Version, "アクセスログ")
				return err
			}},
			{"triage", func(a incident.Actions, _ incident.Incident) bool { return a.Triage }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.Triage(ctx, who, in.ID, incident.TriageInput{Version: in.Version, IsIncident: true,
					Category: "serious_damage", Severity: "high", Systems: []string{"SYS1"}})
				return err
			}},
			{"tick", func(a incident.Actions, in incident.Incident) bool {
				return len(in.Checklist) > 0 && a.Tick[in.Checklist[0].ID]
			},
				func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
					if len(in.Checklist) == 0 {
						return apperr.New(apperr.NotFound, "error.not_found") // no line to tick
					}
					_, err := e.S.Incidents.TickOff(ctx, who, in.ID, in.Checklist[0].ID, incident.Tick{At: ago(10 * time.Minute), Means: "phone"})
					return err
				}},
			{"approve plan", func(a incident.Actions, _ incident.Incident) bool { return a.Approve }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.ApprovePlan(ctx, who, in.ID, in.Version, "承認")
				return err
			}},
			{"announce plan", func(a incident.Actions, _ incident.Incident) bool { return a.Announce }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.AnnouncePlan(ctx, who, in.ID, in.Version, "事案の概要")
				return err
			}},
			{"publish", func(a incident.Actions, _ incident.Incident) bool { return a.Publish }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.DecidePublication(ctx, who, in.ID, incident.PublicationInput{Version: in.Version, Reason: "影響は庁内に留まる"})
				return err
			}},
			{"report upward", func(a incident.Actions, _ incident.Incident) bool { return a.Upward }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.ReportUpward(ctx, who, in.ID, in.Version, "")
				return err
			}},
			{"support", func(a incident.Actions, _ incident.Incident) bool { return a.Support }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				_, err := e.S.Incidents.Support(ctx, who, in.ID, ago(10*time.Minute), "支援")
				return err
			}},
			{"add handler", func(a incident.Actions, _ incident.Incident) bool { return a.AddHandler }, func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
				return e.S.Incidents.AddHandler(ctx, who, in.ID, e.clerkB.StaffID)
			}},
		}
		for _, m := range e.P.Incident.Measures {
			acts = append(acts, incAct{"measure " + m.ID, func(a incident.Actions, _ incident.Incident) bool { return a.Measures[m.ID] },
				func(ctx context.Context, e *env, who access.Actor, in incident.Incident) error {
					_, err := e.S.Incidents.TakeMeasure(ctx, who, in.ID, incident.MeasureInput{Measure: m.ID, Conditions: []int{0}, At: ago(10 * time.Minute)})
					return err
				}})
		}
		reporter := e.Person("通報者", e.DeptA)
		actors := []struct {
			name string
			who  access.Actor
		}{
			{"reporter", reporter},
			{"first recipient network_admin", na},
			{"other staff", e.clerkB},
			{"security role ciso (the plan's approver)", e.Holder("ciso@org")},
			{"security role chief", e.Holder("chief@org")},
			{"security role security_manager", e.Holder("security_manager@org")},
			{"auditor", e.Holder("chief_auditor@org")},
			{"platform admin", access.Actor{OrgID: e.Org, UserID: 9000, Login: "admin", Name: "管理者", PlatformAdmin: true}},
		}
		offered := map[string]int{}
		for _, rec := range records {
			fresh := func() incident.Incident {
				in := e.report(reporter, "庁内サーバへの不正アクセス")
				for _, step := range rec.steps {
					in = step(in)
				}
				return in
			}
			cur := fresh()
			for _, a := range actors {
				for _, act := range acts {
					in, err := e.S.Incidents.Get(ctx, e.Admin, cur.ID)
					if err != nil {
						t.Fatal(err)
					}
					got, err := e.S.Incidents.ActionsFor(ctx, a.who, cur.ID)
					if err != nil && apperr.CodeOf(err) != apperr.NotFound {
						t.Fatalf("%s × %s: actions: %v", a.name, rec.name, err)
					}
					ok := err == nil && act.offered(got, in)
					err = act.do(ctx, e, a.who, in)
					switch {
					case ok && err != nil:
						t.Errorf("%s × %s × %s: offered, but refused: %v", a.name, rec.name, act.name, err)
					case !ok && err == nil:
						t.Errorf("%s × %s × %s: withheld, but carried out", a.name, rec.name, act.name)
					case !ok && apperr.CodeOf(err) == apperr.Internal:
						t.Errorf("%s × %s × %s: withheld, and failed: %v", a.name, rec.name, act.name, err)
					}
					if ok {
						offered[act.name]++
					}
					if err == nil {
						cur = fresh()
					}
				}
			}
		}
		// Each act a koge incident has is offered somewhere, or the table proves nothing of it;
		// koge's organisation has no parent, so nothing goes upward and no support comes back.
		for _, act := range acts {
			if offered[act.name] == 0 && act.name != "report upward" && act.name != "support" {
				t.Errorf("%s is never offered", act.name)
			}
		}
	})
}
