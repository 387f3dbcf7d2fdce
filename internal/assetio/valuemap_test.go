package assetio_test

import (
	"bytes"
	"context"
	"testing"

	"mamori/internal/assetio"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// A ledger of 上毛町 kept before the policy: 機密性 1/2/3, its own headings, 課 written as the
// ledger's 係 and kinds in its own words.
func kogeLedger() []byte {
	return csvFile(
		[]string{"No.", "情報資産番号", "情報資産名称", "資産の種類", "管理部署", "機密性", "保管場所"},
		[]string{"1", "K-001", "住民記録", "電子データ", "総務係", "3", "サーバ室"},
		[]string{"2", "K-002", "会議録", "紙", "総務係", "1", "書庫"},
		[]string{"3", "K-003", "課税資料", "帳票類", "税務課", "2", "書庫"},
	)
}

func TestValueMappingIsAppliedAndRemembered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db, "koge")
		rep, err := e.im.Preview(ctx, e.admin, "台帳.csv", bytes.NewReader(kogeLedger()), nil)
		if err != nil {
			t.Fatal(err)
		}
		for h, f := range map[string]string{"情報資産番号": "number", "情報資産名称": "name", "管理部署": "department", "機密性": "class.importance", "保管場所": "location", "No.": ""} {
			if rep.Mapping[h] != f {
				t.Errorf("%s mapped to %q, want %q", h, rep.Mapping[h], f)
			}
		}
		if len(rep.Samples) != 7 || len(rep.Samples[2]) != 3 || rep.Samples[2][0] != "住民記録" {
			t.Errorf("samples %q", rep.Samples)
		}
		if len(rep.ValueColumns) != 3 || rep.ValueColumns[2].Field != "class.importance" || len(rep.ValueColumns[2].Values) != 3 {
			t.Fatalf("value columns %+v", rep.ValueColumns)
		}

		// Unmapped, the levels, the 係 and 帳票類 are row errors, summarised by column.
		rep = e.load("台帳.csv", kogeLedger(), assetio.Options{DryRun: true})
		if rep.Valid != 0 || len(rep.Summary) != 3 || rep.Summary[0].Column != "機密性" || rep.Summary[0].Count != 3 || rep.Summary[1].Column != "管理部署" || rep.Summary[1].Count != 2 {
			t.Fatalf("without a value mapping: %+v%s", rep.Summary, rowErrors(rep))
		}
		values := map[string]map[string]string{
			"class.importance": {"1": "IV", "2": "III", "3": "II"},
			"department":       {"総務係": "100"},
			"kind":             {"帳票類": "document"},
		}
		rep = e.load("台帳.csv", kogeLedger(), assetio.Options{Values: values})
		if !rep.Applied || rep.Created != 3 {
			t.Fatalf("with a value mapping: %+v%s", rep, rowErrors(rep))
		}
		got := e.all()
		if got[0].Class["importance"] != "II" || got[0].DepartmentID != e.soumu || got[2].Kind != "document" || got[2].Class["importance"] != "III" {
			t.Fatalf("register %+v", got)
		}
		// The next import of the same ledger needs no mapping: the values were remembered.
		rep = e.load("台帳.csv", kogeLedger(), assetio.Options{DryRun: true, Update: true})
		if len(rep.Errors) != 0 || rep.Unchanged != 3 {
			t.Fatalf("remembered: %+v%s", rep, rowErrors(rep))
		}
		if _, err := e.im.Import(ctx, e.admin, "台帳.csv", bytes.NewReader(kogeLedger()), assetio.Options{DryRun: true,
			Values: map[string]map[string]string{"class.importance": {"1": "V"}}}); err == nil {
			t.Fatal("a value mapped to a level the pack lacks was taken")
		}
	})
}
