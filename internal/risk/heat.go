package risk

import "mamori/internal/policy"

// Heat is the risk matrix with the number of risks in each cell, before treatment (inherent)
// and after it (residual), for the heat map.
type Heat struct {
	Likelihood []policy.RiskScale // highest first: the map's rows from the top
	Impact     []policy.RiskScale // lowest first: its columns from the left
	Levels     []policy.RiskScale
	Cells      [][]HeatCell // [row][column]
	Inherent   int          // risks placed on the map before treatment
	Residual   int          // risks with a residual risk
}

// HeatCell is one cell of the matrix.
type HeatCell struct {
	Likelihood, Impact, Level string
	Rank                      int // the level's place on its scale, 1 for the lowest
	Inherent, Residual        int
}

// HeatOf places the risks on the pack's matrix.
func HeatOf(s policy.Risk, risks []Risk) Heat {
	h := Heat{Impact: s.Impact, Levels: s.Levels}
	for i := len(s.Likelihood) - 1; i >= 0; i-- {
		h.Likelihood = append(h.Likelihood, s.Likelihood[i])
	}
	at := map[[2]string]*HeatCell{}
	for _, l := range h.Likelihood {
		row := make([]HeatCell, len(s.Impact))
		for j, im := range s.Impact {
			lv := s.LevelOf(l.ID, im.ID)
			row[j] = HeatCell{Likelihood: l.ID, Impact: im.ID, Level: lv, Rank: policy.Rank(s.Levels, lv)}
		}
		h.Cells = append(h.Cells, row)
	}
	for i := range h.Cells {
		for j := range h.Cells[i] {
			c := &h.Cells[i][j]
			at[[2]string{c.Likelihood, c.Impact}] = c
		}
	}
	for _, r := range risks {
		if r.State == StateRetired {
			continue
		}
		if c := at[[2]string{r.Likelihood, r.Impact}]; c != nil {
			c.Inherent++
			h.Inherent++
		}
		if c := at[[2]string{r.ResidualLikelihood, r.ResidualImpact}]; c != nil && r.ResidualLikelihood != "" {
			c.Residual++
			h.Residual++
		}
	}
	return h
}
