package accessreview

import (
	"slices"

	"mamori/internal/policy"
)

// SuggestedOutcome is the outcome the pack's rules and the item's flags point to, with a reason:
// a leaver's account removed, a mover's or an unowned one changed, a dormant one removed (an
// emergency ID, sealed and unused by design, kept), any other kept. The sheet offers it first; the reviewer decides.
func SuggestedOutcome(ar policy.AccessReview, it Item) (string, string) {
	switch {
	case it.Flagged(policy.FlagLeaver):
		return policy.OutcomeRemove, "退職により不要"
	case it.Flagged(policy.FlagPrivilegedWithoutOwner), it.Flagged(policy.FlagOrphaned):
		return pick(ar, it, policy.OutcomeChange), "利用する者を指名する"
	case it.Flagged(policy.FlagMoved):
		return pick(ar, it, policy.OutcomeChange), "異動に伴い権限を見直す"
	case it.Flagged(policy.FlagDormant) && it.Kind == "emergency":
		return pick(ar, it, policy.OutcomeKeep), "緊急時にのみ使う封緘保管のIDのため継続"
	case it.Flagged(policy.FlagDormant):
		return pick(ar, it, policy.OutcomeRemove), "長期間使われていないため削除"
	}
	return pick(ar, it, policy.OutcomeKeep), "業務に必要"
}

// pick is want when the rules allow it, else the first outcome they allow.
func pick(ar policy.AccessReview, it Item, want string) string {
	if _, ok := ar.Allowed(it.Flags, want); ok {
		return want
	}
	for _, o := range policy.AccessOutcomes {
		if _, ok := ar.Allowed(it.Flags, o); ok && !slices.Contains([]string{want}, o) {
			return o
		}
	}
	return want
}
