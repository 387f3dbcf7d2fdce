package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"mamori/internal/i18n"
	"mamori/internal/pledge"
)

// pledgeCmd is `mamori pledge`: the pack's pledges (同意書・誓約書) with how many have signed,
// and the people who have not signed (or must sign again), as an account reads them.
func pledgeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("pledge: expected list or status")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "status":
	default:
		return fmt.Errorf("pledge: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("pledge "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system, which reads everyone's pledges")
	id := fs.String("pledge", "", "status: only this pledge id of the pack")
	state := fs.String("state", "", "status: unsigned, resign, signed or all; unsigned and resign when absent")
	dept := fs.Int64("department", 0, "status: only this department id")
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
	f := pledge.Filter{PledgeID: *id, State: *state, DepartmentID: *dept}
	if sub == "list" {
		f = pledge.Filter{}
	}
	b, err := s.Pledges.Status(ctx, who, f)
	if err != nil {
		return describe(err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	defer tw.Flush()
	t := func(k string) string { return i18n.T(i18n.Ja, k) }
	if sub == "list" {
		fmt.Fprintln(tw, "ID\t同意書・誓約書\t条項\t対象\t署名済\t未署名\t要再署名\t本文のSHA-256")
		for _, ps := range b.Pledges {
			c := ps.Count
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", ps.Pledge.ID, ps.Pledge.Title, ps.Pledge.Cite.Article,
				c.Bound, c.Signed, c.Unsigned, c.Resign, ps.TextSHA256[:16])
		}
		return nil
	}
	fmt.Fprintf(stdout, "対象者 全 %d 件\n", len(b.Items))
	fmt.Fprintln(tw, "職員番号\t氏名\t所属\t任用形態\t同意書・誓約書\t状況\t署名の時期\t最終署名")
	for _, it := range b.Items {
		last := ""
		if it.Last != nil {
			last = it.Last.SignedOn + " " + t("pledges.method."+it.Last.Method)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.EmployeeNo, it.Name, it.DepartmentName, t("staff.employment."+it.Employment),
			it.Title, t("pledges.state."+it.State), it.DueOn, last)
	}
	return nil
}
