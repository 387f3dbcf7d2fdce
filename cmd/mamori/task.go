package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"mamori/internal/i18n"
	"mamori/internal/task"
)

// taskCmd is `mamori task`: the tasks of the pack's recurring duties (定期業務) an account
// reads, a task closed as that account with its evidence, and the year's tasks made (for cron).
func taskCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("task: expected list, done or generate")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "done", "generate":
	default:
		return fmt.Errorf("task: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("task "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system, which reads every task")
	status := fs.String("status", "", "list: overdue, current, upcoming or done")
	year := fs.Int("year", 0, "list, generate: the fiscal year (年度, from April); the current one when absent")
	role := fs.String("role", "", "list: a role id of the pack")
	mine := fs.Bool("mine", false, "list: only the tasks whose role the account holds")
	limit := fs.Int("limit", 100, "list: at most this many")
	note := fs.String("note", "", "done: what was done (required when the duty's evidence is a note)")
	file := fs.String("file", "", "done: the evidence file (PDF, PNG, JPEG, TXT, CSV, XLSX, DOCX; at most 10 MB)")
	entry := fs.Int64("entry", 0, "done: the logbook entry that is the evidence")
	tick := fs.String("tick", "", "done: the checklist items ticked, by number from 1 (1,2,3) or all")
	var id int64
	if sub == "done" {
		var err error
		if id, err = parseNumber(fs, args, "task", "定期業務"); err != nil {
			return err
		}
	} else if err := parse(fs, args); err != nil {
		return err
	}
	if sub == "done" && strings.TrimSpace(*as) == "" {
		return fmt.Errorf("task done: --as LOGIN で完了する担当者のアカウントを指定してください / name the holder's account with --as LOGIN")
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
		fy = task.FiscalYear(s.Now())
	}
	switch sub {
	case "list":
		list, total, err := s.Tasks.List(ctx, who, task.Filter{Status: *status, FiscalYear: fy, Role: *role, Mine: *mine, Limit: *limit})
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "定期業務 全 %d 件\n", total)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "番号\t期限\t状態\t定期業務\t役割\t所属・システム\t担当者\t証跡")
		for _, t := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.DueOn, i18n.T(i18n.Ja, "tasks.status."+t.Status), oneLine(t.Text),
				t.RoleName, task.ScopeName(t), task.HolderNames(t, i18n.T(i18n.Ja, "tasks.acting")), i18n.T(i18n.Ja, "tasks.evidence."+t.Evidence))
		}
		tw.Flush()
	case "done":
		in := task.Completion{Note: *note, LogbookEntryID: *entry}
		if *file != "" {
			body, err := os.ReadFile(*file)
			if err != nil {
				return fmt.Errorf("--file: %s を読めません / cannot read %s: %v", *file, *file, err)
			}
			in.File = &task.Upload{Name: filepath.Base(*file), Body: body}
		}
		if *tick != "" {
			t, err := s.Tasks.Get(ctx, who, id)
			if err != nil {
				return describe(err)
			}
			if in.Ticked, err = ticks(*tick, len(t.Checklist)); err != nil {
				return err
			}
		}
		t, err := s.Tasks.Complete(ctx, who, id, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "定期業務 %d「%s」を完了しました（%s）。\n", t.ID, oneLine(t.Text), t.DoneBy)
	case "generate":
		g, err := s.Tasks.Generate(ctx, who.OrgID, fy)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%d 年度の定期業務を %d 件作成しました。\n", fy, g.Created)
	}
	return nil
}

// ticks reads --tick: "all", or item numbers from 1 separated by commas, as checklist indexes.
func ticks(s string, n int) ([]int, error) {
	if s == "all" {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || k < 1 {
			return nil, fmt.Errorf("--tick: 「%s」は確認項目の番号ではありません / %q is not an item number", part, part)
		}
		out = append(out, k-1)
	}
	return out, nil
}
