package web

import (
	"net/http"

	"mamori/internal/compliance"
	"mamori/internal/policy"
)

// The compliance overview (遵守状況): open findings by department and by rule with the rule's
// article, the trend of the daily sweeps, and for administrators the rules that cannot be
// evaluated and the button that sweeps the register at once.

type complianceData struct {
	Departments []compliance.DepartmentCompliance
	Rules       []compliance.RuleCompliance
	Broken      []compliance.RuleCompliance
	Trend       []trendRow
	Chart       trendChart
	SeesAll     bool
	CanSweep    bool
	ShowBroken  bool
	// ExceptionKind is the id of the pack's exception kind (例外措置); empty when it has none.
	ExceptionKind string
}

func (w *Server) complianceOverview(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	d := complianceData{SeesAll: compliance.SeesAll(who), CanSweep: compliance.CanSweep(who), ShowBroken: compliance.CanSeeBroken(who)}
	var err error
	if d.Departments, err = w.s.Compliance.ByDepartment(ctx, who); err != nil {
		return err
	}
	if d.Rules, err = w.s.Compliance.ByRule(ctx, who); err != nil {
		return err
	}
	for i := range d.Rules {
		if d.Rules[i].Broken && d.ShowBroken {
			d.Broken = append(d.Broken, d.Rules[i])
		}
		if !d.ShowBroken {
			d.Rules[i].Error = ""
		}
	}
	p := w.newPage(r, "compliance.title", "compliance")
	if d.SeesAll {
		trend, err := w.s.Compliance.Trend(ctx, who, 90)
		if err != nil {
			return err
		}
		d.Chart, d.Trend = chartOf(trend), trendRows(p, trend)
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	d.ExceptionKind = exceptionKind(pack)
	p.Data = d
	w.render(rw, r, http.StatusOK, "compliance", p)
	return nil
}

// complianceSweep sweeps the register now, after the 確認 step.
func (w *Server) complianceSweep(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	if !compliance.CanSweep(who) {
		_, err := w.s.Compliance.RunFor(r.Context(), who) // refused by the domain
		return err
	}
	if !w.confirmed(rw, r, "compliance.sweep.title", "compliance.sweep.confirm", "/compliance") {
		return nil
	}
	if _, err := w.s.Compliance.RunFor(r.Context(), who); err != nil {
		return err
	}
	return w.redirect(rw, r, "/compliance", "compliance.sweep.done")
}

// trendRow is a day of the trend as the table shows it.
type trendRow struct {
	compliance.TrendPoint
	Shown        string // the day, as the page writes dates
	HighCritical int64
}

func trendRows(p *page, trend []compliance.TrendPoint) []trendRow {
	out := make([]trendRow, len(trend))
	for i, t := range trend {
		out[i] = trendRow{TrendPoint: t, Shown: p.Day(t.Day), HighCritical: t.Open.High + t.Open.Critical}
	}
	return out
}

// trendChart is the trend drawn as bars of open findings per day, in SVG made here.
type trendChart struct {
	Bars          []trendBar
	Width, Height int
	Max           int64
}

type trendBar struct {
	X, Y, W, H int
	Day        string
	Open       int64
	High       int // the height of the high and critical part
	HighY      int
}

const chartHeight, chartBar = 120, 12

func chartOf(trend []compliance.TrendPoint) trendChart {
	c := trendChart{Height: chartHeight, Width: max(len(trend)*(chartBar+4), 40)}
	for _, t := range trend {
		c.Max = max(c.Max, t.Open.Total())
	}
	if c.Max == 0 {
		return c
	}
	for i, t := range trend {
		h := int(t.Open.Total() * chartHeight / c.Max)
		hi := int((t.Open.High + t.Open.Critical) * chartHeight / c.Max)
		c.Bars = append(c.Bars, trendBar{X: i * (chartBar + 4), Y: chartHeight - h, W: chartBar, H: h, Day: t.Day, Open: t.Open.Total(), High: hi, HighY: chartHeight - hi})
	}
	return c
}

// exceptionKind returns the id of the kind the pack marks as requesting exceptions through the
// request engine; empty when it has none.
func exceptionKind(pack *policy.Compiled) string {
	if pack == nil {
		return ""
	}
	a, _ := pack.ExceptionKind()
	return a.ID
}
