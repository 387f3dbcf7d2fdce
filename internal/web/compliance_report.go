package web

import (
	"net/http"

	"mamori/internal/auditlog"
	"mamori/internal/compliance"
	"mamori/internal/task"
)

// The compliance report for the 情報セキュリティ委員会, printed on A4: the totals, each rule with
// its article, each department, the exceptions in force and the broken rules, with the trend.

// complianceReportData is the report with its dates as the committee reads them, the exceptions
// with their days left, the trend as chart and table, and the chain's latest checkpoint.
type complianceReportData struct {
	Report     compliance.Report
	Generated  string // in 和暦
	LastDay    string // the last sweep's day; empty when none ran
	Exceptions []exceptionRow
	Chart      trendChart
	Trend      []trendRow
	Anchor     *auditlog.AnchorStatus
	// Tasks are the recurring duties of the fiscal year: counted by status, the overdue ones
	// listed.
	Tasks     task.Summary
	TaskRows  []taskRow
	TaskYear  string
	TasksMore int
}

// reportTaskRows is how many overdue tasks the report lists; the rest are counted.
const reportTaskRows = 50

func (w *Server) complianceReport(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	rep, err := w.s.Compliance.Report(ctx, who)
	if err != nil {
		return err
	}
	// The chain's latest signed checkpoint, for the committee to keep on paper.
	anchor, err := w.s.Audit.Anchored(ctx, who)
	if err != nil {
		return err
	}
	p := w.newPage(r, "compliance.report.title", "compliance")
	p.Crumbs = []crumb{{p.T("compliance.title"), "/compliance"}}
	d := complianceReportData{Report: rep, Generated: p.Date(rep.Generated), Exceptions: exceptionRows(p, rep.Exceptions, w.s.Now()),
		Chart: chartOf(rep.Trend), Trend: trendRows(p, rep.Trend),
		Anchor: anchor}
	if d.Tasks, err = w.s.Tasks.SummaryOf(ctx, who, reportTaskRows); err != nil {
		return err
	}
	for _, t := range d.Tasks.Overdue {
		d.TaskRows = append(d.TaskRows, taskRowOf(p, t))
	}
	d.TaskYear, d.TasksMore = fiscalYearName(p.Lang, d.Tasks.FiscalYear), d.Tasks.OverdueTotal-len(d.TaskRows)
	if rep.LastSweep != nil {
		d.LastDay = p.Day(rep.LastSweep.Day)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "compliance_report", p)
	return nil
}
