package incident_test

import (
	"context"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/incident"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMeasureOfEitherRole: where the article names two roles for a measure, a holder of either
// records it, and nobody else. 上毛町 緊急時対応計画 4(3): 「ネットワーク管理者及び情報システムを
// 所管する情報システム管理者は、…情報システムを停止する」; 第2章 6(5)②: 「CISO 及び統括情報
// セキュリティ責任者は、…システムの停止を含む必要な措置を講じなければならない」.
func TestMeasureOfEitherRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		in := opened(t, e) // of system SYS1
		sysAdmin, na, chief := e.Holder("system_admin@s:SYS1"), e.Holder("network_admin@org"), e.Holder("chief@org")
		neither := e.Holder("security_manager@org")

		t.Run("the 情報システム管理者 of the system stops it", func(t *testing.T) {
			acts, err := e.S.Incidents.ActionsFor(ctx, sysAdmin, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !acts.Measures["system_stop"] || acts.Measures["network_cut"] {
				t.Errorf("offered measures %v: the system stop and not the network cut", acts.Measures)
			}
			ev, err := e.S.Incidents.TakeMeasure(ctx, sysAdmin, in.ID, incident.MeasureInput{Measure: "system_stop", Conditions: []int{0}})
			if err != nil {
				t.Fatal(err)
			}
			if ev.Data["decided_by"] != "system_admin" || ev.Data["cite"] != "緊急時対応計画 4(3)" {
				t.Errorf("recorded %v", ev.Data)
			}
		})

		t.Run("the ネットワーク管理者 stops it too", func(t *testing.T) {
			ev, err := e.S.Incidents.TakeMeasure(ctx, na, in.ID, incident.MeasureInput{Measure: "system_stop", Conditions: []int{2}})
			if err != nil || ev.Data["decided_by"] != "network_admin" {
				t.Fatalf("recorded %v: %v", ev.Data, err)
			}
		})

		t.Run("a handler holding neither role is refused", func(t *testing.T) {
			acts, err := e.S.Incidents.ActionsFor(ctx, neither, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !acts.Respond || acts.Measures["system_stop"] {
				t.Errorf("respond %v, offered measures %v", acts.Respond, acts.Measures)
			}
			_, err = e.S.Incidents.TakeMeasure(ctx, neither, in.ID, incident.MeasureInput{Measure: "system_stop", Conditions: []int{0}})
			mustCode(t, err, apperr.Forbidden, "measure")
		})

		t.Run("either the CISO or the 統括情報セキュリティ責任者 answers a notice of attack", func(t *testing.T) {
			ev, err := e.S.Incidents.TakeMeasure(ctx, chief, in.ID, incident.MeasureInput{Measure: "attack_notice_stop", Conditions: []int{0}})
			if err != nil || ev.Data["decided_by"] != "chief" {
				t.Fatalf("recorded %v: %v", ev.Data, err)
			}
			_, err = e.S.Incidents.TakeMeasure(ctx, sysAdmin, in.ID, incident.MeasureInput{Measure: "attack_notice_stop", Conditions: []int{0}})
			mustCode(t, err, apperr.Forbidden, "measure")
		})
	})
}
