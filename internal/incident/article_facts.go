package incident

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/article"
)

// ArticleFacts are the incidents reported in the period that the actor sees (reach.go), each
// once for every article it bears on: the article of its category, those of the escalation
// checklist's reports and those of the emergency measures taken. It makes the service an
// article.Source for the policy review.
func (s *Service) ArticleFacts(ctx context.Context, who access.Actor, since, until time.Time) ([]article.Fact, error) {
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return nil, err
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT `+columns+from+`WHERE i.org_id = $1 AND i.reported_at >= $2 AND i.reported_at < $3
		ORDER BY i.id LIMIT `+strconv.Itoa(scanLimit), who.OrgID, since, until)
	if err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	var all []Incident
	for rows.Next() {
		in, err := scan(rows)
		if err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "incidents")
		}
		all = append(all, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "incidents")
	}
	seen, err := s.visible(ctx, who, all, false)
	if err != nil {
		return nil, err
	}
	var out []article.Fact
	for _, in := range seen {
		arts := map[string]bool{}
		var order []string
		add := func(a string) {
			if a != "" && !arts[a] {
				arts[a] = true
				order = append(order, a)
			}
		}
		for _, c := range p.Incident.Categories {
			if c.ID == in.Category {
				add(c.Cite.Article)
			}
		}
		if err := citedBy(ctx, s, in.ID, add); err != nil {
			return nil, err
		}
		for _, a := range order {
			out = append(out, article.Fact{Article: a, Kind: "incident", Title: in.Title, State: "incidents.state." + in.State,
				Link: "/incidents/" + strconv.FormatInt(in.ID, 10), At: in.ReportedAt})
		}
	}
	return out, nil
}

// citedBy gives add the articles of an incident's checklist reports and of its measures.
func citedBy(ctx context.Context, s *Service, id int64, add func(string)) error {
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT cite FROM incident_checklist_steps WHERE incident_id = $1 AND cite <> '' ORDER BY seq`, id)
	if err != nil {
		return apperr.Wrap(err, "checklist")
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return apperr.Wrap(err, "checklist")
		}
		add(c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return apperr.Wrap(err, "checklist")
	}
	rows, err = s.DB.SQL.QueryContext(ctx, `SELECT data_json FROM incident_events WHERE incident_id = $1 AND kind = 'measure' ORDER BY id`, id)
	if err != nil {
		return apperr.Wrap(err, "measures")
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return apperr.Wrap(err, "measures")
		}
		var m struct {
			Cite string `json:"cite"`
		}
		if json.Unmarshal([]byte(data), &m) == nil {
			add(m.Cite)
		}
	}
	return rows.Err()
}
