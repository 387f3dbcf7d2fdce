package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/incident"
	"mamori/internal/org"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
)

// The demo incidents: reports filed by invented clerks and handled by the demo holders of the
// pack's roles through incident.Service, so that each is checked, routed, notified and audited
// like one a user reports. Each organisation shows an incident at every stage: reported and
// waiting for triage; triaged with its checklist partly ticked and a report overdue; contained
// with a measure and evidence; recovered and monitored; closed with its root cause and an
// approved, announced 再発防止計画; a restricted insider case; and a report from outside (住民等).
// Acts that must lie in the past are done by the service on a clock set back to their time.
//
// The 緊急連絡網 gets invented numbers (000-… for staff, 0120-000-… for outside bodies) for
// every role but one, so that its warning of a role nobody can be reached for shows.

// incBuilder files the demo incidents of one organisation.
type incBuilder struct {
	*builder
	p       *policy.Compiled
	now     time.Time
	clerks  []access.Actor // staff without a role, in departments whose head holds the department roles
	holders []access.Actor // holders of the pack's roles, with today's grants and the pack's marks
}

func (b *builder) incidents(p *policy.Compiled) error {
	if err := b.phones(p); err != nil {
		return fmt.Errorf("demo contacts: %w", err)
	}
	ib := &incBuilder{builder: b, p: p, now: incidentClock(b.s.Incidents)}
	if err := ib.people(); err != nil || len(ib.clerks) == 0 || len(ib.holders) == 0 {
		return err
	}
	stories := []struct {
		name string
		tell func() error
	}{
		{"reported", ib.reported}, {"overdue", ib.overdue}, {"contained", ib.contained}, {"monitoring", ib.monitoring},
		{"closed", ib.closed}, {"restricted", ib.restricted}, {"outside", ib.outside},
	}
	for _, st := range stories {
		if err := st.tell(); err != nil {
			return fmt.Errorf("demo incident %s: %w", st.name, err)
		}
	}
	return nil
}

// people signs in the demo members as the incident service sees them: with today's grants and
// the marks the pack gives their roles.
func (ib *incBuilder) people() error {
	day := ib.now.In(i18n.Tokyo).Format(time.DateOnly)
	marks := orgpolicy.MarksOf(ib.p)
	headed := ib.headed()
	for _, m := range ib.members {
		a := access.Actor{OrgID: ib.sys.OrgID, StaffID: m.id, DepartmentID: ib.depts[m.dept], Login: "demo-" + m.name, Name: m.name}
		grants, err := org.GrantsOf(ib.ctx, ib.s.DB.SQL, ib.sys.OrgID, m.id, day)
		if err != nil {
			return err
		}
		for i, g := range grants {
			grants[i] = g.Marked(marks[g.RoleID])
		}
		a.Roles = grants
		switch {
		case len(m.roles) > 0:
			ib.holders = append(ib.holders, a)
		case m.clerk && headed[m.dept]:
			ib.clerks = append(ib.clerks, a)
		}
	}
	return nil
}

// as does act as the first of the demo's role holders who may; those refused (forbidden, or who
// do not see the incident) are passed over. It reports whether anyone did.
func (ib *incBuilder) as(act func(who access.Actor) error) (bool, error) {
	for _, who := range ib.holders {
		err := act(who)
		switch apperr.CodeOf(err) {
		case "":
			return true, nil
		case apperr.Forbidden, apperr.NotFound:
			continue
		}
		return false, err
	}
	return false, nil
}

// at returns the incident service on a clock set back by ago.
func (ib *incBuilder) at(ago time.Duration) *incident.Service {
	svc := *ib.s.Incidents
	t := ib.now.Add(-ago)
	svc.Now = func() time.Time { return t }
	return &svc
}

func incidentClock(svc *incident.Service) time.Time {
	if svc.Now != nil {
		return svc.Now()
	}
	return time.Now()
}

// report files a report as the i-th clerk, detected an hour before the service's time.
func (ib *incBuilder) report(svc *incident.Service, i int, title string, outside *incident.OutsideReport) (incident.Incident, error) {
	clerk := ib.clerks[i%len(ib.clerks)]
	detected := incidentClock(svc).Add(-time.Hour)
	items := map[string]any{}
	var files []incident.NewEvidence
	for _, f := range ib.p.Incident.ReportItems {
		switch f.Type {
		case "file":
			files = append(files, incident.NewEvidence{Field: f.ID, Name: "発見時の画面記録.txt", ContentType: "text/plain",
				Body: []byte(detected.In(i18n.Tokyo).Format("2006-01-02 15:04") + " " + title + "\n")})
		case "datetime":
			items[f.ID] = detected.Format(time.RFC3339)
		case "date":
			items[f.ID] = detected.In(i18n.Tokyo).Format(time.DateOnly)
		case "enum":
			if len(f.Values) > 0 {
				items[f.ID] = f.Values[0]
			}
		case "bool":
			items[f.ID] = false
		case "number":
			items[f.ID] = 1
		case "department":
			items[f.ID] = clerk.DepartmentID
		case "staff", "asset":
		default:
			items[f.ID] = demoIncidentText(f.ID, f.Name, title)
		}
	}
	return svc.Report(ib.ctx, clerk, incident.ReportInput{Title: title, Items: items, DetectedAt: detected, Outside: outside, Evidence: files})
}

func demoIncidentText(id, name, title string) string {
	id = strings.ToLower(id)
	switch {
	case strings.Contains(id, "cause") || strings.Contains(id, "act"):
		return "調査中（不審なメールの添付ファイルを開いたことによる可能性がある）"
	case strings.Contains(id, "damage") || strings.Contains(id, "extent"):
		return "現時点で情報の流出は確認されていない。影響範囲を調査中。"
	case strings.Contains(id, "location") || strings.Contains(id, "place"):
		return "本庁舎2階 執務室"
	case strings.Contains(id, "situation") || strings.Contains(id, "what") || strings.Contains(id, "content") || strings.Contains(id, "breach"):
		return title + "。発見後、直ちに端末の利用を中止した。"
	case strings.Contains(id, "result"):
		return "端末をネットワークから切り離し、情報主管課へ引き渡した。"
	}
	return title
}

// triage has a first recipient (or a security role) judge the report an incident of the i-th
// category of the pack.
func (ib *incBuilder) triage(svc *incident.Service, in incident.Incident, i int, restricted bool, routes ...string) (incident.Incident, error) {
	t := incident.TriageInput{Version: in.Version, IsIncident: true, Severity: incident.Severities[1+i%3], Restricted: restricted, Routes: routes,
		Note: "報告内容を確認し、情報セキュリティインシデントと判断した。"}
	if cs := ib.p.Incident.Categories; len(cs) > 0 {
		t.Category = cs[i%len(cs)].ID
	}
	var out incident.Incident
	ok, err := ib.as(func(who access.Actor) (err error) {
		out, err = svc.Triage(ib.ctx, who, in.ID, t)
		return err
	})
	if err == nil && !ok {
		return in, fmt.Errorf("nobody may triage %q", in.Title)
	}
	return out, err
}

// deadlineRoutes are the pack's routes with a step the source gives a time (直ちに, 速やかに …);
// none when no route has one.
func deadlineRoutes(p *policy.Compiled) []string {
	var out []string
	for _, r := range p.Incident.Routes {
		if slices.ContainsFunc(r.Steps, func(st policy.RouteStep) bool {
			_, ok := policy.DeadlineOf(st.WithinMinutes, st.Within)
			return ok
		}) {
			out = append(out, r.ID)
		}
	}
	return out
}

// tickFirst ticks the first report of the checklist someone of the demo may record, leaving
// the only report with a deadline (if there is just one) to run late.
func (ib *incBuilder) tickFirst(svc *incident.Service, in incident.Incident) error {
	timed := 0
	for _, n := range in.Checklist {
		if n.State == "open" && n.DueAt != nil {
			timed++
		}
	}
	for _, n := range in.Checklist {
		if n.State != "open" || (n.DueAt != nil && timed == 1) {
			continue
		}
		ok, err := ib.as(func(who access.Actor) error {
			_, err := svc.TickOff(ib.ctx, who, in.ID, n.ID, incident.Tick{Means: "phone", Note: n.ToName + "へ電話で第一報を伝えた。"})
			return err
		})
		if err != nil || ok {
			return err
		}
	}
	return nil
}

// advance moves an incident on as whoever handles it.
func (ib *incBuilder) advance(svc *incident.Service, in incident.Incident, pr incident.Progress) (incident.Incident, error) {
	pr.Version = in.Version
	out := in
	_, err := ib.as(func(who access.Actor) (err error) {
		out, err = svc.Advance(ib.ctx, who, in.ID, pr)
		return err
	})
	return out, err
}

// respond takes the pack's first measure (or notes the response) and keeps a log as evidence.
func (ib *incBuilder) respond(svc *incident.Service, in incident.Incident) error {
	if ms := ib.p.Incident.Measures; len(ms) > 0 && len(ms[0].Conditions) > 0 {
		if _, err := ib.as(func(who access.Actor) error {
			_, err := svc.TakeMeasure(ib.ctx, who, in.ID, incident.MeasureInput{Measure: ms[0].ID, Conditions: []int{0},
				Note: "被害の拡大を防ぐため、" + ms[0].Name + "を行った。"})
			return err
		}); err != nil {
			return err
		}
	}
	_, err := ib.as(func(who access.Actor) error {
		if _, err := svc.AddNote(ib.ctx, who, in.ID, time.Time{}, "該当端末のログを保全し、関係課へ注意喚起を行った。"); err != nil {
			return err
		}
		_, err := svc.AddEvidence(ib.ctx, who, in.ID, incident.NewEvidence{Name: "proxy-log.csv", ContentType: "text/csv",
			Description: "プロキシサーバの通信ログ（抜粋）", Body: []byte("time,client,host\n09:55,10.0.0.21,malicious.example\n")})
		return err
	})
	return err
}

func (ib *incBuilder) reported() error {
	_, err := ib.report(ib.at(20*time.Minute), 0, "不審なメールの添付ファイルを開いてしまった", nil)
	return err
}

// overdue is triaged a day and a half ago with one report ticked: the rest are now late.
func (ib *incBuilder) overdue() error {
	past := ib.at(30 * time.Hour)
	in, err := ib.report(past, 1, "業務用端末でウイルス対策ソフトが警告を表示", nil)
	if err != nil {
		return err
	}
	if in, err = ib.triage(past, in, 1, false, deadlineRoutes(ib.p)...); err != nil {
		return err
	}
	return ib.tickFirst(ib.at(29*time.Hour), in)
}

func (ib *incBuilder) contained() error {
	past := ib.at(5 * time.Hour)
	in, err := ib.report(past, 2, "庁内ファイルサーバへの不審なアクセス", nil)
	if err != nil {
		return err
	}
	if in, err = ib.triage(past, in, 2, false); err != nil {
		return err
	}
	if err := ib.tickFirst(ib.at(4*time.Hour), in); err != nil {
		return err
	}
	if err := ib.respond(ib.s.Incidents, in); err != nil {
		return err
	}
	in, err = ib.s.Incidents.Get(ib.ctx, ib.sys, in.ID)
	if err != nil {
		return err
	}
	_, err = ib.advance(ib.s.Incidents, in, incident.Progress{To: incident.Contained, Note: "不審な通信を遮断し、拡大のないことを確認した。"})
	return err
}

func (ib *incBuilder) monitoring() error {
	past := ib.at(72 * time.Hour)
	in, err := ib.report(past, 3, "USBメモリの紛失", nil)
	if err != nil {
		return err
	}
	if in, err = ib.triage(past, in, 3, false); err != nil {
		return err
	}
	until := ib.now.AddDate(0, 0, 14)
	_, err = ib.advance(ib.at(48*time.Hour), in, incident.Progress{To: incident.Recovered, MonitoringUntil: &until,
		Note: "USBメモリは庁舎内で発見された。暗号化されており、情報の流出はないと判断した。2週間の監視期間を置く。"})
	return err
}

// closed ran its course forty days ago: contained, recovered, its root cause found and its plan
// drafted, approved and announced; closed today, after its monitoring period.
func (ib *incBuilder) closed() error {
	past := ib.at(40 * 24 * time.Hour)
	in, err := ib.report(past, 4, "ホームページの一部が改ざんされた", nil)
	if err != nil {
		return err
	}
	if in, err = ib.triage(past, in, 4, false); err != nil {
		return err
	}
	if err := ib.tickFirst(past, in); err != nil {
		return err
	}
	if err := ib.respond(past, in); err != nil {
		return err
	}
	until := ib.now.AddDate(0, 0, -10)
	later := ib.at(39 * 24 * time.Hour)
	if in, err = ib.advance(later, in, incident.Progress{To: incident.Recovered, MonitoringUntil: &until, Note: "改ざん前の状態に復旧した。"}); err != nil {
		return err
	}
	approvers, _ := ib.p.PlanApprovers()
	steps := []func(who access.Actor) (incident.Incident, error){
		func(who access.Actor) (incident.Incident, error) {
			return later.SetRootCause(ib.ctx, who, in.ID, in.Version, "CMSの脆弱性を修正するアップデートが適用されていなかった。")
		},
		func(who access.Actor) (incident.Incident, error) {
			// Drafted by a handler who approves no step, so that every step has someone to approve it.
			if slices.ContainsFunc(who.Roles, func(g access.Grant) bool { return slices.Contains(approvers, g.RoleID) }) {
				return in, apperr.New(apperr.Forbidden, "error.forbidden")
			}
			return later.DraftPlan(ib.ctx, who, in.ID, in.Version, "1. CMSのアップデートを毎月確認し、適用する。\n2. 委託事業者との契約に脆弱性対応の期限を定める。\n3. 改ざん検知の仕組みを導入する。")
		},
	}
	for range approvers {
		steps = append(steps, func(who access.Actor) (incident.Incident, error) {
			return later.ApprovePlan(ib.ctx, who, in.ID, in.Version, "内容を確認し、承認します。")
		})
	}
	steps = append(steps, func(who access.Actor) (incident.Incident, error) {
		return later.AnnouncePlan(ib.ctx, who, in.ID, in.Version, "ホームページ改ざん事案の概要と再発防止計画を全職員に周知します。")
	})
	for _, step := range steps {
		ok, err := ib.as(func(who access.Actor) error {
			got, err := step(who)
			if err == nil {
				in = got
			}
			return err
		})
		if err != nil {
			return err
		}
		if !ok {
			return nil // nobody holds the role the plan waits for: it stays waiting
		}
	}
	_, err = ib.advance(ib.s.Incidents, in, incident.Progress{To: incident.Closed, Note: "監視期間中に再発はなく、事案を終結した。"})
	return err
}

// restricted is an insider case: seen only by its reporter, its handlers and the
// organisation-wide security roles.
func (ib *incBuilder) restricted() error {
	past := ib.at(6 * time.Hour)
	in, err := ib.report(past, 5, "職員による個人情報の不正な閲覧の疑い", nil)
	if err != nil {
		return err
	}
	// Only an organisation-wide security role may restrict it and keep seeing it.
	holders := ib.holders
	ib.holders = slices.DeleteFunc(slices.Clone(holders), func(a access.Actor) bool {
		return !slices.ContainsFunc(a.Roles, func(g access.Grant) bool { return g.Security && g.Scope == "organization" })
	})
	defer func() { ib.holders = holders }()
	if len(ib.holders) == 0 {
		return nil
	}
	_, err = ib.triage(past, in, 5, true)
	return err
}

func (ib *incBuilder) outside() error {
	past := ib.at(2 * time.Hour)
	_, err := ib.report(past, 6, "住民から「町から不審なメールが届いた」との連絡", &incident.OutsideReport{Reporter: "町内在住の住民（氏名は記録票に記載）",
		Contact: "電話 000-0000-0000（架空）"})
	return err
}

// phones gives the holders of the pack's roles and the outside bodies of its contacts invented
// numbers, leaving the holders of one role without, so that the 緊急連絡網 warns of it.
func (b *builder) phones(p *policy.Compiled) error {
	contactRoles := map[string]bool{}
	var order []string
	for _, c := range p.Incident.Contacts {
		if r, ok := p.Role(c.Role); ok && !r.AllStaff && !contactRoles[c.Role] {
			contactRoles[c.Role] = true
			order = append(order, c.Role)
		}
	}
	// The unreachable role: the last contact role whose holders hold no other contact role.
	unreachable := map[int64]bool{}
	for i := len(order) - 1; i >= 0 && len(unreachable) == 0; i-- {
		var hs []int64
		alone := true
		for _, m := range b.members {
			if !slices.Contains(m.roles, order[i]) {
				continue
			}
			hs = append(hs, m.id)
			for _, r := range m.roles {
				alone = alone && (r == order[i] || !contactRoles[r])
			}
		}
		if alone && len(hs) > 0 {
			for _, id := range hs {
				unreachable[id] = true
			}
		}
	}
	n := 0
	for _, m := range b.members {
		if len(m.roles) == 0 || unreachable[m.id] {
			continue
		}
		n++
		if err := b.s.Incidents.SetStaffPhone(b.ctx, b.sys, m.id, fmt.Sprintf("000-0000-%04d", n)); err != nil {
			return err
		}
	}
	for i, c := range p.Incident.Contacts {
		if !c.External || strings.ContainsAny(c.Name+c.Organization, "個住") {
			continue // 被害を受けるおそれのある個人及び法人, 住民: no one number reaches them
		}
		if err := b.s.Incidents.SetContactNumber(b.ctx, b.sys, c.ID, fmt.Sprintf("0120-000-%03d", i+1), "架空の番号（デモ）"); err != nil {
			return err
		}
	}
	return nil
}
