package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"mamori/internal/audit"
	"mamori/internal/i18n"
)

// The 情報セキュリティ監査 from the command line: `mamori audit list` (the year's audits),
// `mamori audit report ID` (the report as text, or issued with --issue) and `mamori audit
// suggest` (departments to audit first). The other `audit` subcommands are the audit log's.

func auditEngagement(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("audit "+sub, stderr)
	as := fs.String("as", "", "act as this account (its department and roles); without it the system, which reads every audit")
	year := fs.Int("year", 0, "list, suggest: fiscal year (年度); list: every year when 0, suggest: this year when 0")
	issue := fs.Bool("issue", false, "report: issue the report with the texts given (needs --as of the chief auditor or the team's lead)")
	intro := fs.String("intro", "", "report --issue: はじめに")
	summary := fs.String("summary", "", "report --issue: 監査の概要")
	opinion := fs.String("opinion", "", "report --issue: 監査の結果と意見")
	remarks := fs.String("remarks", "", "report --issue: 特記事項")
	var id int64
	if sub == "report" {
		var err error
		if id, err = parseNumber(fs, args, "audit", "監査"); err != nil {
			return err
		}
	} else if err := parse(fs, args); err != nil {
		return err
	}
	if *issue && strings.TrimSpace(*as) == "" {
		return fmt.Errorf("audit report --issue: --as LOGIN で発行する監査統括責任者のアカウントを指定してください / name the issuing account with --as LOGIN")
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
	t := func(k string, a ...any) string { return i18n.T(i18n.Ja, k, a...) }
	switch sub {
	case "list":
		list, err := s.Audits.List(ctx, who, *year)
		if err != nil {
			return describe(err)
		}
		for _, a := range list {
			depts := make([]string, len(a.Departments))
			for i, n := range a.Departments {
				depts[i] = n.Name
			}
			fmt.Fprintf(stdout, "%d\t%d年度\t%s\t%s\t%s〜%s\t%s\t指摘 %d/%d\n", a.ID, a.FiscalYear, a.Title, strings.Join(depts, "、"),
				a.StartsOn, a.EndsOn, t("audits.state."+a.State), a.OpenFindings, a.TotalFindings)
		}
		fmt.Fprintf(stdout, "全 %d 件\n", len(list))
	case "suggest":
		y := *year
		if y == 0 {
			y = audit.FiscalYear(s.Now())
		}
		list, err := s.Audits.Suggest(ctx, who, y)
		if err != nil {
			return describe(err)
		}
		for i, g := range list {
			last := "監査なし"
			if g.LastAudited != 0 {
				last = fmt.Sprintf("%d年度", g.LastAudited)
			}
			fmt.Fprintf(stdout, "%d\t%s\t%.0f\t%s\n", i+1, g.DepartmentName, g.Score, last)
		}
	case "report":
		if *issue {
			if _, err := s.Audits.IssueReport(ctx, who, id, audit.ReportInput{Intro: *intro, Summary: *summary, Opinion: *opinion, Remarks: *remarks}); err != nil {
				return describe(err)
			}
		}
		dt, err := s.Audits.Get(ctx, who, id)
		if err != nil {
			return describe(err)
		}
		printAuditReport(stdout, dt, t)
	}
	return nil
}

// printAuditReport writes the report in its four parts, with the findings and the hash.
func printAuditReport(w io.Writer, d audit.Detail, t func(string, ...any) string) {
	fmt.Fprintf(w, "%s\n%s（%s）\n", t("audits.report.title"), d.Title, t("audits.state."+d.State))
	if d.Report.IssuedAt != nil {
		fmt.Fprintf(w, "発行 %s\n", i18n.FormatDateTime(i18n.Ja, *d.Report.IssuedAt))
	}
	depts := make([]string, len(d.Departments))
	for i, n := range d.Departments {
		depts[i] = n.Name
	}
	fmt.Fprintf(w, "\n1 %s\n%s\n\n2 %s\n被監査部門: %s\n監査基準: %s\n期間: %s〜%s\n%s\n\n3 %s\n", t("audits.report.intro"), d.Report.Intro,
		t("audits.report.summary"), strings.Join(depts, "、"), strings.Join(d.Criteria, "、"), d.StartsOn, d.EndsOn, d.Report.Summary,
		t("audits.report.opinion"))
	for _, f := range d.Findings {
		fmt.Fprintf(w, "- [%s] %s（%s %s）原因: %s\n", t("audits.result."+f.Grade), f.Title, f.DepartmentName, f.Article, f.RootCause)
	}
	fmt.Fprintf(w, "%s\n\n4 %s\n%s\n", d.Report.Opinion, t("audits.report.remarks"), d.Report.Remarks)
	if d.Report.SHA256 != "" {
		fmt.Fprintf(w, "\nSHA-256: %s\n", d.Report.SHA256)
	}
}
