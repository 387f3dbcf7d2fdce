package inspection

import (
	"context"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// Campaigns lists the campaigns the actor reads — all of them for the 情報政策課 and auditors,
// those with a sheet of theirs for the others — newest first, with their sheets counted.
func (s *Service) Campaigns(ctx context.Context, who access.Actor) ([]Campaign, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return nil, err
	}
	conds := []string{"c.org_id = $1"}
	args := []any{who.OrgID}
	if !seesAll(p, who) {
		cond, a := mine(p, who, len(args))
		if cond == "" {
			return []Campaign{}, nil
		}
		args = append(args, a...)
		conds = append(conds, "EXISTS (SELECT 1 FROM inspection_sheets s WHERE s.campaign_id = c.id AND "+cond+")")
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+campaignCols+`,
		(SELECT count(*) FROM inspection_items i WHERE i.campaign_id = c.id),
		(SELECT count(*) FROM inspection_sheets s WHERE s.campaign_id = c.id),
		(SELECT count(*) FROM inspection_sheets s WHERE s.campaign_id = c.id AND s.state = 'submitted')
		FROM inspection_campaigns c WHERE `+strings.Join(conds, " AND ")+` ORDER BY c.fiscal_year DESC, c.id DESC`, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "campaigns")
	}
	defer rows.Close()
	out := []Campaign{}
	for rows.Next() {
		var items, sheets, submitted int
		c, err := scanCampaign(scanExtra{rows, []any{&items, &sheets, &submitted}})
		if err != nil {
			return nil, apperr.Wrap(err, "campaigns")
		}
		c.Items, c.Sheets, c.Submitted = items, sheets, submitted
		out = append(out, c)
	}
	return out, rows.Err()
}

// scanExtra scans a campaign's columns followed by more.
type scanExtra struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (x scanExtra) Scan(dest ...any) error { return x.sc.Scan(append(dest, x.extra...)...) }

// mine is the condition on sheets s that the actor answers, with its arguments numbered after n.
func mine(p *policy.Compiled, who access.Actor, n int) (string, []any) {
	depts, roles := reach(p, who)
	var or []string
	var args []any
	for _, d := range depts {
		args = append(args, d)
		or = append(or, "s.department_id = $"+strconv.Itoa(n+len(args)))
	}
	for _, r := range roles {
		args = append(args, r)
		or = append(or, "(s.department_id IS NULL AND s.role_id = $"+strconv.Itoa(n+len(args))+")")
	}
	if len(or) == 0 {
		return "", nil
	}
	return "(" + strings.Join(or, " OR ") + ")", args
}

// Progress is a campaign with the sheets the actor reads, each with its counts — how far each
// department has got while the campaign runs.
type Progress struct {
	Campaign Campaign `json:"campaign"`
	Sheets   []Sheet  `json:"sheets"`
	// All reports whether the actor reads every sheet (and may close the campaign: CanClose).
	All      bool `json:"all"`
	CanClose bool `json:"can_close"`
}

// Campaign returns a campaign and the progress of the sheets the actor reads; a campaign with
// none of them is not found.
func (s *Service) Campaign(ctx context.Context, who access.Actor, id int64) (Progress, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Progress{}, err
	}
	c, err := readCampaign(ctx, s.DB.SQL, who.OrgID, id)
	if err != nil {
		return Progress{}, err
	}
	all := seesAll(p, who)
	depts, roles := reach(p, who)
	list, err := sheets(ctx, s.DB.SQL, who.OrgID, id, all, depts, roles)
	if err != nil {
		return Progress{}, err
	}
	if !all && len(list) == 0 {
		return Progress{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	holders, err := s.holders(ctx, s.DB.SQL, p, who.OrgID)
	if err != nil {
		return Progress{}, err
	}
	for i := range list {
		sh := &list[i]
		if sh.DepartmentID == 0 {
			if r, ok := p.Role(sh.RoleID); ok {
				sh.RoleName = r.Name
			}
			sh.Answerers = holders.roles[sh.RoleID]
		} else {
			sh.Answerers = holders.depts[sh.DepartmentID]
		}
		if sh.Answerers == nil {
			sh.Answerers = []string{}
		}
		if sh.State == SheetSubmitted {
			c.Submitted++
		}
	}
	c.Sheets = len(list)
	return Progress{Campaign: c, Sheets: list, All: all, CanClose: mayCloseCampaign(p, who, c) == nil}, nil
}

// holderNames are the names of who answers each department's sheet and each role's, today.
type holderNames struct {
	depts map[int64][]string
	roles map[string][]string
}

func (s *Service) holders(ctx context.Context, q store.Querier, p *policy.Compiled, orgID int64) (holderNames, error) {
	out := holderNames{depts: map[int64][]string{}, roles: map[string][]string{}}
	day := jstDay(s.now())
	rows, err := q.QueryContext(ctx, `SELECT r.role_id, r.scope, COALESCE(r.department_id, 0), COALESCE(h.name, ''), COALESCE(a.name, '')
		FROM role_assignments r LEFT JOIN staff h ON h.id = r.holder_staff_id LEFT JOIN staff a ON a.id = r.acting_staff_id
		WHERE r.org_id = $1 AND (r.valid_from = '' OR r.valid_from <= $2) AND (r.valid_to = '' OR r.valid_to >= $2)
		ORDER BY r.id`, orgID, day)
	if err != nil {
		return out, apperr.Wrap(err, "holders")
	}
	defer rows.Close()
	answering := answeringRoles(p)
	for rows.Next() {
		var role, scope, holder, acting string
		var dept int64
		if err := rows.Scan(&role, &scope, &dept, &holder, &acting); err != nil {
			return out, apperr.Wrap(err, "holders")
		}
		names := []string{}
		for _, n := range []string{holder, acting} {
			if n != "" {
				names = append(names, n)
			}
		}
		if scope == "department" && dept != 0 && contains(answering, role) {
			out.depts[dept] = append(out.depts[dept], names...)
		}
		if targetOf(p, role) == TargetRole {
			out.roles[role] = append(out.roles[role], names...)
		}
	}
	return out, rows.Err()
}

// answerers are the names of who answers one sheet today.
func (s *Service) answerers(ctx context.Context, q store.Querier, p *policy.Compiled, orgID int64, sh Sheet) ([]string, error) {
	h, err := s.holders(ctx, q, p, orgID)
	if err != nil {
		return nil, err
	}
	out := h.roles[sh.RoleID]
	if sh.DepartmentID != 0 {
		out = h.depts[sh.DepartmentID]
	}
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// CanStart reports whether the actor may start a campaign (for the pages' buttons).
func (s *Service) CanStart(ctx context.Context, who access.Actor) bool {
	p, err := s.Policy.Required(ctx, who.OrgID)
	return err == nil && MayStart(p, who) == nil
}
