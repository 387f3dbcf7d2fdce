package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"mamori/internal/sysaccount"
)

// accountCmd is `mamori account`: the accounts of the organisation's systems (利用者ID) an
// account reads, with the findings of the pack's account rules, and the import of a system's
// account list (a dry run unless --apply).
func accountCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("account: expected list or import")
	}
	sub, args := args[0], args[1:]
	if sub != "list" && sub != "import" {
		return fmt.Errorf("account: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("account "+sub, stderr)
	as := fs.String("as", "", "act as this account (its department and roles); without it the system, which reads every account")
	system := fs.String("system", "", "the system's reference in the register")
	kind := fs.String("kind", "", "list: only this kind (personal, privileged, shared, emergency, service)")
	flag := fs.String("flag", "", "list: only accounts failing this account rule id, or any")
	state := fs.String("state", "", "list: active (default), removed or all")
	apply := fs.Bool("apply", false, "import: apply the list (without it, only check it)")
	file := fs.String("file", "", "import: the account list (.csv or .xlsx)")
	removeMissing := fs.Bool("remove-missing", false, "import: mark the system's accounts the list does not name as removed")
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
	if sub == "import" {
		if *file == "" {
			return fmt.Errorf("account import: --file is required (.csv or .xlsx)")
		}
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		rep, err := s.SystemAccounts.Import(ctx, who, filepath.Base(*file), f,
			sysaccount.ImportOptions{SystemRef: *system, DryRun: !*apply, RemoveMissing: *removeMissing})
		if err != nil {
			return describe(err)
		}
		return printAccountImport(stdout, rep, *apply)
	}
	list, err := s.SystemAccounts.All(ctx, who, sysaccount.Filter{SystemRef: *system, Kind: *kind, Flag: *flag, State: *state})
	if err != nil {
		return describe(err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "番号\tシステム\tID\t種別\t利用者\t最終ログイン\tパスワード変更\t指摘")
	for _, a := range list {
		owner := a.OwnerName
		if owner == "" {
			owner = a.ResponsibleName
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, short(a.SystemRef), a.Login, a.Kind, dash(owner), dash(a.LastLoginOn),
			dash(a.PasswordChangedOn), dash(strings.Join(a.Findings, ",")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d 件\n", len(list))
	return nil
}

// printAccountImport reports an account import row by row and in sum, from a file or the
// directory; a list with errors changed nothing.
func printAccountImport(stdout io.Writer, rep sysaccount.ImportReport, apply bool) error {
	for _, e := range rep.Errors {
		fmt.Fprintf(stdout, "%d 行目「%s」: %s\n", e.Row, e.Column, e.Message)
	}
	fmt.Fprintf(stdout, "%d 行: 新規 %d、変更 %d、変更なし %d、ファイルにないID %d、エラー %d\n",
		rep.Rows, rep.New, rep.Changed, rep.Unchanged, rep.Missing, len(rep.Errors))
	switch {
	case len(rep.Errors) > 0:
		return fmt.Errorf("エラーのある行があるため、何も変更していません")
	case rep.Applied:
		fmt.Fprintf(stdout, "取り込みました（抹消 %d 件）\n", rep.Removed)
	case !apply:
		fmt.Fprintln(stdout, "確認だけを行いました。取り込むには --apply を付けてください")
	}
	return nil
}
