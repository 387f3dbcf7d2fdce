package asset

import "mamori/internal/access"

// redact keeps of an asset what everyone who reads it may see — its number, kind, class,
// department and state — and marks it restricted. Nothing else is kept, so that no handler
// can show by mistake what the actor may not see.
func redact(a Asset) Asset {
	return Asset{ID: a.ID, OrgID: a.OrgID, Number: a.Number, Kind: a.Kind, DepartmentID: a.DepartmentID,
		DepartmentName: a.DepartmentName, Class: a.Class, TopRank: a.TopRank, Attrs: map[string]any{}, State: a.State,
		Restricted: true}
}

// hides reports whether the actor's reach hides the asset's details.
func (r reach) hides(top topLevels, a Asset) bool {
	return !r.seesDetailsOf(a) && top.highest(a.Class)
}

// shown is the asset as the actor may see it.
func (r reach) shown(top topLevels, a Asset) Asset {
	if r.hides(top, a) {
		return redact(a)
	}
	return a
}

// CanChangeAsset reports whether the actor may change or delete the asset as they were given
// it: a restricted asset is not theirs to change.
func CanChangeAsset(who access.Actor, a Asset) bool {
	return !a.Restricted && reachOf(who).writesAsset(a)
}
