package compliance

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
)

// What the pages and the API may show and do, decided here so that they cannot disagree.

// Shown is a finding as one actor may see it. Of a finding on an asset whose details are not
// for the actor (an asset of the highest class outside their reach, see asset.Get) only the
// asset's number and department, the severity, the dates and the state are shown: the rule is
// withheld with the values, since which rule an asset fails tells what it holds and where
// (a rule on the マイナンバー利用事務系 names the asset's segment).
type Shown struct {
	Finding
	Restricted bool `json:"restricted"`
}

// Screen returns the findings as the actor may see them, asking the register whether each
// asset's details are for the actor. A finding whose asset the actor can no longer read is
// withheld as restricted. byRule says the list was chosen by rule: its restricted findings are
// left out, since being on the list would tell the rule they fail.
func Screen(ctx context.Context, who access.Actor, assets *asset.Service, list []Finding, byRule bool) ([]Shown, error) {
	hidden := map[int64]bool{}
	out := make([]Shown, 0, len(list))
	for _, f := range list {
		h, seen := hidden[f.AssetID]
		if !seen {
			a, err := assets.Get(ctx, who, f.AssetID)
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
				h = true
			case err != nil:
				return nil, err
			default:
				h = a.Restricted
			}
			hidden[f.AssetID] = h
		}
		if h && byRule {
			continue
		}
		if h {
			f.RuleID, f.Title, f.Article, f.Quote, f.Require = "", "", "", "", ""
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

// CanSweep reports whether the actor may start a full sweep at once: the platform
// administrators, who keep the pack the rules come from.
func CanSweep(who access.Actor) bool { return who.CanAdminister() }

// CanSeeBroken reports whether the actor is told of rules that cannot be evaluated, with the
// error: the administrators, who correct the pack.
func CanSeeBroken(who access.Actor) bool { return who.CanAdminister() }

// SeesAll reports whether the actor sees every department's findings, the trend and the
// committee's report.
func SeesAll(who access.Actor) bool {
	all, _ := visibility(who)
	return all
}

// RunFor sweeps the actor's organisation now, for one who may (CanSweep).
func (s *Service) RunFor(ctx context.Context, who access.Actor) (Sweep, error) {
	if !CanSweep(who) {
		return Sweep{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.Run(ctx, who.OrgID)
}
