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

	"mamori/internal/app"
	"mamori/internal/i18n"
	"mamori/internal/request"
)

// requestCmd is `mamori request`: the requests (申請) an account may see, its inbox, a decision
// made as that account, and the reminder sweep for a cron job.
func requestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("request: expected list, show, inbox, decide or remind")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "show", "inbox", "decide", "remind":
	default:
		return fmt.Errorf("request: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("request "+sub, stderr)
	as := fs.String("as", "", "act as this account (its department and roles); without it the system, which sees every request")
	state := fs.String("state", "", "list: only requests in this state (pending, approved …)")
	kind := fs.String("kind", "", "list: only requests of this approval kind id")
	mine := fs.Bool("mine", false, "list: only the account's own requests")
	limit := fs.Int("limit", 100, "list: at most this many (up to 500)")
	decision := fs.String("decision", "", "decide: approve, reject or send_back")
	comment := fs.String("comment", "", "decide: the comment (required to reject or send back)")
	version := fs.Int("version", 0, "decide: the version of the request seen; a request changed since is refused")
	var id int64
	switch sub {
	case "show", "decide":
		var err error
		if id, err = parseNumber(fs, args, "request", "申請"); err != nil {
			return err
		}
	default:
		if err := parse(fs, args); err != nil {
			return err
		}
	}
	if (sub == "inbox" || sub == "decide") && strings.TrimSpace(*as) == "" {
		return fmt.Errorf("request %s: --as LOGIN で決裁する利用者を指定してください / name the deciding account with --as LOGIN", sub)
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if sub == "remind" {
		return remindNow(ctx, s, stdout)
	}
	who, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		list, total, err := s.Requests.List(ctx, who, request.Filter{State: *state, Kind: *kind, Mine: *mine, Limit: *limit})
		if err != nil {
			return describe(err)
		}
		printRequests(stdout, list)
		fmt.Fprintf(stdout, "全 %d 件\n", total)
	case "inbox":
		list, err := s.Requests.Inbox(ctx, who)
		if err != nil {
			return describe(err)
		}
		if len(list) == 0 {
			fmt.Fprintln(stdout, "決裁待ちの申請はありません。")
			return nil
		}
		printRequests(stdout, list)
		fmt.Fprintf(stdout, "決裁待ち %d 件\n", len(list))
	case "show":
		r, err := s.Requests.Get(ctx, who, id)
		if err != nil {
			return describe(err)
		}
		printRequest(stdout, r)
	case "decide":
		r, err := s.Requests.Decide(ctx, who, id, request.Decision{Decision: *decision, Comment: *comment, Version: *version})
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "申請 %d を%sしました（現在の状態: %s）。\n", r.ID, i18n.T(i18n.Ja, "request.action."+*decision), stateText(r))
	}
	return nil
}

// remindNow runs the reminder sweep once and prints what it sent.
func remindNow(ctx context.Context, s *app.Services, w io.Writer) error {
	sent, err := s.Requests.Remind(ctx)
	for _, r := range sent {
		what := "返却期限超過"
		if r.Kind == request.NoticePostHocLate {
			what = "事後報告の決裁待ち"
		}
		fmt.Fprintf(w, "申請 %d %s: %s（%s、期限 %s）→ %d 名に通知\n", r.RequestID, what, r.KindName, r.Applicant, r.Due, r.Recipients)
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(w, "督促 %d 件を送りました。\n", len(sent))
	return nil
}

func stateText(r request.Request) string {
	t := i18n.T(i18n.Ja, "request.state."+r.State)
	if r.State == request.Pending && len(r.Route.Steps) > 1 {
		t += fmt.Sprintf("（第%d段階）", r.Step+1)
	}
	return t
}

func printRequests(w io.Writer, list []request.Request) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "番号\t状態\t申請の種類\t申請者\t所属\t申請日")
	for _, r := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, stateText(r), r.KindName, r.ApplicantName, r.DepartmentName, i18n.Wareki(r.CreatedAt))
	}
	tw.Flush()
}

func printRequest(w io.Writer, r request.Request) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("申請番号", strconv.FormatInt(r.ID, 10))
	row("申請の種類", r.KindName)
	row("根拠", r.Cite)
	row("状態", stateText(r))
	row("申請者", r.ApplicantName+"（"+r.DepartmentName+"）")
	row("申請日", i18n.Wareki(r.CreatedAt))
	if r.PostHoc && r.ActedAt != nil {
		late := ""
		if r.ReportedLate {
			late = "（報告期限後の報告）"
		}
		row("事後の報告", "措置 "+i18n.FormatDateTime(i18n.Ja, *r.ActedAt)+late)
	}
	row("返却予定日", r.DueOn)
	row("持ち出し日", r.TakenOutOn)
	row("返却日", r.ReturnedOn)
	if r.Disposal != nil {
		row("廃棄", r.Disposal.On+" "+r.Disposal.Method)
	}
	for _, id := range r.AssetIDs {
		row("対象資産", "#"+strconv.FormatInt(id, 10))
	}
	for _, k := range slices.Sorted(maps.Keys(r.Fields)) {
		v := fmt.Sprint(r.Fields[k])
		if request.IsWithheld(r.Fields[k]) {
			v = "（" + i18n.T(i18n.Ja, "requests.withheld") + "）"
		}
		row("項目 "+k, v)
	}
	for _, a := range r.Attachments {
		row("添付", fmt.Sprintf("%s（%d バイト, SHA-256 %s）", a.Name, a.Size, a.SHA256))
	}
	row("版", strconv.Itoa(r.Version))
	tw.Flush()
	if len(r.Events) > 0 {
		fmt.Fprintln(w, "\n経過:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, e := range r.Events {
			capacity := ""
			if e.Capacity == request.AsActing {
				capacity = "（代理）"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s%s\t%s\n", i18n.FormatDateTime(i18n.Ja, e.At), i18n.T(i18n.Ja, "request.action."+e.Action),
				e.ActorName, capacity, oneLine(e.Comment))
		}
		tw.Flush()
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
