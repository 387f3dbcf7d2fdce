package auditlog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
)

// Verification is the record of the latest full verification of a chain.
type Verification struct {
	At         time.Time `json:"at"`
	By         string    `json:"by"`
	Entries    int64     `json:"entries"`
	HeadSeq    int64     `json:"head_seq"`
	HeadHash   string    `json:"head_hash"`
	OK         bool      `json:"ok"`
	ProblemSeq int64     `json:"problem_seq,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// Status is what the audit page shows: the latest full verification and a check of everything
// appended since it.
type Status struct {
	LastFull *Verification `json:"last_full"`
	Report   Report        `json:"report"` // the entries checked now (all of them after a full run)
	Total    int64         `json:"total"`  // entries in the chain
	// Anchor holds the chain against its signed checkpoints kept outside the database; nil
	// when none are kept.
	Anchor *AnchorStatus `json:"anchor,omitempty"`
}

// OK reports whether the chain verified, and held against its checkpoints.
func (s Status) OK() bool { return s.Report.OK() && s.Anchor.OK() }

// RecordVerification stores the result of a full verification as the organisation's latest.
func RecordVerification(ctx context.Context, db *sql.DB, r Report, by string, at time.Time) error {
	v := Verification{At: at.UTC().Truncate(time.Microsecond), By: by, Entries: r.Entries, HeadSeq: r.HeadSeq, HeadHash: r.HeadHash, OK: r.OK()}
	if r.Problem != nil {
		v.ProblemSeq, v.Reason = r.Problem.Seq, r.Problem.Reason
	}
	_, err := db.ExecContext(ctx, `INSERT INTO audit_verifications
		(org_id, verified_at, verified_by, entries, head_seq, head_hash, ok, problem_seq, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (org_id) DO UPDATE SET verified_at = excluded.verified_at, verified_by = excluded.verified_by,
			entries = excluded.entries, head_seq = excluded.head_seq, head_hash = excluded.head_hash, ok = excluded.ok,
			problem_seq = excluded.problem_seq, reason = excluded.reason`,
		r.OrgID, v.At, v.By, v.Entries, v.HeadSeq, v.HeadHash, v.OK, v.ProblemSeq, v.Reason)
	return err
}

func lastVerification(ctx context.Context, db *sql.DB, orgID int64) (*Verification, error) {
	var v Verification
	err := db.QueryRowContext(ctx, `SELECT verified_at, verified_by, entries, head_seq, head_hash, ok, problem_seq, reason
		FROM audit_verifications WHERE org_id = $1`, orgID).
		Scan(&v.At, &v.By, &v.Entries, &v.HeadSeq, &v.HeadHash, &v.OK, &v.ProblemSeq, &v.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v.At = v.At.UTC()
	return &v, nil
}

// Status checks the chain cheaply: from the latest successful full verification onwards. The
// entry that verification ended on must still carry the hash it had then; without such a
// verification, or after a failed one, the whole chain is walked (and recorded).
func (s *Service) Status(ctx context.Context, who access.Actor) (Status, error) {
	if !who.CanReadAuditLog() {
		return Status{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	last, err := lastVerification(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return Status{}, apperr.Wrap(err, "last verification")
	}
	if last == nil || !last.OK {
		return s.FullVerify(ctx, who)
	}
	st := Status{LastFull: last}
	// The entry the last verification ended on must still hash to what was verified then.
	anchorOK := last.HeadSeq == 0 && last.HeadHash == Genesis
	if last.HeadSeq > 0 {
		e, err := scanEntry(s.DB.SQL.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM audit_entries WHERE org_id = $1 AND seq = $2`,
			who.OrgID, last.HeadSeq))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return st, apperr.Wrap(err, "verification anchor")
		}
		anchorOK = err == nil && e.Hash == last.HeadHash && e.ComputeHash() == e.Hash
	}
	if !anchorOK {
		return s.FullVerify(ctx, who)
	}
	if st.Report, err = verifyFrom(ctx, s.DB.SQL, who.OrgID, last.HeadSeq, last.HeadHash); err != nil {
		return st, apperr.Wrap(err, "audit verify")
	}
	st.Total = st.Report.HeadSeq
	if st.Anchor, err = s.anchorStatus(ctx, who.OrgID, false); err != nil {
		return st, apperr.Wrap(err, "audit checkpoints")
	}
	return st, nil
}

// FullVerify walks the whole chain now and records the result as the latest full verification.
func (s *Service) FullVerify(ctx context.Context, who access.Actor) (Status, error) {
	if !who.CanReadAuditLog() {
		return Status{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	// The checkpoints are read before the chain, so that entries appended meanwhile are not
	// mistaken for a chain that went back.
	anchor, err := s.anchorStatus(ctx, who.OrgID, true)
	if err != nil {
		return Status{}, apperr.Wrap(err, "audit checkpoints")
	}
	r, err := Verify(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return Status{}, apperr.Wrap(err, "audit verify")
	}
	by := who.Login
	if by == "" {
		by = "system"
	}
	at := time.Now()
	if s.Now != nil {
		at = s.Now()
	}
	if err := RecordVerification(ctx, s.DB.SQL, r, by, at); err != nil {
		return Status{}, apperr.Wrap(err, fmt.Sprintf("record verification of organisation %d", who.OrgID))
	}
	last, err := lastVerification(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return Status{}, apperr.Wrap(err, "last verification")
	}
	return Status{LastFull: last, Report: r, Total: r.HeadSeq, Anchor: anchor}, nil
}
