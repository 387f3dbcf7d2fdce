package pledge

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
)

// Signature returns one signature the actor reads: theirs, their department's for a department
// role, any for those who read everyone's. To anyone else it is not found.
func (s *Service) Signature(ctx context.Context, who access.Actor, id int64) (Signature, error) {
	g, err := scanSignature(s.DB.SQL.QueryRowContext(ctx, `SELECT `+signatureColumns+signatureFrom+`
		WHERE g.org_id = $1 AND g.id = $2`, who.OrgID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Signature{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return Signature{}, apperr.Wrap(err, "pledge signature")
	}
	var dept int64
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT COALESCE(department_id, 0) FROM staff WHERE org_id = $1 AND id = $2`,
		who.OrgID, g.StaffID).Scan(&dept); err != nil {
		return Signature{}, apperr.Wrap(err, "pledge signer")
	}
	if !reachOf(who).sees(g.StaffID, dept) {
		return Signature{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	return g, nil
}

// ScanBody returns the scan of a paper pledge the actor reads, checked against its SHA-256.
func (s *Service) ScanBody(ctx context.Context, who access.Actor, signatureID int64) (Scan, []byte, error) {
	g, err := s.Signature(ctx, who, signatureID)
	if err != nil {
		return Scan{}, nil, err
	}
	if g.Scan == nil {
		return Scan{}, nil, apperr.New(apperr.NotFound, "error.not_found")
	}
	var body []byte
	if err := s.DB.SQL.QueryRowContext(ctx, `SELECT body FROM pledge_scans WHERE org_id = $1 AND id = $2`, who.OrgID, g.Scan.ID).
		Scan(&body); err != nil {
		return Scan{}, nil, apperr.Wrap(err, "pledge scan")
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != g.Scan.SHA256 {
		return Scan{}, nil, apperr.Wrap(errors.New("scan does not match its SHA-256"), "pledge scan")
	}
	return *g.Scan, body, nil
}

// AuditReadable is the audit log's rule for signature entries: those who read the signer's
// pledges.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	r := reachOf(who)
	if r.all {
		for i := range out {
			out[i] = true
		}
		return out, nil
	}
	for i, e := range entries {
		id, err := strconv.ParseInt(e.EntityID, 10, 64)
		if err != nil {
			continue
		}
		var staffID, dept int64
		err = s.DB.SQL.QueryRowContext(ctx, `SELECT g.staff_id, COALESCE(s.department_id, 0) FROM pledge_signatures g
			JOIN staff s ON s.id = g.staff_id WHERE g.org_id = $1 AND g.id = $2`, who.OrgID, id).Scan(&staffID, &dept)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, apperr.Wrap(err, "pledge audit reader")
		}
		out[i] = r.sees(staffID, dept)
	}
	return out, nil
}
