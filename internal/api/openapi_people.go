package api

// peopleOperations describe the routes of the people's records — 研修・訓練, 同意書・誓約書, the
// accounts of the organisation's systems, 棚卸し, 人事異動 and the directory's settings — for
// the OpenAPI document, beside operations.
var peopleOperations = map[string]operation{
	"GET /api/v1/transfers": {id: "listTransfers", summary: "人事異動 lists, newest first (administrators, organisation-wide security roles, auditors)",
		query:  []param{{"state", "string", "Only lists in this state: draft, pending, applied, withdrawn, failed"}},
		status: 200, result: "TransferList", list: true},
	"POST /api/v1/transfers": {id: "uploadTransfers", summary: "Upload a 人事異動 list (.xlsx or .csv): its dry run, or applied at once (administrators)",
		desc: "Columns (staff number, name, kind 採用/異動/出向/復帰/退職, from, to, new title, effective date, and optionally " +
			"employment and 出向先) are mapped from their Japanese headings and the organisation's remembered mapping; mapping " +
			"overrides them. The list is kept (Location). With dry_run nothing in the staff records changes and the answer is the " +
			"report (200): each row with what applying it does (a new staff record, the department changed, the record made " +
			"inactive, the role assignments that end the day before, those to hand over, the system accounts the person " +
			"holds) and its problems in Japanese (message) and English (message_en). Otherwise the list is applied all or " +
			"nothing: 201 with the report, or 422 with the report when any row is wrong and nothing changed. Moves dated " +
			"after today wait (state pending) and take effect on their day.",
		upload: []param{
			{"file", "file", "The list: .xlsx, or .csv in UTF-8, UTF-16 or Shift_JIS; at most 10 MB"},
			{"dry_run", "boolean", "Check every row and change nothing"},
			{"mapping", "string", "A JSON array with the field id of each column in order (employee_no, name, kind, from_department, to_department, title, effective_on, employment, destination); \"\" leaves a column out"},
		},
		status: 201, also: []int{200}, result: "TransferReport"},
	"GET /api/v1/transfers/{id}": {id: "getTransfers", summary: "One 人事異動 list with its rows: the dry run of a draft, the state of each move once applied",
		status: 200, result: "TransferReport"},
	"POST /api/v1/transfers/{id}/apply": {id: "applyTransfers", summary: "Apply a draft 人事異動 list, all or nothing (administrators)",
		desc: "201 with the report; 422 with the report naming each wrong row when any is wrong, and nothing changed; 409 when " +
			"the list was applied or withdrawn already.", status: 201, result: "TransferReport"},
	"POST /api/v1/transfers/{id}/withdraw": {id: "withdrawTransfers", summary: "Withdraw a 人事異動 list waiting for its day (administrators)",
		desc: "None of its moves take effect. 409 when one of them already has.", status: 200, result: "TransferList"},
	"GET /api/v1/system-accounts": {id: "listSystemAccounts", summary: "The accounts of the organisation's systems (利用者ID・特権ID) the token holder reads, with the pack's findings",
		desc: "A system's role holders (its 情報システム管理者), the organisation-wide security roles, auditors and the roles the " +
			"pack names to keep accounts read every account of a system; a department's role holders those owned by its staff; " +
			"everyone their own. findings are the ids of the pack's account rules the account fails (GET /api/v1/policy names " +
			"them), as of checked_on; they are re-evaluated at every write and hourly.",
		query: []param{
			{"system", "string", "System reference of the register"},
			{"kind", "string", "personal, privileged, shared, emergency or service"},
			{"flag", "string", "Id of an account rule the accounts fail, or any"},
			{"state", "string", "active (default), removed or all"},
			{"owner_staff_id", "integer", "Owner's staff id"},
			{"q", "string", "Part of a login, display name, owner's or responsible person's name"},
		},
		status: 200, result: "SystemAccount", list: true},
	"POST /api/v1/system-accounts": {id: "createSystemAccount", summary: "Record an account of a system (its 情報システム管理者, the ネットワーク管理者)",
		desc: "system_ref must be a system of the register, kind one of the five, login new in the system, owner and deputy " +
			"staff of the organisation; a deputy only for a privileged account and named only by the roles the pack lets record " +
			"its password change. Recorded in the audit log.",
		body: "SystemAccountInput", status: 201, result: "SystemAccount"},
	"POST /api/v1/system-accounts/import": {id: "importSystemAccounts", summary: "Import a system's account list (.xlsx or .csv), in one transaction",
		desc: "Columns are mapped from their Japanese headings (ログインID, 種別, 職員番号, 氏名, 最終ログイン, パスワード変更日 …); " +
			"owners are matched by staff number, else by name. Every row is checked; the report names each bad row by its row " +
			"number and column, in Japanese (message) and English (message_en). With dry_run nothing is written (200). " +
			"Otherwise all rows are applied in one transaction (201), or none when a row is bad (422 with the report). With " +
			"remove_missing the system's accounts in use that no row names are marked removed (outcome missing).",
		upload: []param{
			{"file", "file", "The list: .xlsx, or .csv in UTF-8 (with or without BOM), UTF-16 or Shift_JIS; at most 32 MB"},
			{"system", "string", "System reference of the register the list is of (a system column may name each row's)"},
			{"dry_run", "boolean", "Check every row and write nothing"},
			{"remove_missing", "boolean", "Mark the system's accounts in use that no row names as removed"},
		},
		status: 201, also: []int{200}, result: "SystemAccountImportReport"},
	"GET /api/v1/system-accounts/{id}": {id: "getSystemAccount", summary: "One account with the acts the token holder may do on it; 404 beyond their reach",
		status: 200, result: "SystemAccountDetail"},
	"PUT /api/v1/system-accounts/{id}": {id: "updateSystemAccount", summary: "Change an account (its system's 情報システム管理者, the ネットワーク管理者)",
		desc: "The whole account as for a new one; version guards against a change made meanwhile (409). password_changed_on " +
			"changes only by the roles the pack names. Recorded in the audit log.",
		body: "SystemAccountInput", status: 200, result: "SystemAccount"},
	"POST /api/v1/system-accounts/{id}/remove": {id: "removeSystemAccount", summary: "Record that an account was removed from its system (抹消); it is kept, never deleted",
		desc: "removed_on defaults to today (JST). The account keeps who removed it and when. Recorded in the audit log.",
		body: "SystemAccountRemoval", status: 200, result: "SystemAccount"},
	"POST /api/v1/system-accounts/{id}/password": {id: "recordSystemAccountPassword", summary: "Record the day a privileged or shared account's password was changed (the roles the pack names, or the deputy they named)",
		body: "SystemAccountPassword", status: 200, result: "SystemAccount"},
	"GET /api/v1/access-reviews": {id: "listAccessReviews", summary: "Access reviews (棚卸し) of the accounts of the organisation's systems, open ones first",
		desc: "The organisation-wide security roles and auditors list every review; the opener and a system's administrator the " +
			"reviews they opened or of their system; a reviewer or prover the reviews with accounts that are theirs.",
		query:  []param{{"state", "string", "open or closed; both when absent"}},
		status: 200, result: "AccessReview", list: true},
	"POST /api/v1/access-reviews": {id: "openAccessReview", summary: "Open a review of one system's or one department's accounts",
		desc: "By the organisation-wide security roles and the roles the pack names in access_review.opened_by (a system-scoped " +
			"role for its own system). The accounts not removed are copied as they stand with their flags (leaver, moved, orphaned, " +
			"privileged_without_owner, dormant). scope is system (system_ref) or department (department_id); due_on " +
			"(YYYY-MM-DD) defaults to the pack's due_days. One open review per system or department.",
		body: "NewAccessReview", status: 201, result: "AccessReview"},
	"GET /api/v1/access-reviews/mine": {id: "listMyAccessReviews", summary: "Open reviews with accounts the token holder still decides or proves, soonest due first",
		status: 200, result: "AccessReviewWaiting", list: true},
	"GET /api/v1/access-reviews/{id}": {id: "getAccessReview", summary: "A review with its counts and what the token holder may do with it",
		status: 200, result: "AccessReviewView"},
	"GET /api/v1/access-reviews/{id}/items": {id: "listAccessReviewItems", summary: "The review's accounts the token holder reads, by system and login",
		desc: "Those who read the review in full get every account; a reviewer or prover the accounts that are theirs.",
		query: []param{{"status", "string", "pending, awaiting (removal or change not proved) or done"},
			{"flag", "string", "leaver, moved, orphaned, privileged_without_owner or dormant"}, {"system", "string", "a system's reference"},
			{"outcome", "string", "keep, remove or change"}, {"q", "string", "part of the login or a name"},
			{"mine", "boolean", "only the accounts the token holder decides or proves"}},
		status: 200, result: "AccessReviewItem", list: true},
	"GET /api/v1/access-reviews/{id}/results": {id: "getAccessReviewResults", summary: "Decided, kept, removed, changed, pending, awaiting proof and overdue by system",
		status: 200, result: "AccessReviewResults"},
	"POST /api/v1/access-reviews/{id}/items/{item}/decide": {id: "decideAccessReviewItem", summary: "Decide one account: keep, remove or change, with a reason",
		desc: "By the account's reviewers (the pack's reviewing roles of its department or system) until its work is proved. The " +
			"pack's outcome rules are enforced: a leaver's account can only be removed; a privileged ID without owner cannot be kept.",
		body: "AccessReviewDecision", status: 200, result: "AccessReviewItem"},
	"POST /api/v1/access-reviews/{id}/decide": {id: "decideAccessReviewItems", summary: "Decide many accounts at once, all or none",
		desc: "item_ids empty decides every undecided account the token holder reviews. One refused account refuses the whole batch.",
		body: "AccessReviewBulk", status: 200, result: "AccessReviewBulkDecided"},
	"POST /api/v1/access-reviews/{id}/items/{item}/prove": {id: "proveAccessReviewItem", summary: "Record that a removal or change was done in the system",
		desc: "By the roles the pack names in access_review.proved_by (the system's administrator). done_on (YYYY-MM-DD) is on or " +
			"after the day the review opened and not in the future. A removal marks the account removed in the same transaction.",
		body: "AccessReviewProof", status: 200, result: "AccessReviewItem"},
	"POST /api/v1/access-reviews/{id}/close": {id: "closeAccessReview", summary: "Close a review whose every account is decided and every removal or change proved",
		status: 200, result: "AccessReview"},
	"GET /api/v1/trainings": {id: "listTrainingPlans", summary: "The training plans (研修計画) by fiscal year, newest first",
		status: 200, result: "TrainingPlan", list: true},
	"POST /api/v1/trainings": {id: "createTrainingPlan", summary: "Make a fiscal year's plan from the pack's courses and assign each course's audience (the roles the pack names to plan training)",
		body: "TrainingPlanInput", status: 201, result: "TrainingPlan"},
	"GET /api/v1/trainings/mine": {id: "myTraining", summary: "The token holder's own courses, the newest year first",
		status: 200, result: "TrainingAssignment", list: true},
	"POST /api/v1/trainings/mine/confirm": {id: "confirmTraining", summary: "Confirm having taken an e-learning module (the person assigned only)",
		body: "TrainingConfirmInput", status: 200, result: "TrainingAssignment"},
	"GET /api/v1/trainings/{id}": {id: "getTrainingPlan", summary: "A plan with its courses, each with its article and counted over the assignments the token holder reads",
		status: 200, result: "TrainingPlan"},
	"POST /api/v1/trainings/{id}/assign": {id: "assignTraining", summary: "Assign those who came into a course's audience since (new hires, transfers, new role holders)",
		status: 200, result: "TrainingAssigned"},
	"GET /api/v1/trainings/{id}/sessions": {id: "listTrainingSessions", summary: "The plan's sessions and make-up sessions in time order",
		status: 200, result: "TrainingSession", list: true},
	"POST /api/v1/trainings/{id}/sessions": {id: "createTrainingSession", summary: "Add a session of a course (its planners and those who run it)",
		desc: "ends_at must be after starts_at; makeup_of names a session of the same course.",
		body: "TrainingSessionInput", status: 201, result: "TrainingSession"},
	"GET /api/v1/trainings/{id}/sessions/{session}": {id: "getTrainingSession", summary: "A session with its roll: those assigned its course whom the token holder reads and who have not taken it elsewhere",
		status: 200, result: "TrainingRoll"},
	"POST /api/v1/trainings/{id}/sessions/{session}/roll-call": {id: "rollCall", summary: "Record who attended: those named have taken the course on the session's day; those this session had recorded and are not named no longer",
		body: "RollCallInput", status: 200, result: "RollCallResult"},
	"GET /api/v1/trainings/{id}/assignments": {id: "listTrainingAssignments", summary: "The plan's assignments the token holder reads",
		query: []param{{"course", "string", "Only this course"}, {"department_id", "integer", "Only people of this department"},
			{"employment", "string", "Only this employment (regular, fiscal_year, part_time, contractor)"},
			{"missing", "boolean", "true for those not yet taken"}, {"overdue", "boolean", "true for those not taken past their due day"}},
		status: 200, result: "TrainingAssignment", list: true},
	"GET /api/v1/trainings/{id}/matrix": {id: "trainingMatrix", summary: "Completion by department × employment with the names still missing, over the assignments the token holder reads",
		query:  []param{{"course", "string", "Only this course"}},
		status: 200, result: "TrainingMatrix"},
	"POST /api/v1/trainings/{id}/imports": {id: "uploadTrainingImport", summary: "Upload an attendance sheet (CSV or xlsx, base64); its columns are guessed and nothing is recorded",
		body: "TrainingUploadInput", status: 201, result: "TrainingImport"},
	"GET /api/v1/trainings/{id}/imports/{import}": {id: "getTrainingImport", summary: "An upload of the token holder's, with its mapping and its check's report",
		status: 200, result: "TrainingImport"},
	"POST /api/v1/trainings/{id}/imports/{import}/check": {id: "checkTrainingImport", summary: "Dry run: check every row under the mapping, naming the row and column of each problem; nothing is recorded",
		body: "TrainingCheckInput", status: 200, result: "TrainingImport"},
	"POST /api/v1/trainings/{id}/imports/{import}/apply": {id: "applyTrainingImport", summary: "Record the checked sheet's attendance: every row, or none when any row has a problem",
		status: 200, result: "TrainingImport"},
	"GET /api/v1/pledges": {id: "listPledges", summary: "The pack's pledges (同意書・誓約書) and where the token holder stands with those that bind them",
		desc:   "mine is empty for an account linked to no staff record. A pledge's text_sha256 is what signing must send back.",
		status: 200, result: "MyPledges"},
	"GET /api/v1/pledges/status": {id: "pledgeStatus", summary: "Each pledge's counts by department and the people of the filter (not signed and to sign again by default)",
		desc: "Over the people the token holder reads: everyone for the organisation-wide security roles, administrators and auditors; " +
			"their department for the holder of a department role; themselves for anyone else.",
		query: []param{{"pledge", "string", "Only this pledge id"}, {"department_id", "integer", "Only this department"},
			{"state", "string", "unsigned, resign, signed, or all; empty for unsigned and resign"}},
		status: 200, result: "PledgeBoard"},
	"GET /api/v1/pledges/staff/{id}": {id: "pledgePerson", summary: "One person's pledges and every signature they made, newest first; 404 for a reader who does not see them",
		status: 200, result: "PledgeRecord"},
	"POST /api/v1/pledges/forms/{pledge}/sign": {id: "signPledge", summary: "Sign a pledge that binds the token holder, with their full name as typed",
		desc: "The name must be the holder's staff record's (spaces and variant characters aside); text_sha256 must be the pack's " +
			"current text's; confirm must be true. Signing the same text twice is refused. The time and address are recorded in the audit log.",
		body: "SignPledgeInput", status: 201, result: "PledgeSignature"},
	"POST /api/v1/pledges/paper": {id: "recordPaperPledge", summary: "Record a pledge signed on paper with its scan (the 情報政策課)",
		upload: []param{
			{"scan", "file", "The scan of the signed form: PDF, PNG or JPEG, at most 10 MB"},
			{"pledge_id", "string", "The pack's pledge id"},
			{"staff_id", "integer", "Who signed"},
			{"signed_on", "string", "The day it was signed (YYYY-MM-DD), not after today"},
		},
		status: 201, result: "PledgeSignature"},
	"GET /api/v1/pledges/signatures/{id}":      {id: "getPledgeSignature", summary: "One signature; 404 for a reader who does not see its signer", status: 200, result: "PledgeSignature"},
	"GET /api/v1/pledges/signatures/{id}/scan": {id: "getPledgeScan", summary: "The scan of a paper pledge, as a download", status: 200},
	"GET /api/v1/directory-settings": {id: "getDirectorySettings", summary: "The organisation's directory sign-in settings (administrators)",
		desc: "Whether people sign in from the directory (Active Directory / LDAP, OIDC); where their department comes from " +
			"(department_from: attribute, naming department_attribute, or ou); the map of the directory's department values to " +
			"departments; the map of directory groups (DN or name) to pack roles with their scope (own_department, organization, " +
			"department, system); and the local logins kept as break-glass administrators.",
		status: 200, result: "DirectorySettings"},
	"PUT /api/v1/directory-settings": {id: "putDirectorySettings", summary: "Replace the directory sign-in settings (administrators)",
		desc: "The settings are replaced whole. version is the version read (0 before the first save); another change since " +
			"is a conflict. A value mapped to no department, a group mapped to a role the pack lacks or to a scope the role " +
			"cannot have, an unknown break-glass login: 422 naming the field (departments[1].department_id, groups[0].role_id " +
			"…), nothing saved.",
		body: "DirectorySettingsInput", status: 200, result: "DirectorySettings"},
}

func init() {
	for k, op := range peopleOperations {
		operations[k] = op
	}
}
