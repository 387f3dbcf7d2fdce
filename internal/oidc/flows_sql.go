package oidc

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"mamori/internal/apperr"
)

// flow is a sign-in under way (table oidc_flows).
type flow struct {
	OrgID     int64
	Key       string // the browser's cookie; only its hash is stored
	State     string
	Nonce     string
	Verifier  string
	Next      string
	CreatedAt time.Time
}

func keyHash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// saveFlow stores a new flow, and drops the flows nobody came back from.
func (s *Service) saveFlow(ctx context.Context, f flow) error {
	now := s.now()
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM oidc_flows WHERE created_at < $1`, now.Add(-FlowTTL)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO oidc_flows (org_id, key_hash, state, nonce, verifier, next_path, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.OrgID, keyHash(f.Key), f.State, f.Nonce, f.Verifier, f.Next, now)
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "save sign-in flow")
	}
	return nil
}

// takeFlow finds the flow of a cookie and deletes it in the same statement, so that it is used
// once even when two processes receive the same callback.
func (s *Service) takeFlow(ctx context.Context, key string) (flow, error) {
	f := flow{Key: key}
	err := s.DB.SQL.QueryRowContext(ctx, `DELETE FROM oidc_flows WHERE key_hash = $1
		RETURNING org_id, state, nonce, verifier, next_path, created_at`, keyHash(key)).
		Scan(&f.OrgID, &f.State, &f.Nonce, &f.Verifier, &f.Next, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, apperr.New(apperr.NotFound, "oidc.error.state")
	}
	if err != nil {
		return f, apperr.Wrap(err, "take sign-in flow")
	}
	return f, nil
}

// orgID is the organisation people sign in to: the configured one, or the installation's first.
func (s *Service) orgID(ctx context.Context) (int64, error) {
	if s.cfg.OrgID != 0 {
		return s.cfg.OrgID, nil
	}
	var id int64
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT id FROM organizations ORDER BY id LIMIT 1`).Scan(&id); err != nil {
		return 0, apperr.Wrap(err, "organisation for sign-in")
	}
	return id, nil
}
