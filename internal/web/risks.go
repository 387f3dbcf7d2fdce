package web

import (
	"net/http"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/risk"
)

// The risk register (リスク分析, 土岐市 8): the heat maps of the inherent and residual risks, the
// risks the actor may read with their levels, treatment and owner, and for the 情報政策課 the
// button that generates the candidates from the register and the compliance state.

type risksData struct {
	Rows        []risk.Described
	Scales      policy.Risk
	Inherent    heatMap
	Residual    heatMap
	State       string
	States      []string
	CanGenerate bool
	Expired     int
	PrintedOn   string
}

func (w *Server) risksView(r *http.Request, title string) (*page, risksData, error) {
	ctx, who := r.Context(), stateOf(r).who
	state := r.URL.Query().Get("state")
	reg, err := w.s.Risks.List(ctx, who, risk.Filter{State: state})
	if err != nil {
		return nil, risksData{}, err
	}
	p := w.newPage(r, title, "risks")
	d := risksData{Scales: reg.Scales, State: state, States: risk.States, CanGenerate: risk.MayGenerate(who),
		PrintedOn: p.Date(w.s.Now())}
	for _, x := range reg.Risks {
		d.Rows = append(d.Rows, risk.Describe(p.pack, p.Lang, x))
		if x.Expired {
			d.Expired++
		}
	}
	heat := risk.HeatOf(reg.Scales, reg.Risks)
	d.Inherent, d.Residual = heatMapOf(p, heat, false), heatMapOf(p, heat, true)
	return p, d, nil
}

func (w *Server) risks(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.risksView(r, "risk.title")
	if err != nil {
		return err
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "risks", p)
	return nil
}

// risksPrint is the register for the 委員会, on A4 with both heat maps.
func (w *Server) risksPrint(rw http.ResponseWriter, r *http.Request) error {
	p, d, err := w.risksView(r, "risk.print.title")
	if err != nil {
		return err
	}
	p.Crumbs = []crumb{{p.T("risk.title"), "/risks"}}
	p.Data = d
	w.render(rw, r, http.StatusOK, "risk_print", p)
	return nil
}

// risksGenerate generates the candidates, after the 確認 step.
func (w *Server) risksGenerate(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	if !risk.MayGenerate(who) {
		_, err := w.s.Risks.Generate(r.Context(), who) // refused by the domain
		return err
	}
	if !w.confirmed(rw, r, "risk.generate.title", "risk.generate.confirm", "/risks") {
		return nil
	}
	if _, err := w.s.Risks.Generate(r.Context(), who); err != nil {
		return err
	}
	return w.redirect(rw, r, "/risks", "risk.generate.done")
}

// risksExport downloads the register the actor reads as .xlsx.
func (w *Server) risksExport(rw http.ResponseWriter, r *http.Request) error {
	state := r.URL.Query().Get("state")
	if _, err := w.s.Risks.List(r.Context(), stateOf(r).who, risk.Filter{State: state}); err != nil {
		return err // refused before any header is written
	}
	name := "risks-" + time.Now().In(i18n.Tokyo).Format("20060102") + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	return w.s.Risks.Export(r.Context(), stateOf(r).who, risk.Filter{State: state}, stateOf(r).lang, rw)
}

// CanListRisks says whether the navigation offers the register: the pack analyses risks and
// the actor reads some of them (risk.CanList).
func (p *page) CanListRisks() bool {
	return p.Who != nil && p.pack != nil && p.pack.Risk.Defined() && risk.CanList(*p.Who)
}

// RiskRank is the place of a risk level on the pack's scale, for its colour.
func (p *page) RiskRank(level string) int {
	if p.pack == nil {
		return 0
	}
	return risk.LevelClass(p.pack, level)
}

// RiskScales are the pack's risk scales and treatments, for the assessment form.
func (p *page) RiskScales() policy.Risk {
	if p.pack == nil {
		return policy.Risk{}
	}
	return p.pack.Risk
}

// RiskScale is the scale a field of the assessment form chooses from.
func (p *page) RiskScale(field string) []policy.RiskScale {
	s := p.RiskScales()
	if field == "impact" || field == "residual_impact" {
		return s.Impact
	}
	return s.Likelihood
}
