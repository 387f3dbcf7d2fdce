package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/risk"
)

// riskCmd is `mamori risk`: the risk register an account reads, and the generation of the
// candidates from the register and the compliance state (as the 情報政策課, or as the system).
func riskCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("risk: expected list or generate")
	}
	sub, args := args[0], args[1:]
	if sub != "list" && sub != "generate" {
		return fmt.Errorf("risk: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("risk "+sub, stderr)
	as := fs.String("as", "", "act as this account (its department and roles); without it the system, which reads every risk")
	state := fs.String("state", "", "list: only risks in this state (candidate, assessed, accepted, retired)")
	threat := fs.String("threat", "", "list: only risks of this threat id of the pack")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	who, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	if sub == "generate" {
		g, err := s.Risks.Generate(ctx, who)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "資産グループ %d、資産 %d 件: リスク %d 件を作成、%d 件を更新、%d 件を対象なし（未評価 %d 件）\n",
			g.Groups, g.Assets, g.Created, g.Updated, g.Retired, g.Candidate)
		return nil
	}
	reg, err := s.Risks.List(ctx, who, risk.Filter{State: *state, Threat: *threat})
	if err != nil {
		return describe(err)
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return describe(err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "番号\t脅威\t資産グループ\t資産数\tリスク\t対応\t残留\t状態")
	for _, r := range reg.Risks {
		x := risk.Describe(p, i18n.Ja, r)
		count := fmt.Sprint(r.AssetCount)
		if r.Restricted {
			count = "非表示"
		}
		state := x.StateN
		if r.Expired {
			state += "（受容期限切れ）"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s・影響度%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, short(x.ThreatName), x.Kind, x.GroupImpactN, count,
			x.LevelN, dash(x.TreatmentN), dash(policy.ScaleName(p.Risk.Levels, r.ResidualLevel)), state)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d 件\n", len(reg.Risks))
	return nil
}

// short cuts a threat's long name for a terminal line.
func short(s string) string {
	r := []rune(s)
	if len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
