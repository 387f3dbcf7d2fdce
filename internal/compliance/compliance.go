// Package compliance is 遵守状況の確認: the pack's rules checked on the register at every write
// and in a full sweep, the findings (指摘事項) they open and close, the rules that cannot be
// evaluated, and the exceptions (例外措置) approved through the request engine that suppress
// named findings until they expire.
package compliance

import (
	"context"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Service checks the register against the organisation's pack.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
	// Assets is the register, asked whether an asset's details are for a reader; without it
	// (a service made for the command line) every exception is shown whole.
	Assets *asset.Service
}

// The service watches the register and the exception requests through hooks that whoever
// assembles the services sets on them (app.New): RegisterWritten on every write of assets,
// AssetStateChanged on an asset's change of state, and ExceptionHook on the requests of the
// pack's exception kind. Nothing is registered for the whole process, so two sets of services in
// one process do not reach each other.

// DefaultExceptionDays is the longest an exception may last when the pack's exception kind
// (policy.Pack.ExceptionKind) sets no max_days: a year, the span of the annual review of the policy and its exceptions.
const DefaultExceptionDays = 365

// Severities of rules, lowest first; a finding's rank is its index plus one.
var Severities = []string{"low", "medium", "high", "critical"}

func severityRank(s string) int {
	for i, v := range Severities {
		if v == s {
			return i + 1
		}
	}
	return 0
}

// jst is the zone the organisations count their days in: an exception expires at the end of a
// Japanese day.
var jst = time.FixedZone("JST", 9*60*60)

func (s *Service) now() time.Time { return store.Now(s.Now) }

func today(now time.Time) string { return now.In(jst).Format(time.DateOnly) }

// orgIDs lists every organisation.
func (s *Service) orgIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT id FROM organizations ORDER BY id`)
	if err != nil {
		return nil, apperr.Wrap(err, "organizations")
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, apperr.Wrap(err, "organizations")
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
