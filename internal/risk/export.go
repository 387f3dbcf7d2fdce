package risk

import (
	"context"
	"io"

	"github.com/xuri/excelize/v2"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
)

// exportColumns are the workbook's columns: catalog keys of their headings.
var exportColumns = []string{"risk.field.id", "risk.field.threat", "risk.field.article", "risk.field.kind", "risk.field.group_impact",
	"risk.field.assets", "risk.field.open_findings", "risk.field.controls", "risk.field.failing", "risk.field.likelihood",
	"risk.field.impact", "risk.field.level", "risk.field.treatment", "risk.field.plan", "risk.field.owner",
	"risk.field.residual_likelihood", "risk.field.residual_impact", "risk.field.residual_level", "risk.field.state",
	"risk.field.accepted_until", "risk.field.expired"}

// Export writes the register the actor may read as an .xlsx workbook: one row per risk, every
// code named, the details of a restricted group left out as on the page.
func (s *Service) Export(ctx context.Context, who access.Actor, f Filter, lang i18n.Lang, w io.Writer) error {
	reg, err := s.List(ctx, who, f)
	if err != nil {
		return err
	}
	p, err := s.pack(ctx, who.OrgID)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := i18n.T(lang, "risk.title")
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return apperr.Wrap(err, "xlsx sheet")
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return apperr.Wrap(err, "xlsx stream")
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return apperr.Wrap(err, "xlsx style")
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return apperr.Wrap(err, "xlsx panes")
	}
	head := make([]any, len(exportColumns))
	for i, k := range exportColumns {
		head[i] = i18n.T(lang, k)
		if err := sw.SetColWidth(i+1, i+1, 16); err != nil {
			return apperr.Wrap(err, "xlsx width")
		}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return apperr.Wrap(err, "xlsx row")
	}
	restricted := i18n.T(lang, "risk.restricted")
	for n, r := range reg.Risks {
		d := Describe(p, lang, r)
		count, open := any(r.AssetCount), any(r.OpenFindings)
		controls, failing := Lines(d.ControlsN), Lines(d.FailingN)
		if r.Restricted {
			count, open, controls, failing = restricted, restricted, restricted, restricted
		}
		expired := ""
		if r.Expired {
			expired = i18n.T(lang, "risk.expired")
		}
		row := []any{r.ID, d.ThreatName, r.ThreatArticle, d.Kind, d.GroupImpactN, count, open, controls, failing,
			d.LikelihoodN, d.ImpactN, d.LevelN, d.TreatmentN, r.Plan, r.OwnerDepartmentName, d.ResidualLN, d.ResidualIN,
			d.ResidualN, d.StateN, r.AcceptedUntil, expired}
		for i, v := range row {
			if s, ok := v.(string); ok {
				row[i] = assetio.Neutralize(s)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return apperr.Wrap(err, "xlsx row")
		}
	}
	if err := sw.Flush(); err != nil {
		return apperr.Wrap(err, "xlsx flush")
	}
	if err := x.Write(w); err != nil {
		return apperr.Wrap(err, "xlsx write")
	}
	return nil
}
