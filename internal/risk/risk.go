// Package risk is リスク分析: the risk register built from the asset register and the pack's
// threats (土岐市 8, 上毛町 第1章 8: 脅威の発生の可能性及び発生時の損失等を分析し、リスクを検討
// した上で見直す). Candidates are asset groups × threats, their likelihood proposed from the live
// compliance state; the 情報政策課 assesses them on the pack's matrix, and the CISO accepts a
// residual risk for a limited time.
package risk

import (
	"context"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/compliance"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// States of a risk.
const (
	StateCandidate = "candidate" // generated, not yet assessed
	StateAssessed  = "assessed"  // assessed by the 情報政策課
	StateAccepted  = "accepted"  // its residual risk accepted by the CISO
	StateRetired   = "retired"   // its group has no assets left and it was never assessed
)

// States lists the states in the order the register shows them.
var States = []string{StateCandidate, StateAssessed, StateAccepted, StateRetired}

// Risk is one asset group × one threat.
type Risk struct {
	ID     int64  `json:"id"`
	OrgID  int64  `json:"org_id"`
	Threat string `json:"threat"`
	// ThreatName and ThreatArticle are the pack's threat as the risk is read.
	ThreatName    string `json:"threat_name"`
	ThreatArticle string `json:"threat_article"`
	// The group: the assets of AssetKind whose classification proposes GroupImpact.
	AssetKind   string `json:"asset_kind"`
	GroupImpact string `json:"group_impact"`
	// What the register and the compliance state say of the group. Of a group holding assets
	// of the highest class (Highest), a reader who may not see every such asset's details is
	// told none of it (Restricted).
	Highest      bool     `json:"highest"`
	Restricted   bool     `json:"restricted"`
	AssetCount   int      `json:"asset_count"`
	Departments  []int64  `json:"departments,omitempty"`
	OpenFindings int      `json:"open_findings"`
	Failing      []string `json:"failing_rules,omitempty"`
	Controls     []string `json:"controls,omitempty"` // rules of the pack that apply and pass
	// ProposedLikelihood is what the compliance state proposes.
	ProposedLikelihood string `json:"proposed_likelihood"`
	// The assessment; before it, Likelihood and Impact are the proposals.
	Likelihood          string     `json:"likelihood"`
	Impact              string     `json:"impact"`
	Level               string     `json:"level"`
	Treatment           string     `json:"treatment,omitempty"`
	Plan                string     `json:"plan,omitempty"`
	OwnerDepartmentID   int64      `json:"owner_department_id,omitempty"`
	OwnerDepartmentName string     `json:"owner_department_name,omitempty"`
	ResidualLikelihood  string     `json:"residual_likelihood,omitempty"`
	ResidualImpact      string     `json:"residual_impact,omitempty"`
	ResidualLevel       string     `json:"residual_level,omitempty"`
	State               string     `json:"state"`
	AssessedBy          string     `json:"assessed_by,omitempty"`
	AssessedAt          *time.Time `json:"assessed_at,omitempty"`
	AcceptedBy          string     `json:"accepted_by,omitempty"`
	AcceptedAt          *time.Time `json:"accepted_at,omitempty"`
	AcceptedUntil       string     `json:"accepted_until,omitempty"` // YYYY-MM-DD, JST, the last day
	AcceptanceNote      string     `json:"acceptance_note,omitempty"`
	// Expired: accepted, and the acceptance's last day has passed; the risk is due again.
	Expired     bool      `json:"expired"`
	GeneratedAt time.Time `json:"generated_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Version     int       `json:"version"`
}

// Service keeps the risk register of each organisation.
type Service struct {
	DB         *store.DB
	Policy     *orgpolicy.Service
	Compliance *compliance.Service
	Now        func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// jst is the zone acceptances are counted in: one ends at the end of a Japanese day.
var jst = time.FixedZone("JST", 9*60*60)

func today(now time.Time) string { return now.In(jst).Format(time.DateOnly) }

// pack returns the organisation's pack, refusing when it analyses no risks.
func (s *Service) pack(ctx context.Context, orgID int64) (*policy.Compiled, error) {
	p, err := s.Policy.Optional(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if !p.Risk.Defined() {
		return nil, apperr.New(apperr.Conflict, "risk.error.no_matrix")
	}
	return p, nil
}

// complete fills what the pack says of a risk as it is read: the threat's name and article,
// the levels on the matrix, and whether an acceptance has run out.
func complete(p *policy.Compiled, r *Risk, now time.Time) {
	for _, t := range p.Threats {
		if t.ID == r.Threat {
			r.ThreatName, r.ThreatArticle = t.Name, t.Cite.Article
		}
	}
	if r.Likelihood == "" {
		r.Likelihood = r.ProposedLikelihood
	}
	if r.Impact == "" {
		r.Impact = r.GroupImpact
	}
	r.Level = p.Risk.LevelOf(r.Likelihood, r.Impact)
	if r.ResidualLikelihood != "" {
		r.ResidualLevel = p.Risk.LevelOf(r.ResidualLikelihood, r.ResidualImpact)
	}
	r.Expired = r.State == StateAccepted && r.AcceptedUntil != "" && r.AcceptedUntil < today(now)
}
