package auditlog

import (
	"context"
	"sort"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// anchorStatus holds the organisation's checkpoints against its chain. Briefly (all false),
// for every page view: from the newest checkpoint back to the first that holds. Fully: every
// checkpoint of the organisation, and every line of the file that is not a checkpoint at all.
// Without an anchor configured it is nil.
func (s *Service) anchorStatus(ctx context.Context, org int64, all bool) (*AnchorStatus, error) {
	if s.Anchor == nil {
		return nil, nil
	}
	trusted, err := s.Anchor.trusted()
	if err != nil {
		return nil, err
	}
	st := &AnchorStatus{}
	if len(trusted) > 0 {
		st.Fingerprint = Fingerprint(trusted[0])
	}
	filed, err := s.Anchor.Read()
	if err != nil {
		return nil, err
	}
	var mine []Filed
	for _, f := range filed {
		if f.Org == org || (all && f.Malformed != "") {
			mine = append(mine, f)
		}
	}
	if all {
		st.Checked = len(mine)
		if st.Problems, err = CheckCheckpoints(ctx, s.DB.SQL, mine, trusted); err != nil {
			return nil, err
		}
		bad := map[[2]any]bool{}
		for _, p := range st.Problems {
			bad[[2]any{p.File, p.Line}] = true
		}
		for i := range mine {
			f := &mine[i]
			if !bad[[2]any{f.File, f.Line}] && f.Malformed == "" && (st.Latest == nil || f.Seq >= st.Latest.Seq) {
				st.Latest = &f.Checkpoint
			}
		}
		return st, nil
	}
	// Newest first; of two at one sequence number, the later line.
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].Seq > mine[j].Seq })
	for i := range mine {
		st.Checked++
		ps, err := CheckCheckpoints(ctx, s.DB.SQL, mine[i:i+1], trusted)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			st.Latest = &mine[i].Checkpoint
			break
		}
		st.Problems = append(st.Problems, ps...)
	}
	return st, nil
}

// Anchored returns the organisation's newest checkpoint that holds (and any newer that does
// not), for the committee report: it shows no entry, only the sequence number and hash of the
// chain's head at a moment, which anyone of the organisation may keep.
func (s *Service) Anchored(ctx context.Context, who access.Actor) (*AnchorStatus, error) {
	if who.OrgID == 0 {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	st, err := s.anchorStatus(ctx, who.OrgID, false)
	if err != nil {
		return nil, apperr.Wrap(err, "audit checkpoints")
	}
	return st, nil
}

// CheckAnchor holds the organisation's chain against every checkpoint of it kept outside the
// database (nil when none are kept), for auditors and administrators.
func (s *Service) CheckAnchor(ctx context.Context, who access.Actor) (*AnchorStatus, error) {
	if !who.CanReadAuditLog() {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	st, err := s.anchorStatus(ctx, who.OrgID, true)
	if err != nil {
		return nil, apperr.Wrap(err, "audit checkpoints")
	}
	return st, nil
}
