package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"mamori/internal/i18n"
	"mamori/internal/training"
)

// trainingCmd is `mamori training`: the year's plan and its courses' completion, an attendance
// sheet imported (checked first; --dry-run changes nothing; any row with a problem and nothing is
// recorded), and the completion report by department × 職員区分 with the names still missing.
func trainingCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("training: expected list, import or report")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "import", "report":
	default:
		return fmt.Errorf("training: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("training "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system, which reads and plans everything")
	year := fs.Int("year", 0, "the fiscal year (年度, from April); the current one when absent")
	course := fs.String("course", "", "report: only this course id")
	dryRun := fs.Bool("dry-run", false, "import: check every row and report; record nothing")
	var file string
	if sub == "import" {
		var err error
		if file, err = parseOne(fs, args, "attendance sheet"); err != nil {
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
	who, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	fy := *year
	if fy == 0 {
		fy = training.FiscalYear(s.Now())
	}
	pl, err := s.Trainings.PlanFor(ctx, who, fy)
	if err != nil {
		return describe(err)
	}
	switch sub {
	case "list":
		fmt.Fprintf(stdout, "%s 研修計画（%s）\n", fiscalYearJa(fy), pl.PackVersion)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\t研修・訓練\t形式\t実施\t期限\t根拠\t受講済\t対象\t期限切れ")
		for _, c := range pl.Courses {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", c.ID, c.Name, i18n.T(i18n.Ja, "training.format."+c.Format), c.RunByName,
				c.DueOn, c.Cite, c.Completed, c.Assigned, c.Overdue)
		}
		return tw.Flush()
	case "import":
		body, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("ファイル「%s」を読めません / cannot read %s: %w", file, file, err)
		}
		im, err := s.Trainings.Upload(ctx, who, pl.ID, filepath.Base(file), body)
		if err != nil {
			return describe(err)
		}
		if im, err = s.Trainings.Check(ctx, who, im.ID, nil); err != nil {
			return describe(err)
		}
		r := im.Report
		for _, c := range im.Columns {
			fmt.Fprintf(stdout, "列 %s「%s」→ %s\n", c.Letter, c.Header, fieldName(c.Field))
		}
		fmt.Fprintf(stdout, "%d 行: 記録する %d、受講済 %d、対象外の受講 %d、エラー %d\n", r.Rows, r.New, r.Already, r.Extra, len(r.Errors))
		for _, e := range r.Errors {
			args := make([]any, len(e.Args))
			for i, a := range e.Args {
				args[i] = a
			}
			fmt.Fprintf(stdout, "  %d 行目 %s: %s / %s\n", e.Row, e.Column, i18n.T(i18n.Ja, e.Key, args...), i18n.T(i18n.En, e.Key, args...))
		}
		if len(r.Errors) > 0 {
			return fmt.Errorf("エラーが %d 件あるため何も記録していません / %d rows have errors: nothing recorded", len(r.Errors), len(r.Errors))
		}
		if *dryRun {
			fmt.Fprintln(stdout, "確認のみ（--dry-run）：何も記録していません / dry run: nothing recorded")
			return nil
		}
		im, err = s.Trainings.Apply(ctx, who, im.ID)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%d 件の受講を記録しました / %d recorded\n", im.Report.Applied, im.Report.Applied)
		return nil
	}
	m, err := s.Trainings.Matrix(ctx, who, pl.ID, *course)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "%s 研修受講状況：%d / %d 件（%d%%）\n", fiscalYearJa(fy), m.Total.Completed, m.Total.Assigned, m.Total.Rate())
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	head := []string{"所属"}
	for _, e := range m.Employments {
		head = append(head, i18n.T(i18n.Ja, "staff.employment."+e))
	}
	fmt.Fprintln(tw, strings.Join(append(head, "計"), "\t"))
	for _, r := range m.Rows {
		cells := []string{r.Department}
		for _, e := range m.Employments {
			if c := r.Cells[e]; c != nil {
				cells = append(cells, fmt.Sprintf("%d%% (%d/%d)", c.Rate(), c.Completed, c.Assigned))
			} else {
				cells = append(cells, "—")
			}
		}
		fmt.Fprintln(tw, strings.Join(append(cells, fmt.Sprintf("%d%% (%d/%d)", r.Total.Rate(), r.Total.Completed, r.Total.Assigned)), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "未受講者")
	for _, r := range m.Rows {
		for _, a := range r.Missing {
			late := ""
			if a.Overdue {
				late = " 期限切れ"
			}
			fmt.Fprintf(stdout, "  %s\t%s %s\t%s\t期限 %s%s\n", r.Department, a.EmployeeNo, a.Name, a.CourseName, a.DueOn, late)
		}
	}
	return nil
}

func fieldName(f string) string {
	if f == training.FieldSkip {
		return i18n.T(i18n.Ja, "import.leave_out")
	}
	return i18n.T(i18n.Ja, "training.import.field."+f)
}

// fiscalYearJa is 令和8年度.
func fiscalYearJa(fy int) string {
	return i18n.WarekiYear(time.Date(fy, time.April, 1, 12, 0, 0, 0, i18n.Tokyo)) + "度"
}
