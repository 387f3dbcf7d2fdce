package web

import (
	"mamori/internal/policy"
	"mamori/internal/risk"
)

// The risk matrix as a heat map, drawn here as SVG (no script, nothing fetched): likelihood
// rising upwards, impact to the right, each cell coloured by its risk level and showing the
// number of risks in it, before treatment (inherent) or after it (residual).

const (
	heatCellW, heatCellH = 120, 64
	heatLeft, heatTop    = 150, 12
	heatBottom           = 56
)

// heatColours are the fills of the risk levels, lowest first; a scale longer than this reuses
// the last.
var heatColours = []string{"#d9f2e0", "#fff0b8", "#fcd2cc", "#f4a6a0"}

type heatMap struct {
	Width, Height int
	Cells         []heatBox
	Rows          []heatLabel // likelihood names, by the rows
	Cols          []heatLabel // impact names, under the columns
	AxisX, AxisY  heatLabel
	Total         int
	Residual      bool
}

type heatBox struct {
	X, Y, W, H  int
	TX, TY      int // where the count is written
	Fill        string
	Count       int
	Level       string // the level's name
	Likelihood  string
	Impact      string
	Highlighted bool // holds a risk
	LevelY      int
}

type heatLabel struct {
	X, Y int
	Text string
}

// heatMapOf lays out one heat map of the matrix: the inherent risks or the residual ones.
func heatMapOf(p *page, h risk.Heat, residual bool) heatMap {
	rows, cols := len(h.Likelihood), len(h.Impact)
	m := heatMap{Width: heatLeft + cols*heatCellW + 8, Height: heatTop + rows*heatCellH + heatBottom, Residual: residual}
	for i, l := range h.Likelihood {
		m.Rows = append(m.Rows, heatLabel{X: heatLeft - 8, Y: heatTop + i*heatCellH + heatCellH/2 + 5, Text: l.Name})
		for j, c := range h.Cells[i] {
			n := c.Inherent
			if residual {
				n = c.Residual
			}
			x, y := heatLeft+j*heatCellW, heatTop+i*heatCellH
			m.Cells = append(m.Cells, heatBox{X: x, Y: y, W: heatCellW, H: heatCellH, TX: x + heatCellW/2, TY: y + heatCellH/2 + 14,
				LevelY: y + 18, Fill: heatColours[min(max(c.Rank, 1), len(heatColours))-1], Count: n,
				Level: policy.ScaleName(h.Levels, c.Level), Likelihood: l.Name, Impact: policy.ScaleName(h.Impact, c.Impact), Highlighted: n > 0})
			m.Total += n
		}
	}
	for j, im := range h.Impact {
		m.Cols = append(m.Cols, heatLabel{X: heatLeft + j*heatCellW + heatCellW/2, Y: heatTop + rows*heatCellH + 20, Text: im.Name})
	}
	m.AxisX = heatLabel{X: heatLeft + cols*heatCellW/2, Y: heatTop + rows*heatCellH + 44, Text: p.T("risk.field.impact")}
	m.AxisY = heatLabel{X: 12, Y: heatTop + 14, Text: p.T("risk.field.likelihood")}
	return m
}
