package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"mamori/internal/i18n"
	"mamori/internal/transfer"
)

// transferCmd imports a 人事異動 list (its dry run, or applied all or nothing) and lists the
// lists imported, for the 情報政策課's scripts.
func transferCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("transfer: expected import or list")
	}
	sub, args := args[0], args[1:]
	if sub != "import" && sub != "list" {
		return fmt.Errorf("transfer: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("transfer "+sub, stderr)
	dry := fs.Bool("dry-run", false, "check every row and change nothing (import)")
	state := fs.String("state", "", "only lists in this state: draft, pending, applied, withdrawn, failed (list)")
	var path string
	if sub == "import" {
		var err error
		if path, err = parseOne(fs, args, "file"); err != nil {
			return err
		}
	} else if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys, err := firstOrgActor(ctx, s)
	if err != nil {
		return err
	}
	if sub == "list" {
		lists, err := s.Transfers.Lists(ctx, sys, *state, 500)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tFILE\tSTATE\tROWS\tFROM\tTO\tUPLOADED")
		for _, l := range lists {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", l.ID, l.Filename, l.State, l.RowCount, l.FirstOn, l.LastOn, l.CreatedAt.Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	l, err := s.Transfers.Upload(ctx, sys, filepath.Base(path), data)
	if err != nil {
		return err
	}
	rep, err := s.Transfers.Check(ctx, sys, l.ID)
	if err != nil {
		return err
	}
	printTransferReport(stdout, rep)
	if !rep.OK() {
		return &exitError{code: 1, err: fmt.Errorf("transfer list %d not applied: %d rows wrong, nothing changed", l.ID, rep.Errors)}
	}
	if *dry {
		fmt.Fprintf(stdout, "dry run: list %d kept as a draft; nothing changed\n", l.ID)
		return nil
	}
	if rep, err = s.Transfers.Apply(ctx, sys, l.ID); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "list %d %s: %d moves, %d waiting for their day, %d role assignments ended\n", l.ID, rep.List.State, len(rep.Rows), rep.Later, rep.EndRoles)
	return nil
}

func printTransferReport(w io.Writer, rep transfer.Report) {
	for _, f := range rep.Missing {
		fmt.Fprintf(w, "missing column: %s\n", i18n.T(i18n.Ja, "transfer.field."+f))
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tSTAFF\tNAME\tKIND\tFROM\tTO\tDATE\tROLES ENDED\tACCOUNTS\tPROBLEMS")
	for _, r := range rep.Rows {
		to := r.ToDepartment
		if r.Destination != "" {
			to = r.Destination
		}
		problems := ""
		for i, p := range r.Problems {
			if i > 0 {
				problems += "; "
			}
			problems += i18n.T(i18n.Ja, "transfer.field."+p.Field) + ": " + i18n.T(i18n.Ja, p.Key, p.Args...)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.Row, r.EmployeeNo, r.Name, r.Kind, r.FromDepartment, to, r.EffectiveOn, len(r.EndRoles), r.Accounts, problems)
	}
	tw.Flush()
}
