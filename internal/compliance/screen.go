package compliance

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/asset"
)

// Shown is a finding as one actor may see it. Of a finding on an asset whose details are not
// for the actor (an asset of the highest class outside their reach, see asset.Get) only the
// asset's number and department, the dates and the state are shown: the rule is withheld with
// the values, since which rule an asset fails tells what it holds and where (a rule on the
// マイナンバー利用事務系 names the asset's segment), and so is the severity, which is the
// rule's. Such a finding is never chosen by its rule or severity, nor ordered by its severity
// (where). The service withholds it before any page, API or command sees it.
type Shown struct {
	Finding
	Restricted bool `json:"restricted"`
}

// screen returns the findings as the actor may see them (sight): a finding whose asset the
// actor may no longer read at all is withheld too.
func (s *Service) screen(ctx context.Context, who access.Actor, sight asset.Sight, list []Finding) ([]Shown, error) {
	out := make([]Shown, 0, len(list))
	var now map[int64]asset.Asset
	if !sight.SeesAll() && len(list) > 0 {
		ids := make([]int64, len(list))
		for i, f := range list {
			ids[i] = f.AssetID
		}
		var err error
		if now, err = asset.Current(ctx, s.DB.SQL, who.OrgID, ids); err != nil {
			return nil, err
		}
	}
	for _, f := range list {
		h := false
		if now != nil {
			a, ok := now[f.AssetID]
			h = !ok || !sight.Reads(a) || sight.Hides(a)
		}
		if h {
			f.RuleID, f.Title, f.Severity, f.Article, f.Quote, f.Require = "", "", "", "", "", ""
			f.Values = map[string]any{}
			events := make([]FindingEvent, len(f.Events))
			for j, e := range f.Events {
				e.Values = ""
				events[j] = e
			}
			f.Events = events
		}
		out = append(out, Shown{Finding: f, Restricted: h})
	}
	return out, nil
}
