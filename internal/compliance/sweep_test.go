package compliance_test

import (
	"context"
	"testing"

	"mamori/internal/access"
	"mamori/internal/compliance"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// The sweep finds what writes straight into the tables left unchecked, closes what passes,
// and records its run for the trend.
func TestSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		a, err := e.S.Assets.Create(ctx, e.Admin, e.server("SV-200", true))
		if err != nil {
			t.Fatal(err)
		}
		// A change behind the register's back (as a restore or a fill would make it).
		if _, err := db.SQL.ExecContext(ctx, `UPDATE assets SET attrs_json = $1 WHERE id = $2`, `{"critical_server":true,"redundant":false}`, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := e.open(a.ID)[redundantRule]; ok {
			t.Fatal("a change behind the register's back was checked")
		}
		sw, err := e.S.Compliance.Run(ctx, e.Admin)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := e.open(a.ID)[redundantRule]; !ok || sw.Assets != 1 || sw.Opened == 0 || sw.Open.High == 0 || sw.Evaluations == 0 {
			t.Fatalf("sweep %+v, findings %v", sw, e.open(a.ID))
		}
		// A second sweep changes nothing.
		again, err := e.S.Compliance.Run(ctx, e.Admin)
		if err != nil || again.Opened != 0 || again.Closed != 0 || again.Open != sw.Open {
			t.Fatalf("second sweep %+v %v", again, err)
		}
		// Deleted behind the register's back: the sweep closes its findings.
		if _, err := db.SQL.ExecContext(ctx, `DELETE FROM asset_levels WHERE asset_id = $1`, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL.ExecContext(ctx, `DELETE FROM assets WHERE id = $1`, a.ID); err != nil {
			t.Fatal(err)
		}
		last, err := e.S.Compliance.Run(ctx, e.Admin)
		if err != nil || last.Closed == 0 || last.Open.Total() != 0 {
			t.Fatalf("sweep after deletion %+v %v", last, err)
		}
		trend, err := e.S.Compliance.Trend(ctx, e.Admin, 30)
		if err != nil || len(trend) != 1 || trend[0].Day != "2026-04-01" || trend[0].Open.Total() != 0 {
			t.Fatalf("trend %+v %v", trend, err)
		}
		// Scheduled sweeps run once a day per pack version, whichever process asks.
		first, err := e.S.Compliance.Scheduled(ctx)
		if err != nil || len(first) != 1 || first[0].Cause != "daily" {
			t.Fatalf("scheduled %+v %v", first, err)
		}
		if again, err := e.S.Compliance.Scheduled(ctx); err != nil || len(again) != 0 {
			t.Fatalf("scheduled twice in a day: %+v %v", again, err)
		}
		e.Clock.T = e.Clock.T.AddDate(0, 0, 1)
		if next, err := e.S.Compliance.Scheduled(ctx); err != nil || len(next) != 1 {
			t.Fatalf("next day %+v %v", next, err)
		}
		// Each sweep on demand is in the audit log as the act of whoever asked; scheduled ones are
		// kept in the sweeps (and the runs of the scheduler), not in the audit log.
		if n := e.count(`SELECT count(*) FROM audit_entries WHERE action = 'compliance.sweep' AND actor = 'test'`); n != 3 {
			t.Fatalf("%d audit entries of three sweeps on demand", n)
		}
	})
}

// Every rule of every shipped pack evaluates on the demo register without error, and the
// findings it opens cite the rule's article.
func TestEveryPackRuleOnTheDemoRegister(t *testing.T) {
	for _, packID := range []string{"koge", "yamagata", "kishiwada", "abira-kyoiku", "toki"} {
		t.Run(packID, func(t *testing.T) {
			ctx := context.Background()
			s, orgID, p := bare(t, storetest.SQLite(t), packID)
			if _, err := demo.Load(ctx, s, orgID, p); err != nil {
				t.Fatal(err)
			}
			sys := access.System(orgID, "test")
			sw, err := s.Compliance.Run(ctx, access.System(orgID, "test"))
			if err != nil {
				t.Fatal(err)
			}
			if sw.Assets == 0 {
				t.Fatal("the demo register is empty")
			}
			rules, err := s.Compliance.ByRule(ctx, sys)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rules {
				if r.Broken {
					t.Errorf("rule %s cannot be evaluated on the demo register: %s", r.RuleID, r.Error)
				}
			}
			if len(rules) == 0 || len(sw.BrokenRules) != 0 {
				t.Fatalf("%d rules, broken %v", len(rules), sw.BrokenRules)
			}
			list, total, err := s.Compliance.Findings(ctx, sys, compliance.Filter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			if int64(total) != sw.Open.Total() {
				t.Fatalf("%d findings listed, the sweep counts %d", total, sw.Open.Total())
			}
			for _, f := range list {
				if f.Article == "" || f.Title == f.RuleID || f.AssetNumber == "" || len(f.Values) == 0 {
					t.Fatalf("finding without its rule's article or values: %+v", f)
				}
			}
		})
	}
}
