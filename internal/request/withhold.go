package request

import (
	"context"
	"encoding/json"
	"strings"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// What a reader sees of a request's own words when it names an asset whose details are not for
// them. A request names assets as its subject and in its asset fields (a take-out's asset, the
// 管理番号 an exception covers), and what its applicant and approvers write about them — an
// exception's provision, reason and measure, a take-out's purpose, a decision's comment, an
// attachment — tells what the asset holds and how it is kept. So when the register hides the
// details of an asset the request names from its reader (asset.Sight.Hides: the same rule the
// asset page applies, as the asset is now or as the request froze it), the request hides its
// words from them too: the values of the fields that are written freely (text, textarea,
// number, rule, file — the rules an exception names are what the asset fails, which the
// exception register withholds as well), the attachments, the comments of its acts and how a
// disposal was done. What stays is what any reader of the request may know: its kind, state,
// dates, applicant, department, route, who acted and when, and the fields whose values are
// dates or choices from a fixed list (date, datetime, bool, enum) or references the register
// screens by its own rule (staff, department, asset, assets). The applicant, who wrote the
// words and reads the comments addressed to them, reads their request whole.

// Withheld stands, in a request's Fields, for a value withheld from its reader; it reads
// {"withheld": true}.
type Withheld struct {
	Withheld bool `json:"withheld"`
}

// IsWithheld reports whether a field's value was withheld from the reader.
func IsWithheld(v any) bool {
	w, ok := v.(Withheld)
	return ok && w.Withheld
}

// keptTypes are the field types whose values stay with every reader of the request.
var keptTypes = map[string]bool{"date": true, "datetime": true, "bool": true, "enum": true, "staff": true, "department": true,
	"asset": true, "assets": true}

// Withholds reports whether the values of a field are withheld from a reader when the request
// names an asset whose details are not for them.
func Withholds(f policy.Field) bool { return !keptTypes[f.Type] }

// named are the assets a request's fields name: by id (asset fields) and by 管理番号 (assets
// fields).
type named struct {
	ids     []int64
	numbers []string
}

func namedIn(kind policy.Approval, fields map[string]any) named {
	var n named
	for _, f := range kind.Fields {
		switch v := fields[f.ID]; f.Type {
		case "asset":
			if x, ok := v.(float64); ok && x > 0 {
				n.ids = append(n.ids, int64(x))
			}
		case "assets":
			n.numbers = append(n.numbers, ListValue(v)...)
		}
	}
	return n
}

// ListValue reads a list field (a kind's `assets` or `rules`) as the request engine stores it:
// []string when filed, []any once read back, a string of words from older records. It is the one
// reading of such a field, so that the exception register and the withholding of a request read
// the same 管理番号.
func ListValue(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, s := range x {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		return strings.Fields(x)
	}
	return nil
}

// recordedFields are the fields an audit entry of a request recorded (a submission's request,
// a resubmission's fields before and after).
func recordedFields(js string) map[string]any {
	var e struct {
		Fields map[string]any `json:"fields"`
	}
	if js == "" || json.Unmarshal([]byte(js), &e) != nil {
		return nil
	}
	return e.Fields
}

// namedHidden reports, for each list of named assets, whether the register hides the details
// of one of them from the actor as it is now.
func (s *Service) namedHidden(ctx context.Context, v asset.Sight, who access.Actor, lists []named) ([]bool, error) {
	out := make([]bool, len(lists))
	if !v.HidesSome() {
		return out, nil
	}
	var ids []int64
	var numbers []string
	for _, n := range lists {
		ids, numbers = append(ids, n.ids...), append(numbers, n.numbers...)
	}
	byID, err := asset.Current(ctx, s.DB.SQL, who.OrgID, ids)
	if err != nil {
		return nil, err
	}
	byNumber, err := asset.CurrentNumbered(ctx, s.DB.SQL, who.OrgID, numbers)
	if err != nil {
		return nil, err
	}
	for i, n := range lists {
		for _, id := range n.ids {
			out[i] = out[i] || v.Hides(byID[id])
		}
		for _, no := range n.numbers {
			out[i] = out[i] || v.Hides(byNumber[no])
		}
	}
	return out, nil
}

// withholdWords withholds, in place, the request's words from a reader who may not see the
// details of an asset it names.
func withholdWords(kind policy.Approval, r *Request) {
	types := map[string]string{}
	for _, f := range kind.Fields {
		types[f.ID] = f.Type
	}
	fields := make(map[string]any, len(r.Fields))
	for id, v := range r.Fields {
		if keptTypes[types[id]] {
			fields[id] = v
		} else {
			fields[id] = Withheld{Withheld: true}
		}
	}
	r.Fields, r.Attachments, r.Withheld = fields, nil, true
	for i := range r.Events {
		if r.Events[i].Comment != "" {
			r.Events[i].Comment, r.Events[i].Withheld = "", true
		}
	}
	if r.Disposal != nil {
		d := *r.Disposal
		d.Method, d.Withheld = "", true
		r.Disposal = &d
	}
}
