package api

import (
	"testing"

	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/textcheck"
)

// FuzzDecodeJSON feeds any body to the API's one JSON decoder: it never panics, refuses only
// as invalid or malformed, and whatever it accepts holds no text Mamori does not take.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"code": "1000", "name": "総務部", "kind": "division", "parent_id": 3, "sort_order": 1, "active": true}`,
		`{"kind": "send", "asset_ids": [1, 2], "fields": {"destination": "福岡県", "protection": "暗号化", "note": "一行目\n二行目"}}`,
		`{"title": "USBメモリの紛失", "items": {"when": "2026-04-01T09:00:00+09:00", "where": "本庁舎"}, "outside": false}`,
		`{"name": "\ud83d\udd12 \u202e \ud800 \udc00 \u0000"}`,
		"{\"name\": \"\xff\xed\xa0\x80\"}",
		`{"a": 1} {"b": 2}`,
		`{"name": "x", "unknown": [1, {"deep": ["\\u0000"]}]}`,
		`[1, 2, 3]`,
		`{"parent_id": "3"}`,
		`{"name": 1e999}`,
		`{`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		err := decodeJSON(data, &v)
		if err != nil {
			if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.Malformed {
				t.Fatalf("refused as %s: %v", c, err)
			}
		} else {
			checkDecoded(t, v)
		}
		var in org.DepartmentInput
		if err := decodeJSON(data, &in); err == nil {
			for _, s := range []string{in.Code, in.Name, in.Kind} {
				if textcheck.Text(s) != textcheck.OK {
					t.Fatalf("accepted %q from %q", s, data)
				}
			}
		} else if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.Malformed {
			t.Fatalf("refused as %s: %v", c, err)
		}
	})
}

func checkDecoded(t *testing.T, v any) {
	t.Helper()
	switch v := v.(type) {
	case string:
		if textcheck.Text(v) != textcheck.OK {
			t.Fatalf("accepted %q", v)
		}
	case []any:
		for _, e := range v {
			checkDecoded(t, e)
		}
	case map[string]any:
		for k, e := range v {
			checkDecoded(t, k)
			checkDecoded(t, e)
		}
	}
}
