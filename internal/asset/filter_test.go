package asset_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAttributeFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		for _, a := range []struct {
			number string
			attrs  map[string]any
		}{
			{"SV-1", map[string]any{"mfa": true, "lockout_threshold": 3, "disposal_date": "2026-03-31", "disposal_method": "physical_destruction"}},
			{"SV-2", map[string]any{"mfa": false, "lockout_threshold": 10, "disposal_date": "2030-04-01", "disposal_method": "unrecoverable_erasure"}},
			{"SV-3", nil},
		} {
			in := e.input(a.number, e.soumu, "B")
			in.Attrs = a.attrs
			if _, err := e.s.Assets.Create(ctx, e.admin, in); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("whole numbers come back as integers", func(t *testing.T) {
			list, _, _ := e.s.Assets.List(ctx, e.admin, asset.Filter{Query: "SV-1"})
			if v, ok := list[0].Attrs["lockout_threshold"].(int64); !ok || v != 3 {
				t.Fatalf("lockout_threshold = %#v", list[0].Attrs["lockout_threshold"])
			}
		})
		for _, c := range []struct {
			name  string
			attrs map[string]string
			want  string
		}{
			{"bool true", map[string]string{"mfa": "true"}, "SV-1"},
			{"bool in Japanese", map[string]string{"mfa": "はい"}, "SV-1"},
			{"bool false finds the unticked and the unrecorded", map[string]string{"mfa": "false"}, "SV-2 SV-3"},
			{"enum", map[string]string{"disposal_method": "unrecoverable_erasure"}, "SV-2"},
			{"int exactly", map[string]string{"lockout_threshold": "３"}, "SV-1"},
			{"int at most", map[string]string{"lockout_threshold": "..5"}, "SV-1"},
			{"int at least", map[string]string{"lockout_threshold": "5.."}, "SV-2"},
			{"int between", map[string]string{"lockout_threshold": "3..10"}, "SV-1 SV-2"},
			{"date on or before: past the end by then", map[string]string{"disposal_date": "..2026-04-01"}, "SV-1"},
			{"date on or after", map[string]string{"disposal_date": "2026/04/01.."}, "SV-2"},
			{"date exactly", map[string]string{"disposal_date": "2030-04-01"}, "SV-2"},
			{"two attributes together", map[string]string{"mfa": "true", "lockout_threshold": "..2"}, ""},
			{"an empty value filters nothing", map[string]string{"mfa": ""}, "SV-1 SV-2 SV-3"},
		} {
			t.Run(c.name, func(t *testing.T) {
				list, _, err := e.s.Assets.List(ctx, e.admin, asset.Filter{Attrs: c.attrs})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, a := range list {
					got = append(got, a.Number)
				}
				sort.Strings(got)
				if strings.Join(got, " ") != c.want {
					t.Fatalf("found %v, want %s", got, c.want)
				}
			})
		}
		for _, c := range []struct {
			name, field string
			f           asset.Filter
		}{
			{"unknown attribute", "attr.colour", asset.Filter{Attrs: map[string]string{"colour": "red"}}},
			{"not a yes or no", "attr.mfa", asset.Filter{Attrs: map[string]string{"mfa": "maybe"}}},
			{"not a number", "attr.lockout_threshold", asset.Filter{Attrs: map[string]string{"lockout_threshold": "三回"}}},
			{"a range without ends", "attr.lockout_threshold", asset.Filter{Attrs: map[string]string{"lockout_threshold": ".."}}},
			{"an impossible date", "attr.disposal_date", asset.Filter{Attrs: map[string]string{"disposal_date": "..2026-02-30"}}},
			{"not one of the values", "attr.disposal_method", asset.Filter{Attrs: map[string]string{"disposal_method": "burn"}}},
			{"a range of an enum", "attr.disposal_method", asset.Filter{Attrs: map[string]string{"disposal_method": "a..b"}}},
			{"unknown level", "level.importance", asset.Filter{Levels: map[string]string{"importance": "Z"}}},
			{"unknown axis", "level.secrecy", asset.Filter{Levels: map[string]string{"secrecy": "1"}}},
			{"unknown zone", "zone", asset.Filter{Zone: "L9"}},
			{"unknown segment", "segment", asset.Filter{Segment: "dmz"}},
		} {
			t.Run("refused: "+c.name, func(t *testing.T) {
				_, _, err := e.s.Assets.List(ctx, e.admin, c.f)
				if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Field() != c.field {
					t.Fatalf("err = %v, want invalid %s", err, c.field)
				}
			})
		}
		t.Run("levels and zones are folded as the form folds them", func(t *testing.T) {
			if _, total, err := e.s.Assets.List(ctx, e.admin, asset.Filter{Levels: map[string]string{"importance": "Ｂ"}, Zone: "Ｌ２"}); err != nil || total != 3 {
				t.Fatalf("total = %d, %v", total, err)
			}
		})
	})
}
