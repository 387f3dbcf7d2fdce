package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"mamori/internal/i18n"
	"mamori/internal/review"
)

// reviewCmd is `mamori review`: the yearly policy reviews, and one review's report — for each
// article the records of the year and the proposal with its decision — as the account sees it.
func reviewCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("review: expected list or report")
	}
	sub, args := args[0], args[1:]
	if sub != "list" && sub != "report" {
		return fmt.Errorf("review: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("review "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system, which reads every review")
	asJSON := fs.Bool("json", false, "report: print JSON")
	all := fs.Bool("all", false, "report: every article, not only those with records or a proposal")
	var id int64
	var err error
	if sub == "report" {
		if id, err = parseNumber(fs, args, "review", "見直し"); err != nil {
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
	if sub == "list" {
		list, err := s.Reviews.List(ctx, who)
		if err != nil {
			return describe(err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "番号\t年度\t状態\t提案\tポリシーの版")
		for _, r := range list {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t%s\n", r.ID, r.FiscalYear, i18n.T(i18n.Ja, "review.state."+r.State), len(r.Proposals), r.PackVersion)
		}
		tw.Flush()
		fmt.Fprintf(stdout, "全 %d 件\n", len(list))
		return nil
	}
	g, err := s.Reviews.Gather(ctx, who, id)
	if err != nil {
		return describe(err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(g)
	}
	fmt.Fprintf(stdout, "%d年度 情報セキュリティポリシーの見直し（%s）\n", g.Review.FiscalYear, i18n.T(i18n.Ja, "review.state."+g.Review.State))
	fmt.Fprintf(stdout, "ポリシー: %s %s\n決定する者: %s\n記録: %d 件\n\n", g.Review.PackID, g.Review.PackVersion, strings.Join(g.Deciders, "、"), g.Facts)
	for _, a := range g.Articles {
		if !*all && len(a.Facts) == 0 && a.Proposal == nil {
			continue
		}
		var counts []string
		for _, k := range []string{"inspection", "audit", "finding", "incident", "risk", "exception"} {
			if n := a.Counts[k]; n > 0 {
				counts = append(counts, fmt.Sprintf("%s %d", i18n.T(i18n.Ja, "review.fact."+k), n))
			}
		}
		fmt.Fprintf(stdout, "■ %s　%s\n", a.Article, strings.Join(counts, "・"))
		if pr := a.Proposal; pr != nil {
			fmt.Fprintf(stdout, "  提案: %s %s\n", i18n.T(i18n.Ja, "review.kind."+pr.Kind), pr.Text)
			if pr.Decision != "" {
				fmt.Fprintf(stdout, "  決定: %s %s（%s）\n", i18n.T(i18n.Ja, "review.decision."+pr.Decision), pr.DecisionNote, pr.DecidedBy)
			}
		}
	}
	return nil
}

// procedureCmd is `mamori procedure`: the register of 実施手順 the account may read, and a
// procedure registered with its document as that account.
func procedureCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("procedure: expected list or add")
	}
	sub, args := args[0], args[1:]
	if sub != "list" && sub != "add" {
		return fmt.Errorf("procedure: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("procedure "+sub, stderr)
	as := fs.String("as", "", "act as this account (its roles); without it the system")
	overdue := fs.Bool("overdue", false, "list: only those past their review date")
	title := fs.String("title", "", "add: the title")
	ver := fs.String("version", "", "add: the document's version (第1版 …)")
	owner := fs.String("owner", "", "add: the role id of the pack that owns it")
	var arts listFlag
	fs.Var(&arts, "article", "add: an article it implements, as the pack cites it (repeatable)")
	reviewOn := fs.String("review-on", "", "add: the next review date, YYYY-MM-DD")
	allStaff := fs.Bool("all-staff", false, "add: every member of staff may read it")
	file := fs.String("file", "", "add: the document (PDF, Word, Excel or text)")
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
	if sub == "list" {
		list, err := s.Reviews.Procedures(ctx, who, review.ProcedureFilter{Overdue: *overdue})
		if err != nil {
			return describe(err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "番号\t手順名\t版\t所管\t見直し期限\t条項")
		for _, p := range list {
			due := p.ReviewOn
			if p.Overdue {
				due += "（期限切れ）"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Title, p.DocVersion, p.OwnerRole, due, strings.Join(p.Articles, "、"))
		}
		tw.Flush()
		fmt.Fprintf(stdout, "全 %d 件\n", len(list))
		return nil
	}
	if *file == "" {
		return fmt.Errorf("procedure add: --file で文書を指定してください / give the document with --file")
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("procedure add: %w", err)
	}
	p, err := s.Reviews.AddProcedure(ctx, who, review.ProcedureInput{Title: *title, DocVersion: *ver, OwnerRole: *owner, Articles: arts,
		AllStaff: *allStaff, ReviewOn: *reviewOn, File: review.File{Name: filepath.Base(*file),
			ContentType: mime.TypeByExtension(strings.ToLower(filepath.Ext(*file))), Body: body}})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "実施手順 %d「%s」を登録しました（SHA-256 %s）\n", p.ID, p.Title, p.SHA256)
	return nil
}
