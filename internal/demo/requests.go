package demo

import (
	"fmt"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// The demo requests: every approval kind of the pack filed by invented clerks and decided by the
// demo holders of its roles, through request.Service, so that each is checked, routed, notified
// and audited like one a user files. Together they show every state a kind of the pack can
// reach: waiting at each step, approved, rejected, sent back, cancelled; taken out and returned,
// still out, and out past the due date; disposed; reported after the fact in time and late.
// Acts that must lie in the past (a take-out now overdue) are done by the service on a clock set
// back to their day.

// samplePDF is the attachment the demo gives file fields: a minimal PDF.
var samplePDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// reqBuilder files the demo requests of one organisation.
type reqBuilder struct {
	*builder
	today    time.Time
	keys     map[string]access.Actor // wait key → a demo member who holds it
	clerks   []access.Actor
	assets   []int64        // in use, in register order
	lifeUsed map[int64]bool // assets whose state a request's life changed
	headed   map[int64]bool // departments whose head holds the department roles
}

func (b *builder) requests(p *policy.Compiled) error {
	rb := &reqBuilder{builder: b, today: clockOf(b.s.Requests), keys: map[string]access.Actor{}, lifeUsed: map[int64]bool{}, headed: map[int64]bool{}}
	if err := rb.people(); err != nil || len(rb.clerks) == 0 {
		return err
	}
	// Subjects are assets of departments whose head decides for them.
	rows, err := b.s.DB.SQL.QueryContext(b.ctx, `SELECT id, department_id FROM assets WHERE org_id = $1 AND state = 'in_use' ORDER BY id LIMIT 2000`, b.sys.OrgID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, dept int64
		if err := rows.Scan(&id, &dept); err != nil {
			rows.Close()
			return err
		}
		if rb.headed[dept] {
			rb.assets = append(rb.assets, id)
		}
	}
	rows.Close()
	for i, a := range p.Approvals {
		if err := rb.kind(a, i); err != nil {
			return fmt.Errorf("demo request %s: %w", a.ID, err)
		}
	}
	return nil
}

// people signs in the demo members as actors with today's grants: clerks to file, role holders
// to decide.
func (rb *reqBuilder) people() error {
	day := rb.today.In(i18n.Tokyo).Format(time.DateOnly)
	for _, m := range rb.members {
		if m.dept == "" {
			continue
		}
		a := rb.actorOf(m)
		a.PlatformAdmin = false
		grants, err := org.GrantsOf(rb.ctx, rb.s.DB.SQL, rb.sys.OrgID, m.id, day)
		if err != nil {
			return err
		}
		a.Roles = grants
		if len(grants) == 0 && m.clerk {
			rb.clerks = append(rb.clerks, a)
		}
	}
	// Clerks file from departments whose head holds the department roles, who decide them.
	for name := range rb.builder.headed() {
		rb.headed[rb.depts[name]] = true
	}
	clerks := rb.clerks[:0]
	for _, c := range rb.clerks {
		if rb.headed[c.DepartmentID] {
			clerks = append(clerks, c)
		}
	}
	rb.clerks = clerks
	for _, m := range rb.members {
		if len(m.roles) == 0 {
			continue
		}
		a := rb.actorOf(m)
		grants, err := org.GrantsOf(rb.ctx, rb.s.DB.SQL, rb.sys.OrgID, m.id, day)
		if err != nil {
			return err
		}
		a.Roles = grants
		for _, g := range grants {
			if _, ok := rb.keys[request.WaitKey(g)]; !ok {
				rb.keys[request.WaitKey(g)] = a
			}
		}
	}
	return nil
}

// kind files the requests of one approval kind: one waiting at each step, one ending in the
// outcome its turn gives it, and those of the kind's life after approval.
func (rb *reqBuilder) kind(a policy.Approval, i int) error {
	svc := rb.s.Requests
	for step := range a.Steps {
		if _, err := rb.story(svc, a, i+step, step, "", false); err != nil {
			return err
		}
	}
	outcomes := []string{request.Approved, request.Rejected, request.SentBack, request.Cancelled}
	if _, err := rb.story(svc, a, i, len(a.Steps), outcomes[i%len(outcomes)], false); err != nil {
		return err
	}
	switch {
	case a.Returnable:
		// Taking out and returning write logbook entries (take_out_log): they happen in office
		// hours on a weekday, whenever the demo is loaded.
		at := *svc
		work := officeTime(clockOf(svc))
		at.Now = func() time.Time { return work }
		if _, err := rb.story(&at, a, i+1, len(a.Steps), request.Returned, true); err != nil {
			return err
		}
		if _, err := rb.story(&at, a, i+2, len(a.Steps), request.TakenOut, true); err != nil {
			return err
		}
		past := *svc
		back := officeTime(clockOf(svc).AddDate(0, 0, -12))
		past.Now = func() time.Time { return back }
		if _, err := rb.story(&past, a, i+3, len(a.Steps), request.TakenOut, true); err != nil {
			return err
		}
	case a.Effect == "dispose":
		if _, err := rb.story(svc, a, i+1, len(a.Steps), request.Disposed, true); err != nil {
			return err
		}
	}
	if a.PostHoc {
		if _, err := rb.postHoc(a, i, 2*time.Hour, true); err != nil {
			return err
		}
		days := max(a.ReportWithinDays, 1)
		if _, err := rb.postHoc(a, i+1, time.Duration(days+2)*24*time.Hour, false); err != nil {
			return err
		}
	}
	return nil
}

// story files a request of kind a as the i-th clerk, has the holders approve it up to step
// (every step when step is past the last), and then brings it to the state end.
func (rb *reqBuilder) story(svc *request.Service, a policy.Approval, i, step int, end string, life bool) (request.Request, error) {
	clerk := rb.clerks[i%len(rb.clerks)]
	in := request.Input{Kind: a.ID}
	now := clockOf(svc)
	in.Fields, in.Attachments = rb.form(a, clerk, now)
	r, err := rb.submit(svc, clerk, a, in, life)
	if err != nil || r.ID == 0 {
		return r, err
	}
	if end == request.Cancelled {
		return svc.Cancel(rb.ctx, clerk, r.ID, "別の方法で対応することになったため取り下げます。", 0)
	}
	for s := 0; s < step && s < len(a.Steps); s++ {
		last := s == len(a.Steps)-1
		switch {
		case last && end == request.Rejected:
			return rb.decide(svc, r, request.Reject, "業務上の必要性が確認できないため却下します。")
		case last && end == request.SentBack:
			return rb.decide(svc, r, request.SendBack, "対策の内容を具体的に記載して再提出してください。")
		}
		if r, err = rb.decideStep(svc, r); err != nil || r.State == request.Pending && r.Step == s {
			return r, err // nobody holds the step's role: it keeps waiting
		}
	}
	day := now.In(i18n.Tokyo).Format(time.DateOnly)
	switch end {
	case request.TakenOut, request.Returned:
		due := r.DueOn
		if due == "" {
			due = now.AddDate(0, 0, 3).In(i18n.Tokyo).Format(time.DateOnly)
		}
		if r, err = svc.RecordTakeOut(rb.ctx, clerk, r.ID, request.TakeOut{On: day, DueOn: due}); err != nil || end == request.TakenOut {
			return r, err
		}
		return svc.RecordReturn(rb.ctx, clerk, r.ID, request.Return{On: day})
	case request.Disposed:
		return svc.RecordDisposal(rb.ctx, clerk, r.ID, request.Disposal{On: day, Method: "記録媒体を物理的に破壊し、破壊後の状態を写真で記録した。"}, 0)
	}
	return r, nil
}

// postHoc files a report after the fact of a measure taken ago; an early one is approved.
func (rb *reqBuilder) postHoc(a policy.Approval, i int, ago time.Duration, approve bool) (request.Request, error) {
	clerk := rb.clerks[i%len(rb.clerks)]
	svc := rb.s.Requests
	in := request.Input{Kind: a.ID, PostHoc: true, ActedAt: clockOf(svc).Add(-ago), Comment: "緊急のため事前の承認を得ずに実施しました。"}
	in.Fields, in.Attachments = rb.form(a, clerk, clockOf(svc))
	r, err := rb.submit(svc, clerk, a, in, false)
	if err != nil || r.ID == 0 || !approve {
		return r, err
	}
	for range a.Steps {
		if r, err = rb.decideStep(svc, r); err != nil || r.State != request.Pending {
			return r, err
		}
	}
	return r, nil
}

// submit files in, with a subject asset its kind covers when it is about assets: the register is
// tried in order, an asset whose state a request's life changes used once.
func (rb *reqBuilder) submit(svc *request.Service, clerk access.Actor, a policy.Approval, in request.Input, life bool) (request.Request, error) {
	if a.Subject != "asset" {
		return svc.Submit(rb.ctx, clerk, in)
	}
	for tries, id := range rb.assets {
		if tries > 300 {
			break
		}
		if rb.lifeUsed[id] {
			continue
		}
		in.AssetIDs = []int64{id}
		for _, f := range a.Fields {
			if f.Type == "asset" {
				in.Fields[f.ID] = id
			}
		}
		r, err := svc.Submit(rb.ctx, clerk, in)
		if err == nil {
			if life {
				rb.lifeUsed[id] = true
			}
			return r, nil
		}
		if apperr.CodeOf(err) != apperr.Invalid || apperr.As(err).Field() != "asset_ids" {
			return r, err
		}
	}
	return request.Request{}, nil // no asset of the demo register is covered by the kind
}

// decideStep approves the current step as its holders: the first decider, or every one of a
// joint step. A step nobody holds is left waiting.
func (rb *reqBuilder) decideStep(svc *request.Service, r request.Request) (request.Request, error) {
	st := r.Route.Steps[r.Step]
	ds := st.Deciders
	if !st.Joint {
		ds = ds[:1]
		for _, d := range st.Deciders {
			if _, ok := rb.holderOf(d.Key); ok {
				ds = []request.Decider{d}
				break
			}
		}
	}
	for _, d := range ds {
		who, ok := rb.holderOf(d.Key)
		if !ok {
			return r, nil
		}
		var err error
		if r, err = svc.Decide(rb.ctx, who, r.ID, request.Decision{Decision: request.Approve, Comment: "内容を確認し、承認します。"}); err != nil {
			return r, err
		}
	}
	return r, nil
}

func (rb *reqBuilder) decide(svc *request.Service, r request.Request, decision, comment string) (request.Request, error) {
	for _, d := range r.Route.Steps[r.Step].Deciders {
		if who, ok := rb.holderOf(d.Key); ok {
			return svc.Decide(rb.ctx, who, r.ID, request.Decision{Decision: decision, Comment: comment})
		}
	}
	return r, nil
}

// holderOf is the demo member who holds a wait key. The demo's holders of system roles hold
// them for 全システム; a request about one system has its holder appointed for that system too.
func (rb *reqBuilder) holderOf(key string) (access.Actor, bool) {
	if who, ok := rb.keys[key]; ok {
		return who, true
	}
	role, system, ok := strings.Cut(key, "@s:")
	if !ok {
		return access.Actor{}, false
	}
	for k, who := range rb.keys {
		if !strings.HasPrefix(k, role+"@s:") {
			continue
		}
		ra := org.RoleAssignment{RoleID: role, Scope: "system", SystemRef: system, HolderStaffID: who.StaffID}
		if _, err := rb.s.Org.AssignRole(rb.ctx, rb.sys, ra); err != nil {
			return access.Actor{}, false
		}
		who.Roles = append(who.Roles, access.Grant{RoleID: role, Scope: "system", SystemRef: system})
		rb.keys[key] = who
		return who, true
	}
	return access.Actor{}, false
}

// officeTime is the latest moment not after t that falls in office hours (8:30–17:15 JST) on a
// weekday.
func officeTime(t time.Time) time.Time {
	t = t.In(i18n.Tokyo)
	for {
		wd, mins := t.Weekday(), t.Hour()*60+t.Minute()
		if wd != time.Saturday && wd != time.Sunday {
			if mins >= 8*60+30 && mins <= 17*60+15 {
				return t
			}
			if mins > 17*60+15 {
				return time.Date(t.Year(), t.Month(), t.Day(), 17, 0, 0, 0, i18n.Tokyo)
			}
		}
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, i18n.Tokyo).Add(-time.Minute)
	}
}

// clockOf is the time of a request service.
func clockOf(svc *request.Service) time.Time {
	if svc.Now != nil {
		return svc.Now()
	}
	return time.Now()
}

// form answers a kind's fields as a clerk would; an asset field names the subject (submit sets
// it) or, for a kind without one, the first asset of the register.
func (rb *reqBuilder) form(a policy.Approval, clerk access.Actor, now time.Time) (map[string]any, []request.NewAttachment) {
	fields := map[string]any{}
	var files []request.NewAttachment
	jst := now.In(i18n.Tokyo)
	for j, f := range a.Fields {
		id := strings.ToLower(f.ID)
		switch f.Type {
		case "text":
			fields[f.ID] = demoRequestText(id, f.Name)
		case "textarea":
			fields[f.ID] = demoRequestText(id, f.Name) + "。関係課と調整済みであり、情報セキュリティ対策を講じたうえで実施する。"
		case "date":
			day := jst
			if f.ID == a.DueField || strings.Contains(id, "return") || strings.Contains(id, "end") || strings.Contains(id, "until") {
				day = jst.AddDate(0, 0, 3)
			}
			fields[f.ID] = day.Format(time.DateOnly)
		case "datetime":
			fields[f.ID] = jst.Truncate(time.Hour).Format(time.RFC3339)
		case "number":
			fields[f.ID] = 1
		case "bool":
			fields[f.ID] = true
		case "enum":
			fields[f.ID] = f.Values[j%len(f.Values)]
		case "staff":
			fields[f.ID] = clerk.StaffID
		case "asset":
			if len(rb.assets) > 0 {
				fields[f.ID] = rb.assets[0]
			}
		case "department":
			fields[f.ID] = clerk.DepartmentID
		case "file":
			files = append(files, request.NewAttachment{Field: f.ID, Name: f.Name + ".pdf", ContentType: "application/pdf", Body: samplePDF})
		}
	}
	return fields, files
}

func demoRequestText(id, name string) string {
	switch {
	case strings.Contains(id, "destination") || strings.Contains(id, "place") || strings.Contains(id, "location"):
		return "県庁舎 会議室"
	case strings.Contains(id, "software") || strings.Contains(id, "product"):
		return "文書閲覧ソフト 最新版"
	case strings.Contains(id, "reason") || strings.Contains(id, "purpose"):
		return "住民説明会の資料作成のため"
	case strings.Contains(id, "protection") || strings.Contains(id, "measure"):
		return "暗号化及びパスワードの設定"
	}
	if t, ok := requestTexts[id]; ok {
		return t
	}
	return "担当課と協議のうえ、" + name + "を定めた"
}

// requestTexts answer the other text fields of the shipped packs' forms as a clerk would.
var requestTexts = map[string]string{
	"auditor":                   "外部監査法人（被監査部門から独立した情報セキュリティ監査人）",
	"cause":                     "操作手順の誤り",
	"change":                    "スクリーンセーバーの起動時間を10分から5分に変更",
	"counterpart":               "福岡県 企画・地域振興部 情報政策課",
	"damage":                    "被害は確認されていない",
	"details":                   "プリンタドライバの更新",
	"device":                    "私物ノートパソコン（暗号化済み）",
	"erasure":                   "専用ソフトによる完全消去のうえ物理破壊",
	"external_network":          "県の共同利用システム（専用回線）",
	"handling":                  "業務終了後に速やかにデータを消去する",
	"impact_on_running_systems": "稼動中の情報システムへの影響はない",
	"investigation":             "原因は設定誤りであり、外部からの不正アクセスの形跡はない",
	"licence":                   "ボリュームライセンス（庁内50台）",
	"method":                    "専用ソフトによる完全消去のうえ物理破壊",
	"period":                    "令和8年度中",
	"plan":                      "手順書を改訂し、全職員に研修を行う",
	"provision":                 "私物端末の業務利用の禁止",
	"recipient":                 "県 情報政策課",
	"requirement":               "私物端末の業務利用の禁止",
	"response":                  "庁外では暗号化USBメモリのみを使用する",
	"rule":                      "私物端末の業務利用の禁止",
	"security_ensured":          "委託先のセキュリティ対策状況を書面で確認済み",
	"summary":                   "不審メールの添付ファイルを開いた事案と再発防止策",
	"survey":                    "接続先の機器構成及びファイアウォールの設定を確認した",
}
