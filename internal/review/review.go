// Package review is 見直し: the yearly review of the policy, which gathers for each article of
// the organisation's pack what the records say of it (self-inspection and audit results,
// findings, incidents, risks, exceptions — each read by the service that keeps it, under its
// own read rule), the 情報政策課's proposal for the article (keep, amend, add) and the decision
// of those the pack names to decide it; and the register of 実施手順 (procedures), the
// organisation's non-public procedure documents.
package review

import (
	"time"

	"mamori/internal/article"
	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Service keeps the reviews and the procedures.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
	// Sources are the services whose records bear on articles; a review gathers their facts.
	Sources []article.Source
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

var jst = time.FixedZone("JST", 9*60*60)

// States of a review.
const (
	Open      = "open"      // the 情報政策課 records proposals
	Submitted = "submitted" // laid before the deciders
	Decided   = "decided"   // every proposal has its decision
)

// Kinds of proposal.
const (
	Keep  = "keep"  // 維持
	Amend = "amend" // 改正
	Add   = "add"   // 追加
)

// Kinds lists the kinds of proposal in the order the forms offer them.
var Kinds = []string{Keep, Amend, Add}

// Decisions on a proposal.
const (
	Approved = "approved"
	Rejected = "rejected"
)

// Decisions lists the decisions in the order the forms offer them.
var Decisions = []string{Approved, Rejected}

// Review is one fiscal year's review of the policy.
type Review struct {
	ID          int64      `json:"id"`
	FiscalYear  int        `json:"fiscal_year"` // 年度: the year in which it begins in April
	PackID      string     `json:"pack_id"`
	PackVersion string     `json:"pack_version"`
	PackDigest  string     `json:"pack_digest"`
	State       string     `json:"state"`
	From        time.Time  `json:"from"` // the period whose records it gathers
	To          time.Time  `json:"to"`
	CreatedAt   time.Time  `json:"created_at"`
	CreatedBy   string     `json:"created_by"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy string     `json:"submitted_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	Version     int        `json:"version"`
	Proposals   []Proposal `json:"proposals"`
}

// Proposal is the 情報政策課's proposal for one article, with the decision on it.
type Proposal struct {
	ID             int64      `json:"id"`
	ReviewID       int64      `json:"review_id"`
	Article        string     `json:"article"`
	Kind           string     `json:"kind"`
	Text           string     `json:"text"`
	ProposedBy     string     `json:"proposed_by"`
	ProposedAt     time.Time  `json:"proposed_at"`
	Decision       string     `json:"decision,omitempty"`
	DecisionNote   string     `json:"decision_note,omitempty"`
	DecidedBy      string     `json:"decided_by,omitempty"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	NewPackID      string     `json:"new_pack_id,omitempty"`
	NewPackVersion string     `json:"new_pack_version,omitempty"`
	NewPackDigest  string     `json:"new_pack_digest,omitempty"`
	LinkedAt       *time.Time `json:"linked_at,omitempty"`
}

// Changes reports whether the proposal, once approved, changes the pack.
func (p Proposal) Changes() bool { return p.Kind == Amend || p.Kind == Add }

// Period returns the fiscal year's period: from 1 April (JST) to the next 1 April.
func Period(year int) (from, to time.Time) {
	from = time.Date(year, time.April, 1, 0, 0, 0, 0, jst)
	return from.UTC(), from.AddDate(1, 0, 0).UTC()
}

// FiscalYear returns the fiscal year a moment falls in.
func FiscalYear(t time.Time) int {
	t = t.In(jst)
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}
