package logbook

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// checkEscort applies the rule for visitors of a room access log: a person who is not staff
// enters the 管理区域 or 電算室 only with a member of staff authorised for it (上毛町 対策基準
// 4(2)②ウ: 「管理区域への入退室を許可された職員を立ち会わせる」; 安平町 第24条(5): 「職員以外
// の者が入退する場合には、職員が同行しなければならない」).
//
// Mamori has no list of who is allowed into which room, so "authorised" is read from what it
// does know: the escort is an active 職員 — not a contractor's worker, who is an outsider too —
// who either belongs to the department that keeps the area (the entry's department) or holds,
// on the day, the role that keeps the logbook (ネットワーク管理者 for 上毛町, 情報システム管理者
// for 山形県).
func (c *checked) checkEscort(ctx context.Context, q store.Querier, orgID int64, in Input, v *apperr.Validation) error {
	field := "escort_staff_id"
	escort := in.EscortStaffID
	label := i18n.T(i18n.Ja, "logbooks.escort")
	if f, ok := escortField(c.lb); ok {
		field, label = fieldKey(f.ID), f.Name
		escort, _ = c.fields[f.ID].(int64)
		if v.Has(field) {
			return nil
		}
	}
	if !c.visitor {
		if _, ok := escortField(c.lb); !ok {
			escort = 0 // a member of staff enters on their own
		}
	}
	if escort == 0 {
		if c.visitor {
			v.Add(field, "logbook.error.escort_required")
		}
		return nil
	}
	var dept int64
	var name, employment string
	var active bool
	err := q.QueryRowContext(ctx, `SELECT COALESCE(department_id, 0), name, employment, active FROM staff WHERE id = $1 AND org_id = $2`,
		escort, orgID).Scan(&dept, &name, &employment, &active)
	if errors.Is(err, sql.ErrNoRows) {
		v.Add(field, "logbook.error.staff", label)
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, "escort")
	}
	c.escort, c.escortName = escort, name
	if !active || employment == "contractor" {
		v.Add(field, "logbook.error.escort_unauthorised", name)
		return nil
	}
	if dept == c.dept && dept != 0 {
		return nil
	}
	if c.lb.KeptBy != "" {
		day := c.occurredAt
		if day.IsZero() {
			day = time.Now()
		}
		d := day.In(i18n.Tokyo).Format(time.DateOnly)
		var n int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM role_assignments WHERE org_id = $1 AND role_id = $2
			AND (holder_staff_id = $3 OR acting_staff_id = $3)
			AND (valid_from = '' OR valid_from <= $4) AND (valid_to = '' OR valid_to >= $4)`, orgID, c.lb.KeptBy, escort, d).Scan(&n)
		if err != nil {
			return apperr.Wrap(err, "escort role")
		}
		if n > 0 {
			return nil
		}
	}
	v.Add(field, "logbook.error.escort_unauthorised", name)
	return nil
}
