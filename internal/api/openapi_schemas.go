package api

import (
	"reflect"
	"strings"
	"time"

	"mamori/internal/accessreview"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/assetio"
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
	"mamori/internal/pledge"
	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/review"
	"mamori/internal/risk"
	"mamori/internal/schedule"
	"mamori/internal/sysaccount"
	"mamori/internal/task"
	"mamori/internal/training"
	"mamori/internal/transfer"
)

// component is a named schema, described from its Go type so that the document says what the
// handlers really write. Request bodies (input) name their required fields and allow no others;
// for answers, every field without omitempty is required.
type component struct {
	name     string
	value    any
	input    bool
	required []string
}

var components = []component{
	{name: "Error", value: errorBody{}},
	{name: "Me", value: meResponse{}},
	{name: "Grant", value: grant{}},
	{name: "Desk", value: desk.Desk{}},
	{name: "DeskOverview", value: desk.Overview{}},
	{name: "Policy", value: policyResponse{}},
	{name: "User", value: auth.User{}},
	{name: "CreatedUser", value: createdUser{}},
	{name: "TemporaryPassword", value: temporaryPassword{}},
	{name: "Department", value: org.Department{}},
	{name: "DirectorySettings", value: directory.Settings{}},
	{name: "Staff", value: org.Staff{}},
	{name: "TransferList", value: transfer.List{}},
	{name: "TransferReport", value: transfer.Report{}},
	{name: "RoleAssignment", value: org.RoleAssignment{}},
	{name: "Notice", value: notify.Item{}},
	{name: "AuditEntry", value: auditlog.Entry{}},
	{name: "AuditVerification", value: verifyResponse{}},
	{name: "JobRun", value: schedule.Run{}},
	{name: "APIToken", value: auth.APIToken{}},
	{name: "CreatedToken", value: createdToken{}},
	{name: "Asset", value: asset.Asset{}},
	{name: "ImportReport", value: assetio.Report{}},
	{name: "Logbook", value: logbookInfo{}},
	{name: "LogbookEntry", value: logbook.Entry{}},
	{name: "Task", value: task.Task{}},
	{name: "RequestKind", value: policy.Approval{}},
	{name: "Request", value: request.Request{}},
	{name: "Incident", value: incident.Incident{}},
	{name: "IncidentChecklistStep", value: incident.ChecklistStep{}},
	{name: "IncidentEvent", value: incident.Event{}},
	{name: "IncidentEvidence", value: incident.Evidence{}},
	{name: "EmergencyContacts", value: incident.ContactList{}},
	{name: "IncidentStats", value: incident.Stats{}},
	{name: "Finding", value: compliance.Shown{}},
	{name: "ComplianceSummary", value: complianceSummary{}},
	{name: "ComplianceTrend", value: complianceTrend{}},
	{name: "Exception", value: compliance.Exception{}},
	{name: "SystemAccount", value: sysaccount.Account{}},
	{name: "SystemAccountDetail", value: sysAccountDetail{}},
	{name: "SystemAccountInput", value: sysaccount.Input{}, input: true, required: []string{"system_ref", "login", "kind"}},
	{name: "SystemAccountRemoval", value: sysAccountRemoval{}, input: true},
	{name: "SystemAccountPassword", value: sysAccountPassword{}, input: true, required: []string{"password_changed_on"}},
	{name: "SystemAccountImportReport", value: sysaccount.ImportReport{}},
	{name: "Risk", value: risk.Risk{}},
	{name: "RiskRegister", value: riskRegister{}},
	{name: "RiskDetail", value: riskDetail{}},
	{name: "RiskGeneration", value: risk.Generated{}},
	{name: "RiskGenerateInput", value: generateInput{}, input: true},
	{name: "RiskAssessment", value: risk.Assessment{}, input: true, required: []string{"likelihood", "impact", "treatment", "owner_department_id", "residual_likelihood", "residual_impact"}},
	{name: "RiskAcceptance", value: risk.Acceptance{}, input: true, required: []string{"until"}},
	{name: "Review", value: review.Review{}},
	{name: "ReviewProposal", value: review.Proposal{}},
	{name: "ReviewGathered", value: review.Gathered{}},
	{name: "ReviewChange", value: review.Change{}},
	{name: "Procedure", value: review.Procedure{}},
	{name: "MyPledges", value: myPledges{}},
	{name: "PledgeBoard", value: pledge.Board{}},
	{name: "PledgeRecord", value: pledge.Record{}},
	{name: "PledgeSignature", value: pledge.Signature{}},
	{name: "SignPledgeInput", value: signInput{}, input: true, required: []string{"text_sha256", "typed_name", "confirm"}},
	{name: "OpenReviewInput", value: openReviewInput{}, input: true, required: []string{"fiscal_year"}},
	{name: "ProposalInput", value: review.ProposalInput{}, input: true, required: []string{"article", "kind"}},
	{name: "ProposalDecisionInput", value: review.DecisionInput{}, input: true, required: []string{"decision"}},
	{name: "Sweep", value: compliance.Sweep{}},
	{name: "SweepInput", value: sweepInput{}, input: true},
	{name: "Audit", value: audit.Audit{}},
	{name: "AuditDetail", value: audit.Detail{}},
	{name: "AuditItem", value: audit.Item{}},
	{name: "AuditFinding", value: audit.Finding{}},
	{name: "CorrectiveAction", value: audit.Action{}},
	{name: "AuditPlan", value: audit.Plan{}},
	{name: "AuditSuggestion", value: audit.Suggestion{}},
	{name: "NewAudit", value: audit.NewAudit{}, input: true, required: []string{"title", "criteria", "starts_on", "ends_on", "auditors"}},
	{name: "AuditorInput", value: auditorInput{}, input: true, required: []string{"staff_id"}},
	{name: "NewAuditItem", value: audit.NewItem{}, input: true, required: []string{"title", "article", "method"}},
	{name: "AuditResultInput", value: resultInput{}, input: true, required: []string{"result"}},
	{name: "NewAuditFinding", value: audit.NewFinding{}, input: true, required: []string{"item_id", "title"}},
	{name: "NewCorrectiveAction", value: audit.NewAction{}, input: true, required: []string{"plan", "owner_staff_id", "due_on"}},
	{name: "CorrectiveActionDone", value: completionInput{}, input: true, required: []string{"note", "evidence"}},
	{name: "CorrectiveActionCheck", value: audit.CheckInput{}, input: true, required: []string{"effective", "note"}},
	{name: "AuditReportInput", value: audit.ReportInput{}, input: true, required: []string{"intro", "summary", "opinion"}},
	{name: "NewAuditPlan", value: audit.NewPlan{}, input: true, required: []string{"kind", "from_year", "title"}},
	{name: "AccessReview", value: accessreview.Review{}},
	{name: "AccessReviewView", value: accessreview.View{}},
	{name: "AccessReviewItem", value: accessreview.Item{}},
	{name: "AccessReviewWaiting", value: accessreview.Waiting{}},
	{name: "AccessReviewResults", value: accessReviewResults{}},
	{name: "AccessReviewBulkDecided", value: bulkDecided{}},
	{name: "NewAccessReview", value: accessreview.NewReview{}, input: true, required: []string{"title", "scope"}},
	{name: "AccessReviewDecision", value: accessreview.Decision{}, input: true, required: []string{"outcome", "reason"}},
	{name: "AccessReviewBulk", value: accessreview.Bulk{}, input: true, required: []string{"outcome", "reason"}},
	{name: "AccessReviewProof", value: accessreview.Proof{}, input: true, required: []string{"done_on", "done_by"}},
	{name: "InspectionCampaign", value: inspection.Campaign{}},
	{name: "InspectionProgress", value: inspection.Progress{}},
	{name: "InspectionResults", value: inspection.Results{}},
	{name: "InspectionSheet", value: inspection.SheetView{}},
	{name: "InspectionFinding", value: inspection.Finding{}},
	{name: "NewInspectionCampaign", value: inspection.NewCampaign{}, input: true, required: []string{"fiscal_year", "title", "deadline"}},
	{name: "InspectionAnswersInput", value: answersInput{}, input: true, required: []string{"answers"}},
	{name: "InspectionAnswerInput", value: answerInput{}, input: true, required: []string{"seq", "answer"}},
	{name: "InspectionEvidenceInput", value: fileInput{}, input: true, required: []string{"name", "content"}},
	{name: "InspectionReturnInput", value: returnSheetInput{}, input: true, required: []string{"reason"}},
	{name: "InspectionFindingCloseInput", value: closeFindingInput{}, input: true, required: []string{"note"}},

	{name: "NewUser", value: newUserRequest{}, input: true, required: []string{"login", "display_name"}},
	{name: "NewDepartment", value: newDepartmentRequest{}, input: true, required: []string{"code", "name", "kind"}},
	{name: "DirectorySettingsInput", value: directory.SettingsInput{}, input: true, required: []string{"department_from", "version"}},
	{name: "DepartmentUpdate", value: departmentRequest{}, input: true, required: []string{"code", "name", "kind", "active"}},
	{name: "NewStaff", value: newStaffRequest{}, input: true, required: []string{"employee_no", "name", "employment"}},
	{name: "StaffUpdate", value: staffRequest{}, input: true, required: []string{"employee_no", "name", "employment", "active"}},
	{name: "NewRoleAssignment", value: roleAssignmentRequest{}, input: true, required: []string{"role_id", "scope", "holder_staff_id"}},
	{name: "NewToken", value: tokenRequest{}, input: true},
	{name: "NewServiceAccount", value: newServiceAccountRequest{}, input: true, required: []string{"login", "display_name"}},
	{name: "ServiceRole", value: auth.ServiceRole{}, input: true, required: []string{"role_id"}},
	{name: "RequestInput", value: requestInput{}, input: true, required: []string{"kind"}},
	{name: "DecisionInput", value: decisionInput{}, input: true, required: []string{"decision"}},
	{name: "ResubmissionInput", value: resubmissionInput{}, input: true, required: []string{"fields"}},
	{name: "CommentInput", value: commentInput{}, input: true},
	{name: "TakeOutInput", value: request.TakeOut{}, input: true, required: []string{"taken_out_on"}},
	{name: "ReturnInput", value: request.Return{}, input: true, required: []string{"returned_on"}},
	{name: "DisposalInput", value: disposalInput{}, input: true, required: []string{"disposed_on", "method"}},
	{name: "LogbookEntryInput", value: logbookEntryRequest{}, input: true, required: []string{"fields"}},
	{name: "AssetInput", value: asset.Input{}, input: true, required: []string{"number", "name", "kind", "department_id", "class"}},
	{name: "IncidentReportInput", value: incident.ReportInput{}, input: true, required: []string{"title", "items", "detected_at"}},
	{name: "IncidentTriageInput", value: incident.TriageInput{}, input: true, required: []string{"version", "is_incident"}},
	{name: "IncidentTick", value: incident.Tick{}, input: true, required: []string{"means"}},
	{name: "IncidentSkip", value: skipInput{}, input: true, required: []string{"reason"}},
	{name: "IncidentMeasureInput", value: incident.MeasureInput{}, input: true, required: []string{"measure", "conditions"}},
	{name: "IncidentCustodyInput", value: custodyInput{}, input: true, required: []string{"to_staff_id", "purpose"}},
	{name: "IncidentEntryInput", value: entryInput{}, input: true, required: []string{"text"}},
	{name: "IncidentHandlerInput", value: handlerInput{}, input: true, required: []string{"staff_id"}},
	{name: "IncidentProgress", value: incident.Progress{}, input: true, required: []string{"version", "to"}},
	{name: "IncidentRootCauseInput", value: rootCauseInput{}, input: true, required: []string{"version", "root_cause"}},
	{name: "IncidentPlanInput", value: planInput{}, input: true, required: []string{"action", "version"}},
	{name: "IncidentPublicationInput", value: incident.PublicationInput{}, input: true, required: []string{"version", "publish", "reason"}},
	{name: "IncidentPoliceInput", value: policeInput{}, input: true, required: []string{"version"}},
	{name: "IncidentUpwardInput", value: upwardInput{}, input: true, required: []string{"version"}},
	{name: "PhoneInput", value: phoneInput{}, input: true, required: []string{"phone"}},
	{name: "TaskCompletion", value: taskCompletion{}, input: true},
	{name: "TrainingPlan", value: training.Plan{}},
	{name: "TrainingCourse", value: training.Course{}},
	{name: "TrainingAssigned", value: training.Assigned{}},
	{name: "TrainingSession", value: training.Session{}},
	{name: "TrainingAssignment", value: training.Assignment{}},
	{name: "TrainingRoll", value: trainingRoll{}},
	{name: "TrainingMatrix", value: training.Matrix{}},
	{name: "TrainingMatrixRow", value: training.MatrixRow{}},
	{name: "TrainingCell", value: training.Cell{}},
	{name: "TrainingImport", value: training.Import{}},
	{name: "TrainingImportReport", value: training.Report{}},
	{name: "RollCallResult", value: rollCallResult{}},
	{name: "TrainingPlanInput", value: trainingPlanInput{}, input: true, required: []string{"fiscal_year"}},
	{name: "TrainingSessionInput", value: trainingSessionInput{}, input: true, required: []string{"course_id", "starts_at", "ends_at", "place"}},
	{name: "RollCallInput", value: rollCallInput{}, input: true, required: []string{"present"}},
	{name: "TrainingUploadInput", value: trainingUploadInput{}, input: true, required: []string{"file_name", "file_base64"}},
	{name: "TrainingCheckInput", value: trainingCheckInput{}, input: true},
	{name: "TrainingConfirmInput", value: trainingConfirmInput{}, input: true, required: []string{"assignment_id"}},
}

// schemaGen describes Go types as JSON Schema by their json tags; types with a component name
// become references.
type schemaGen struct {
	names map[reflect.Type]string
}

var (
	timeType = reflect.TypeFor[time.Time]()
	codeType = reflect.TypeFor[apperr.Code]()
)

func (g schemaGen) of(t reflect.Type) obj {
	if name, ok := g.names[t]; ok {
		return ref(name)
	}
	switch t {
	case timeType:
		return obj{"type": "string", "format": "date-time"}
	case codeType:
		codes := apperr.Codes()
		return obj{"type": "string", "enum": codes}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.of(t.Elem())
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int64:
		return obj{"type": "integer", "format": "int64"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return obj{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return obj{"type": "number"}
	case reflect.Slice, reflect.Array:
		return obj{"type": "array", "items": g.of(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": g.of(t.Elem())}
	case reflect.Struct:
		return g.object(t)
	}
	return obj{}
}

// object describes a struct the way encoding/json writes it: tagged names, embedded structs
// flattened, omitempty fields optional.
func (g schemaGen) object(t reflect.Type) obj {
	props := obj{}
	var required []string
	g.fields(t, props, &required)
	s := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (g schemaGen) fields(t reflect.Type, props obj, required *[]string) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.of(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}
