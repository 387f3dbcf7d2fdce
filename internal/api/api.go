// Package api is Mamori's JSON API under /api/v1: thin handlers that decode a request, call a
// domain service with the token holder as actor, and encode the answer. Who may do what is
// decided by the services, so the API, the web UI and the command line cannot disagree.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
)

// Options configure the API.
type Options struct {
	Logger       *slog.Logger // default slog.Default()
	MaxBodyBytes int64        // largest accepted request body; default 1 MiB
}

// DefaultMaxBodyBytes is the request body limit when Options leave it zero.
const DefaultMaxBodyBytes = 1 << 20

type api struct {
	s       *app.Services
	log     *slog.Logger
	maxBody int64
	openapi []byte // the OpenAPI document, encoded once
}

// handlerFunc is an API handler: it writes a success itself and returns any error, which the
// route wrapper renders.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// authMode says whether a route needs a bearer token.
type authMode int

const (
	bearer authMode = iota // Authorization: Bearer mmr_…
	noAuth                 // open to anyone
)

// route is one line of the route table. The table is data so that the OpenAPI test can walk it.
type route struct {
	method string
	path   string // a net/http ServeMux path pattern
	handle handlerFunc
	auth   authMode
}

// routes is the API. Every route here must be described in openapi.go, and the other way round.
func (a *api) routes() []route {
	return []route{
		{"GET", "/api/v1/openapi.json", a.openAPI, noAuth},
		{"GET", "/api/v1/me", a.me, bearer},
		{"GET", "/api/v1/me/desk", a.myDesk, bearer},
		{"GET", "/api/v1/me/tokens", a.myTokens, bearer},
		{"POST", "/api/v1/me/tokens", a.createMyToken, bearer},
		{"DELETE", "/api/v1/me/tokens/{id}", a.revokeMyToken, bearer},

		{"GET", "/api/v1/users", a.listUsers, bearer},
		{"POST", "/api/v1/users", a.createUser, bearer},
		{"GET", "/api/v1/users/{id}", a.getUser, bearer},
		{"POST", "/api/v1/users/{id}/unlock", a.unlockUser, bearer},
		{"POST", "/api/v1/users/{id}/reset-password", a.resetPassword, bearer},
		{"POST", "/api/v1/users/{id}/disable", a.disableUser, bearer},
		{"POST", "/api/v1/users/{id}/enable", a.enableUser, bearer},
		{"GET", "/api/v1/users/{id}/tokens", a.userTokens, bearer},
		{"POST", "/api/v1/users/{id}/tokens", a.createServiceToken, bearer},
		{"DELETE", "/api/v1/users/{id}/tokens/{token}", a.revokeUserToken, bearer},
		{"POST", "/api/v1/service-accounts", a.createServiceAccount, bearer},

		{"GET", "/api/v1/transfers", a.listTransfers, bearer},
		{"POST", "/api/v1/transfers", a.uploadTransfers, bearer},
		{"GET", "/api/v1/transfers/{id}", a.getTransfers, bearer},
		{"POST", "/api/v1/transfers/{id}/apply", a.applyTransfers, bearer},
		{"POST", "/api/v1/transfers/{id}/withdraw", a.withdrawTransfers, bearer},

		{"GET", "/api/v1/departments", a.listDepartments, bearer},
		{"POST", "/api/v1/departments", a.createDepartment, bearer},
		{"GET", "/api/v1/departments/{id}", a.getDepartment, bearer},
		{"PUT", "/api/v1/departments/{id}", a.updateDepartment, bearer},

		{"GET", "/api/v1/staff", a.listStaff, bearer},
		{"POST", "/api/v1/staff", a.createStaff, bearer},
		{"GET", "/api/v1/staff/{id}", a.getStaff, bearer},
		{"PUT", "/api/v1/staff/{id}", a.updateStaff, bearer},

		{"GET", "/api/v1/policy", a.getPolicy, bearer},
		{"GET", "/api/v1/role-assignments", a.listRoleAssignments, bearer},
		{"POST", "/api/v1/role-assignments", a.createRoleAssignment, bearer},

		{"GET", "/api/v1/assets", a.listAssets, bearer},
		{"POST", "/api/v1/assets", a.createAsset, bearer},
		{"POST", "/api/v1/assets/import", a.importAssets, bearer},
		{"GET", "/api/v1/assets/{id}", a.getAsset, bearer},
		{"PUT", "/api/v1/assets/{id}", a.updateAsset, bearer},
		{"DELETE", "/api/v1/assets/{id}", a.deleteAsset, bearer},

		{"GET", "/api/v1/logbooks", a.listLogbooks, bearer},
		{"GET", "/api/v1/logbooks/{logbook}/entries", a.listLogbookEntries, bearer},
		{"POST", "/api/v1/logbooks/{logbook}/entries", a.createLogbookEntry, bearer},
		{"GET", "/api/v1/logbooks/{logbook}/entries/{id}", a.getLogbookEntry, bearer},
		{"POST", "/api/v1/logbooks/{logbook}/entries/{id}/confirm", a.confirmLogbookEntry, bearer},
		{"GET", "/api/v1/tasks", a.listTasks, bearer},
		{"GET", "/api/v1/tasks/{id}", a.getTask, bearer},
		{"POST", "/api/v1/tasks/{id}/complete", a.completeTask, bearer},
		{"GET", "/api/v1/tasks/{id}/file", a.taskFile, bearer},

		{"GET", "/api/v1/request-kinds", a.listRequestKinds, bearer},
		{"GET", "/api/v1/requests", a.listRequests, bearer},
		{"POST", "/api/v1/requests", a.createRequest, bearer},
		{"GET", "/api/v1/requests/{id}", a.getRequest, bearer},
		{"POST", "/api/v1/requests/{id}/decisions", a.decideRequest, bearer},
		{"POST", "/api/v1/requests/{id}/resubmit", a.resubmitRequest, bearer},
		{"POST", "/api/v1/requests/{id}/cancel", a.cancelRequest, bearer},
		{"POST", "/api/v1/requests/{id}/take-out", a.takeOutRequest, bearer},
		{"POST", "/api/v1/requests/{id}/return", a.returnRequest, bearer},
		{"POST", "/api/v1/requests/{id}/confirm-return", a.confirmReturn, bearer},
		{"POST", "/api/v1/requests/{id}/disposal", a.disposeRequest, bearer},
		{"POST", "/api/v1/requests/{id}/acknowledge", a.acknowledgeRequest, bearer},
		{"GET", "/api/v1/requests/{id}/attachments/{aid}", a.requestAttachment, bearer},
		{"GET", "/api/v1/inbox", a.inbox, bearer},
		{"GET", "/api/v1/overdue", a.overdue, bearer},

		{"GET", "/api/v1/incidents", a.listIncidents, bearer},
		{"POST", "/api/v1/incidents", a.reportIncident, bearer},
		{"GET", "/api/v1/incidents/{id}", a.getIncident, bearer},
		{"POST", "/api/v1/incidents/{id}/triage", a.triageIncident, bearer},
		{"POST", "/api/v1/incidents/{id}/checklist/{step}/tick", a.tickChecklistStep, bearer},
		{"POST", "/api/v1/incidents/{id}/checklist/{step}/skip", a.skipChecklistStep, bearer},
		{"POST", "/api/v1/incidents/{id}/measures", a.takeMeasure, bearer},
		{"POST", "/api/v1/incidents/{id}/evidence", a.addEvidence, bearer},
		{"GET", "/api/v1/incidents/{id}/evidence/{e}", a.evidenceFile, bearer},
		{"POST", "/api/v1/incidents/{id}/evidence/{e}/custody", a.handOverEvidence, bearer},
		{"POST", "/api/v1/incidents/{id}/timeline", a.addTimelineEntry, bearer},
		{"POST", "/api/v1/incidents/{id}/handlers", a.addIncidentHandler, bearer},
		{"POST", "/api/v1/incidents/{id}/recovery", a.recoverIncident, bearer},
		{"POST", "/api/v1/incidents/{id}/root-cause", a.setRootCause, bearer},
		{"POST", "/api/v1/incidents/{id}/plan", a.actOnPlan, bearer},
		{"POST", "/api/v1/incidents/{id}/publication", a.decidePublication, bearer},
		{"POST", "/api/v1/incidents/{id}/police", a.recordPolice, bearer},
		{"POST", "/api/v1/incidents/{id}/upward", a.reportUpward, bearer},
		{"POST", "/api/v1/incidents/{id}/support", a.supportIncident, bearer},
		{"GET", "/api/v1/incidents-overdue", a.incidentsOverdue, bearer},
		{"GET", "/api/v1/incident-stats", a.incidentStats, bearer},
		{"GET", "/api/v1/emergency-contacts", a.emergencyContacts, bearer},
		{"PUT", "/api/v1/emergency-contacts/{contact}", a.setContactNumber, bearer},
		{"PUT", "/api/v1/staff/{id}/phone", a.setStaffPhone, bearer},

		{"GET", "/api/v1/compliance/findings", a.listFindings, bearer},
		{"GET", "/api/v1/compliance/summary", a.complianceSummary, bearer},
		{"GET", "/api/v1/compliance/trend", a.complianceTrend, bearer},
		{"GET", "/api/v1/compliance/exceptions", a.listExceptions, bearer},
		{"POST", "/api/v1/compliance/sweeps", a.sweepNow, bearer},
		{"GET", "/api/v1/assets/{id}/findings", a.assetFindings, bearer},

		{"GET", "/api/v1/system-accounts", a.listSystemAccounts, bearer},
		{"POST", "/api/v1/system-accounts", a.createSystemAccount, bearer},
		{"POST", "/api/v1/system-accounts/import", a.importSystemAccounts, bearer},
		{"GET", "/api/v1/system-accounts/{id}", a.getSystemAccount, bearer},
		{"PUT", "/api/v1/system-accounts/{id}", a.updateSystemAccount, bearer},
		{"POST", "/api/v1/system-accounts/{id}/remove", a.removeSystemAccount, bearer},
		{"POST", "/api/v1/system-accounts/{id}/password", a.recordSystemAccountPassword, bearer},
		{"GET", "/api/v1/risks", a.listRisks, bearer},
		{"POST", "/api/v1/risks/generate", a.generateRisks, bearer},
		{"GET", "/api/v1/risks/{id}", a.getRisk, bearer},
		{"POST", "/api/v1/risks/{id}/assess", a.assessRisk, bearer},
		{"POST", "/api/v1/risks/{id}/accept", a.acceptRisk, bearer},
		{"GET", "/api/v1/access-reviews", a.listAccessReviews, bearer},
		{"POST", "/api/v1/access-reviews", a.openAccessReview, bearer},
		{"GET", "/api/v1/access-reviews/mine", a.myAccessReviews, bearer},
		{"GET", "/api/v1/access-reviews/{id}", a.getAccessReview, bearer},
		{"GET", "/api/v1/access-reviews/{id}/items", a.accessReviewItems, bearer},
		{"GET", "/api/v1/access-reviews/{id}/results", a.accessReviewResults, bearer},
		{"POST", "/api/v1/access-reviews/{id}/decide", a.decideAccessReviewItems, bearer},
		{"POST", "/api/v1/access-reviews/{id}/close", a.closeAccessReview, bearer},
		{"POST", "/api/v1/access-reviews/{id}/items/{item}/decide", a.decideAccessReviewItem, bearer},
		{"POST", "/api/v1/access-reviews/{id}/items/{item}/prove", a.proveAccessReviewItem, bearer},
		{"GET", "/api/v1/self-inspections", a.listInspections, bearer},
		{"POST", "/api/v1/self-inspections", a.startInspection, bearer},
		{"GET", "/api/v1/self-inspection-findings", a.listInspectionFindings, bearer},
		{"POST", "/api/v1/self-inspection-findings/{id}/close", a.closeInspectionFinding, bearer},
		{"GET", "/api/v1/self-inspections/{id}", a.getInspection, bearer},
		{"POST", "/api/v1/self-inspections/{id}/close", a.closeInspection, bearer},
		{"GET", "/api/v1/self-inspections/{id}/results", a.inspectionResults, bearer},
		{"GET", "/api/v1/self-inspections/{id}/sheets/{sheet}", a.getInspectionSheet, bearer},
		{"POST", "/api/v1/self-inspections/{id}/sheets/{sheet}/answers", a.answerInspectionSheet, bearer},
		{"POST", "/api/v1/self-inspections/{id}/sheets/{sheet}/submit", a.submitInspectionSheet, bearer},
		{"POST", "/api/v1/self-inspections/{id}/sheets/{sheet}/return", a.returnInspectionSheet, bearer},
		{"GET", "/api/v1/trainings", a.listTrainingPlans, bearer},
		{"POST", "/api/v1/trainings", a.createTrainingPlan, bearer},
		{"GET", "/api/v1/trainings/mine", a.myTraining, bearer},
		{"POST", "/api/v1/trainings/mine/confirm", a.confirmTraining, bearer},
		{"GET", "/api/v1/trainings/{id}", a.getTrainingPlan, bearer},
		{"POST", "/api/v1/trainings/{id}/assign", a.assignTraining, bearer},
		{"GET", "/api/v1/trainings/{id}/sessions", a.listTrainingSessions, bearer},
		{"POST", "/api/v1/trainings/{id}/sessions", a.createTrainingSession, bearer},
		{"GET", "/api/v1/trainings/{id}/sessions/{session}", a.getTrainingSession, bearer},
		{"POST", "/api/v1/trainings/{id}/sessions/{session}/roll-call", a.rollCall, bearer},
		{"GET", "/api/v1/trainings/{id}/assignments", a.listTrainingAssignments, bearer},
		{"GET", "/api/v1/trainings/{id}/matrix", a.trainingMatrix, bearer},
		{"POST", "/api/v1/trainings/{id}/imports", a.uploadTrainingImport, bearer},
		{"GET", "/api/v1/trainings/{id}/imports/{import}", a.getTrainingImport, bearer},
		{"POST", "/api/v1/trainings/{id}/imports/{import}/check", a.checkTrainingImport, bearer},
		{"POST", "/api/v1/trainings/{id}/imports/{import}/apply", a.applyTrainingImport, bearer},
		{"GET", "/api/v1/reviews", a.listReviews, bearer},
		{"POST", "/api/v1/reviews", a.openReview, bearer},
		{"GET", "/api/v1/reviews/{id}", a.getReview, bearer},
		{"POST", "/api/v1/reviews/{id}/proposals", a.proposeReview, bearer},
		{"POST", "/api/v1/reviews/{id}/submit", a.submitReview, bearer},
		{"POST", "/api/v1/reviews/{id}/proposals/{proposal}/decision", a.decideReview, bearer},
		{"POST", "/api/v1/reviews/{id}/proposals/{proposal}/link", a.linkReview, bearer},
		{"GET", "/api/v1/reviews/{id}/proposals/{proposal}/diff", a.reviewDiff, bearer},
		{"GET", "/api/v1/pledges", a.listPledges, bearer},
		{"GET", "/api/v1/pledges/status", a.pledgeStatus, bearer},
		{"GET", "/api/v1/pledges/staff/{id}", a.pledgePerson, bearer},
		{"POST", "/api/v1/pledges/forms/{pledge}/sign", a.signPledge, bearer},
		{"POST", "/api/v1/pledges/paper", a.recordPaperPledge, bearer},
		{"GET", "/api/v1/pledges/signatures/{id}", a.getPledgeSignature, bearer},
		{"GET", "/api/v1/pledges/signatures/{id}/scan", a.pledgeScan, bearer},
		{"GET", "/api/v1/procedures", a.listProcedures, bearer},
		{"POST", "/api/v1/procedures", a.addProcedure, bearer},
		{"GET", "/api/v1/procedures/{id}", a.getProcedure, bearer},
		{"GET", "/api/v1/procedures/{id}/file", a.procedureFile, bearer},
		{"POST", "/api/v1/procedures/{id}/review", a.reviseProcedure, bearer},

		{"GET", "/api/v1/notices", a.listNotices, bearer},
		{"POST", "/api/v1/notices/{id}/read", a.readNotice, bearer},

		{"GET", "/api/v1/audits", a.listAudits, bearer},
		{"POST", "/api/v1/audits", a.createAudit, bearer},
		{"GET", "/api/v1/audits/{id}", a.getAudit, bearer},
		{"POST", "/api/v1/audits/{id}/auditors", a.addAuditor, bearer},
		{"POST", "/api/v1/audits/{id}/items", a.addAuditItem, bearer},
		{"POST", "/api/v1/audits/{id}/items/{item}/result", a.recordAuditResult, bearer},
		{"POST", "/api/v1/audits/{id}/findings", a.addAuditFinding, bearer},
		{"POST", "/api/v1/audits/{id}/findings/{finding}/actions", a.planCorrectiveAction, bearer},
		{"POST", "/api/v1/audits/{id}/findings/{finding}/close", a.closeAuditFinding, bearer},
		{"POST", "/api/v1/audits/{id}/actions/{action}/done", a.completeCorrectiveAction, bearer},
		{"POST", "/api/v1/audits/{id}/actions/{action}/check", a.checkCorrectiveAction, bearer},
		{"PUT", "/api/v1/audits/{id}/report", a.draftAuditReport, bearer},
		{"POST", "/api/v1/audits/{id}/report", a.issueAuditReport, bearer},
		{"GET", "/api/v1/audit-plans", a.listAuditPlans, bearer},
		{"POST", "/api/v1/audit-plans", a.createAuditPlan, bearer},
		{"GET", "/api/v1/audit-suggestions", a.auditSuggestions, bearer},

		{"GET", "/api/v1/audit", a.listAudit, bearer},
		{"GET", "/api/v1/audit/verify", a.verifyAudit, bearer},

		{"GET", "/api/v1/jobs", a.listJobRuns, bearer},

		{"GET", "/api/v1/directory-settings", a.getDirectorySettings, bearer},
		{"PUT", "/api/v1/directory-settings", a.putDirectorySettings, bearer},
	}
}

// Route is one line of the API's route table as tests see it.
type Route struct {
	Method string
	Path   string // a net/http ServeMux path pattern
	Open   bool   // served without a bearer token
}

// Routes returns the route table, so that tests can walk every route of the API.
func Routes() []Route {
	var out []Route
	for _, rt := range (&api{}).routes() {
		out = append(out, Route{Method: rt.method, Path: rt.path, Open: rt.auth == noAuth})
	}
	return out
}

// New returns the API handler. The caller mounts it with mux.Handle("/api/", h); it receives
// full paths (/api/v1/…).
//
// Order of work for each request: security headers → route match (unknown path 404, known
// path with another method 405) → recover → bearer authentication unless the route is open
// (a read token is refused on anything but GET and HEAD) → handler → error rendering.
func New(s *app.Services, opts Options) http.Handler {
	a := &api{s: s, log: opts.Logger, maxBody: opts.MaxBodyBytes}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	doc, err := json.Marshal(document())
	if err != nil {
		panic(fmt.Sprintf("api: OpenAPI document: %v", err)) // built from constants: a programming error
	}
	a.openapi = doc

	mux := http.NewServeMux()
	methods := map[string][]string{} // path pattern → the methods it serves
	for _, rt := range a.routes() {
		mux.Handle(rt.method+" "+rt.path, a.wrap(rt))
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	// The same paths with the other methods answer 405 with Allow, as JSON. They are registered
	// method by method: a pattern without a method would conflict with a wildcard of another
	// method (/api/v1/assets/import beside GET /api/v1/assets/{id}).
	for path, allowed := range methods {
		for _, m := range otherMethods {
			if !slices.Contains(allowed, m) {
				mux.Handle(m+" "+path, a.methodNotAllowed(allowed))
			}
		}
	}
	mux.Handle("/", a.notFound())
	return securityHeaders(mux)
}

// otherMethods are the methods a known path answers 405 to when its routes do not serve them
// (GET stands for HEAD too); a request with any other method is not found.
var otherMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// wrap turns a route's handler into an http.Handler: it authenticates the caller when the route
// needs it, puts the actor in the request context and renders any error the handler returns.
func (a *api) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.fail(w, r, apperr.Wrap(fmt.Errorf("panic: %v", p), "handler"))
			}
		}()
		if rt.auth == bearer {
			who, err := a.authenticate(r)
			if err != nil {
				a.fail(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), actorKey{}, who))
			if who.ReadOnly && r.Method != http.MethodGet && r.Method != http.MethodHead {
				a.fail(w, r, apperr.New(apperr.Forbidden, "auth.error.token_read_only"))
				return
			}
		}
		if err := rt.handle(w, r); err != nil {
			a.fail(w, r, err)
		}
	})
}

// securityHeaders marks every answer as not to be cached or sniffed: answers carry one-time
// passwords and token secrets.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

type actorKey struct{}

// actor returns the authenticated caller. Only routes with bearer authentication call it.
func actor(r *http.Request) access.Actor {
	who, _ := r.Context().Value(actorKey{}).(access.Actor)
	return who
}

func (a *api) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(a.openapi) // a client that went away is no error of ours
	return nil
}
