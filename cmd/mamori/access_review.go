package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"mamori/internal/accessreview"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// accessReviewCmd is `mamori access-review`: list the access reviews (棚卸し) an account reads,
// open a review of one system's or one department's accounts, and write a review's accounts and
// results by system as a workbook.
func accessReviewCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("access-review: expected list, open or export")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "open", "export":
	default:
		return fmt.Errorf("access-review: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("access-review "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system")
	title := fs.String("title", "", "open: the review's title")
	system := fs.String("system", "", "open: the system's reference, for a review of one system")
	dept := fs.String("department", "", "open: a department code, for a review of its staff's accounts")
	due := fs.String("due", "", "open: the due day (YYYY-MM-DD); the pack's due_days when absent")
	state := fs.String("state", "", "list: open or closed")
	out := fs.String("out", "", "export: the .xlsx file to write")
	var id int64
	if sub == "export" {
		var err error
		if id, err = parseNumber(fs, args, "review", "棚卸し"); err != nil {
			return err
		}
	} else if err := parse(fs, args); err != nil {
		return err
	}
	if sub == "export" && *out == "" {
		return fmt.Errorf("access-review export: --out FILE.xlsx で書き出すファイルを指定してください / name the file with --out FILE.xlsx")
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
	switch sub {
	case "open":
		in := accessreview.NewReview{Title: *title, Scope: accessreview.ScopeSystem, SystemRef: *system, DueOn: *due}
		if *dept != "" {
			ids, err := departmentIDs(ctx, s, []string{*dept})
			if err != nil {
				return err
			}
			in.Scope, in.DepartmentID = accessreview.ScopeDepartment, ids[0]
		}
		r, err := s.AccessReviews.Open(ctx, who, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "棚卸し %d「%s」を開始しました（対象ID %d件、注意あり %d件、期限 %s）。\n", r.ID, r.Title, r.Counts.Total, r.Counts.Flagged, r.DueOn)
	case "list":
		list, err := s.AccessReviews.List(ctx, who, accessreview.Filter{State: *state, Limit: 1000})
		if err != nil {
			return describe(err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "番号\t名称\t対象\t期限\t判定\t作業確認待ち\t状況")
		for _, r := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%d\t%s\n", r.ID, r.Title, r.Target(), r.DueOn, r.Counts.Decided, r.Counts.Total,
				r.Counts.Awaiting, i18n.T(i18n.Ja, r.StateKey()))
		}
		return tw.Flush()
	case "export":
		_, items, err := s.AccessReviews.Items(ctx, who, id, accessreview.ItemFilter{})
		if err != nil {
			return describe(err)
		}
		_, systems, err := s.AccessReviews.Results(ctx, who, id)
		if err != nil {
			return describe(err)
		}
		tables := accessreview.ItemTables(i18n.Ja, items, systems)
		if err := writeFile(*out, func(w io.Writer) error { return inspection.WriteXLSX(w, tables...) }); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s に書き出しました（対象ID %d件、システム %d）。\n", *out, len(items), len(systems))
	}
	return nil
}
