// Package policy is the policy pack: an organisation's 情報セキュリティポリシー as data — roles
// and who holds them, classification, approvals, logbooks, incident handling, compliance rules,
// contract clauses and login rules — each element citing the article that requires it. Packs are
// YAML, may extend another pack, and are validated and compiled (CEL) when loaded. The package
// imports nothing else of Mamori's.
package policy

import "slices"

// Pack is one organisation's policy as data.
type Pack struct {
	ID           string `yaml:"id" json:"id"`
	Name         string `yaml:"name" json:"name"`
	Organization string `yaml:"organization" json:"organization"` // 団体名 as the source gives it
	Kind         string `yaml:"kind" json:"kind"`                 // municipality, prefecture, board_of_education
	Version      string `yaml:"version" json:"version"`           // the revision as the source states it
	Source       string `yaml:"source" json:"source"`             // file name of the source text; empty for a base pack
	Extends      string `yaml:"extends,omitempty" json:"extends,omitempty"`
	// Basis says what a pack without a source of its own rests on (the base pack).
	Basis       string `yaml:"basis,omitempty" json:"basis,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`

	Roles          []Role         `yaml:"roles" json:"roles"`
	Classification Classification `yaml:"classification" json:"classification"`
	Segments       []Segment      `yaml:"segments" json:"segments"`
	Zones          []Zone         `yaml:"zones" json:"zones"`
	Attributes     []Attribute    `yaml:"attributes" json:"attributes"`
	Approvals      []Approval     `yaml:"approvals" json:"approvals"`
	Logbooks       []Logbook      `yaml:"logbooks" json:"logbooks"`
	Incident       Incident       `yaml:"incident" json:"incident"`
	Rules          []Rule         `yaml:"rules" json:"rules"`
	Inspections    []Inspection   `yaml:"inspections" json:"inspections"`
	Clauses        []Clause       `yaml:"clauses" json:"clauses"`
	// Accounts are the accounts of the organisation's systems (利用者ID, 特権ID) and their rules.
	Accounts     Accounts     `yaml:"accounts,omitempty" json:"accounts,omitempty"`
	Threats      []Threat     `yaml:"threats" json:"threats"`
	AccessReview AccessReview `yaml:"access_review,omitempty" json:"access_review,omitempty"`
	Risk         Risk         `yaml:"risk,omitempty" json:"risk,omitempty"`
	Review       Review       `yaml:"review,omitempty" json:"review,omitempty"`
	Pledges      []Pledge     `yaml:"pledges,omitempty" json:"pledges,omitempty"`
	Training     Training     `yaml:"training,omitempty" json:"training,omitzero"`
	Auth         Auth         `yaml:"auth" json:"auth"`
	// Notes are what the pack says about its source (原典についての注記); they are the pack's
	// own and never taken from a base pack.
	Notes []Note `yaml:"notes,omitempty" json:"notes,omitempty"`
	// Articles is the index of the source's articles, chapter by chapter in the source's order,
	// so that the policy page can show which articles no element acts on yet.
	Articles  []SourceChapter `yaml:"articles,omitempty" json:"articles,omitempty"`
	Inherited map[string]bool `yaml:"-" json:"inherited,omitempty"` // element keys taken from the base pack
}

// Cite is the article an element rests on, in the source's own numbering, with a short
// verbatim quotation of the source that a test finds in the source text.
type Cite struct {
	Article string `yaml:"article,omitempty" json:"article,omitempty"`
	Quote   string `yaml:"quote,omitempty" json:"quote,omitempty"`
	// Origin is OriginAdded for an element, field, deadline or default that no article states —
	// the organisation's own setting where the source says nothing (how a locked account is
	// unlocked, by when an emergency report is due, the fields of a logbook whose columns the
	// source does not list). Article then names the article it applies, if any, and no quote is
	// needed, since the words are not the source's; Reason says in a few words why it is there.
	// Empty for the source's own requirement.
	Origin string `yaml:"origin,omitempty" json:"origin,omitempty"`
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// OriginAdded marks an element as the organisation's setting, not the source's words
// (運用上の設定).
const OriginAdded = "added"

// Added reports whether the element is the organisation's setting rather than the source's.
func (c Cite) Added() bool { return c.Origin == OriginAdded }

// Note is something a pack says about its source: a defect or gap in the text (a role named
// differently in two places, a number used twice, a reference to the wrong section, forms that
// exist only as images), the articles involved, the source's own words, and what the pack does
// about it.
type Note struct {
	ID      string `yaml:"id" json:"id"`
	Article string `yaml:"article" json:"article"`
	Quote   string `yaml:"quote,omitempty" json:"quote,omitempty"` // the source's words, verbatim
	Issue   string `yaml:"issue" json:"issue"`                     // what the source says or lacks
	Action  string `yaml:"action" json:"action"`                   // what the pack does about it
}

// Role is a responsibility the policy names, the post that holds it ex officio (充て職) and
// who acts in the holder's absence (代行).
type Role struct {
	ID     string   `yaml:"id" json:"id"`
	Name   string   `yaml:"name" json:"name"`
	HeldBy string   `yaml:"held_by" json:"held_by"`
	Scope  string   `yaml:"scope" json:"scope"` // organization, department, system
	Duties []Duty   `yaml:"duties,omitempty" json:"duties,omitempty"`
	Acting []string `yaml:"acting,omitempty" json:"acting,omitempty"` // role ids, in order, who act when the holder is absent
	// Security marks a role that carries responsibility for information security itself (CISO,
	// 統括情報セキュリティ責任者, CSIRT, a 課's 情報セキュリティ管理者 …): its holders see the
	// details of the highest class — all of them for an organisation-wide role, those of their
	// department for a department role. Roles that run networks and systems, deliberating
	// bodies and advisers are not security roles in this sense.
	Security bool `yaml:"security,omitempty" json:"security,omitempty"`
	// AllStaff marks the role every member of staff holds (職員等): its duties bind everyone,
	// and holding it grants nothing beyond one's own department.
	AllStaff bool `yaml:"all_staff,omitempty" json:"all_staff,omitempty"`
	// Auditor marks a role that carries out the 情報セキュリティ監査 (監査統括責任者, 監査員班 …):
	// its holders read the organisation's audit log and see what an auditor must see of the
	// register, the requests, the logbooks and the incidents.
	Auditor bool `yaml:"auditor,omitempty" json:"auditor,omitempty"`
	Cite    Cite `yaml:"cite" json:"cite"`
}

// Duty is one thing a role must do. A duty with Every recurs (定期業務): each period makes one
// task for the role's holders — per department or system where the role is scoped so — due at
// the end of the period, closed with the evidence the duty names.
type Duty struct {
	// ID names a recurring duty; it is required when Every is set and unique in the pack.
	ID   string `yaml:"id,omitempty" json:"id,omitempty"`
	Text string `yaml:"text" json:"text"`
	Cite Cite   `yaml:"cite" json:"cite"`
	// Every is how often the duty recurs: year, half, quarter, month or week (Every*). Periods
	// follow the fiscal year (年度, from April).
	Every string `yaml:"every,omitempty" json:"every,omitempty"`
	// Month is, for a yearly duty, the month (1–12) whose last day the task is due; 0 means
	// March, the end of the fiscal year.
	Month int `yaml:"month,omitempty" json:"month,omitempty"`
	// EveryCite is what the interval rests on: the source's words (年1回, 毎月) or, where the
	// source says only 定期的に or nothing, origin: added with the reason for the interval taken.
	EveryCite Cite `yaml:"every_cite,omitempty" json:"every_cite,omitempty"`
	// Evidence is what closes a task: a note, a file, an entry of Logbook, or every item of
	// Checklist ticked (Evidence*). Empty means a note.
	Evidence  string   `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	Logbook   string   `yaml:"logbook,omitempty" json:"logbook,omitempty"`
	Checklist []string `yaml:"checklist,omitempty" json:"checklist,omitempty"`
}

// Recurs reports whether the duty makes tasks.
func (d Duty) Recurs() bool { return d.Every != "" }

// How often a duty recurs.
const (
	EveryYear    = "year"
	EveryHalf    = "half"
	EveryQuarter = "quarter"
	EveryMonth   = "month"
	EveryWeek    = "week"
)

// What closes a task.
const (
	EvidenceNote      = "note"
	EvidenceFile      = "file"
	EvidenceLogbook   = "logbook"
	EvidenceChecklist = "checklist"
)

// RoleDuty is a recurring duty with the role that holds it.
type RoleDuty struct {
	Role string
	Duty
}

// RecurringDuties are the pack's duties that make tasks, in the order the pack lists them.
func (p *Pack) RecurringDuties() []RoleDuty {
	var out []RoleDuty
	for _, r := range p.Roles {
		for _, d := range r.Duties {
			if d.Recurs() {
				out = append(out, RoleDuty{Role: r.ID, Duty: d})
			}
		}
	}
	return out
}

// RecurringDuty finds a recurring duty by its id.
func (p *Pack) RecurringDuty(id string) (RoleDuty, bool) {
	for _, d := range p.RecurringDuties() {
		if d.ID == id {
			return d, true
		}
	}
	return RoleDuty{}, false
}

// Classification is the pack's axes of classification (one for 重要性分類, three for
// 機密性・完全性・可用性).
type Classification struct {
	Axes []Axis `yaml:"axes" json:"axes"`
}

// Axis is one dimension of classification.
type Axis struct {
	ID     string  `yaml:"id" json:"id"`
	Name   string  `yaml:"name" json:"name"`
	Levels []Level `yaml:"levels" json:"levels"`
	Cite   Cite    `yaml:"cite" json:"cite"`
}

// Level is a value on an axis; a higher rank is more sensitive.
type Level struct {
	ID         string   `yaml:"id" json:"id"`
	Rank       int      `yaml:"rank" json:"rank"`
	Name       string   `yaml:"name" json:"name"`
	Definition string   `yaml:"definition" json:"definition"`
	Handling   []string `yaml:"handling,omitempty" json:"handling,omitempty"` // 取扱制限
	Label      string   `yaml:"label,omitempty" json:"label,omitempty"`       // 分類の表示
	Cite       Cite     `yaml:"cite" json:"cite"`
}

// Segment is a network segment of the three-tier model.
type Segment struct {
	ID          string `yaml:"id" json:"id"` // mynumber, lgwan, internet, management
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	Cite        Cite   `yaml:"cite" json:"cite"`
}

// Zone is a physical security zone (岸和田市 L0–L4) and the classes that may be used or stored
// in it, as "axis:level" references.
type Zone struct {
	ID          string   `yaml:"id" json:"id"`
	Rank        int      `yaml:"rank" json:"rank"`
	Name        string   `yaml:"name" json:"name"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Use         []string `yaml:"use,omitempty" json:"use,omitempty"`
	Store       []string `yaml:"store,omitempty" json:"store,omitempty"`
	Cite        Cite     `yaml:"cite" json:"cite"`
}

// Attribute is a typed extra field of a record that rules and forms may use.
type Attribute struct {
	ID     string   `yaml:"id" json:"id"`
	Name   string   `yaml:"name" json:"name"`
	Type   string   `yaml:"type" json:"type"` // bool, string, int, date, enum
	Values []string `yaml:"values,omitempty" json:"values,omitempty"`
	On     string   `yaml:"on" json:"on"` // the record it belongs to: asset
	Cite   Cite     `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// Approval is a kind of request (申請) the policy requires permission for.
type Approval struct {
	ID         string  `yaml:"id" json:"id"`
	Name       string  `yaml:"name" json:"name"`
	Form       string  `yaml:"form,omitempty" json:"form,omitempty"`             // 様式第N号
	FormTitle  string  `yaml:"form_title,omitempty" json:"form_title,omitempty"` // the form's own title
	Subject    string  `yaml:"subject" json:"subject"`                           // asset or none
	When       string  `yaml:"when,omitempty" json:"when,omitempty"`             // CEL over the subject: when the approval is needed
	Steps      []Step  `yaml:"steps" json:"steps"`
	Fields     []Field `yaml:"fields,omitempty" json:"fields,omitempty"`
	Returnable bool    `yaml:"returnable,omitempty" json:"returnable,omitempty"`
	// DueField names the date field that holds the return due date of a returnable kind; without
	// it the due date is given when the asset is taken out.
	DueField string `yaml:"due_field,omitempty" json:"due_field,omitempty"`
	// Effect is what the approved request does to its subject asset: take_out (持ち出し) or
	// lend (貸出) until it is returned, or dispose (廃棄).
	Effect  string `yaml:"effect,omitempty" json:"effect,omitempty"`
	PostHoc bool   `yaml:"post_hoc,omitempty" json:"post_hoc,omitempty"` // may be approved after the fact
	// ReportWithinDays is how many days after acting in an emergency the report must reach the
	// approver, for a kind that may be approved after the fact (the sources say 事後速やかに);
	// one day when the pack gives none.
	ReportWithinDays int `yaml:"report_within_days,omitempty" json:"report_within_days,omitempty"`
	// ReportWithinCite is what the report deadline rests on: an article that states it, or
	// (as in every shipped source) origin: added with the reason for the period chosen.
	ReportWithinCite Cite `yaml:"report_within_cite,omitempty" json:"report_within_cite,omitzero"`
	// SelfApproval lets an applicant who holds a step's role decide that step of their own
	// request; only where the source allows it. Without it the applicant never decides.
	SelfApproval bool `yaml:"self_approval,omitempty" json:"self_approval,omitempty"`
	// MaxDays is the longest an approved deviation of this kind may last, in days from its
	// approval (例外措置の期間); 0 leaves the program's default (compliance.DefaultExceptionDays).
	// The shipped sources state no period, so a pack sets it where its own rules do.
	MaxDays int `yaml:"max_days,omitempty" json:"max_days,omitempty"`
	// MaxDaysCite is what the longest period rests on — MaxDays, or the program's default when
	// it is 0: an article that states it, or origin: added with its reason.
	MaxDaysCite Cite `yaml:"max_days_cite,omitempty" json:"max_days_cite,omitzero"`
	// Exception marks the kind that requests an exception (例外措置): once approved, the request
	// enters the exception register and suppresses the findings it names until it expires. Its
	// form has the fields the register reads (ExceptionFields). A pack has at most one.
	Exception bool `yaml:"exception,omitempty" json:"exception,omitempty"`
	// NotifyAfter are reports made once the request is approved (安平町 第15条第3項: the
	// 情報セキュリティ管理者 who permitted reports it to the 情報ネットワーク管理者 on 様式第1号).
	NotifyAfter []Notice `yaml:"notify_after,omitempty" json:"notify_after,omitempty"`
	// OutField names the date field that holds the day a returnable kind's assets go out; the
	// due date (DueField) may not precede it.
	OutField string `yaml:"out_field,omitempty" json:"out_field,omitempty"`
	// TakeOutLog names the logbook that records a returnable kind's taking out and return
	// (上毛町 5(1)①オ: 端末等の持ち出し及び持ち込みの記録), and which of its fields receive what;
	// recording the take-out and the return writes its entries (lifelog.go).
	TakeOutLog *TakeOutLog `yaml:"take_out_log,omitempty" json:"take_out_log,omitempty"`
	// ReturnConfirmation makes a return of a returnable kind complete only when a second person
	// — not the applicant, not whoever recorded the return — confirms it.
	ReturnConfirmation *Confirmation `yaml:"return_confirmation,omitempty" json:"return_confirmation,omitempty"`
	Cite               Cite          `yaml:"cite" json:"cite"`
}

// The fields of an exception kind's form that the exception register reads, by id and type: the
// rules and the assets it covers and the last day it holds. The provision, the measure and the
// reason keep the ids each source gives them.
const (
	ExceptionRules   = "rules"      // type rule: the pack's rule ids
	ExceptionAssets  = "assets"     // type assets: 管理番号 of the assets
	ExceptionExpires = "expires_on" // type date: the last day the exception holds (JST)
)

// ExceptionFields are the fields an exception kind must have, with their types.
var ExceptionFields = []Field{
	{ID: ExceptionRules, Type: "rule"},
	{ID: ExceptionAssets, Type: "assets"},
	{ID: ExceptionExpires, Type: "date"},
}

// Effects an approval may have on its subject asset.
var Effects = []string{"take_out", "lend", "dispose"}

// Step is one approval in order: the holder of Role over the scope Of — or, when Or is given,
// any one of the roles named (又は); or, when And is given, every one of them (及び, jointly and
// in any order).
type Step struct {
	Role string    `yaml:"role" json:"role"`
	Of   string    `yaml:"of" json:"of"` // applicant_department, subject_department, organization, system
	Or   []Decider `yaml:"or,omitempty" json:"or,omitempty"`
	And  []Decider `yaml:"and,omitempty" json:"and,omitempty"`
	Note string    `yaml:"note,omitempty" json:"note,omitempty"`
	// Cite is given where the step itself is not the approval's article's words: origin: added
	// for a decider the pack infers (岸和田市 7(1)①: to whom the 導入計画書 goes).
	Cite Cite `yaml:"cite,omitempty" json:"cite,omitzero"`
}

// Decider is a role over a scope that decides (or shares in deciding) a step.
type Decider struct {
	Role string `yaml:"role" json:"role"`
	Of   string `yaml:"of" json:"of"`
}

// Deciders returns every role the step names, Role first.
func (s Step) Deciders() []Decider {
	out := []Decider{{Role: s.Role, Of: s.Of}}
	out = append(out, s.Or...)
	return append(out, s.And...)
}

// Joint reports whether every decider must approve the step (And), rather than any one.
func (s Step) Joint() bool { return len(s.And) > 0 }

// Notice is a report that follows an approval: to the holder of Role over Of, made by whoever
// gave the approval. Its form (安平町 様式第1号 個人所有機器業務使用報告書) is the approver's
// report, not the applicant's request: the kind's own Form stays empty when the source gives
// the request none.
type Notice struct {
	Role      string `yaml:"role" json:"role"`
	Of        string `yaml:"of" json:"of"`
	Form      string `yaml:"form,omitempty" json:"form,omitempty"`             // the form the report is made on
	FormTitle string `yaml:"form_title,omitempty" json:"form_title,omitempty"` // that form's own title
	Cite      Cite   `yaml:"cite" json:"cite"`
}

// Field is one input of a form, logbook or report.
type Field struct {
	ID       string   `yaml:"id" json:"id"`
	Name     string   `yaml:"name" json:"name"`
	Type     string   `yaml:"type" json:"type"` // text, textarea, date, datetime, number, bool, enum, staff, asset, department, file, rule (pack rule ids), assets (管理番号s)
	Required bool     `yaml:"required,omitempty" json:"required,omitempty"`
	Values   []string `yaml:"values,omitempty" json:"values,omitempty"`
	Cite     Cite     `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// Logbook is a record the policy requires to be kept (記録簿).
type Logbook struct {
	ID           string  `yaml:"id" json:"id"`
	Name         string  `yaml:"name" json:"name"`
	Form         string  `yaml:"form,omitempty" json:"form,omitempty"`
	Fields       []Field `yaml:"fields" json:"fields"`
	SecondPerson bool    `yaml:"second_person,omitempty" json:"second_person,omitempty"` // another person must confirm each entry
	KeptBy       string  `yaml:"kept_by,omitempty" json:"kept_by,omitempty"`             // role id
	// Visitors marks a room access log (入退室管理簿): visitors who are not staff must be escorted
	// by an authorised member of staff (上毛町 4(2)②ウ, 安平町 第24条(5)).
	Visitors bool `yaml:"visitors,omitempty" json:"visitors,omitempty"`
	Cite     Cite `yaml:"cite" json:"cite"`
}

// Incident is how the policy handles information-security incidents.
type Incident struct {
	ReportItems []Field      `yaml:"report_items" json:"report_items"`
	Triage      []TriageStep `yaml:"triage,omitempty" json:"triage,omitempty"`
	Categories  []Category   `yaml:"categories,omitempty" json:"categories,omitempty"`
	Contacts    []Contact    `yaml:"contacts,omitempty" json:"contacts,omitempty"`
	Routes      []Route      `yaml:"routes,omitempty" json:"routes,omitempty"`
	Measures    []Measure    `yaml:"measures,omitempty" json:"measures,omitempty"` // network cut, system stop …
	Publication *Publication `yaml:"publication,omitempty" json:"publication,omitempty"`
	// FirstRecipients are the contacts a report goes to first and who triage it (上毛町 3(1):
	// ネットワーク管理者 and 情報システム管理者; 岸和田市 10(1)①: the CSIRT and the
	// 情報セキュリティ責任者). Without them, the receivers of the first route's first step.
	FirstRecipients []string `yaml:"first_recipients,omitempty" json:"first_recipients,omitempty"`
	// MemberReportsTo are the roles that receive the incidents the organisations under this one
	// report upwards (山形県 2.1(10)⑦: CSIRT 管理者 for 県内市町村) and may add support to them.
	// Without them, the holders of the pack's organisation-wide security roles.
	MemberReportsTo []string `yaml:"member_reports_to,omitempty" json:"member_reports_to,omitempty"`
	// PlanApproval is the approval kind whose steps approve a 再発防止計画 (上毛町
	// recurrence_plan); without it PlanApprovedBy approves it. A pack names one or the other.
	PlanApproval   string `yaml:"plan_approval,omitempty" json:"plan_approval,omitempty"`
	PlanApprovedBy string `yaml:"plan_approved_by,omitempty" json:"plan_approved_by,omitempty"` // role id
	Cite           Cite   `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// TriageStep is one step of the first response.
type TriageStep struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	By   string `yaml:"by,omitempty" json:"by,omitempty"` // role id
	// Categories are the incident categories the step belongs to (山形県 6.1(1)⑬: the
	// disconnection is for a 不正プログラム感染); a step of none belongs to every incident.
	Categories []string `yaml:"categories,omitempty" json:"categories,omitempty"`
	Cite       Cite     `yaml:"cite" json:"cite"`
}

// For reports whether the step belongs to an incident of the category (any, when category is
// empty: nothing is known yet).
func (t TriageStep) For(category string) bool {
	return category == "" || len(t.Categories) == 0 || slices.Contains(t.Categories, category)
}

// Label is the category's name on forms and lists: its short name, else its sentence.
func (c Category) Label() string {
	if c.Short != "" {
		return c.Short
	}
	return c.Name
}

// Category is a kind of incident and whom it is reported to, in order (contact ids).
type Category struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"` // the source's own sentence
	// Short is the category's label on forms and lists, in the source's own words (重大な被害の
	// おそれ); Name stays the sentence it is taken from. Label returns Name when it is empty.
	Short       string   `yaml:"short,omitempty" json:"short,omitempty"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Notify      []string `yaml:"notify,omitempty" json:"notify,omitempty"`
	// From is the contact who tells those of Notify (上毛町 4(1): ネットワーク管理者); without it
	// the first of the first recipients. Within and WithinMinutes are as for a route step.
	From          string `yaml:"from,omitempty" json:"from,omitempty"`
	Within        string `yaml:"within,omitempty" json:"within,omitempty"`
	WithinMinutes int    `yaml:"within_minutes,omitempty" json:"within_minutes,omitempty"`
	Cite          Cite   `yaml:"cite" json:"cite"`
}

// Contact is a person, role or body incidents are reported to (緊急連絡網).
type Contact struct {
	ID           string `yaml:"id" json:"id"`
	Name         string `yaml:"name" json:"name"`
	Role         string `yaml:"role,omitempty" json:"role,omitempty"` // pack role id, for internal contacts
	External     bool   `yaml:"external,omitempty" json:"external,omitempty"`
	Organization string `yaml:"organization,omitempty" json:"organization,omitempty"`
	Cite         Cite   `yaml:"cite" json:"cite"`
}

// Route is a reporting chain: who tells whom, in order.
type Route struct {
	ID    string      `yaml:"id" json:"id"`
	Name  string      `yaml:"name" json:"name"`
	Steps []RouteStep `yaml:"steps" json:"steps"`
	Cite  Cite        `yaml:"cite" json:"cite"`
}

// RouteStep is one report in a chain.
type RouteStep struct {
	From   string   `yaml:"from" json:"from"` // contact id
	To     []string `yaml:"to" json:"to"`     // contact ids
	Action string   `yaml:"action,omitempty" json:"action,omitempty"`
	Within string   `yaml:"within,omitempty" json:"within,omitempty"` // as the source words it (直ちに …)
	// WithinMinutes is the deadline Mamori holds the report to, counted from when the step's
	// From was told (or from the report); 0 takes it from Within (see RouteStep.Deadline).
	WithinMinutes int `yaml:"within_minutes,omitempty" json:"within_minutes,omitempty"`
	// Cite is given where the step is not the route's article's words: origin: added for an
	// arrow read from a figure's label.
	Cite Cite `yaml:"cite,omitempty" json:"cite,omitzero"`
}

// Measure is an emergency action and the conditions under which it is taken: by the holder of
// DecidedBy over the incident — or, when Or is given, by a holder of any one of the roles named
// (上毛町 緊急時対応計画 4(3): ネットワーク管理者及び情報システムを所管する情報システム管理者),
// as an approval step's Or names alternative deciders.
type Measure struct {
	ID         string   `yaml:"id" json:"id"`
	Name       string   `yaml:"name" json:"name"`
	Conditions []string `yaml:"conditions" json:"conditions"`
	DecidedBy  string   `yaml:"decided_by,omitempty" json:"decided_by,omitempty"` // role id
	Or         []string `yaml:"or,omitempty" json:"or,omitempty"`                 // role ids, each of which may take it too
	Cite       Cite     `yaml:"cite" json:"cite"`
}

// Deciders returns every role that may take the measure, DecidedBy first; none when the pack
// names no role (any handler takes it).
func (m Measure) Deciders() []string {
	if m.DecidedBy == "" {
		return nil
	}
	return append([]string{m.DecidedBy}, m.Or...)
}

// Publication is how an incident is made public.
type Publication struct {
	DecidedBy string `yaml:"decided_by,omitempty" json:"decided_by,omitempty"` // role id
	Via       string `yaml:"via,omitempty" json:"via,omitempty"`
	Cite      Cite   `yaml:"cite" json:"cite"`
}

// Rule is a checkable requirement: records that match When must satisfy Require.
type Rule struct {
	ID          string `yaml:"id" json:"id"`
	On          string `yaml:"on" json:"on"` // asset
	When        string `yaml:"when,omitempty" json:"when,omitempty"`
	Require     string `yaml:"require" json:"require"`
	Severity    string `yaml:"severity" json:"severity"` // low, medium, high, critical
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	Cite        Cite   `yaml:"cite" json:"cite"`
}

// Inspection is a self-inspection item: a duty a person must check.
type Inspection struct {
	ID       string `yaml:"id" json:"id"`
	Question string `yaml:"question" json:"question"`
	Role     string `yaml:"role,omitempty" json:"role,omitempty"` // who is asked
	Cite     Cite   `yaml:"cite" json:"cite"`
}

// Clause is a clause that outsourcing contracts must contain.
type Clause struct {
	ID   string `yaml:"id" json:"id"`
	Text string `yaml:"text" json:"text"`
	Cite Cite   `yaml:"cite" json:"cite"`
}

// Threat is a class of threat the policy names.
type Threat struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	Cite        Cite   `yaml:"cite" json:"cite"`
}

// Auth are the login rules the organisation's users are held to.
type Auth struct {
	LockoutAfterFailures int `yaml:"lockout_after_failures,omitempty" json:"lockout_after_failures,omitempty"`
	// Unlock is how a locked account opens again: UnlockByAdmin (the default) or UnlockAfter,
	// by itself UnlockAfterMinutes after it locked.
	Unlock             string `yaml:"unlock,omitempty" json:"unlock,omitempty"`
	UnlockAfterMinutes int    `yaml:"unlock_after_minutes,omitempty" json:"unlock_after_minutes,omitempty"`
	UnlockCite         Cite   `yaml:"unlock_cite,omitempty" json:"unlock_cite,omitempty"`
	PasswordMinLength  int    `yaml:"password_min_length,omitempty" json:"password_min_length,omitempty"`
	// MFARoles are the roles whose holders must sign in to Mamori with a second factor, as
	// platform administrators always do; MFACite is what that rests on.
	MFARoles []string `yaml:"mfa_roles,omitempty" json:"mfa_roles,omitempty"`
	MFACite  Cite     `yaml:"mfa_cite,omitempty" json:"mfa_cite,omitempty"`
	Notes    []Duty   `yaml:"notes,omitempty" json:"notes,omitempty"`
	Cite     Cite     `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// How a locked account is unlocked.
const (
	UnlockByAdmin = "admin"
	UnlockAfter   = "after"
	// MaxUnlockAfterMinutes is the longest period a pack may set: a week.
	MaxUnlockAfterMinutes = 7 * 24 * 60
)

// UnlockMinutes is how long a lock lasts before it lifts itself, or 0 when an administrator
// unlocks.
func (a Auth) UnlockMinutes() int {
	if a.Unlock == UnlockAfter {
		return a.UnlockAfterMinutes
	}
	return 0
}
