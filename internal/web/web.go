// Package web is Mamori's server-rendered interface: Japanese by default, English per user,
// working without JavaScript. Handlers are thin: they read the form, call a domain service with
// the signed-in actor, and render a template or redirect.
package web

import (
	"log/slog"
	"net/http"
	"slices"

	"mamori/internal/app"
	"mamori/internal/assetio"
	"mamori/internal/oidc"
	"mamori/internal/sysaccount"
)

// Options configure the web interface.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks cookies Secure even when the request itself is plain HTTP (a TLS
	// terminating proxy in front). Requests over TLS always get Secure cookies.
	SecureCookies bool
	// OIDC signs staff in with the organisation's identity provider; nil when none is configured.
	OIDC *oidc.Service
}

// Server serves the HTML interface.
type Server struct {
	s     *app.Services
	opts  Options
	log   *slog.Logger
	pages *renderer
	mux   *http.ServeMux
	// table is the route table as data: routes fills it and the mux serves it.
	table []Route
	// imports are the register imports in steps (asset_import.go), whose state is kept in the
	// database so that any process of a cluster shows them.
	imports *assetio.Jobs
}

// New builds the web interface over the services.
func New(s *app.Services, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	w := &Server{s: s, opts: opts, log: opts.Logger, pages: newRenderer(), mux: http.NewServeMux()}
	w.imports = assetio.NewJobs(&assetio.Importer{Assets: s.Assets, DB: s.DB})
	w.imports.Now, w.imports.Log = s.Now, opts.Logger
	w.table = w.routes()
	for _, rt := range w.table {
		w.mux.Handle(rt.Pattern, rt.Handler)
	}
	return w
}

func (w *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) { w.mux.ServeHTTP(rw, r) }

// Route is one line of the HTML route table: a ServeMux pattern and its handler.
type Route struct {
	Pattern string
	Handler http.Handler
}

// routeTable collects the routes in the order they are written.
type routeTable struct{ routes []Route }

func (t *routeTable) Handle(pattern string, h http.Handler) {
	t.routes = append(t.routes, Route{Pattern: pattern, Handler: h})
}

// Routes returns the route table, so that tests can walk every page of the interface.
func (w *Server) Routes() []Route { return slices.Clone(w.table) }

// routes is the whole HTML surface. Middleware, outermost first: every route resolves the
// session cookie (withSession); signed-in routes then require a complete sign-in (signedIn),
// whose steps — second factor, forced password change, MFA enrolment — have routes of their
// own that accept a session part-way through (partial). The table is data: New registers it on
// the mux and Routes hands it to tests, so a route added here is served and tested alike.
func (w *Server) routes() []Route {
	public := func(h handlerFunc) http.Handler { return w.withSession(w.handle(h)) }
	partial := func(h handlerFunc) http.Handler { return w.withSession(w.partial(w.handle(h))) }
	full := func(h handlerFunc) http.Handler { return w.withSession(w.signedIn(w.handle(h))) }

	m := &routeTable{}
	m.Handle("GET /login", public(w.loginForm))
	m.Handle("POST /login", public(w.login))
	m.Handle("GET /login/mfa", public(w.mfaForm))
	m.Handle("POST /login/mfa", public(w.mfaVerify))
	m.Handle("GET /login/oidc", public(w.oidcStart))
	m.Handle("GET /login/oidc/callback", public(w.oidcCallback))
	m.Handle("POST /logout", partial(w.logout))
	m.Handle("GET /lang/{lang}", public(w.switchLang))

	m.Handle("GET /account/password", partial(w.passwordForm))
	m.Handle("POST /account/password", partial(w.changePassword))
	m.Handle("GET /account/mfa", partial(w.mfaEnrolForm))
	m.Handle("POST /account/mfa", partial(w.mfaEnrol))

	m.Handle("GET /{$}", full(w.home))
	m.Handle("GET /account", full(w.account))
	m.Handle("POST /account/lang", full(w.setLang))
	m.Handle("POST /account/logout-everywhere", full(w.logoutEverywhere))
	m.Handle("POST /account/tokens", full(w.accountTokenCreate))
	m.Handle("POST /account/tokens/{id}/revoke", full(w.accountTokenRevoke))

	m.Handle("GET /users", full(w.users))
	m.Handle("GET /users/new", full(w.userNewForm))
	m.Handle("POST /users", full(w.userCreate))
	m.Handle("GET /users/{id}", full(w.userDetail))
	m.Handle("POST /users/{id}/unlock", full(w.userUnlock))
	m.Handle("POST /users/{id}/reset-password", full(w.userResetPassword))
	m.Handle("POST /users/{id}/disable", full(w.userDisable))
	m.Handle("POST /users/{id}/enable", full(w.userEnable))
	m.Handle("GET /users/new-service", full(w.serviceAccountNewForm))
	m.Handle("POST /users/new-service", full(w.serviceAccountCreate))
	m.Handle("POST /users/{id}/tokens", full(w.userTokenCreate))
	m.Handle("POST /users/{id}/tokens/{token}/revoke", full(w.userTokenRevoke))
	m.Handle("GET /admin/jobs", full(w.jobs))
	m.Handle("GET /settings/directory", full(w.directorySettings))
	m.Handle("POST /settings/directory", full(w.directorySettingsSave))

	m.Handle("GET /departments", full(w.departments))
	m.Handle("GET /departments/new", full(w.departmentNewForm))
	m.Handle("POST /departments", full(w.departmentCreate))
	m.Handle("GET /departments/{id}/edit", full(w.departmentEditForm))
	m.Handle("POST /departments/{id}", full(w.departmentUpdate))

	m.Handle("GET /staff", full(w.staffList))
	m.Handle("GET /staff/new", full(w.staffNewForm))
	m.Handle("POST /staff", full(w.staffCreate))
	m.Handle("GET /staff/{id}/edit", full(w.staffEditForm))
	m.Handle("POST /staff/{id}", full(w.staffUpdate))

	m.Handle("GET /policy", full(w.policyPage))
	m.Handle("GET /policy/coverage", full(w.policyCoverage))
	m.Handle("GET /policy/coverage/export", full(w.policyCoverageExport))
	m.Handle("POST /policy/use", full(w.policyUse))
	m.Handle("POST /policy/load", full(w.policyLoad))

	m.Handle("GET /transfers", full(w.transfers))
	m.Handle("POST /transfers", w.withSession(w.signedIn(w.handleUpload(w.transferUpload))))
	m.Handle("GET /transfers/{id}", full(w.transferDetail))
	m.Handle("POST /transfers/{id}/mapping", full(w.transferMapping))
	m.Handle("POST /transfers/{id}/apply", full(w.transferApply))
	m.Handle("POST /transfers/{id}/withdraw", full(w.transferWithdraw))
	m.Handle("GET /transfers/{id}/export", full(w.transferExport))

	m.Handle("GET /roles", full(w.roles))
	m.Handle("POST /roles", full(w.roleAssign))
	m.Handle("POST /roles/{id}/end", full(w.roleEnd))

	m.Handle("GET /assets", full(w.assets))
	m.Handle("GET /assets/new", full(w.assetNewForm))
	m.Handle("POST /assets", full(w.assetCreate))
	m.Handle("GET /assets/labels", full(w.assetLabels))
	m.Handle("GET /assets/export", full(w.assetExport))
	m.Handle("GET /assets/import", full(w.assetImportForm))
	m.Handle("POST /assets/import", w.withSession(w.signedIn(w.handleUpload(w.assetImportUpload))))
	m.Handle("GET /assets/import/jobs/{id}", full(w.assetImportJob))
	m.Handle("GET /assets/import/jobs/{id}/mapping", full(w.assetImportMapping))
	m.Handle("POST /assets/import/jobs/{id}/check", full(w.assetImportCheck))
	m.Handle("POST /assets/import/jobs/{id}/apply", full(w.assetImportApply))
	m.Handle("GET /assets/import/jobs/{id}/status", full(w.assetImportStatus))
	m.Handle("GET /assets/import/jobs/{id}/errors", full(w.assetImportErrors))
	m.Handle("GET /assets/import/jobs/{id}/rejected", full(w.assetImportRejected))
	m.Handle("GET /assets/{id}", full(w.assetDetail))
	m.Handle("GET /assets/{id}/edit", full(w.assetEditForm))
	m.Handle("POST /assets/{id}", full(w.assetUpdate))
	m.Handle("POST /assets/{id}/delete", full(w.assetDelete))

	m.Handle("GET /logbooks", full(w.logbooks))
	m.Handle("GET /logbooks/{logbook}", full(w.logbookEntries))
	m.Handle("POST /logbooks/{logbook}", full(w.logbookCreate))
	m.Handle("GET /logbooks/{logbook}/new", full(w.logbookNewForm))
	m.Handle("GET /logbooks/{logbook}/export", full(w.logbookExport))
	m.Handle("GET /logbooks/{logbook}/print", full(w.logbookPrint))
	m.Handle("GET /logbooks/{logbook}/{id}", full(w.logbookEntry))
	m.Handle("GET /logbooks/{logbook}/{id}/correct", full(w.logbookCorrectForm))
	m.Handle("POST /logbooks/{logbook}/{id}/correct", full(w.logbookCorrect))
	m.Handle("POST /logbooks/{logbook}/{id}/confirm", full(w.logbookConfirm))

	m.Handle("GET /tasks", full(w.tasks))
	m.Handle("GET /tasks/calendar", full(w.taskCalendar))
	m.Handle("GET /tasks/export", full(w.tasksExport))
	m.Handle("GET /tasks/print", full(w.tasksPrint))
	m.Handle("GET /tasks/{id}", full(w.taskDetail))
	m.Handle("POST /tasks/{id}/complete", w.withSession(w.signedIn(w.handleMultipart(maxTaskBody, w.taskComplete))))
	m.Handle("GET /tasks/{id}/file", full(w.taskFile))

	m.Handle("GET /pledges", full(w.pledges))
	m.Handle("GET /pledges/status", full(w.pledgeStatus))
	m.Handle("GET /pledges/status/export", full(w.pledgeStatusExport))
	m.Handle("GET /pledges/staff/{id}", full(w.pledgePerson))
	m.Handle("GET /pledges/forms/{pledge}/print", full(w.pledgePrint))
	m.Handle("POST /pledges/forms/{pledge}/sign", full(w.pledgeSign))
	m.Handle("GET /pledges/paper", full(w.pledgePaperForm))
	m.Handle("POST /pledges/paper", w.withSession(w.signedIn(w.handleMultipart(maxPledgeBody, w.pledgePaper))))
	m.Handle("GET /pledges/signatures/{id}/scan", full(w.pledgeScan))

	files := func(h handlerFunc) http.Handler {
		return w.withSession(w.signedIn(w.handleMultipart(maxRequestBody, h)))
	}
	m.Handle("GET /requests", full(w.requestList))
	m.Handle("GET /requests/inbox", full(w.requestInbox))
	m.Handle("GET /requests/new", full(w.requestKinds))
	m.Handle("POST /requests/new", files(w.requestCreate))
	m.Handle("GET /requests/{id}", full(w.requestDetail))
	m.Handle("GET /requests/{id}/print", full(w.requestPrint))
	m.Handle("GET /requests/{id}/attachments/{attachment}", full(w.requestAttachment))
	m.Handle("POST /requests/{id}/decide", full(w.requestDecide))
	m.Handle("GET /requests/{id}/edit", full(w.requestEditForm))
	m.Handle("POST /requests/{id}/resubmit", files(w.requestResubmit))
	m.Handle("POST /requests/{id}/cancel", full(w.requestCancel))
	m.Handle("POST /requests/{id}/take-out", full(w.requestTakeOut))
	m.Handle("POST /requests/{id}/return", full(w.requestReturn))
	m.Handle("POST /requests/{id}/confirm-return", full(w.requestConfirmReturn))
	m.Handle("POST /requests/{id}/dispose", full(w.requestDispose))
	m.Handle("POST /requests/{id}/acknowledge", full(w.requestAcknowledge))

	sheetFiles := func(h handlerFunc) http.Handler {
		return w.withSession(w.signedIn(w.handleMultipart(maxSheetBody, h)))
	}
	m.Handle("GET /self-inspections", full(w.inspections))
	m.Handle("GET /self-inspections/export", full(w.inspectionsExport))
	m.Handle("GET /self-inspections/new", full(w.inspectionNewForm))
	m.Handle("POST /self-inspections", full(w.inspectionCreate))
	m.Handle("GET /self-inspections/{id}", full(w.inspectionProgress))
	m.Handle("GET /self-inspections/{id}/export", full(w.inspectionExport))
	m.Handle("POST /self-inspections/{id}/close", full(w.inspectionClose))
	m.Handle("GET /self-inspections/{id}/results", full(w.inspectionResults))
	m.Handle("GET /self-inspections/{id}/results/export", full(w.inspectionResultsExport))
	m.Handle("GET /self-inspections/{id}/summary", full(w.inspectionSummary))
	m.Handle("GET /self-inspections/{id}/sheets/{sheet}", full(w.inspectionSheet))
	m.Handle("POST /self-inspections/{id}/sheets/{sheet}", sheetFiles(w.inspectionAnswer))
	m.Handle("POST /self-inspections/{id}/sheets/{sheet}/submit", full(w.inspectionSubmit))
	m.Handle("POST /self-inspections/{id}/sheets/{sheet}/return", full(w.inspectionReturn))
	m.Handle("GET /self-inspections/{id}/sheets/{sheet}/print", full(w.inspectionSheetPrint))
	m.Handle("GET /self-inspections/{id}/sheets/{sheet}/export", full(w.inspectionSheetExport))
	m.Handle("GET /self-inspections/{id}/sheets/{sheet}/evidence/{evidence}", full(w.inspectionEvidence))
	m.Handle("GET /self-inspection-findings", full(w.inspectionFindings))
	m.Handle("GET /self-inspection-findings/export", full(w.inspectionFindingsExport))
	m.Handle("POST /self-inspection-findings/{id}/close", sheetFiles(w.inspectionFindingClose))

	m.Handle("GET /access-reviews", full(w.accessReviews))
	m.Handle("GET /access-reviews/export", full(w.accessReviewsExport))
	m.Handle("GET /access-reviews/mine", full(w.accessReviewsMine))
	m.Handle("GET /access-reviews/new", full(w.accessReviewNewForm))
	m.Handle("POST /access-reviews", full(w.accessReviewCreate))
	m.Handle("GET /access-reviews/{id}", full(w.accessReview))
	m.Handle("GET /access-reviews/{id}/results", full(w.accessReviewResults))
	m.Handle("GET /access-reviews/{id}/export", full(w.accessReviewExport))
	m.Handle("GET /access-reviews/{id}/print", full(w.accessReviewPrint))
	m.Handle("POST /access-reviews/{id}/decide", full(w.accessReviewDecideMany))
	m.Handle("POST /access-reviews/{id}/close", full(w.accessReviewClose))
	m.Handle("POST /access-reviews/{id}/items/{item}/decide", full(w.accessReviewDecide))
	m.Handle("POST /access-reviews/{id}/items/{item}/prove", full(w.accessReviewProve))

	evidence := func(h handlerFunc) http.Handler {
		return w.withSession(w.signedIn(w.handleMultipart(maxReportBody, h)))
	}
	m.Handle("GET /incidents", full(w.incidents))
	m.Handle("GET /incidents/new", full(w.incidentNewForm))
	m.Handle("POST /incidents/new", evidence(w.incidentCreate))
	m.Handle("GET /incidents/contacts", full(w.incidentContacts))
	m.Handle("GET /incidents/stats", full(w.incidentStats))
	m.Handle("GET /incidents/{id}", full(w.incidentDetail))
	m.Handle("GET /incidents/{id}/reported", full(w.incidentReported))
	m.Handle("GET /incidents/{id}/print", full(w.incidentPrint))
	m.Handle("POST /incidents/{id}/triage", full(w.incidentTriage))
	m.Handle("POST /incidents/{id}/checklist/{line}", full(w.incidentTick))
	m.Handle("POST /incidents/{id}/measures", full(w.incidentMeasure))
	m.Handle("POST /incidents/{id}/notes", full(w.incidentNote))
	m.Handle("POST /incidents/{id}/advance", full(w.incidentAdvance))
	m.Handle("POST /incidents/{id}/root-cause", full(w.incidentRootCause))
	m.Handle("POST /incidents/{id}/plan/{step}", full(w.incidentPlan))
	m.Handle("POST /incidents/{id}/publication", full(w.incidentPublication))
	m.Handle("POST /incidents/{id}/crime", full(w.incidentCrime))
	m.Handle("POST /incidents/{id}/police", full(w.incidentPolice))
	m.Handle("POST /incidents/{id}/upward", full(w.incidentUpward))
	m.Handle("POST /incidents/{id}/support", full(w.incidentSupport))
	m.Handle("POST /incidents/{id}/handlers", full(w.incidentHandler))
	m.Handle("POST /incidents/{id}/evidence", evidence(w.incidentEvidenceAdd))
	m.Handle("GET /incidents/{id}/evidence/{evidence}", full(w.incidentEvidenceFile))
	m.Handle("POST /incidents/{id}/evidence/{evidence}/handover", full(w.incidentEvidenceHandOver))

	m.Handle("GET /compliance", full(w.complianceOverview))
	m.Handle("POST /compliance/sweeps", full(w.complianceSweep))
	m.Handle("GET /compliance/findings", full(w.complianceFindings))
	m.Handle("GET /compliance/exceptions", full(w.complianceExceptions))
	m.Handle("GET /compliance/report", full(w.complianceReport))

	m.Handle("GET /audits", full(w.audits))
	m.Handle("GET /audits/export", full(w.auditsExport))
	m.Handle("POST /audits/plans", full(w.auditPlanCreate))
	m.Handle("GET /audit-plans/{id}", full(w.auditPlanPrint))
	m.Handle("POST /audits", full(w.auditCreate))
	m.Handle("GET /audits/{id}", full(w.auditDetail))
	m.Handle("GET /audits/{id}/report", full(w.auditPrint("report")))
	m.Handle("GET /audits/{id}/plan", full(w.auditPrint("plan")))
	m.Handle("POST /audits/{id}/auditors", full(w.auditAuditorAdd))
	m.Handle("POST /audits/{id}/items", full(w.auditItemAdd))
	m.Handle("POST /audits/{id}/items/{item}/result", evidence(w.auditItemResult))
	m.Handle("POST /audits/{id}/findings", full(w.auditFindingAdd))
	m.Handle("POST /audits/{id}/findings/{finding}/actions", full(w.auditActionPlan))
	m.Handle("POST /audits/{id}/findings/{finding}/close", full(w.auditFindingClose))
	m.Handle("POST /audits/{id}/actions/{action}/done", evidence(w.auditActionDone))
	m.Handle("POST /audits/{id}/actions/{action}/check", full(w.auditActionCheck))
	m.Handle("POST /audits/{id}/report", full(w.auditReport))
	m.Handle("GET /audits/{id}/evidence/{evidence}", full(w.auditEvidence))
	m.Handle("GET /risks", full(w.risks))
	m.Handle("POST /risks/generate", full(w.risksGenerate))
	m.Handle("GET /risks/export", full(w.risksExport))
	m.Handle("GET /risks/print", full(w.risksPrint))
	m.Handle("GET /risks/{id}", full(w.riskDetail))
	m.Handle("POST /risks/{id}/assess", full(w.riskAssess))
	m.Handle("POST /risks/{id}/accept", full(w.riskAccept))
	accountList := func(h handlerFunc) http.Handler {
		return w.withSession(w.signedIn(w.handleMultipart(sysaccount.MaxFileBytes+(1<<20), h)))
	}
	m.Handle("GET /system-accounts", full(w.sysAccounts))
	m.Handle("GET /system-accounts/export", full(w.sysAccountsExport))
	m.Handle("GET /system-accounts/print", full(w.sysAccountsPrint))
	m.Handle("GET /system-accounts/import", full(w.sysAccountImportForm))
	m.Handle("POST /system-accounts/import", accountList(w.sysAccountImport))
	m.Handle("GET /system-accounts/{id}", full(w.sysAccountDetail))
	m.Handle("POST /system-accounts/{id}/remove", full(w.sysAccountRemove))
	m.Handle("POST /system-accounts/{id}/password", full(w.sysAccountPassword))
	m.Handle("GET /reviews", full(w.reviews))
	m.Handle("POST /reviews", full(w.reviewOpen))
	m.Handle("GET /reviews/export", full(w.reviewsExport))
	m.Handle("GET /reviews/{id}", full(w.reviewDetail))
	m.Handle("GET /reviews/{id}/article", full(w.reviewArticle))
	m.Handle("GET /reviews/{id}/print", full(w.reviewPrint))
	m.Handle("GET /reviews/{id}/export", full(w.reviewExport))
	m.Handle("POST /reviews/{id}/proposals", full(w.reviewPropose))
	m.Handle("POST /reviews/{id}/submit", full(w.reviewSubmit))
	m.Handle("POST /reviews/{id}/proposals/{proposal}/decide", full(w.reviewDecide))
	m.Handle("POST /reviews/{id}/proposals/{proposal}/link", full(w.reviewLink))
	m.Handle("GET /reviews/{id}/proposals/{proposal}/diff", full(w.reviewDiff))
	m.Handle("GET /procedures", full(w.procedures))
	m.Handle("GET /procedures/export", full(w.proceduresExport))
	m.Handle("GET /procedures/new", full(w.procedureNewForm))
	m.Handle("POST /procedures", files(w.procedureCreate))
	m.Handle("GET /procedures/{id}", full(w.procedureDetail))
	m.Handle("GET /procedures/{id}/file", full(w.procedureFile))
	m.Handle("POST /procedures/{id}/revise", files(w.procedureRevise))

	sheetUpload := func(h handlerFunc) http.Handler {
		return w.withSession(w.signedIn(w.handleMultipart(maxTrainingUpload, h)))
	}
	m.Handle("GET /trainings", full(w.trainings))
	m.Handle("POST /trainings", full(w.trainingPlanCreate))
	m.Handle("GET /trainings/export", full(w.trainingsExport))
	m.Handle("GET /trainings/{id}", full(w.trainingPlan))
	m.Handle("GET /trainings/{id}/export", full(w.trainingPlanExport))
	m.Handle("POST /trainings/{id}/assign", full(w.trainingAssign))
	m.Handle("POST /trainings/{id}/sessions", full(w.trainingSessionCreate))
	m.Handle("GET /trainings/{id}/matrix", full(w.trainingMatrix))
	m.Handle("GET /trainings/{id}/matrix/export", full(w.trainingMatrixExport))
	m.Handle("GET /trainings/{id}/report", full(w.trainingReport))
	m.Handle("GET /trainings/{id}/import", full(w.trainingImportForm))
	m.Handle("POST /trainings/{id}/import", sheetUpload(w.trainingImportUpload))
	m.Handle("GET /trainings/{id}/imports/{import}", full(w.trainingImport))
	m.Handle("POST /trainings/{id}/imports/{import}/check", full(w.trainingImportCheck))
	m.Handle("POST /trainings/{id}/imports/{import}/apply", full(w.trainingImportApply))
	m.Handle("GET /trainings/{id}/sessions/{session}", full(w.trainingSession))
	m.Handle("GET /trainings/{id}/sessions/{session}/print", full(w.trainingAttendancePrint))
	m.Handle("GET /trainings/{id}/sessions/{session}/export", full(w.trainingSessionExport))
	m.Handle("POST /trainings/{id}/sessions/{session}/roll-call", full(w.trainingRollCall))
	m.Handle("GET /my/training", full(w.trainingMine))
	m.Handle("GET /my/training/export", full(w.trainingMineExport))
	m.Handle("POST /my/training/{id}/confirm", full(w.trainingConfirm))

	m.Handle("GET /audit", full(w.audit))
	m.Handle("POST /audit/verify", full(w.auditVerify))

	m.Handle("GET /notices", full(w.notices))
	m.Handle("POST /notices/read-all", full(w.noticesReadAll))
	m.Handle("GET /notices/{id}", full(w.noticeOpen))
	m.Handle("POST /notices/{id}/read", full(w.noticeRead))

	m.Handle("/", public(w.notFound))
	return m.routes
}
