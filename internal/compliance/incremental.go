package compliance

import (
	"context"
	"database/sql"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/policy"
)

// chunk is how many assets one statement of the incremental check names.
const chunk = 500

// RegisterWritten checks the assets a write of the register touched, inside its transaction:
// the write and its findings commit or roll back together, so no write is left unchecked. It is
// the register's write hook (asset.Service.AfterWrite), set when the services are assembled.
func (s *Service) RegisterWritten(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, written []asset.Asset, deleted []int64) error {
	now := s.now()
	for i := 0; i < len(deleted); i += chunk {
		ids := deleted[i:min(i+chunk, len(deleted))]
		list := make([]checked, len(ids))
		for j, id := range ids {
			list[j] = checked{id: id, gone: "deleted"}
		}
		if _, err := settle(ctx, tx, who.OrgID, "", list, scope{ids: ids}, nil, now); err != nil {
			return err
		}
	}
	if len(written) == 0 || p == nil {
		return nil
	}
	rules := rulesOf(p)
	codes := map[int64]string{}
	var t tally
	for i := 0; i < len(written); i += chunk {
		part := written[i:min(i+chunk, len(written))]
		list := make([]checked, len(part))
		ids := make([]int64, len(part))
		for j, a := range part {
			ids[j] = a.ID
			c := checked{id: a.ID, number: a.Number, department: a.DepartmentID}
			if a.State == "disposed" {
				c.gone = "disposed"
			} else {
				code, err := departmentCode(ctx, tx, who.OrgID, a.DepartmentID, codes)
				if err != nil {
					return err
				}
				c.outcomes = rules.evaluate(rules.record(a, code, now))
			}
			list[j] = c
		}
		got, err := settle(ctx, tx, who.OrgID, p.Digest, list, scope{ids: ids}, rules, now)
		if err != nil {
			return err
		}
		t.add(got)
	}
	if len(t.broken) > 0 {
		return markBroken(ctx, tx, who.OrgID, p.Digest, t.broken, rules, now)
	}
	return nil
}

// AssetStateChanged closes the findings of an asset disposed of through a request; the rules
// do not read an asset's state otherwise, so no other change of state alters what they find.
// It is the register's state hook (asset.Service.OnStateChange).
func AssetStateChanged(ctx context.Context, tx *sql.Tx, who access.Actor, a asset.Asset) error {
	if a.State != "disposed" {
		return nil
	}
	_, err := settle(ctx, tx, who.OrgID, "", []checked{{id: a.ID, number: a.Number, gone: "disposed"}}, scope{ids: []int64{a.ID}}, nil, a.UpdatedAt)
	return err
}

// departmentCode returns a department's code, as rules see it (asset.department).
func departmentCode(ctx context.Context, tx *sql.Tx, orgID, id int64, cache map[int64]string) (string, error) {
	if id == 0 {
		return "", nil
	}
	if c, ok := cache[id]; ok {
		return c, nil
	}
	var code string
	err := tx.QueryRowContext(ctx, `SELECT code FROM departments WHERE id = $1 AND org_id = $2`, id, orgID).Scan(&code)
	if err != nil && err != sql.ErrNoRows {
		return "", apperr.Wrap(err, "department code")
	}
	cache[id] = code
	return code, nil
}
