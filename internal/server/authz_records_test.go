package server

import (
	"context"
	"strconv"
	"time"

	"mamori/internal/access"
	"mamori/internal/asset"
	"mamori/internal/incident"
	"mamori/internal/logbook"
	"mamori/internal/request"
	"mamori/internal/review"
)

// plantRecords writes, through the domain services and as the people who would, the records
// the matrix reads: assets of each department at the highest class and below, requests (one
// on X's highest-class asset, an exception naming it), incidents (one restricted), logbook
// entries that name assets, and their findings, exceptions, notices and audit entries.
func (m *matrix) plantRecords(ctx context.Context, sys2 access.Actor, dept2 int64) {
	newAsset := func(who access.Actor, in asset.Input) asset.Asset {
		a, err := m.s.Assets.Create(ctx, who, in)
		m.must(err, "asset "+in.Number)
		return a
	}
	// The matrix pack is 土岐市's, which classifies on 機密性・完全性・可用性 (6(2)): 機密性3 is
	// of the highest class, 1 on every axis is not.
	top := func() map[string]string {
		return map[string]string{"confidentiality": "3", "integrity": "1", "availability": "1"}
	}
	low := func() map[string]string {
		return map[string]string{"confidentiality": "1", "integrity": "1", "availability": "1"}
	}
	const xTop = "X's highest-class asset"
	m.aXTop = newAsset(m.sys, asset.Input{Number: "MX-TOP-001", Kind: "terminal", DepartmentID: m.deptX, Class: top(),
		Segment: "mynumber", Quantity: 1, State: "in_use",
		Name:      m.plant("CNRY-XTOP-NAME-Q", xTop+": name", seesXTop),
		Location:  m.plant("CNRY-XTOP-LOCATION-Q", xTop+": location", seesXTop),
		Note:      m.plant("CNRY-XTOP-NOTE-Q", xTop+": note", seesXTop),
		Copies:    m.plant("CNRY-XTOP-COPIES-Q", xTop+": copies", seesXTop),
		SystemRef: m.plant("CNRY-XTOP-SYSREF-Q", xTop+": system_ref", seesXTop),
		Attrs:     map[string]any{"label": m.plant("CNRY-XTOP-ATTR-Q", xTop+": attribute", seesXTop), "mfa": false}})
	aXLow := newAsset(m.sys, asset.Input{Number: "MX-LOW-001", Kind: "terminal", DepartmentID: m.deptX, Class: low(),
		Quantity: 1, State: "in_use",
		Name:     m.plant("CNRY-XLOW-NAME-Q", "X's asset below the highest class: name", seesXLow),
		Location: m.plant("CNRY-XLOW-LOCATION-Q", "X's asset below the highest class: location", seesXLow)})
	const yTop = "Y's highest-class asset"
	aYTop := newAsset(m.sys, asset.Input{Number: "MY-TOP-001", Kind: "server", DepartmentID: m.deptY, Class: top(),
		Segment: "lgwan", Quantity: 1, State: "in_use",
		Name:  m.plant("CNRY-YTOP-NAME-Q", yTop+": name", seesYTop),
		Note:  m.plant("CNRY-YTOP-NOTE-Q", yTop+": note", seesYTop),
		Attrs: map[string]any{"label": m.plant("CNRY-YTOP-ATTR-Q", yTop+": attribute", seesYTop)}})
	m.aYLow = newAsset(m.sys, asset.Input{Number: "MY-LOW-001", Kind: "media", DepartmentID: m.deptY, Class: low(),
		Quantity: 1, State: "in_use",
		Name: m.plant("CNRY-YLOW-NAME-Q", "Y's asset below the highest class: name", seesYLow)})
	a2 := newAsset(sys2, asset.Input{Number: "N2-001", Kind: "server", DepartmentID: dept2, Class: top(),
		Quantity: 1, State: "in_use",
		Name: m.plant("CNRY-ORG2-ASSET-Q", "隣村's asset: name", seesOther)})
	m.addRecord("asset", m.aXTop.ID, "X's highest-class asset", seesXLow)
	m.addRecord("asset", aXLow.ID, "X's asset below the highest class", seesXLow)
	m.addRecord("asset", aYTop.ID, "Y's highest-class asset", seesYLow)
	m.addRecord("asset", m.aYLow.ID, "Y's asset below the highest class", seesYLow)
	m.addRecord("asset", a2.ID, "隣村's asset", seesOther)

	stX, stY, smX, ciso := m.actAs("jumin-ichiro"), m.actAs("zeimu-hanako"), m.actAs("jumin-kacho"), m.actAs("fuku-chocho")

	// Requests: X's staff takes X's highest-class asset out (with an attachment) and X's security
	// manager approves, freezing the asset in the decision; Y's staff takes Y's medium out; X's
	// staff asks for an exception for the highest-class asset and the CISO approves it, which
	// puts it in the compliance register.
	var err error
	m.rXTop, err = m.s.Requests.Submit(ctx, stX, request.Input{Kind: "take_out", AssetIDs: []int64{m.aXTop.ID}, Fields: map[string]any{
		"asset":        float64(m.aXTop.ID),
		"purpose":      m.plant("CNRY-RXTOP-PURPOSE-Q", "request on X's highest-class asset: purpose", seesXTopRequestWords),
		"destination":  m.plant("CNRY-RXTOP-DEST-Q", "request on X's highest-class asset: destination", seesXTopRequestWords),
		"taken_out_on": "2026-04-02", "return_due": "2026-04-10"},
		Attachments: []request.NewAttachment{{Name: "memo.txt", ContentType: "text/plain",
			Body: []byte(m.plant("CNRY-RXTOP-FILE-Q", "request on X's highest-class asset: attachment", seesXTopRequestWords))}}})
	m.must(err, "request on X's highest-class asset")
	m.rXTop, err = m.s.Requests.Decide(ctx, smX, m.rXTop.ID, request.Decision{Decision: request.Approve,
		Comment: m.plant("CNRY-RXTOP-COMMENT-Q", "request on X's highest-class asset: decision comment", seesXTopRequestWords)})
	m.must(err, "approval")
	rY, err := m.s.Requests.Submit(ctx, stY, request.Input{Kind: "take_out", AssetIDs: []int64{m.aYLow.ID}, Fields: map[string]any{
		"asset":        float64(m.aYLow.ID),
		"purpose":      m.plant("CNRY-RY-PURPOSE-Q", "Y's request: purpose", seesYRequest),
		"destination":  "県庁",
		"taken_out_on": "2026-04-02", "return_due": "2026-04-10"}})
	m.must(err, "Y's request")
	const exc = "exception for X's highest-class asset"
	rExc, err := m.s.Requests.Submit(ctx, stX, request.Input{Kind: "exception", Fields: map[string]any{
		"provision":  m.plant("CNRY-EXC-PROVISION-Q", exc+": provision", seesXTop),
		"reason":     m.plant("CNRY-EXC-REASON-Q", exc+": reason", seesXTop),
		"measure":    m.plant("CNRY-EXC-MEASURE-Q", exc+": measure", seesXTop),
		"rules":      []any{"label-checked"},
		"assets":     []any{"MX-TOP-001"},
		"expires_on": "2026-09-30"}})
	m.must(err, "exception request")
	_, err = m.s.Requests.Decide(ctx, ciso, rExc.ID, request.Decision{Decision: request.Approve, Comment: "承認します"})
	m.must(err, "exception approval")
	// A member of X holding an organisation-wide role reads every department's register and takes
	// Y's highest-class server out: X's security manager sees the request as the officer of the
	// applicant's department, but not the asset.
	rXNet, err := m.s.Requests.Submit(ctx, m.actAs("jumin-net"), request.Input{Kind: "take_out", AssetIDs: []int64{aYTop.ID}, Fields: map[string]any{
		"asset":        float64(aYTop.ID),
		"purpose":      m.plant("CNRY-RXNET-PURPOSE-Q", "request of X's ネットワーク管理者 on Y's highest-class asset: purpose", seesXNetRequestWords),
		"destination":  "データセンター",
		"taken_out_on": "2026-04-02", "return_due": "2026-04-10"}})
	m.must(err, "request on Y's highest-class asset")
	m.addRecord("request", rXNet.ID, "request of X's ネットワーク管理者 on Y's highest-class asset", seesXNetRequest)
	m.addRecord("request", m.rXTop.ID, "request on X's highest-class asset", seesXRequest)
	m.addRecord("request", rY.ID, "Y's request", seesYRequest)
	m.addRecord("request", rExc.ID, "exception request", seesXRequest)
	for _, at := range m.rXTop.Attachments {
		m.addParam("attachment", strconv.FormatInt(at.ID, 10), "attachment of the request on X's highest-class asset")
	}

	// Incidents: X's staff reports one that the CISO triages; a second member of X reports an
	// insider case the CISO restricts and adds evidence to; Y's staff reports one; 隣村's CISO
	// reports one of 隣村.
	report := func(who access.Actor, what string, seenBy map[string]bool, tag string) incident.Incident {
		in, err := m.s.Incidents.Report(ctx, who, incident.ReportInput{DetectedAt: m.now.Add(-time.Hour),
			Title: m.plant("CNRY-"+tag+"-TITLE-Q", what+": title", seenBy),
			Items: map[string]any{"occurred_at": "2026-04-01T09:00:00+09:00",
				"location":  m.plant("CNRY-"+tag+"-PLACE-Q", what+": report item location", seenBy),
				"situation": m.plant("CNRY-"+tag+"-SITUATION-Q", what+": report item situation", seenBy),
				"cause":     m.plant("CNRY-"+tag+"-CAUSE-Q", what+": report item cause", seenBy),
				"reporter":  float64(who.StaffID)}})
		m.must(err, "report "+what)
		return in
	}
	evidence := func(who access.Actor, in incident.Incident, what string, seenBy map[string]bool, tag string) {
		ev, err := m.s.Incidents.AddEvidence(ctx, who, in.ID, incident.NewEvidence{Name: "evidence.txt", ContentType: "text/plain",
			Body:        []byte(m.plant("CNRY-"+tag+"-EVIDENCE-Q", what+": evidence file", seenBy)),
			Description: m.plant("CNRY-"+tag+"-EVNOTE-Q", what+": evidence description", seenBy), CollectedAt: m.now})
		m.must(err, "evidence of "+what)
		m.addParam("evidence", strconv.FormatInt(ev.ID, 10), "evidence of "+what)
	}
	iX := report(stX, "X's incident", seesXIncident, "IX")
	iX, err = m.s.Incidents.Triage(ctx, ciso, iX.ID, incident.TriageInput{Version: iX.Version, IsIncident: true, Severity: "medium"})
	m.must(err, "triage of X's incident")
	evidence(ciso, iX, "X's incident", seesXIncident, "IX")
	iR := report(m.actAs("jumin-jiro"), "restricted incident", seesRestricted, "IR")
	iR, err = m.s.Incidents.Triage(ctx, ciso, iR.ID, incident.TriageInput{Version: iR.Version, IsIncident: true, Severity: "high", Restricted: true})
	m.must(err, "restriction")
	evidence(ciso, iR, "restricted incident", seesRestricted, "IR")
	iY := report(stY, "Y's incident", seesYIncident, "IY")
	i2 := report(m.actAs("tonari-ciso"), "隣村's incident", seesOther, "ORG2")
	m.addRecord("incident", iX.ID, "X's incident", seesXIncident)
	m.addRecord("incident", iR.ID, "restricted incident", seesRestricted)
	m.addRecord("incident", iY.ID, "Y's incident", seesYIncident)
	m.addRecord("incident", i2.ID, "隣村's incident", seesOther)

	// Logbook entries: X's staff records taking X's highest-class asset out; Y's staff Y's
	// medium.
	entry := func(who access.Actor, a asset.Asset, what string, seenBy map[string]bool, tag string) {
		e, err := m.s.Logbooks.Create(ctx, who, logbook.Input{Logbook: "media_handling", Fields: map[string]any{
			"date": "2026-04-01T09:30:00+09:00", "media": float64(a.ID), "action": "持ち出し", "handler": float64(who.StaffID),
			"content": m.plant("CNRY-"+tag+"-CONTENT-Q", what+": content", seenBy),
			"detail":  m.plant("CNRY-"+tag+"-DETAIL-Q", what+": detail", seenBy)}})
		m.must(err, "logbook entry "+what)
		m.addRecord("entry", e.ID, what, seenBy)
	}
	entry(stX, m.aXTop, "X's media log entry on X's highest-class asset", seesXEntry, "LX")
	entry(stY, m.aYLow, "Y's media log entry", seesYEntry, "LY")
	m.plantRisks(ctx)
	m.plantTransfers(ctx)
	m.plantTasks(ctx)
	m.plantPledges(ctx)
	m.plantSystemAccounts(ctx, stX, stY)

	// The year's review, opened and proposed by the CISO (an organisation-wide security role,
	// who decides in 土岐市's pack): read by the CISO and the auditor only. Its articles gather
	// the incidents above, each for those who see the incident. A procedure of the ネットワーク
	// 管理者, not public: its owner role, the CISO and the auditor.
	rv, err := m.s.Reviews.Open(ctx, ciso, 2026)
	m.must(err, "review")
	pr, err := m.s.Reviews.Propose(ctx, ciso, rv.ID, review.ProposalInput{Article: "6(3)①", Kind: review.Amend,
		Text: m.plant("CNRY-REVIEW-TEXT-Q", "the review's proposal", seesReview)})
	m.must(err, "proposal")
	m.addRecord("review", rv.ID, "the year's review", seesReview)
	m.addParam("proposal", strconv.FormatInt(pr.ID, 10), "the review's proposal")
	proc, err := m.s.Reviews.AddProcedure(ctx, ciso, review.ProcedureInput{
		Title: m.plant("CNRY-PROC-TITLE-Q", "the network procedure: title", seesProcedure), DocVersion: "第1版",
		OwnerRole: "network_admin", Articles: []string{"6(3)①"}, ReviewOn: "2026-03-31",
		File: review.File{Name: "procedure.txt", ContentType: "text/plain",
			Body: []byte(m.plant("CNRY-PROC-FILE-Q", "the network procedure: file", seesProcedure))}})
	m.must(err, "procedure")
	m.addRecord("procedure", proc.ID, "the network procedure", seesProcedure)
}

// fillParams gathers the values of every kind of path wildcard: the planted records, the
// accounts, departments, staff, role assignments, notices and tokens of both organisations,
// and an id that names nothing.
func (m *matrix) fillParams(ctx context.Context) {
	db := m.s.DB.SQL
	admins := set(platform)
	rows := func(kind, label, query string, seenBy func(owner int64) map[string]bool) {
		rs, err := db.QueryContext(ctx, query)
		m.must(err, kind)
		defer rs.Close()
		for rs.Next() {
			var id, owner int64
			m.must(rs.Scan(&id, &owner), kind)
			m.addRecord(kind, id, label+" "+strconv.FormatInt(id, 10), seenBy(owner))
		}
		m.must(rs.Err(), kind)
	}
	byOrg := func(o int64) map[string]bool {
		if o == m.org1 {
			return admins
		}
		return set()
	}
	rows("user", "account", `SELECT id, org_id FROM users`, byOrg)
	rows("department", "department", `SELECT id, org_id FROM departments`, byOrg)
	rows("staff", "staff member", `SELECT id, org_id FROM staff`, byOrg)
	rows("role", "role assignment", `SELECT id, org_id FROM role_assignments`, byOrg)
	owner := func(userID int64) map[string]bool {
		for k, a := range m.actors {
			if a.userID == userID {
				return set(k)
			}
		}
		return set()
	}
	rows("notice", "notice", `SELECT id, user_id FROM notice_recipients`, owner)
	// A token may be revoked by its holder; the administrator is kept out of the probes so
	// that no actor loses the token the matrix uses.
	rows("token", "API token", `SELECT id, user_id FROM api_tokens`, func(u int64) map[string]bool {
		s := owner(u)
		s[platform] = true
		return s
	})
	lbs, err := m.s.Logbooks.Pack(ctx, m.org1)
	m.must(err, "logbooks")
	for _, lb := range lbs.Logbooks {
		m.addParam("logbook", lb.ID, "logbook "+lb.ID)
	}
	m.addParam("lang", "ja", "Japanese")
	m.addParam("lang", "en", "English")
	for _, kind := range []string{"asset", "request", "incident", "entry", "attachment", "evidence", "job", "user", "department", "staff",
		"notice", "token", "role", "risk", "task", "review", "proposal", "procedure", "pledge_signature", "system_account"} {
		m.addParam(kind, "987654", "an id that names nothing")
	}
}
