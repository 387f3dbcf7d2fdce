package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// inspectionCmd is `mamori inspection`: start a 自己点検 campaign of the pack's checklist, list
// the campaigns an account reads, and write a campaign's progress and answers as a workbook.
func inspectionCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("inspection: expected start, list or export")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "start", "list", "export":
	default:
		return fmt.Errorf("inspection: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("inspection "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system")
	year := fs.Int("year", 0, "start: the fiscal year (年度), e.g. 2026")
	title := fs.String("title", "", "start: the campaign's title")
	opens := fs.String("opens", "", "start: the first day (YYYY-MM-DD); today when absent")
	deadline := fs.String("deadline", "", "start: the last day answers are taken (YYYY-MM-DD, Japan time)")
	var depts listFlag
	fs.Var(&depts, "department", "start: a department code it goes to (repeatable); every department with a security manager when absent")
	out := fs.String("out", "", "export: the .xlsx file to write")
	var id int64
	if sub == "export" {
		var err error
		if id, err = parseNumber(fs, args, "campaign", "自己点検"); err != nil {
			return err
		}
	} else if err := parse(fs, args); err != nil {
		return err
	}
	if sub == "export" && *out == "" {
		return fmt.Errorf("inspection export: --out FILE.xlsx で書き出すファイルを指定してください / name the file with --out FILE.xlsx")
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
	case "start":
		in := inspection.NewCampaign{FiscalYear: *year, Title: *title, OpensOn: *opens, Deadline: *deadline}
		if in.DepartmentIDs, err = departmentIDs(ctx, s, depts); err != nil {
			return err
		}
		c, err := s.Inspections.Start(ctx, who, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "自己点検 %d「%s」を開始しました（%d項目、回答票 %d、回答期限 %s）。\n", c.ID, c.Title, c.Items, c.Sheets, c.Deadline)
	case "list":
		list, err := s.Inspections.Campaigns(ctx, who)
		if err != nil {
			return describe(err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "番号\t年度\t名称\t回答期限\t提出\t状況")
		for _, c := range list {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%d/%d\t%s\n", c.ID, c.FiscalYear, c.Title, c.Deadline, c.Submitted, c.Sheets,
				i18n.T(i18n.Ja, "inspection.campaign_state."+c.State))
		}
		return tw.Flush()
	case "export":
		pr, err := s.Inspections.Campaign(ctx, who, id)
		if err != nil {
			return describe(err)
		}
		answers, err := s.Inspections.AnswersTable(ctx, who, id, i18n.Ja)
		if err != nil {
			return describe(err)
		}
		t := func(k string) string { return i18n.T(i18n.Ja, k) }
		progress := inspection.Table{
			Name: t("inspection.progress.title"),
			Head: []string{t("inspection.field.department"), t("inspection.field.state"), t("inspection.field.answered"), t("inspection.field.items"),
				t("inspection.answer.not_done"), t("inspection.field.deadline")},
			Rows: func(emit func([]any) error) error {
				for _, sh := range pr.Sheets {
					if err := emit([]any{sh.Name(), t("inspection.sheet_state." + sh.State), sh.Answered, sh.Items, sh.Counts.NotDone, sh.Deadline}); err != nil {
						return err
					}
				}
				return nil
			},
		}
		if err := writeFile(*out, func(w io.Writer) error { return inspection.WriteXLSX(w, progress, answers) }); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s に書き出しました（回答票 %d）。\n", *out, len(pr.Sheets))
	}
	return nil
}

// departmentIDs finds departments by code.
func departmentIDs(ctx context.Context, s *app.Services, codes []string) ([]int64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	o, err := s.Org.First(ctx)
	if err != nil {
		return nil, err
	}
	tree, err := s.Org.Tree(ctx, access.System(o.ID, "cli"))
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, code := range codes {
		found := false
		for _, d := range tree {
			if d.Code == strings.TrimSpace(code) {
				out = append(out, d.ID)
				found = true
			}
		}
		if !found {
			return nil, describe(apperr.InvalidField("department", "inspection.error.department", len(out)+1))
		}
	}
	return out, nil
}
