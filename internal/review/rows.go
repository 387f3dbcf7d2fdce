package review

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

const reviewColumns = `id, fiscal_year, pack_id, pack_version, pack_digest, state, created_at, created_by, submitted_at,
	submitted_by, decided_at, version`

func scanReview(row interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var sub, dec sql.NullTime
	err := row.Scan(&r.ID, &r.FiscalYear, &r.PackID, &r.PackVersion, &r.PackDigest, &r.State, &r.CreatedAt, &r.CreatedBy, &sub,
		&r.SubmittedBy, &dec, &r.Version)
	if err != nil {
		return r, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.SubmittedAt, r.DecidedAt = timePtr(sub), timePtr(dec)
	r.From, r.To = Period(r.FiscalYear)
	r.Proposals = []Proposal{}
	return r, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// load reads one review of the organisation with its proposals; NotFound when there is none.
func load(ctx context.Context, q store.Querier, orgID, id int64) (Review, error) {
	r, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM reviews WHERE id = $1 AND org_id = $2`, id, orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return r, apperr.Wrap(err, "review")
	}
	r.Proposals, err = proposals(ctx, q, orgID, id)
	return r, err
}

const proposalColumns = `id, review_id, article, kind, text, proposed_by, proposed_at, decision, decision_note, decided_by,
	decided_at, new_pack_id, new_pack_version, new_pack_digest, linked_at`

func proposals(ctx context.Context, q store.Querier, orgID, reviewID int64) ([]Proposal, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+proposalColumns+` FROM review_proposals WHERE review_id = $1 AND org_id = $2 ORDER BY id`,
		reviewID, orgID)
	if err != nil {
		return nil, apperr.Wrap(err, "proposals")
	}
	defer rows.Close()
	out := []Proposal{}
	for rows.Next() {
		var p Proposal
		var dec, linked sql.NullTime
		if err := rows.Scan(&p.ID, &p.ReviewID, &p.Article, &p.Kind, &p.Text, &p.ProposedBy, &p.ProposedAt, &p.Decision,
			&p.DecisionNote, &p.DecidedBy, &dec, &p.NewPackID, &p.NewPackVersion, &p.NewPackDigest, &linked); err != nil {
			return nil, apperr.Wrap(err, "proposals")
		}
		p.ProposedAt = p.ProposedAt.UTC()
		p.DecidedAt, p.LinkedAt = timePtr(dec), timePtr(linked)
		out = append(out, p)
	}
	return out, rows.Err()
}
