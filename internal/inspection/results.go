package inspection

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/store"
)

// Results are a campaign's answers by department (or role) × chapter, beside the same cells of
// the year before: the latest campaign of the previous fiscal year.
type Results struct {
	Campaign Campaign    `json:"campaign"`
	Previous *Campaign   `json:"previous,omitempty"`
	Chapters []string    `json:"chapters"`
	Rows     []ResultRow `json:"rows"`
	Total    ResultRow   `json:"total"`
}

// ResultRow is one department's or role's answers, one cell per chapter, and their sum.
type ResultRow struct {
	Name         string `json:"name"`
	DepartmentID int64  `json:"department_id,omitempty"`
	RoleID       string `json:"role_id,omitempty"`
	SheetID      int64  `json:"sheet_id"`
	Cells        []Cell `json:"cells"`
	Sum          Cell   `json:"sum"`
}

// Cell is the answers of a chapter this year and the year before.
type Cell struct {
	Now    Counts  `json:"now"`
	Before *Counts `json:"before,omitempty"`
}

// Rate is this year's rate (Counts.Rate).
func (c Cell) Rate() float64 { return c.Now.Rate() }

// Delta is the change of the rate from the year before, in points; ok is false when either
// year has no applicable answer.
func (c Cell) Delta() (float64, bool) {
	if c.Before == nil || c.Before.Rate() < 0 || c.Now.Rate() < 0 {
		return 0, false
	}
	return c.Now.Rate() - c.Before.Rate(), true
}

type cellKey struct {
	dept    int64
	role    string
	chapter string
}

// Results aggregates a campaign by department × chapter for the sheets the actor reads.
func (s *Service) Results(ctx context.Context, who access.Actor, id int64) (Results, error) {
	pr, err := s.Campaign(ctx, who, id)
	if err != nil {
		return Results{}, err
	}
	r := Results{Campaign: pr.Campaign}
	now, chapters, err := aggregate(ctx, s.DB.SQL, id)
	if err != nil {
		return r, err
	}
	var before map[cellKey]Counts
	var prevID int64
	err = s.DB.SQL.QueryRowContext(ctx, `SELECT id FROM inspection_campaigns WHERE org_id = $1 AND fiscal_year = $2
		ORDER BY id DESC LIMIT 1`, who.OrgID, pr.Campaign.FiscalYear-1).Scan(&prevID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return r, apperr.Wrap(err, "previous campaign")
	default:
		prev, err := readCampaign(ctx, s.DB.SQL, who.OrgID, prevID)
		if err != nil {
			return r, err
		}
		r.Previous = &prev
		var more []string
		if before, more, err = aggregate(ctx, s.DB.SQL, prevID); err != nil {
			return r, err
		}
		for _, ch := range more {
			if !slices.Contains(chapters, ch) {
				chapters = append(chapters, ch)
			}
		}
	}
	slices.SortFunc(chapters, chapterLess)
	r.Chapters = chapters
	r.Total = ResultRow{Cells: make([]Cell, len(chapters))}
	for _, sh := range pr.Sheets {
		row := ResultRow{Name: sh.Name(), DepartmentID: sh.DepartmentID, RoleID: sh.RoleID, SheetID: sh.ID, Cells: make([]Cell, len(chapters))}
		var sumBefore Counts
		hasBefore := false
		for j, ch := range chapters {
			k := cellKey{sh.DepartmentID, sh.RoleID, ch}
			if sh.DepartmentID != 0 {
				k.role = ""
			}
			c := Cell{Now: now[k]}
			if b, ok := before[k]; ok {
				c.Before = &b
				sumBefore = sumBefore.plus(b)
				hasBefore = true
				tb := r.Total.Cells[j].Before
				if tb == nil {
					tb = &Counts{}
				}
				*tb = tb.plus(b)
				r.Total.Cells[j].Before = tb
			}
			row.Cells[j] = c
			row.Sum.Now = row.Sum.Now.plus(c.Now)
			r.Total.Cells[j].Now = r.Total.Cells[j].Now.plus(c.Now)
		}
		if hasBefore {
			row.Sum.Before = &sumBefore
			tb := r.Total.Sum.Before
			if tb == nil {
				tb = &Counts{}
			}
			*tb = tb.plus(sumBefore)
			r.Total.Sum.Before = tb
		}
		r.Total.Sum.Now = r.Total.Sum.Now.plus(row.Sum.Now)
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

func (c Counts) plus(o Counts) Counts {
	return Counts{Done: c.Done + o.Done, Partial: c.Partial + o.Partial, NotDone: c.NotDone + o.NotDone, NotApplicable: c.NotApplicable + o.NotApplicable}
}

// aggregate counts a campaign's answers by sheet owner × chapter × answer, in the database.
func aggregate(ctx context.Context, q store.Querier, campaignID int64) (map[cellKey]Counts, []string, error) {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(s.department_id, 0), s.role_id, i.chapter, a.answer, count(*)
		FROM inspection_answers a JOIN inspection_sheets s ON s.id = a.sheet_id JOIN inspection_items i ON i.id = a.item_id
		WHERE s.campaign_id = $1 GROUP BY s.department_id, s.role_id, i.chapter, a.answer`, campaignID)
	if err != nil {
		return nil, nil, apperr.Wrap(err, "aggregate")
	}
	defer rows.Close()
	out := map[cellKey]Counts{}
	var chapters []string
	for rows.Next() {
		var k cellKey
		var answer string
		var n int
		if err := rows.Scan(&k.dept, &k.role, &k.chapter, &answer, &n); err != nil {
			return nil, nil, apperr.Wrap(err, "aggregate")
		}
		if k.dept != 0 {
			k.role = ""
		}
		c := out[k]
		c.add(answer, n)
		out[k] = c
		if !slices.Contains(chapters, k.chapter) {
			chapters = append(chapters, k.chapter)
		}
	}
	return out, chapters, rows.Err()
}
