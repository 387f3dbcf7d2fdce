package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/org"
)

// orgCmd is `mamori org`: the organisations of this installation, a new one on a pack (a
// municipality a prefecture hosts), and the parent an organisation reports incidents upward to
// (山形県 2.1(10)⑦). Each change is audited in the organisation's own chain.
func orgCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("org: expected list, create or set-parent")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "create", "set-parent":
	default:
		return fmt.Errorf("org: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("org "+sub, stderr)
	code := fs.String("org", "", "set-parent: code of the organisation")
	parent := fs.String("parent", "", "set-parent: code of its parent organisation; \"\" clears it")
	newCode := fs.String("code", "", "create: code of the new organisation")
	name := fs.String("name", "", "create: name of the new organisation")
	kind := fs.String("kind", "municipality", "create: municipality, prefecture or board_of_education")
	pack := fs.String("pack", "", "create: the policy pack it uses (see mamori pack list)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys := access.System(0, "cli")
	switch sub {
	case "list":
		list, err := s.Org.Organizations(ctx, sys)
		if err != nil {
			return describe(err)
		}
		codes := map[int64]string{}
		for _, o := range list {
			codes[o.ID] = o.Code + " " + o.Name
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "コード\t名称\t種別\tポリシー\t上位団体")
		for _, o := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Code, o.Name, o.Kind, o.PackID, codes[o.ParentID])
		}
		tw.Flush()
	case "create":
		o, err := s.Org.CreateOrganization(ctx, sys, org.NewOrganization{Code: *newCode, Name: *name, Kind: *kind})
		if err != nil {
			return describe(err)
		}
		if *pack != "" {
			if _, err := s.Policy.Use(ctx, access.System(o.ID, "cli"), *pack); err != nil {
				return describe(err)
			}
		}
		fmt.Fprintf(stdout, "団体「%s」（%s）を作成しました。\n", o.Name, o.Code)
	case "set-parent":
		if strings.TrimSpace(*code) == "" {
			return fmt.Errorf("org set-parent: --org CODE で団体を指定してください / name the organisation with --org CODE")
		}
		o, err := orgByCode(ctx, s.Org, *code)
		if err != nil {
			return err
		}
		var p org.Organization
		if strings.TrimSpace(*parent) != "" {
			if p, err = orgByCode(ctx, s.Org, *parent); err != nil {
				return err
			}
		}
		if _, err := s.Org.SetParent(ctx, sys, o.ID, p.ID); err != nil {
			return describe(err)
		}
		if p.ID == 0 {
			fmt.Fprintf(stdout, "「%s」の上位団体を解除しました。\n", o.Name)
			return nil
		}
		fmt.Fprintf(stdout, "「%s」の上位団体を「%s」にしました。事案を上位団体のCSIRTへ報告できます。\n", o.Name, p.Name)
	}
	return nil
}

func orgByCode(ctx context.Context, s *org.Service, code string) (org.Organization, error) {
	o, err := s.OrganizationByCode(ctx, strings.TrimSpace(code))
	if apperr.CodeOf(err) == apperr.NotFound {
		return o, fmt.Errorf("団体「%s」はありません / there is no organisation with the code %q", code, code)
	}
	return o, err
}
