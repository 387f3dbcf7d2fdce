package auth

import (
	"context"
	"database/sql"
	"errors"
	"net/netip"
	"time"

	"mamori/internal/apperr"
)

// Sign-in throttle per source address. A pack's lockout (岸和田市 5(7)⑥: 権限を停止 after 3
// failures) would otherwise let anyone lock every account by typing wrong passwords. Failures
// are counted per address first: once an address has failed ThrottleFailures times within
// ThrottleWindow, its further attempts are refused unheard until the window ends, and they do
// not count against the account they name. The counts are kept in the database, so every server
// process sees the same.
const (
	ThrottleFailures = 10
	ThrottleWindow   = 15 * time.Minute
)

// throttleKey is the address failures are counted under: an IPv4 address as it is, an IPv6
// address by its /64 (one household or office has a whole /64 to choose from).
func throttleKey(remote string) string {
	a, err := netip.ParseAddr(remote)
	if err != nil {
		return truncateLogin(remote)
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// throttled reports whether the address may not try now, and when it may again.
func (s *Service) throttled(ctx context.Context, remote string) (bool, time.Time, error) {
	var start time.Time
	var failures int
	err := s.DB.SQL.QueryRowContext(ctx, `SELECT window_start, failures FROM login_throttle WHERE address = $1`,
		throttleKey(remote)).Scan(&start, &failures)
	if errors.Is(err, sql.ErrNoRows) {
		return false, time.Time{}, nil
	}
	if err != nil {
		return false, time.Time{}, apperr.Wrap(err, "throttle")
	}
	until := start.UTC().Add(ThrottleWindow)
	return failures >= ThrottleFailures && s.now().Before(until), until, nil
}

// noteAddressFailure counts one failed sign-in from the address, in the transaction that
// records the failure. A window that has ended starts again at one.
func (s *Service) noteAddressFailure(ctx context.Context, tx *sql.Tx, remote string) error {
	now := s.now()
	_, err := tx.ExecContext(ctx, `INSERT INTO login_throttle (address, window_start, failures) VALUES ($1, $2, 1)
		ON CONFLICT (address) DO UPDATE SET
			failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
			window_start = CASE WHEN login_throttle.window_start <= $3 THEN excluded.window_start ELSE login_throttle.window_start END`,
		throttleKey(remote), now, now.Add(-ThrottleWindow))
	if err != nil {
		return apperr.Wrap(err, "throttle")
	}
	// Windows that ended are of no use any more; the table holds only recent addresses.
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE window_start <= $1`, now.Add(-ThrottleWindow)); err != nil {
		return apperr.Wrap(err, "throttle")
	}
	return nil
}

// throttledError is the answer to an address that has failed too often: the same whatever
// account it names.
func (s *Service) throttledError(until time.Time) error {
	minutes := int((until.Sub(s.now()) + time.Minute - 1) / time.Minute)
	return apperr.New(apperr.TooMany, "auth.error.throttled", minutes)
}
