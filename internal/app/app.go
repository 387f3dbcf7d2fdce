// Package app assembles Mamori's domain services over one database, and performs first-start
// setup: the organisation and its platform administrator.
package app

import (
	"context"
	"time"

	"mamori/internal/access"
	"mamori/internal/accessreview"
	"mamori/internal/apperr"
	"mamori/internal/article"
	"mamori/internal/asset"
	"mamori/internal/audit"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/compliance"
	"mamori/internal/desk"
	"mamori/internal/directory"
	"mamori/internal/incident"
	"mamori/internal/inspection"
	"mamori/internal/logbook"
	"mamori/internal/notify"
	"mamori/internal/org"
	"mamori/internal/orgpolicy"
	"mamori/internal/pledge"
	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/review"
	"mamori/internal/risk"
	"mamori/internal/schedule"
	"mamori/internal/store"
	"mamori/internal/sysaccount"
	"mamori/internal/task"
	"mamori/internal/training"
	"mamori/internal/transfer"
	"mamori/packs"
)

// Services are the domain services every surface (web, API, command line) uses.
type Services struct {
	DB       *store.DB
	Now      func() time.Time
	Org      *org.Service
	Auth     *auth.Service
	Audit    *auditlog.Service
	Policy   *orgpolicy.Service
	Assets   *asset.Service
	Logbooks *logbook.Service
	// Requests are 申請・承認: requests of the pack's approval kinds and their decisions.
	Requests *request.Service
	// Notices are each user's お知らせ; domain services write them with notify.Notify.
	Notices *notify.Service
	// Compliance checks the register against the pack's rules at every write and in sweeps,
	// and keeps the findings and the exception register (例外措置).
	Compliance *compliance.Service
	// Incidents are 情報セキュリティインシデント: reports, triage, escalation and response.
	Incidents *incident.Service
	// Audits is the 情報セキュリティ監査 (engagements, findings, corrective actions).
	Audits *audit.Service
	// Jobs show the runs of the background jobs (Scheduler) to the platform administrators.
	Jobs *schedule.Service
	// Tasks are the occurrences of the pack's recurring duties (定期業務), each closed with its
	// evidence.
	Tasks *task.Service
	// Inspections are 自己点検: campaigns of the pack's checklist, their sheets, answers and
	// findings.
	Inspections *inspection.Service
	// Reviews are 見直し, the yearly review of the policy, and the register of 実施手順.
	Reviews *review.Service
	// Desks are each person's home page: what waits for them across the services above.
	Desks *desk.Service
	// Risks are リスク分析: the risk register from asset groups × the pack's threats.
	Risks *risk.Service
	// Pledges are 同意書・誓約書: the pack's pledges, who must sign them and their signatures.
	Pledges *pledge.Service
	// Directory is sign-in from the organisation's directory (AD/LDAP, OIDC): its settings and
	// the mapping of a directory's people to users, staff, departments and pack roles.
	Directory *directory.Service
	// SystemAccounts are the accounts of the organisation's information systems (利用者ID,
	// 特権ID) and the findings of the pack's account rules over them.
	SystemAccounts *sysaccount.Service
	// AccessReviews are 棚卸し: reviews of the accounts of the organisation's systems.
	AccessReviews *accessreview.Service
	// Transfers are 人事異動: the lists that move the staff records and end the roles of the
	// old post, at once or on their day.
	Transfers *transfer.Service
	// Trainings are 研修・訓練: the year's plan from the pack's courses, sessions, attendance and
	// completion.
	Trainings *training.Service
}

// shipped returns the packs built into the binary. They are validated by their tests, so a
// failure here is a build defect.
func shipped() *policy.Library {
	lib, err := packs.Load()
	if err != nil {
		panic("shipped policy packs do not load: " + err.Error())
	}
	return lib
}

// New builds the services over the shipped packs. now may be nil for the real clock.
func New(db *store.DB, params auth.Params, now func() time.Time) *Services {
	return NewWithPacks(db, params, now, shipped())
}

// NewWithPacks builds the services over a library of packs (the shipped ones and an
// organisation's own folder).
func NewWithPacks(db *store.DB, params auth.Params, now func() time.Time, lib *policy.Library) *Services {
	if now == nil {
		now = time.Now
	}
	a := auth.New(db, params)
	a.Now = now
	pol := &orgpolicy.Service{DB: db, Library: lib, Now: now}
	a.RoleMarks = pol.RoleMarks
	a.RoleScope = pol.RoleScope
	assets := &asset.Service{DB: db, Policy: pol, Now: now}
	logbooks := &logbook.Service{DB: db, Policy: pol, Now: now}
	requests := &request.Service{DB: db, Policy: pol, Now: now, Assets: assets, Logbooks: logbooks}
	incidents := &incident.Service{DB: db, Policy: pol, Now: now}
	audits := &audit.Service{DB: db, Policy: pol, Now: now}
	comp := &compliance.Service{DB: db, Policy: pol, Now: now, Assets: assets}
	risks := &risk.Service{DB: db, Policy: pol, Compliance: comp, Now: now}
	tasks := &task.Service{DB: db, Policy: pol, Logbooks: logbooks, Now: now}
	trainings := &training.Service{DB: db, Policy: pol, Now: now}
	pol.AfterBind = tasks.GenerateOrg
	inspections := &inspection.Service{DB: db, Policy: pol, Now: now}
	// The audit suggestion orders departments by their self-inspection answers.
	audits.Scores = inspections.Scores
	// The hooks that keep the compliance findings and the exception register in step with the
	// register and the requests, in their transactions: set here, on these services only.
	assets.AfterWrite(comp.RegisterWritten)
	assets.OnStateChange(compliance.AssetStateChanged)
	requests.Observe(policy.MarkException, compliance.ExceptionHook())
	// The records a review gathers for each article, each read under its own service's rule.
	accounts := &sysaccount.Service{DB: db, Policy: pol, Now: now}
	reviews := &review.Service{DB: db, Policy: pol, Now: now, Sources: []article.Source{incidents, comp, inspections, audits, risks}}
	pledges := &pledge.Service{DB: db, Policy: pol, Now: now}
	dir := &directory.Service{DB: db, Now: now, Auth: a, Roles: pol}
	// While an organisation signs in from its directory, only break-glass users keep a password.
	a.LocalRule = dir.LocalRule
	accessReviews := &accessreview.Service{DB: db, Policy: pol, Now: now}
	transfers := &transfer.Service{DB: db, Policy: pol, Now: now}
	return &Services{
		DB:       db,
		Now:      now,
		Org:      &org.Service{DB: db, Now: now, Catalog: pol},
		Auth:     a,
		Audit:    &auditlog.Service{DB: db, Now: now, Readers: auditReaders(assets, requests, logbooks, incidents, audits, risks, tasks, inspections, reviews, pledges, accounts, accessReviews, transfers, trainings)},
		Policy:   pol,
		Assets:   assets,
		Logbooks: logbooks,
		Requests: requests,
		Notices:  &notify.Service{DB: db, Now: now, Readers: noticeReaders(requests, incidents, tasks)},

		Compliance:  comp,
		Incidents:   incidents,
		Inspections: inspections,
		Audits:      audits,
		Jobs:        &schedule.Service{DB: db},
		Tasks:       tasks,
		Reviews:     reviews,
		Desks: &desk.Service{Policy: pol, Requests: requests, Incidents: incidents, Compliance: comp, Logbooks: logbooks,
			Audits: audits, Risks: risks, Tasks: tasks, Inspections: inspections, Reviews: reviews, Pledges: pledges, AccessReviews: accessReviews, Transfers: transfers, SystemAccounts: accounts, Trainings: trainings, Now: now},
		Risks:          risks,
		Pledges:        pledges,
		Directory:      dir,
		SystemAccounts: accounts,
		AccessReviews:  accessReviews,
		Transfers:      transfers,
		Trainings:      trainings,
	}
}

// auditReaders says, for every kind of record the audit log holds, whose rule decides who
// reads its entries in full (auditlog.Readers). A kind missing here is withheld from every
// reader but the program itself; a test fails when a service writes a kind not named here.
func auditReaders(assets *asset.Service, requests *request.Service, logbooks *logbook.Service, incidents *incident.Service,
	audits *audit.Service, risks *risk.Service, tasks *task.Service, inspections *inspection.Service,
	reviews *review.Service, pledges *pledge.Service, accounts *sysaccount.Service, accessReviews *accessreview.Service,
	transfers *transfer.Service, trainings *training.Service) auditlog.Readers {
	return auditlog.Readers{
		// The register's rule: the highest class's details stay with the owning department,
		// the security roles and auditors.
		"asset": assets.AuditReadable,
		// Requests: those who see the request and the details of its subject assets.
		"request": requests.AuditReadable,
		// Logbooks: those who read the entry and the assets it names.
		"logbook_entry": logbooks.AuditReadable,
		// Incidents and their evidence: those who see the incident (a restricted one stays with
		// its reporter, handlers and the organisation-wide security roles).
		"incident":          incidents.AuditReadable,
		"incident_evidence": incidents.AuditReadable,
		"incident_contact":  incident.ContactsAuditReadable,
		"audit":             audits.AuditReadable,
		"audit_plan":        audits.AuditReadable,
		// Risks: those who read the risk and are told everything about its asset group.
		"risk": risks.AuditReadable,
		// Tasks of recurring duties: the holders of the role in the task's scope, the
		// organisation-wide security roles and the auditors.
		"task": tasks.AuditReadable,
		// The yearly making of tasks says only how many were made.
		"task_generation": auditlog.Open,
		// Self-inspection: those who read the sheet (its department's answerers, the
		// organisation-wide security roles, auditors); a campaign's entry, which names every
		// department, those who read every sheet.
		"inspection_campaign": inspections.AuditReadable,
		"inspection_sheet":    inspections.AuditReadable,
		"inspection_finding":  inspections.AuditReadable,
		// Reviews: the 情報政策課, the deciders and the auditors; procedures: those who read them
		// (実施手順 are not public).
		"review":    reviews.AuditReadable,
		"procedure": reviews.ProcedureAuditReadable,
		// Signatures of pledges: the signer, their department's 課長, the 情報政策課 and auditors.
		"pledge_signature": pledges.AuditReadable,
		// Accounts of the organisation's systems: those who read the account (its system's
		// 情報システム管理者, the security roles, auditors, the owner's 課長, the owner).
		"system_account": accounts.AuditReadable,
		// Access reviews (棚卸し): a review's entries, those who read it in full (the 情報政策課,
		// its opener, the system's administrator, auditors); an account's decision or proof,
		// also its reviewers and provers.
		"access_review":      accessReviews.AuditReadable,
		"access_review_item": accessReviews.AuditReadable,
		// 人事異動 lists: the administrators, the organisation-wide security roles, the auditors.
		"transfer_list": transfers.AuditReadable,
		// 研修・訓練: a plan, its courses and sessions name nobody (a roll call's entry holds staff
		// ids only); a person's assignment is read by those who read it now; an attendance
		// import, which names many, by those who oversee the organisation's training.
		"training_plan":       auditlog.Open,
		"training_session":    auditlog.Open,
		"training_assignment": trainings.AuditReadable,
		"training_import":     trainings.ImportAuditReadable,
		// What the platform administrators keep and the auditors check: open to every reader
		// of the audit log.
		"organization":    auditlog.Open, // the organisation and its pack (policy.bind)
		"department":      auditlog.Open,
		"staff":           auditlog.Open,
		"role_assignment": auditlog.Open,
		"user":            auditlog.Open, // accounts, sign-ins, MFA, passwords changed
		"api_token":       auditlog.Open,
		// The directory's mapping of departments and groups, and the break-glass users.
		"directory_settings": auditlog.Open,
	}
}

// noticeReaders says, for the kinds of record whose read rule can close a record to someone
// after a notice about it reached them, whose rule decides whether the notice still shows what
// it said (notify.Readers): the same rules the records' pages and the audit log apply.
func noticeReaders(requests *request.Service, incidents *incident.Service, tasks *task.Service) notify.Readers {
	return notify.Readers{
		"request":  requests.Readable,
		"incident": incidents.Readable,
		"task":     tasks.Readable,
	}
}

// AdminLogin is the platform administrator's login name.
const AdminLogin = "admin"

// Setup describes the organisation to create at first start.
type Setup struct {
	OrgCode string
	OrgName string
	OrgKind string
	PackID  string // the pack the organisation is bound to at first start; empty for none yet
}

// FirstStart is what Bootstrap did: nothing when the database already had an organisation.
type FirstStart struct {
	Created       bool
	Org           org.Organization
	AdminPassword string // one-time; printed once and never stored in clear
}

// Bootstrap creates the organisation and the platform administrator when the database has none.
// Several processes may start at once: only one creates them, the others find them.
func (s *Services) Bootstrap(ctx context.Context, in Setup) (FirstStart, error) {
	o, err := s.Org.First(ctx)
	if apperr.CodeOf(err) == apperr.NotFound {
		o, err = s.Org.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: in.OrgCode, Name: in.OrgName, Kind: in.OrgKind})
		if err != nil {
			if o2, err2 := s.Org.First(ctx); err2 == nil {
				o, err = o2, nil // another process won the race
			}
		}
	}
	if err != nil {
		return FirstStart{}, err
	}
	if in.PackID != "" && o.PackID == "" {
		if _, err := s.Policy.Use(ctx, access.System(o.ID, "system"), in.PackID); err != nil {
			return FirstStart{}, err
		}
		if o, err = s.Org.First(ctx); err != nil {
			return FirstStart{}, err
		}
	}
	// The administrator is created on its own; a start interrupted between the two steps is
	// completed by the next one.
	if _, err := s.Auth.UserByLogin(ctx, AdminLogin); err == nil {
		return FirstStart{Org: o}, nil
	} else if apperr.CodeOf(err) != apperr.NotFound {
		return FirstStart{}, err
	}
	_, pw, err := s.Auth.CreateUser(ctx, access.System(o.ID, "system"), auth.NewUser{
		Login: AdminLogin, DisplayName: "プラットフォーム管理者", PlatformAdmin: true, Lang: "ja",
	})
	if apperr.CodeOf(err) == apperr.Invalid {
		return FirstStart{Org: o}, nil // created by a process starting at the same time
	}
	if err != nil {
		return FirstStart{}, err
	}
	return FirstStart{Created: true, Org: o, AdminPassword: pw}, nil
}
