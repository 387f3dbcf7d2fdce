package web

import (
	"mamori/internal/compliance"
	"mamori/internal/desk"
	"mamori/internal/incident"
	"mamori/internal/transfer"
)

// The organisation's state at a glance, with two small bar charts drawn here as inline SVG (no
// script): the open findings by severity and this fiscal year's incidents by state. Each chart
// is an image with a name; the same figures follow it in a table, its text alternative.

type overviewView struct {
	Findings       deskChart
	Departments    []compliance.DepartmentOpen
	Incidents      deskChart
	Since          string
	OverdueReturns int
	OverdueSteps   int
	OverdueConfirm int
	OverdueTasks   int
	Vacant         []transfer.Vacancy
	Pending        []transfer.List
}

// deskChart is a horizontal bar chart: a label, a bar and the figure on each row.
type deskChart struct {
	ID            string // the id of its table, which the image names as its description
	Name          string // what the image shows, for those who cannot see it
	Width, Height int
	Bars          []deskBar
	Total         int64
}

type deskBar struct {
	Label string
	N     int64
	Class string // the colour: a severity or an incident's status
	// Where it is drawn.
	Y, W, TextY, NX int
}

const (
	deskChartLabel = 150 // width of the labels
	deskChartBarW  = 280 // width of the longest bar
	deskChartRow   = 28
	deskChartBarH  = 18
)

func newDeskChart(id, name string, bars []deskBar) deskChart {
	c := deskChart{ID: id, Name: name, Width: deskChartLabel + deskChartBarW + 64, Height: deskChartRow*len(bars) + 4}
	var most int64
	for _, b := range bars {
		most = max(most, b.N)
		c.Total += b.N
	}
	for i := range bars {
		b := &bars[i]
		b.Y = i*deskChartRow + 4
		b.TextY = b.Y + deskChartBarH - 4
		if most > 0 {
			b.W = int(b.N * deskChartBarW / most)
		}
		if b.N > 0 {
			b.W = max(b.W, 2)
		}
		b.NX = deskChartLabel + b.W + 6
	}
	c.Bars = bars
	return c
}

func newOverview(p *page, o desk.Overview) *overviewView {
	v := &overviewView{Departments: o.Departments, Since: p.Date(o.IncidentsSince), OverdueReturns: o.OverdueReturns,
		OverdueSteps: o.OverdueSteps, OverdueConfirm: o.OverdueConfirmations,
		OverdueTasks: o.OverdueTasks, Vacant: o.VacantRoles, Pending: o.PendingTransfers}
	f := o.Findings
	sev := []deskBar{
		{Label: p.Label("policy.severity.", "critical"), N: f.Critical, Class: "critical"},
		{Label: p.Label("policy.severity.", "high"), N: f.High, Class: "high"},
		{Label: p.Label("policy.severity.", "medium"), N: f.Medium, Class: "medium"},
		{Label: p.Label("policy.severity.", "low"), N: f.Low, Class: "low"},
	}
	if f.Restricted > 0 {
		sev = append(sev, deskBar{Label: p.T("compliance.severity_withheld"), N: f.Restricted, Class: "restricted"})
	}
	v.Findings = newDeskChart("desk-findings-table", p.T("desk.overview.findings_chart"), sev)
	var states []deskBar
	for _, st := range []string{incident.Reported, incident.Open, incident.Contained, incident.Recovered, incident.Closed, incident.NotIncident} {
		states = append(states, deskBar{Label: p.Label("incidents.state.", st), N: int64(o.Incidents[st]), Class: p.IncidentStatus(st)})
	}
	v.Incidents = newDeskChart("desk-incidents-table", p.T("desk.overview.incidents_chart", v.Since), states)
	return v
}
