package request_test

import (
	"slices"
	"testing"

	"mamori/internal/request"
)

// A list field is read one way wherever it is read: as filed, as read back from JSON, and as the
// words of an older record. A form of it that one reader missed would let a request name an
// asset without its words being withheld.
func TestListValueReadsEveryStoredForm(t *testing.T) {
	for _, c := range []struct {
		name string
		in   any
		want []string
	}{
		{"as filed", []string{"SV-001", "PC-002"}, []string{"SV-001", "PC-002"}},
		{"read back", []any{"SV-001", 3.0, "PC-002"}, []string{"SV-001", "PC-002"}},
		{"words", " SV-001  PC-002\n", []string{"SV-001", "PC-002"}},
		{"nothing", nil, nil},
		{"a number", 12.0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := request.ListValue(c.in); !slices.Equal(got, c.want) {
				t.Fatalf("ListValue(%#v) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
