// Package incident runs 情報セキュリティインシデント as the organisation's pack prescribes: the
// report with the pack's report items, its triage by the pack's first recipients, the escalation
// checklist of who must be told in which order and by when, the response (measures, evidence
// with SHA-256 and its chain of custody, a timeline of every event, recovery, monitoring, root
// cause, the 再発防止計画 and its approval), publication, crimes and the police, reporting upward
// to a parent organisation's CSIRT, and the 緊急連絡網.
//
// Who sees an incident is decided here (see reach.go); every change is written in one
// transaction together with its audit-log entry and its notices.
package incident

import (
	"time"

	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// States of an incident.
const (
	Reported    = "reported"     // reported, waiting for triage
	NotIncident = "not_incident" // triaged: not an incident (closed)
	Open        = "open"         // triaged as an incident, being handled
	Contained   = "contained"    // the damage no longer spreads (封じ込め)
	Recovered   = "recovered"    // systems restored; monitored until MonitoringUntil (上毛町 4(8))
	Closed      = "closed"
)

// Incident is one reported event and everything done about it.
type Incident struct {
	ID           int64          `json:"id"`
	OrgID        int64          `json:"org_id"`
	Title        string         `json:"title"`
	State        string         `json:"state"`
	DepartmentID int64          `json:"department_id,omitempty"`
	ReporterID   int64          `json:"reporter_staff_id,omitempty"` // who reported, or who received an outside report
	ReporterName string         `json:"reporter_name,omitempty"`
	Outside      *OutsideReport `json:"outside,omitempty"`
	Report       map[string]any `json:"report"` // the pack's report items by id
	DetectedAt   time.Time      `json:"detected_at"`
	ReportedAt   time.Time      `json:"reported_at"`
	// Triage (by the pack's first recipients).
	IsIncident  *bool      `json:"is_incident,omitempty"`
	Category    string     `json:"category,omitempty"`
	Severity    string     `json:"severity,omitempty"`
	Routes      []string   `json:"routes"`
	Systems     []string   `json:"systems"`
	AssetIDs    []int64    `json:"asset_ids"`
	Restricted  bool       `json:"restricted"`
	TriagedAt   *time.Time `json:"triaged_at,omitempty"`
	TriagedByID int64      `json:"triaged_by_staff_id,omitempty"`
	// Response.
	ContainedAt     *time.Time   `json:"contained_at,omitempty"`
	RecoveredAt     *time.Time   `json:"recovered_at,omitempty"`
	MonitoringUntil *time.Time   `json:"monitoring_until,omitempty"`
	ClosedAt        *time.Time   `json:"closed_at,omitempty"`
	RootCause       string       `json:"root_cause,omitempty"`
	Plan            *Plan        `json:"plan,omitempty"`
	Publication     *Publication `json:"publication,omitempty"`
	Crime           *Crime       `json:"crime,omitempty"`
	UpwardOrgID     int64        `json:"upward_org_id,omitempty"`
	UpwardAt        *time.Time   `json:"upward_at,omitempty"`
	Version         int          `json:"version"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`

	// Filled by Get.
	Checklist []ChecklistStep `json:"checklist,omitempty"`
	Timeline  []Event         `json:"timeline,omitempty"`
	Evidence  []Evidence      `json:"evidence,omitempty"`
	Handlers  []int64         `json:"handlers,omitempty"`
}

// OutsideReport is a report from outside (住民等, 上毛町 5(3)②), recorded by the staff member who
// received it.
type OutsideReport struct {
	Reporter string `json:"reporter"`
	Contact  string `json:"contact"`
}

// ChecklistStep is one line of the escalation checklist: From must tell To, in order Seq, by
// DueAt. Its deadline runs from when From was told (or from the report), so it is nil while From
// still waits to be told, and nil for a step the source gives no time (必要に応じて).
type ChecklistStep struct {
	ID            int64      `json:"id"`
	Seq           int        `json:"seq"`
	Source        string     `json:"source"` // "route:<id>#<step>" or "category:<id>"
	From          string     `json:"from"`   // contact ids
	To            string     `json:"to"`
	ToName        string     `json:"to_name"`
	External      bool       `json:"external"`
	Action        string     `json:"action,omitempty"`
	Within        string     `json:"within,omitempty"` // the source's words
	WithinMinutes int        `json:"within_minutes,omitempty"`
	Cite          string     `json:"cite,omitempty"`
	DueAt         *time.Time `json:"due_at,omitempty"`
	State         string     `json:"state"` // open, done, skipped
	DoneAt        *time.Time `json:"done_at,omitempty"`
	Means         string     `json:"means,omitempty"`
	DoneByID      int64      `json:"done_by_staff_id,omitempty"`
	Note          string     `json:"note,omitempty"`
	Overdue       bool       `json:"overdue"`
	IncidentID    int64      `json:"incident_id"`
	IncidentTitle string     `json:"incident_title,omitempty"`
}

// Means a checklist step is made by.
var Means = []string{"phone", "mail", "in_person", "fax", "system", "other"}

// Event is one entry of the timeline. Entries are never changed; a correction is a new entry.
type Event struct {
	ID         int64          `json:"id"`
	Kind       string         `json:"kind"`
	At         time.Time      `json:"at"` // when it happened
	RecordedAt time.Time      `json:"recorded_at"`
	ActorOrgID int64          `json:"actor_org_id"` // the parent organisation for its CSIRT's support
	StaffID    int64          `json:"staff_id,omitempty"`
	Actor      string         `json:"actor"`
	EvidenceID int64          `json:"evidence_id,omitempty"`
	Text       string         `json:"text,omitempty"`
	Data       map[string]any `json:"data,omitempty"`
}

// Plan is the 再発防止計画: drafted, approved step by step, announced to staff.
type Plan struct {
	Text        string     `json:"text"`
	DraftedBy   int64      `json:"drafted_by_staff_id"`
	DraftedAt   time.Time  `json:"drafted_at"`
	Steps       []string   `json:"steps"` // role ids that approve, in order
	Approvals   []Approval `json:"approvals"`
	Cite        string     `json:"cite,omitempty"`
	Announced   string     `json:"announced,omitempty"`
	AnnouncedAt *time.Time `json:"announced_at,omitempty"`
}

// Approved reports whether every step approved the plan.
func (p *Plan) Approved() bool { return p != nil && len(p.Approvals) == len(p.Steps) }

// Approval is one step's approval of the plan.
type Approval struct {
	Role    string    `json:"role"`
	StaffID int64     `json:"staff_id"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
}

// Publication is the decision whether to make the incident public, and its record (山形県 6.6(2)).
type Publication struct {
	Publish     bool       `json:"publish"`
	Reason      string     `json:"reason"`
	Via         string     `json:"via,omitempty"`
	DecidedBy   int64      `json:"decided_by_staff_id"`
	DecidedAt   time.Time  `json:"decided_at"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Content     string     `json:"content,omitempty"`
}

// Crime records that an incident may be a crime: the records kept, and each contact with the
// police (山形県 6.6(3)).
type Crime struct {
	Suspected   bool            `json:"suspected"`
	RecordsKept string          `json:"records_kept"`
	Contacts    []PoliceContact `json:"contacts"`
}

// PoliceContact is one contact with the police or another agency.
type PoliceContact struct {
	At        time.Time `json:"at"`
	Agency    string    `json:"agency"`
	Person    string    `json:"person,omitempty"`
	Means     string    `json:"means"`
	Reference string    `json:"reference,omitempty"` // 受理番号 …
	Note      string    `json:"note,omitempty"`
	StaffID   int64     `json:"staff_id"`
}

// Service keeps the organisation's incidents.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// jst is the zone the organisations count their days in.
var jst = time.FixedZone("JST", 9*60*60)
