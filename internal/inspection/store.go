package inspection

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// The SQL of campaigns, items and sheets.

const campaignCols = `c.id, c.fiscal_year, c.title, c.pack_id, c.pack_version, c.opens_on, c.deadline, c.state,
	c.created_by, c.created_at, c.closed_at`

func scanCampaign(sc interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var closed sql.NullTime
	err := sc.Scan(&c.ID, &c.FiscalYear, &c.Title, &c.PackID, &c.PackVersion, &c.OpensOn, &c.Deadline, &c.State,
		&c.CreatedBy, &c.CreatedAt, &closed)
	if closed.Valid {
		t := closed.Time.UTC()
		c.ClosedAt = &t
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, err
}

func readCampaign(ctx context.Context, q store.Querier, orgID, id int64) (Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM inspection_campaigns c
		WHERE c.org_id = $1 AND c.id = $2`, orgID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return c, apperr.Wrap(err, "read campaign")
	}
	err = q.QueryRowContext(ctx, `SELECT count(*) FROM inspection_items WHERE campaign_id = $1`, id).Scan(&c.Items)
	if err != nil {
		return c, apperr.Wrap(err, "count items")
	}
	return c, nil
}

func items(ctx context.Context, q store.Querier, campaignID int64) ([]Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, seq, item_key, question, role_id, role_name, target, article, quote, chapter
		FROM inspection_items WHERE campaign_id = $1 ORDER BY seq`, campaignID)
	if err != nil {
		return nil, apperr.Wrap(err, "items")
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Seq, &it.Key, &it.Question, &it.RoleID, &it.RoleName, &it.Target, &it.Article, &it.Quote, &it.Chapter); err != nil {
			return nil, apperr.Wrap(err, "items")
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// on reports whether an item goes on a sheet.
func (it Item) on(sh Sheet) bool {
	if sh.DepartmentID != 0 {
		return it.Target == TargetDepartment
	}
	return it.Target == TargetRole && it.RoleID == sh.RoleID
}

const sheetCols = `s.id, s.campaign_id, COALESCE(s.department_id, 0), COALESCE(d.name, ''), s.role_id, s.state, s.deadline,
	s.return_reason, s.returned_at, s.submitted_at, COALESCE(st.name, ''), s.version`

const sheetFrom = ` FROM inspection_sheets s LEFT JOIN departments d ON d.id = s.department_id
	LEFT JOIN staff st ON st.id = s.submitted_by_staff_id`

func scanSheet(sc interface{ Scan(...any) error }) (Sheet, error) {
	var sh Sheet
	var ret, sub sql.NullTime
	err := sc.Scan(&sh.ID, &sh.CampaignID, &sh.DepartmentID, &sh.DepartmentName, &sh.RoleID, &sh.State, &sh.Deadline,
		&sh.ReturnReason, &ret, &sub, &sh.SubmittedBy, &sh.Version)
	if ret.Valid {
		t := ret.Time.UTC()
		sh.ReturnedAt = &t
	}
	if sub.Valid {
		t := sub.Time.UTC()
		sh.SubmittedAt = &t
	}
	return sh, err
}

func readSheet(ctx context.Context, q store.Querier, orgID, campaignID, id int64) (Sheet, error) {
	sh, err := scanSheet(q.QueryRowContext(ctx, `SELECT `+sheetCols+sheetFrom+`
		WHERE s.org_id = $1 AND s.campaign_id = $2 AND s.id = $3`, orgID, campaignID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, apperr.New(apperr.NotFound, "error.not_found")
	}
	if err != nil {
		return sh, apperr.Wrap(err, "read sheet")
	}
	return sh, nil
}

// sheets lists a campaign's sheets — all, or those of the departments and roles given — with
// their counts of items and answers: department sheets in the tree's order, then role sheets.
func sheets(ctx context.Context, q store.Querier, orgID, campaignID int64, all bool, depts []int64, roles []string) ([]Sheet, error) {
	conds := []string{"s.org_id = $1", "s.campaign_id = $2"}
	args := []any{orgID, campaignID}
	if !all {
		var or []string
		for _, d := range depts {
			args = append(args, d)
			or = append(or, "s.department_id = $"+strconv.Itoa(len(args)))
		}
		for _, r := range roles {
			args = append(args, r)
			or = append(or, "(s.department_id IS NULL AND s.role_id = $"+strconv.Itoa(len(args))+")")
		}
		if len(or) == 0 {
			return nil, nil
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+sheetCols+sheetFrom+` WHERE `+strings.Join(conds, " AND ")+`
		ORDER BY CASE WHEN s.department_id IS NULL THEN 1 ELSE 0 END, d.sort_order, d.code, s.role_id, s.id`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "sheets")
	}
	var out []Sheet
	for rows.Next() {
		sh, err := scanSheet(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "sheets")
		}
		out = append(out, sh)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "sheets")
	}
	return out, countSheets(ctx, q, campaignID, out)
}

// countSheets fills each sheet's counts of items and of answers by answer.
func countSheets(ctx context.Context, q store.Querier, campaignID int64, list []Sheet) error {
	if len(list) == 0 {
		return nil
	}
	byTarget := map[string]int{}
	rows, err := q.QueryContext(ctx, `SELECT target, role_id, count(*) FROM inspection_items WHERE campaign_id = $1 GROUP BY target, role_id`, campaignID)
	if err != nil {
		return apperr.Wrap(err, "count items")
	}
	for rows.Next() {
		var target, role string
		var n int
		if err := rows.Scan(&target, &role, &n); err != nil {
			rows.Close()
			return apperr.Wrap(err, "count items")
		}
		if target == TargetDepartment {
			byTarget[""] += n
		} else {
			byTarget[role] += n
		}
	}
	rows.Close()
	idx := map[int64]int{}
	for i := range list {
		idx[list[i].ID] = i
		if list[i].DepartmentID != 0 {
			list[i].Items = byTarget[""]
		} else {
			list[i].Items = byTarget[list[i].RoleID]
		}
	}
	query, args := `SELECT a.sheet_id, a.answer, count(*) FROM inspection_answers a
		JOIN inspection_sheets s ON s.id = a.sheet_id WHERE s.campaign_id = $1 GROUP BY a.sheet_id, a.answer`, []any{campaignID}
	if len(list) == 1 {
		query, args = `SELECT sheet_id, answer, count(*) FROM inspection_answers WHERE sheet_id = $1 GROUP BY sheet_id, answer`, []any{list[0].ID}
	}
	rows, err = q.QueryContext(ctx, query, args...)
	if err != nil {
		return apperr.Wrap(err, "count answers")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var answer string
		var n int
		if err := rows.Scan(&id, &answer, &n); err != nil {
			return apperr.Wrap(err, "count answers")
		}
		if i, ok := idx[id]; ok {
			list[i].Counts.add(answer, n)
			list[i].Answered += n
		}
	}
	return rows.Err()
}

// jstDay is the day in Japan of t, as records keep days.
func jstDay(t time.Time) string { return t.In(i18n.Tokyo).Format(time.DateOnly) }
