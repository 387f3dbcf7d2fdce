package request

import (
	"context"
	"database/sql"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/logbook"
	"mamori/internal/policy"
)

// The acts a take-out logbook records (policy.TakeOutLog).
const (
	logTakeOut = "take_out"
	logReturn  = "return"
)

// logLife writes, for each subject asset, the entry of the pack's take-out logbook that the act
// (logTakeOut, logReturn) calls for, in the act's transaction: the staff member records the
// take-out once, on the request, and the logbook has it too. A kind whose pack names no such
// logbook writes nothing.
func (s *Service) logLife(ctx context.Context, tx *sql.Tx, who access.Actor, p *policy.Compiled, a policy.Approval, r Request, act, day string, now time.Time) error {
	l := a.TakeOutLog
	if l == nil || act == "" {
		return nil
	}
	if s.Logbooks == nil {
		return apperr.Wrap(errNoLogbooks, "take-out log")
	}
	value := l.TakeOut
	if act == logReturn {
		value = l.Return
	}
	lb, ok := logbook.Find(p, l.Logbook)
	if !ok {
		return apperr.Wrap(errNoLogbooks, "take-out log "+l.Logbook)
	}
	at := day
	if isDateTime(lb, l.At) {
		at = dayTime(day, now)
	}
	for _, id := range r.AssetIDs {
		fields := map[string]any{l.Asset: id, l.At: at, l.Act: value}
		if l.Staff != "" {
			fields[l.Staff] = r.ApplicantStaffID
		}
		if _, err := s.Logbooks.Record(ctx, tx, who, p, logbook.Input{Logbook: l.Logbook, DepartmentID: r.DepartmentID, Fields: fields}); err != nil {
			return err
		}
	}
	return nil
}

var errNoLogbooks = apperr.New(apperr.Internal, "error.internal")

func isDateTime(lb policy.Logbook, id string) bool {
	for _, f := range lb.Fields {
		if f.ID == id {
			return f.Type == "datetime"
		}
	}
	return false
}

// dayTime is the time of an act recorded for day: now when day is today (JST), else the start of
// that day — the request holds the day, not the hour.
func dayTime(day string, now time.Time) string {
	if now.In(jst).Format(time.DateOnly) == day {
		return now.In(jst).Format(time.RFC3339)
	}
	t, err := time.ParseInLocation(time.DateOnly, day, jst)
	if err != nil {
		return day
	}
	return t.Format(time.RFC3339)
}
