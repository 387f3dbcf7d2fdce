package training

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auditlog"
	"mamori/internal/store"
)

// SessionInput is what a planner enters for a session.
type SessionInput struct {
	CourseID   string
	StartsAt   time.Time
	EndsAt     time.Time
	Place      string
	Instructor string
	MakeupOf   int64 // the session this one makes up for (補講), 0 for none
	Note       string
}

// CreateSession adds a session of a course of the plan.
func (s *Service) CreateSession(ctx context.Context, who access.Actor, planID int64, in SessionInput) (Session, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return Session{}, err
	}
	pl, err := s.Plan(ctx, who, planID)
	if err != nil {
		return Session{}, err
	}
	var v apperr.Validation
	in.Place, in.Instructor, in.Note = strings.TrimSpace(in.Place), strings.TrimSpace(in.Instructor), strings.TrimSpace(in.Note)
	c, cerr := courseOf(pl, p, "course_id", in.CourseID)
	if cerr != nil {
		return Session{}, cerr
	}
	if err := MaySchedule(who, p.Pack, c); err != nil {
		return Session{}, err
	}
	if in.StartsAt.IsZero() {
		v.Add("starts_at", "error.required")
	}
	if in.EndsAt.IsZero() {
		v.Add("ends_at", "error.required")
	} else if !in.StartsAt.IsZero() && !in.EndsAt.After(in.StartsAt) {
		v.Add("ends_at", "training.error.ends_before_starts")
	}
	if in.Place == "" {
		v.Add("place", "error.required")
	}
	if len([]rune(in.Place)) > 200 || len([]rune(in.Instructor)) > 200 || len([]rune(in.Note)) > 2000 {
		v.Add("note", "training.error.too_long")
	}
	if err := v.Err(); err != nil {
		return Session{}, err
	}
	now := s.now()
	ss := Session{PlanID: pl.ID, CourseID: c.ID, CourseName: c.Name, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(), Place: in.Place,
		Instructor: in.Instructor, MakeupOf: in.MakeupOf, Note: in.Note, CreatedAt: now, CreatedBy: who.Name}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if in.MakeupOf != 0 {
			of, err := sessionByID(ctx, tx, who.OrgID, in.MakeupOf)
			if err != nil || of.PlanID != pl.ID || of.CourseID != c.ID {
				return apperr.InvalidField("makeup_of", "training.error.makeup_of")
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO training_sessions (org_id, plan_id, course_id, starts_at, ends_at, place, instructor,
			makeup_of, note, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			who.OrgID, pl.ID, c.ID, ss.StartsAt, ss.EndsAt, ss.Place, ss.Instructor, store.NullID(in.MakeupOf), ss.Note, now, ss.CreatedBy).Scan(&ss.ID)
		if err != nil {
			return wrap(err, "insert session")
		}
		_, err = auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "training_session", EntityID: ss.ID, Action: "training.session", After: ss})
		return err
	})
	return ss, err
}

const sessionColumns = `s.id, s.plan_id, s.course_id, COALESCE(c.name, s.course_id), s.starts_at, s.ends_at, s.place, s.instructor,
	COALESCE(s.makeup_of, 0), s.note, s.created_at, s.created_by,
	(SELECT count(*) FROM training_assignments a WHERE a.session_id = s.id)`

const sessionFrom = ` FROM training_sessions s LEFT JOIN training_courses c ON c.plan_id = s.plan_id AND c.course_id = s.course_id`

func scanSession(row interface{ Scan(...any) error }) (Session, error) {
	var x Session
	err := row.Scan(&x.ID, &x.PlanID, &x.CourseID, &x.CourseName, &x.StartsAt, &x.EndsAt, &x.Place, &x.Instructor, &x.MakeupOf, &x.Note,
		&x.CreatedAt, &x.CreatedBy, &x.Attended)
	x.StartsAt, x.EndsAt, x.CreatedAt = x.StartsAt.UTC(), x.EndsAt.UTC(), x.CreatedAt.UTC()
	return x, err
}

func sessionByID(ctx context.Context, q store.Querier, orgID, id int64) (Session, error) {
	x, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE s.org_id = $1 AND s.id = $2`, orgID, id))
	if err == sql.ErrNoRows {
		return x, apperr.New(apperr.NotFound, "training.error.session_missing")
	}
	return x, wrap(err, "read session")
}

// Sessions lists the plan's sessions in time order.
func (s *Service) Sessions(ctx context.Context, who access.Actor, planID int64) ([]Session, error) {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+sessionColumns+sessionFrom+` WHERE s.org_id = $1 AND s.plan_id = $2
		ORDER BY s.starts_at, s.id`, who.OrgID, planID)
	if err != nil {
		return nil, wrap(err, "list sessions")
	}
	defer rows.Close()
	out := []Session{}
	for rows.Next() {
		x, err := scanSession(rows)
		if err != nil {
			return nil, wrap(err, "list sessions")
		}
		out = append(out, x)
	}
	return out, wrap(rows.Err(), "list sessions")
}

// Session returns one session.
func (s *Service) Session(ctx context.Context, who access.Actor, id int64) (Session, error) {
	return sessionByID(ctx, s.DB.SQL, who.OrgID, id)
}

// Roster is the session's roll: everyone assigned its course whom the actor reads and who has
// not completed it elsewhere, those who attended this session ticked.
func (s *Service) Roster(ctx context.Context, who access.Actor, id int64) (Session, []Assignment, error) {
	x, err := s.Session(ctx, who, id)
	if err != nil {
		return x, nil, err
	}
	list, err := s.list(ctx, who, Filter{PlanID: x.PlanID, Course: x.CourseID, Limit: MaxLimit})
	if err != nil {
		return x, nil, err
	}
	out := []Assignment{}
	for _, a := range list {
		if a.CompletedOn == "" || a.SessionID == x.ID {
			out = append(out, a)
		}
	}
	return x, out, nil
}

// RollCall records who attended the session: the people ticked have completed the course on
// the session's day; those unticked whom this session had recorded are no longer. Everyone
// named must be on the roll and one the actor may record; otherwise nothing changes.
func (s *Service) RollCall(ctx context.Context, who access.Actor, id int64, present []int64) (int, error) {
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return 0, err
	}
	x, roll, err := s.Roster(ctx, who, id)
	if err != nil {
		return 0, err
	}
	pl, err := s.Plan(ctx, who, x.PlanID)
	if err != nil {
		return 0, err
	}
	c, err := courseOf(pl, p, "course_id", x.CourseID)
	if err != nil {
		return 0, err
	}
	if err := MaySchedule(who, p.Pack, c); err != nil {
		return 0, err
	}
	on := map[int64]Assignment{}
	for _, a := range roll {
		on[a.StaffID] = a
	}
	want := map[int64]bool{}
	for _, sid := range present {
		a, ok := on[sid]
		if !ok {
			return 0, apperr.InvalidField("present", "training.error.not_on_roll")
		}
		if err := MayRecord(who, p.Pack, c, a.DepartmentID); err != nil {
			return 0, err
		}
		want[sid] = true
	}
	day := x.StartsAt.In(jst).Format(time.DateOnly)
	now := s.now()
	n := 0
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		for _, a := range roll {
			switch {
			case want[a.StaffID] && a.SessionID != x.ID:
				_, err = tx.ExecContext(ctx, `UPDATE training_assignments SET completed_on = $1, session_id = $2, how = $3, recorded_by = $4,
					recorded_at = $5 WHERE id = $6 AND completed_on = ''`, day, x.ID, HowRollCall, who.Name, now, a.ID)
				n++
			case !want[a.StaffID] && a.SessionID == x.ID:
				if MayRecord(who, p.Pack, c, a.DepartmentID) != nil {
					continue
				}
				_, err = tx.ExecContext(ctx, `UPDATE training_assignments SET completed_on = '', session_id = NULL, how = '', recorded_by = $1,
					recorded_at = $2 WHERE id = $3`, who.Name, now, a.ID)
				n++
			}
			if err != nil {
				return wrap(err, "roll call")
			}
		}
		_, err := auditlog.Append(ctx, tx, who, now, auditlog.Event{Entity: "training_session", EntityID: x.ID, Action: "training.roll_call",
			After: map[string]any{"present": present, "changed": n}})
		return err
	})
	return n, err
}
