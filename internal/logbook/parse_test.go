package logbook_test

import (
	"testing"

	"mamori/internal/logbook"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestParseField: what a person types becomes what an entry takes — nothing when empty, a bool
// for a ticked box, text for the rest — and staff, assets and departments are found by the
// number or code people know them by, typed in 全角 or not.
func TestParseField(t *testing.T) {
	for _, c := range []struct {
		typ, in string
		want    any
	}{{"text", "  作業  ", "作業"}, {"text", " ", nil}, {"bool", "on", true}, {"bool", "いいえ", false}, {"bool", "たぶん", "たぶん"},
		{"number", "３", "３"}, {"datetime", "2026-04-01 10:00", "2026-04-01 10:00"}} {
		if got := logbook.ParseField(policy.Field{ID: "x", Type: c.typ}, c.in); got != c.want {
			t.Errorf("ParseField(%s, %q) = %#v, want %#v", c.typ, c.in, got, c.want)
		}
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "koge")
		for _, c := range []struct {
			typ, text string
			want      int64
		}{{"staff", "E1", f.colStaff}, {"staff", "Ｅ１", f.colStaff}, {"asset", " SV-001 ", f.asset}, {"department", "200", f.zeimu},
			{"staff", "E9", 0}, {"asset", "1", 0}, {"text", "E1", 0}} {
			id, found, err := f.s.Logbooks.Refer(t.Context(), f.org, policy.Field{Type: c.typ}, c.text)
			if err != nil || id != c.want || found != (c.want != 0) {
				t.Errorf("Refer(%s, %q) = %d, %v, %v; want %d", c.typ, c.text, id, found, err, c.want)
			}
		}
	})
}
