package review

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Limits of what a proposal says.
const (
	MaxArticle = 100
	MaxText    = 4000
)

func actorName(who access.Actor) string {
	if who.Name != "" {
		return who.Name
	}
	return who.Login
}

// Open begins the review of a fiscal year over the pack the organisation runs now. A year has
// one review; a year before 2000 or after next year is refused.
func (s *Service) Open(ctx context.Context, who access.Actor, year int) (Review, error) {
	p, b, err := s.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Review{}, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return Review{}, err
	}
	if err := mayOpen(p, who); err != nil {
		return Review{}, err
	}
	now := s.now()
	if year < 2000 || year > FiscalYear(now)+1 {
		return Review{}, apperr.InvalidField("fiscal_year", "review.error.year", year)
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO reviews (org_id, fiscal_year, pack_id, pack_version, pack_digest, state, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, who.OrgID, year, b.PackID, b.Version, b.Digest, Open, now, actorName(who)).Scan(&id)
		if store.IsUniqueViolation(err) {
			return apperr.InvalidField("fiscal_year", "review.error.exists", year)
		}
		if err != nil {
			return apperr.Wrap(err, "open review")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "review", EntityID: id, Action: "review.open",
			After: map[string]any{"fiscal_year": year, "pack_id": b.PackID, "pack_version": b.Version, "pack_digest": b.Digest}})
		return err
	})
	if err != nil {
		return Review{}, err
	}
	return load(ctx, s.DB.SQL, who.OrgID, id)
}

// ProposalInput is a proposal for one article.
type ProposalInput struct {
	Article string `json:"article"`
	Kind    string `json:"kind"`
	Text    string `json:"text"`
}

// Propose records the proposal for an article, replacing the one it had. Keep and amend name an
// article the pack cites; add names the new article. Amend and add say what is proposed.
func (s *Service) Propose(ctx context.Context, who access.Actor, reviewID int64, in ProposalInput) (Proposal, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Proposal{}, err
	}
	in.Article, in.Text = strings.TrimSpace(in.Article), strings.TrimSpace(in.Text)
	var out Proposal
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.readable(ctx, tx, p, who, reviewID)
		if err != nil {
			return err
		}
		if err := mayPropose(p, who, r); err != nil {
			return err
		}
		rp, err := s.packOf(ctx, who.OrgID, r)
		if err != nil {
			return err
		}
		if err := checkProposal(rp, in); err != nil {
			return err
		}
		var before *Proposal
		for _, x := range r.Proposals {
			if x.Article == in.Article {
				x := x
				before = &x
			}
		}
		if before != nil {
			_, err = tx.ExecContext(ctx, `UPDATE review_proposals SET kind = $1, text = $2, proposed_by = $3, proposed_at = $4 WHERE id = $5`,
				in.Kind, in.Text, actorName(who), now, before.ID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO review_proposals (org_id, review_id, article, kind, text, proposed_by, proposed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, who.OrgID, r.ID, in.Article, in.Kind, in.Text, actorName(who), now)
		}
		if err != nil {
			return apperr.Wrap(err, "proposal")
		}
		list, err := proposals(ctx, tx, who.OrgID, r.ID)
		if err != nil {
			return err
		}
		for _, x := range list {
			if x.Article == in.Article {
				out = x
			}
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "review", EntityID: r.ID, Action: "review.propose",
			Before: before, After: out})
		return err
	})
	return out, err
}

// checkProposal refuses a proposal of an unknown kind, for an article the pack does not cite
// (keep, amend), without its text (amend, add) or too long.
func checkProposal(p *policy.Compiled, in ProposalInput) error {
	var v apperr.Validation
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "review.error.kind")
	}
	switch {
	case in.Article == "":
		v.Add("article", "error.required")
	case utf8.RuneCountInString(in.Article) > MaxArticle:
		v.Add("article", "error.too_long", MaxArticle)
	case in.Kind != Add && !cites(p, in.Article):
		v.Add("article", "review.error.article", in.Article)
	}
	switch {
	case in.Text == "" && in.Kind != Keep:
		v.Add("text", "review.error.text_required")
	case utf8.RuneCountInString(in.Text) > MaxText:
		v.Add("text", "error.too_long", MaxText)
	}
	return v.Err()
}

// cites reports whether the article is one of the source's index, falls wholly within indexed
// articles (第2章 3(2)⑥ウ within 第2章 3(2)), or is cited by an element of the pack.
func cites(p *policy.Compiled, art string) bool {
	if numbers, unmatched := p.ArticlesOf(art); len(numbers) > 0 && len(unmatched) == 0 {
		return true
	}
	return slices.ContainsFunc(p.Elements(), func(e policy.Element) bool { return e.Cite.Article == art }) ||
		slices.ContainsFunc(p.Coverage().Articles(), func(a policy.ArticleCoverage) bool { return a.Article == art })
}

// Submit lays the review before the deciders the pack names.
func (s *Service) Submit(ctx context.Context, who access.Actor, reviewID int64) (Review, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Review{}, err
	}
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.readable(ctx, tx, p, who, reviewID)
		if err != nil {
			return err
		}
		if err := maySubmit(p, who, r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reviews SET state = $1, submitted_at = $2, submitted_by = $3, version = version + 1
			WHERE id = $4`, Submitted, now, actorName(who), r.ID); err != nil {
			return apperr.Wrap(err, "submit review")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "review", EntityID: r.ID, Action: "review.submit",
			Before: map[string]any{"state": r.State}, After: map[string]any{"state": Submitted, "proposals": len(r.Proposals),
				"deciders": p.ReviewDeciders()}})
		return err
	})
	if err != nil {
		return Review{}, err
	}
	return load(ctx, s.DB.SQL, who.OrgID, reviewID)
}

// DecisionInput is the deciders' decision on one proposal.
type DecisionInput struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

// Decide records the decision on a proposal; the review is decided when every proposal is.
func (s *Service) Decide(ctx context.Context, who access.Actor, reviewID, proposalID int64, in DecisionInput) (Review, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Review{}, err
	}
	in.Note = strings.TrimSpace(in.Note)
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.readable(ctx, tx, p, who, reviewID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(r.Proposals, func(x Proposal) bool { return x.ID == proposalID })
		if i < 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		pr := r.Proposals[i]
		if err := mayDecide(p, who, r, pr); err != nil {
			return err
		}
		var v apperr.Validation
		if !slices.Contains(Decisions, in.Decision) {
			v.Add("decision", "review.error.decision")
		}
		if utf8.RuneCountInString(in.Note) > MaxText {
			v.Add("note", "error.too_long", MaxText)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_proposals SET decision = $1, decision_note = $2, decided_by = $3, decided_at = $4
			WHERE id = $5`, in.Decision, in.Note, actorName(who), now, pr.ID); err != nil {
			return apperr.Wrap(err, "decide proposal")
		}
		open := 0
		for j, x := range r.Proposals {
			if j != i && x.Decision == "" {
				open++
			}
		}
		if open == 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE reviews SET state = $1, decided_at = $2, version = version + 1 WHERE id = $3`,
				Decided, now, r.ID); err != nil {
				return apperr.Wrap(err, "decide review")
			}
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "review", EntityID: r.ID, Action: "review.decide",
			After: map[string]any{"proposal": pr.ID, "article": pr.Article, "kind": pr.Kind, "decision": in.Decision, "note": in.Note,
				"review_decided": open == 0}})
		return err
	})
	if err != nil {
		return Review{}, err
	}
	return load(ctx, s.DB.SQL, who.OrgID, reviewID)
}

// Link records that an approved amendment or addition is carried by the pack version the
// organisation runs now.
func (s *Service) Link(ctx context.Context, who access.Actor, reviewID, proposalID int64) (Proposal, error) {
	p, b, err := s.Policy.Active(ctx, who.OrgID)
	if err != nil {
		return Proposal{}, err
	}
	var out Proposal
	now := s.now()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.readable(ctx, tx, p, who, reviewID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(r.Proposals, func(x Proposal) bool { return x.ID == proposalID })
		if i < 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		if err := mayLink(p, who, r, r.Proposals[i], b.Digest); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE review_proposals SET new_pack_id = $1, new_pack_version = $2, new_pack_digest = $3,
			linked_at = $4 WHERE id = $5`, b.PackID, b.Version, b.Digest, now, proposalID); err != nil {
			return apperr.Wrap(err, "link proposal")
		}
		out = r.Proposals[i]
		out.NewPackID, out.NewPackVersion, out.NewPackDigest, out.LinkedAt = b.PackID, b.Version, b.Digest, &now
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "review", EntityID: r.ID, Action: "review.link",
			After: map[string]any{"proposal": proposalID, "article": out.Article, "pack_id": b.PackID, "pack_version": b.Version,
				"pack_digest": b.Digest}})
		return err
	})
	return out, err
}
