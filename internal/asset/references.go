package asset

import (
	"context"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/store"
)

// maxNamedRequests is how many of the requests that name an asset a refusal to delete it lists.
const maxNamedRequests = 5

// referenced refuses to delete an asset that a request (申請) or an incident (事案) names: they
// keep it as their subject, and a deleted asset would leave them pointing at nothing. The
// refusal names the requests by number; incidents, which may be restricted, only by count.
func referenced(ctx context.Context, q store.Querier, orgID, id int64) error {
	rows, err := q.QueryContext(ctx, `SELECT request_id FROM request_assets WHERE org_id = $1 AND asset_id = $2
		ORDER BY request_id LIMIT $3`, orgID, id, maxNamedRequests+1)
	if err != nil {
		return apperr.Wrap(err, "requests of asset")
	}
	defer rows.Close()
	var named []string
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return apperr.Wrap(err, "requests of asset")
		}
		named = append(named, "#"+strconv.FormatInt(rid, 10))
	}
	if err := rows.Err(); err != nil {
		return apperr.Wrap(err, "requests of asset")
	}
	if len(named) > maxNamedRequests {
		named = append(named[:maxNamedRequests], "…")
	}
	if len(named) > 0 {
		return apperr.New(apperr.Conflict, "asset.error.in_requests", strings.Join(named, ", "))
	}
	var incidents int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM incident_assets WHERE org_id = $1 AND asset_id = $2`, orgID, id).Scan(&incidents); err != nil {
		return apperr.Wrap(err, "incidents of asset")
	}
	if incidents > 0 {
		return apperr.New(apperr.Conflict, "asset.error.in_incidents", incidents)
	}
	return nil
}
