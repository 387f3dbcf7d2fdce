package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"mamori/internal/app"
	"mamori/internal/i18n"
	"mamori/internal/incident"
)

// incidentCmd is `mamori incident`: the incidents an account sees, one with its checklist and
// timeline, a report made as that account, a report of the checklist ticked off, the 緊急連絡網,
// and the reminder sweep of overdue reports for a cron job.
func incidentCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("incident: expected list, show, report, tick, remind or contacts")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "show", "report", "tick", "remind", "contacts":
	default:
		return fmt.Errorf("incident: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("incident "+sub, stderr)
	as := fs.String("as", "", "act as this account (its department and roles); without it the system, which sees every incident")
	state := fs.String("state", "", "list: only incidents in this state (active, reported, open, contained, recovered, closed …)")
	category := fs.String("category", "", "list: only incidents of this category id of the pack")
	upward := fs.Bool("upward", false, "list: the incidents organisations below reported to the account's organisation")
	limit := fs.Int("limit", 100, "list: at most this many (up to 500)")
	var rf reportFlags
	rf.register(fs)
	step := fs.Int64("step", 0, "tick: the number of the checklist step (see show)")
	means := fs.String("means", "phone", "tick: phone, mail, in_person, fax, system or other")
	note := fs.String("note", "", "tick: who was reached and what was said")
	at := fs.String("at", "", "tick: when the report was made (YYYY-MM-DD HH:MM in Japan time, or RFC 3339); now when absent")
	var id int64
	switch sub {
	case "show", "tick":
		var err error
		if id, err = parseNumber(fs, args, "incident", "事案"); err != nil {
			return err
		}
	default:
		if err := parse(fs, args); err != nil {
			return err
		}
	}
	if (sub == "report" || sub == "tick") && strings.TrimSpace(*as) == "" {
		return fmt.Errorf("incident %s: --as LOGIN で報告・記録する職員のアカウントを指定してください / name the reporting account with --as LOGIN", sub)
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if sub == "remind" {
		return remindIncidents(ctx, s, stdout)
	}
	who, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		list, total, err := s.Incidents.List(ctx, who, incident.Filter{State: *state, Category: *category, Upward: *upward, Limit: *limit})
		if err != nil {
			return describe(err)
		}
		over, err := s.Incidents.Overdue(ctx, who)
		if err != nil {
			return describe(err)
		}
		late := map[int64]int{}
		for _, n := range over {
			late[n.IncidentID]++
		}
		printIncidents(stdout, list, late)
		fmt.Fprintf(stdout, "全 %d 件\n", total)
	case "show":
		in, err := s.Incidents.Get(ctx, who, id)
		if err != nil {
			return describe(err)
		}
		printIncident(stdout, in)
	case "report":
		in, err := rf.input()
		if err != nil {
			return err
		}
		made, err := s.Incidents.Report(ctx, who, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "事案 %d「%s」を報告しました。報告を受ける者に通知しました。\n", made.ID, made.Title)
	case "tick":
		t := incident.Tick{Means: *means, Note: *note}
		if *at != "" {
			if t.At, err = parseWhen(*at); err != nil {
				return fmt.Errorf("--at: %w", err)
			}
		}
		if *step < 1 {
			return fmt.Errorf("incident tick: --step N で連絡の番号を指定してください / name the checklist step with --step N")
		}
		n, err := s.Incidents.TickOff(ctx, who, id, *step, t)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "事案 %d: %s → %s への連絡を記録しました（%s、%s）。\n", id, n.From, n.ToName, meansText(n.Means),
			i18n.FormatDateTime(i18n.Ja, *n.DoneAt))
	case "contacts":
		list, err := s.Incidents.Contacts(ctx, who)
		if err != nil {
			return describe(err)
		}
		printContacts(stdout, list)
	}
	return nil
}

// remindIncidents runs the sweep of overdue reports once and prints what it sent.
func remindIncidents(ctx context.Context, s *app.Services, w io.Writer) error {
	sent, err := s.Incidents.Remind(ctx)
	for _, r := range sent {
		fmt.Fprintf(w, "事案 %d の連絡 %d が期限を過ぎています → %d 名に通知\n", r.IncidentID, r.StepID, r.Recipients)
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(w, "督促 %d 件を送りました。\n", len(sent))
	return nil
}

// parseWhen reads a time as people type it: RFC 3339, or "YYYY-MM-DD HH:MM" in Japan time.
func parseWhen(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006/01/02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, i18n.Tokyo); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("日時「%s」は YYYY-MM-DD HH:MM で書いてください / write the time %q as YYYY-MM-DD HH:MM", s, s)
}

var incidentStateText = map[string]string{
	incident.Reported: "報告受付（判断待ち）", incident.NotIncident: "インシデントではない", incident.Open: "対応中",
	incident.Contained: "封じ込め済み", incident.Recovered: "復旧（監視中）", incident.Closed: "終結",
}

var severityText = map[string]string{"low": "低", "medium": "中", "high": "高", "critical": "重大"}

func meansText(m string) string {
	t, ok := map[string]string{"phone": "電話", "mail": "メール", "in_person": "対面", "fax": "FAX", "system": "システム", "other": "その他"}[m]
	if !ok {
		return m
	}
	return t
}

// printIncidents lists incidents with how many reports of each are overdue (late).
func printIncidents(w io.Writer, list []incident.Incident, late map[int64]int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "番号\t状態\t重大度\t件名\t認知日時\t期限超過")
	for _, in := range list {
		title := in.Title
		if in.Restricted {
			title = "【限定】" + title
		}
		overdue := ""
		if late[in.ID] > 0 {
			overdue = strconv.Itoa(late[in.ID]) + " 件"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", in.ID, incidentStateText[in.State], severityText[in.Severity], title,
			i18n.FormatDateTime(i18n.Ja, in.DetectedAt), overdue)
	}
	tw.Flush()
}

func printIncident(w io.Writer, in incident.Incident) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("事案番号", strconv.FormatInt(in.ID, 10))
	row("件名", in.Title)
	row("状態", incidentStateText[in.State])
	if in.Restricted {
		row("閲覧", "限定（報告者・対応者・組織全体のセキュリティ責任者のみ）")
	}
	row("区分", in.Category)
	row("重大度", severityText[in.Severity])
	row("認知日時", i18n.FormatDateTime(i18n.Ja, in.DetectedAt))
	row("報告日時", i18n.FormatDateTime(i18n.Ja, in.ReportedAt))
	if in.Outside != nil {
		row("外部からの通報", in.Outside.Reporter+"（連絡先: "+in.Outside.Contact+"）")
	}
	for _, k := range slices.Sorted(maps.Keys(in.Report)) {
		row("報告事項 "+k, oneLine(fmt.Sprint(in.Report[k])))
	}
	if in.MonitoringUntil != nil {
		row("監視期間", i18n.FormatDateTime(i18n.Ja, *in.MonitoringUntil)+" まで")
	}
	row("原因", oneLine(in.RootCause))
	if in.Plan != nil {
		st := "承認待ち"
		switch {
		case in.Plan.AnnouncedAt != nil:
			st = "承認・周知済み"
		case in.Plan.Approved():
			st = "承認済み"
		}
		row("再発防止計画", st+": "+oneLine(in.Plan.Text))
	}
	row("版", strconv.Itoa(in.Version))
	tw.Flush()
	if len(in.Checklist) > 0 {
		fmt.Fprintln(w, "\n連絡チェックリスト:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  番号\t状況\t連絡する者\t連絡先\t期限\t根拠")
		for _, n := range in.Checklist {
			st := map[string]string{"open": "未了", "done": "済", "skipped": "不要"}[n.State]
			if n.Overdue {
				st = "期限超過"
			}
			due := n.Within
			if n.DueAt != nil {
				due = i18n.FormatDateTime(i18n.Ja, *n.DueAt) + "（" + n.Within + "）"
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", n.ID, st, n.From, n.ToName, due, n.Cite)
		}
		tw.Flush()
	}
	if len(in.Evidence) > 0 {
		fmt.Fprintln(w, "\n証拠:")
		for _, e := range in.Evidence {
			fmt.Fprintf(w, "  %d  %s（%d バイト, SHA-256 %s）収集 %s\n", e.ID, e.Name, e.Size, e.SHA256, i18n.FormatDateTime(i18n.Ja, e.CollectedAt))
		}
	}
	if len(in.Timeline) > 0 {
		fmt.Fprintln(w, "\n経過:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range in.Timeline {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", i18n.FormatDateTime(i18n.Ja, e.At), e.Kind, e.Actor, oneLine(e.Text))
		}
		tw.Flush()
	}
}

func printContacts(w io.Writer, list incident.ContactList) {
	warn := map[string]string{"no_holder": "担当者なし", "no_number": "連絡先電話番号なし"}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "連絡先\t担当者\t所属\t電話\t注意")
	for _, c := range list.Contacts {
		var ws []string
		for _, x := range c.Warnings {
			ws = append(ws, warn[x])
		}
		if c.External || len(c.Holders) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t\t%s\t%s\n", c.Name, c.Organization, c.Phone, strings.Join(ws, "・"))
			continue
		}
		for i, h := range c.Holders {
			name := c.Name
			if i > 0 {
				name = ""
			}
			if h.Acting {
				h.Name += "（代理）"
			}
			hw := ""
			if h.Warning != "" {
				hw = warn[h.Warning]
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", name, h.Name, h.Department, h.Phone, hw)
		}
	}
	tw.Flush()
	if list.Warnings > 0 {
		fmt.Fprintf(w, "注意 %d 件: 担当者のいない役割、又は電話番号のない担当者・連絡先があります。\n", list.Warnings)
	}
}
