package api

// operation describes one route of the table in api.go for the OpenAPI document. A test fails
// when the two disagree.
type operation struct {
	id      string
	summary string
	desc    string
	query   []param // query parameters; a list adds limit and offset itself
	body    string  // component name of the JSON request body, "" for none
	status  int     // status of success
	result  string  // component name of the answer (of each item for a list), "" for none
	list    bool    // the answer is a page: {items, total, next}
	public  bool    // needs no bearer token
	// upload describes a multipart/form-data request body (a file and its form fields) instead
	// of a JSON one; its 422 answers the result as well as an Error.
	upload []param
	also   []int // further statuses of success that answer the result
}

type param struct {
	name, typ, desc string
}

// operations are keyed like the route table: "METHOD path".
var operations = map[string]operation{
	"GET /api/v1/openapi.json": {id: "getOpenAPI", summary: "This OpenAPI document", status: 200, public: true},
	"GET /api/v1/policy": {id: "getPolicy", summary: "The organisation's active policy pack and its roles, with citations",
		status: 200, result: "Policy"},
	"GET /api/v1/me": {id: "getMe", summary: "The token holder: account, department and today's roles", status: 200, result: "Me"},
	"GET /api/v1/me/desk": {id: "getMyDesk", summary: "The token holder's desk: what waits for them and what they own",
		desc: "Requests awaiting their decision (newest first), their own requests, overdue returns, the incident checklist " +
			"steps they must make, the open incidents they handle, their departments' open findings, exceptions ending within " +
			"ending_soon_days and logbook entries awaiting their confirmation: each the first rows of the list with its total, " +
			"read under each record's own read rule. overview, the organisation's state (open findings by severity and " +
			"department, this fiscal year's incidents by state, overdue items), is present only for holders of the pack's " +
			"organisation-wide security roles and auditors.",
		status: 200, result: "Desk"},
	"GET /api/v1/me/tokens": {id: "listMyTokens", summary: "The token holder's API tokens that are not revoked, newest first, expired ones included",
		desc:   "Each with its scope, expiry and last use (time and address, written at most once a minute). Never the secret.",
		status: 200, result: "APIToken", list: true},
	"POST /api/v1/me/tokens": {id: "createMyToken", summary: "Issue an API token to the token holder; the secret is shown only in this answer",
		desc: "Only a hash is kept. scope is read (the default: GET and HEAD only, anything else is refused with 403) or read-write; " +
			"expires_in_days is 1 to 365, 90 when absent. Nobody issues a token for another person: integrations use service " +
			"accounts. Tokens are refused while their holder must change a temporary password or enrol in MFA, and are revoked by " +
			"a password reset, by disabling the account and by signing out everywhere with revoke_tokens.",
		body: "NewToken", status: 201, result: "CreatedToken"},
	"DELETE /api/v1/me/tokens/{id}": {id: "revokeMyToken", summary: "Revoke one of the token holder's API tokens", status: 204},

	"GET /api/v1/users": {id: "listUsers", summary: "Accounts of the organisation, by login (administrators)",
		status: 200, result: "User", list: true},
	"POST /api/v1/users": {id: "createUser", summary: "Create an account with a one-time temporary password (administrators)",
		desc: "The temporary password is returned only in this answer and must be changed at first login.",
		body: "NewUser", status: 201, result: "CreatedUser"},
	"GET /api/v1/users/{id}": {id: "getUser", summary: "One account (administrators, or the holder's own)",
		status: 200, result: "User"},
	"POST /api/v1/users/{id}/unlock": {id: "unlockUser", summary: "Lift a lockout after repeated failed logins",
		status: 204},
	"POST /api/v1/users/{id}/reset-password": {id: "resetPassword", summary: "Issue a new temporary password; unlocks and ends sessions",
		status: 200, result: "TemporaryPassword"},
	"POST /api/v1/users/{id}/disable": {id: "disableUser", summary: "Disable an account and end its sessions", status: 204},
	"POST /api/v1/users/{id}/enable":  {id: "enableUser", summary: "Enable a disabled account", status: 204},
	"GET /api/v1/users/{id}/tokens": {id: "listUserTokens", summary: "An account's API tokens that are not revoked (administrators, or the holder's own)",
		status: 200, result: "APIToken", list: true},
	"POST /api/v1/users/{id}/tokens": {id: "createServiceToken", summary: "Issue an API token to a service account (administrators); the secret is shown once",
		desc: "Refused (403) for a person's account: people issue their own tokens.",
		body: "NewToken", status: 201, result: "CreatedToken"},
	"DELETE /api/v1/users/{id}/tokens/{token}": {id: "revokeUserToken", summary: "Revoke an API token of an account (administrators, or the holder's own)",
		status: 204},
	"POST /api/v1/service-accounts": {id: "createServiceAccount", summary: "Create a service account for an integration (administrators)",
		desc: "A service account has no password and no staff record, cannot sign in to the web and holds only the pack roles given " +
			"here (scope taken from the pack when absent). Its tokens are issued with POST /api/v1/users/{id}/tokens.",
		body: "NewServiceAccount", status: 201, result: "User"},

	"GET /api/v1/departments": {id: "listDepartments", summary: "The department tree (所属) in order, with depth and path",
		desc:   "Parents come before their children; siblings by sort order, then code.",
		status: 200, result: "Department", list: true},
	"POST /api/v1/departments": {id: "createDepartment", summary: "Add a department (platform administrators and holders of an organisation-wide security role of the pack: CISO, 統括情報セキュリティ責任者 …)",
		body: "NewDepartment", status: 201, result: "Department"},
	"GET /api/v1/departments/{id}": {id: "getDepartment", summary: "One department", status: 200, result: "Department"},
	"PUT /api/v1/departments/{id}": {id: "updateDepartment", summary: "Replace a department: rename, move, reorder, (de)activate (platform administrators and holders of an organisation-wide security role)",
		desc: "Every field is replaced; an absent parent_id moves the department to the top level. active is required.",
		body: "DepartmentUpdate", status: 200, result: "Department"},

	"GET /api/v1/staff": {id: "listStaff", summary: "Staff (職員等), by employee number",
		query: []param{
			{"department_id", "integer", "Only staff of this department"},
			{"q", "string", "Part of the name, kana or employee number"},
		},
		status: 200, result: "Staff", list: true},
	"POST /api/v1/staff": {id: "createStaff", summary: "Register a staff member (administrators)",
		body: "NewStaff", status: 201, result: "Staff"},
	"GET /api/v1/staff/{id}": {id: "getStaff", summary: "One staff member", status: 200, result: "Staff"},
	"PUT /api/v1/staff/{id}": {id: "updateStaff", summary: "Replace a staff member's details (administrators)",
		desc: "Every field is replaced. active is required.",
		body: "StaffUpdate", status: 200, result: "Staff"},

	"GET /api/v1/role-assignments": {id: "listRoleAssignments", summary: "Who holds which policy-pack role",
		status: 200, result: "RoleAssignment", list: true},
	"POST /api/v1/role-assignments": {id: "createRoleAssignment", summary: "Assign a role (administrators)",
		body: "NewRoleAssignment", status: 201, result: "RoleAssignment"},

	"GET /api/v1/assets": {id: "listAssets", summary: "The information asset register (情報資産管理台帳): the assets the token holder may read",
		desc: "Staff read their own department's assets, holders of a department role that department's too, auditors and " +
			"organisation-wide roles every asset. An asset of the highest class (the top level of any axis of the pack) shows its " +
			"details only to its department's staff, the security roles and auditors; anyone else gets it with restricted: true and " +
			"only its number, kind, class, department and state. Filters combine; levels, zones and segments must be the pack's " +
			"(422 otherwise); q finds every word (two characters suffice, e.g. 端末) in the number, name, location, system or note, " +
			"ignoring case and full-/half-width — in a restricted asset, in the number only.",
		query: []param{
			{"kind", "string", "Kind: information, system, server, terminal, mobile, media, network, document"},
			{"segment", "string", "Network segment id of the pack, e.g. lgwan"},
			{"zone", "string", "Security zone id of the pack, e.g. L3"},
			{"department_id", "integer", "Owning department"},
			{"state", "string", "Lifecycle state: in_use, lent, taken_out, in_repair, stored, disposed"},
			{"level.{axis}", "string", "Level on a classification axis of the pack: write the axis id for {axis}, e.g. level.importance=A; once per axis"},
			{"attr.{id}", "string", "Value of an attribute of the pack (attrs), once per attribute: bool true or false (false also finds assets " +
				"with no value); enum and string exactly; int and date exactly or as a range A..B with either end open, e.g. " +
				"attr.support_end=..2026-03-31 for what is out of support by then. An unknown attribute or a bad value is refused (422) naming attr.{id}"},
			{"q", "string", "Words to find"},
			{"sort", "string", "number (default), name, updated (newest first) or rank (highest class first)"},
		},
		status: 200, result: "Asset", list: true},
	"POST /api/v1/assets": {id: "createAsset", summary: "Register an asset (holders of a role over its department)",
		desc: "The classification must name a level on every axis of the pack; segment, zone and attrs must be the pack's. " +
			"The number, zone, levels and dates are NFKC-folded (全角 digits and letters become half-width).",
		body: "AssetInput", status: 201, result: "Asset"},
	"GET /api/v1/assets/{id}": {id: "getAsset", summary: "One asset; 404 for an asset beyond the token holder's reach",
		status: 200, result: "Asset"},
	"PUT /api/v1/assets/{id}": {id: "updateAsset", summary: "Replace an asset (holders of a role over its department)",
		desc: "Every field is replaced; absent fields become empty. Moving an asset to another department needs a role over both. " +
			"An asset restricted for the token holder cannot be replaced or deleted (403).",
		body: "AssetInput", status: 200, result: "Asset"},
	"POST /api/v1/assets/import": {id: "importAssets", summary: "Import a register sheet (.xlsx or .csv) into the register, in one transaction (holders of a role over a department)",
		desc: "Every row is checked against the pack; the report names each bad row by its row number and column, in Japanese " +
			"(message) and English (message_en). With dry_run nothing is written and the answer is 200. Otherwise all rows are " +
			"registered in one transaction (201), or none when a row is bad (422 with the report); with valid_only the valid " +
			"rows are registered (201) and the bad ones reported. A file that cannot be read (empty, not a workbook, too large, " +
			"columns missing) is an Error and changes nothing. Columns are mapped from their Japanese headers and the " +
			"organisation's last applied mapping; mapping overrides them. With update, a row whose management number is in the " +
			"register changes that asset if the token holder may change it (otherwise the row is an error saying why); the " +
			"report counts new, changed and unchanged rows and lists the new and changed ones (outcomes, each change with its " +
			"field, label, old and new value); an unchanged row writes nothing, a changed one writes an asset.update audit " +
			"entry. With dispose_missing (and update) the assets of the departments the file's rows name that the token " +
			"holder may change, that are not disposed of and whose number no row has, are marked disposed of on the day " +
			"(listed as outcome missing). values maps cells of the kind, department and level columns; the organisation's " +
			"last applied value mapping applies too. summary counts the problems by kind and column. dry_run, valid_only, " +
			"update and dispose_missing may also be query parameters.",
		query: []param{
			{"dry_run", "boolean", "Check every row and write nothing"},
			{"valid_only", "boolean", "Register the valid rows and skip the bad ones"},
			{"update", "boolean", "A row whose management number is in the register changes that asset"},
			{"dispose_missing", "boolean", "With update: mark the assets of the file's departments that no row names as disposed of"},
		},
		upload: []param{
			{"file", "file", "The sheet: .xlsx, or .csv in UTF-8 (with or without BOM) or Shift_JIS; at most 50 MB and 200,000 rows"},
			{"dry_run", "boolean", "Check every row and write nothing"},
			{"valid_only", "boolean", "Register the valid rows and skip the bad ones"},
			{"mapping", "string", "A JSON object of header → field id (number, name, kind, department, class.<axis>, attrs.<id> …); \"\" leaves a column out"},
			{"update", "boolean", "A row whose management number is in the register changes that asset"},
			{"dispose_missing", "boolean", "With update: mark the assets of the file's departments that no row names as disposed of"},
			{"values", "string", "A JSON object of field id (kind, department, class.<axis>) → {cell value → kind id, department code or level id}; \"\" reads the value as written"},
		},
		status: 201, also: []int{200}, result: "ImportReport"},
	"DELETE /api/v1/assets/{id}": {id: "deleteAsset", summary: "Delete an asset entered by mistake (holders of a role over its department)",
		desc: "For an entry made in error. An asset that existed should be disposed of instead (PUT with state disposed and " +
			"disposed_on), so that it stays in the register. The audit log keeps the deleted record.",
		status: 204},

	"GET /api/v1/logbooks": {id: "listLogbooks", summary: "The logbooks (記録簿) of the organisation's pack, with their fields and citations",
		status: 200, result: "Logbook", list: true},
	"GET /api/v1/logbooks/{logbook}/entries": {id: "listLogbookEntries", summary: "A logbook's entries the token holder may read, newest first",
		desc: "Staff read their own department's entries, holders of the logbook's kept_by role and of a department role theirs, " +
			"holders of an organisation-wide role and auditors all. Corrected entries are left out unless history=true.",
		query: []param{
			{"from", "string", "Earliest date (YYYY-MM-DD, Asia/Tokyo) of the entry's own date and time"},
			{"to", "string", "Latest date (YYYY-MM-DD, Asia/Tokyo), inclusive"},
			{"department_id", "integer", "Department of the entries"},
			{"unconfirmed", "boolean", "Only entries waiting for their second person (未確認)"},
			{"history", "boolean", "Include entries superseded by a correction"},
			{"q", "string", "Words found in the entry's values and names; two characters suffice. " +
				"An asset shown to the token holder by number only is found by its number, not its name"},
		},
		status: 200, result: "LogbookEntry", list: true},
	"POST /api/v1/logbooks/{logbook}/entries": {id: "createLogbookEntry", summary: "Write an entry, or correct one (supersedes_id)",
		desc: "Fields are checked against the pack: staff, asset and department fields take ids, dates YYYY-MM-DD, date-times " +
			"RFC 3339 (without an offset: Asia/Tokyo). Entries are never changed: a correction is a new entry that supersedes " +
			"the old one. In a room access log a visitor needs an escort authorised for the area. Auditors never write.",
		body: "LogbookEntryInput", status: 201, result: "LogbookEntry"},
	"GET /api/v1/logbooks/{logbook}/entries/{id}": {id: "getLogbookEntry", summary: "One entry; 404 beyond the token holder's reach",
		status: 200, result: "LogbookEntry"},
	"GET /api/v1/tasks": {id: "listTasks", summary: "Tasks of the pack's recurring duties (定期業務) the token holder reads, soonest due first",
		desc: "Holders of a task's role in its scope read it, as do the organisation-wide security roles and the auditors. " +
			"holders are who hold the role there today; a task follows a change of holder.",
		query: []param{
			{"status", "string", "overdue, current, upcoming or done"},
			{"year", "integer", "Fiscal year (年度, from April 1)"},
			{"role", "string", "A role id of the pack"},
			{"mine", "boolean", "Only the tasks whose role the token holder holds"},
		},
		status: 200, result: "Task", list: true},
	"GET /api/v1/tasks/{id}": {id: "getTask", summary: "One task with its holders and what closed it; 404 beyond the token holder's reach",
		status: 200, result: "Task"},
	"POST /api/v1/tasks/{id}/complete": {id: "completeTask", summary: "Close a task with the evidence its duty names",
		desc: "Only a holder of the task's role in its scope closes it (403), once (409). evidence note needs note; file needs " +
			"file_name and file_base64 (PDF, PNG, JPEG, TXT, CSV, XLSX or DOCX, at most 10 MB, content matching its extension); " +
			"logbook needs logbook_entry_id, an entry of the duty's logbook made within the period that the token holder reads; " +
			"checklist needs every item's index in ticked. Anything missing is refused (422) and nothing changes.",
		body: "TaskCompletion", status: 200, result: "Task"},
	"GET /api/v1/tasks/{id}/file": {id: "getTaskFile", summary: "Download the file that closed a task after checking its SHA-256",
		desc:   "Sent as a download that never runs as a page: Content-Disposition: attachment, X-Content-Type-Options: nosniff.",
		status: 200},
	"POST /api/v1/logbooks/{logbook}/entries/{id}/confirm": {id: "confirmLogbookEntry",
		summary: "Confirm an entry as its second person (someone who may write it and did not)",
		desc:    "For logbooks that require two people (上毛町 6(1)④ウ). The writer is refused (403), as is an entry that is not pending (409).",
		status:  200, result: "LogbookEntry"},

	"GET /api/v1/request-kinds": {id: "listRequestKinds", summary: "The approval kinds (申請の種類) of the pack the token holder may file, with their forms, steps and articles",
		desc:   "Staff with a department may file every kind of the pack; anyone else none.",
		status: 200, result: "RequestKind", list: true},
	"GET /api/v1/requests": {id: "listRequests", summary: "Requests (申請) the token holder may see, newest first",
		desc: "Applicants see their own, holders of a department role those of their departments, holders of an organisation-wide " +
			"role, auditors and administrators all.",
		query: []param{
			{"state", "string", "pending, sent_back, approved, rejected, cancelled, taken_out, lent, returned or disposed"},
			{"kind", "string", "Approval kind id of the pack"},
			{"mine", "boolean", "Only the token holder's own requests"},
			{"department_id", "integer", "The applicant's department"},
			{"from", "string", "Filed on or after this day (JST, YYYY-MM-DD)"},
			{"to", "string", "Filed on or before this day (JST, YYYY-MM-DD)"},
		},
		status: 200, result: "Request", list: true},
	"POST /api/v1/requests": {id: "createRequest", summary: "File a request of a kind of the pack, with its subject assets and form",
		desc: "Fields are checked against the kind's form (dates YYYY-MM-DD, date-times RFC 3339, staff, asset and department " +
			"fields as ids); subject assets must be ones the kind's condition covers, of one department and system. post_hoc " +
			"with acted_at files a report after the fact where the kind allows it. With attachments, send multipart/form-data " +
			"instead: a part \"request\" holding this JSON and file parts \"file\" (a general attachment) or \"file.<field>\" " +
			"(the answer to a file field); at most 8 files of 10 MB each, PDF, images, text, CSV or Office documents whose " +
			"content matches their name and type. The request then waits for the deciders of its first step, who are notified.",
		body: "RequestInput", status: 201, result: "Request"},
	"GET /api/v1/requests/{id}": {id: "getRequest", summary: "One request with its decisions, attachments and what it waits for; 404 beyond the token holder's reach",
		desc: "A request that names an asset whose details the token holder may not see (the highest class outside their " +
			"reach) shows that asset by number, kind, class, department and state only, and withholds its own words: withheld " +
			"is true, each freely written field reads {\"withheld\": true}, and attachments, comments and a disposal's method are " +
			"left out. Its applicant reads it whole.",
		status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/decisions": {id: "decideRequest", summary: "Approve, reject or send back the current step (its deciders)",
		desc: "Only a holder or acting holder of a role the step waits for decides, and not of their own request unless the kind " +
			"allows it (403). Rejecting and sending back need a comment. version is the request's version the approver saw: " +
			"a request changed since is a conflict (409). The applicant is notified of the decision, the next step's deciders " +
			"of the request.",
		body: "DecisionInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/resubmit": {id: "resubmitRequest", summary: "File a sent-back request again with edited fields (its applicant)",
		desc: "It starts again at the first step. Attachments may be added with multipart/form-data as on filing.",
		body: "ResubmissionInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/cancel": {id: "cancelRequest", summary: "Withdraw a request that waits, was sent back or is approved but not acted on (its applicant)",
		body: "CommentInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/take-out": {id: "takeOutRequest", summary: "Record that an approved returnable request's assets went out (持ち出し, 貸出)",
		desc: "By the applicant, an approver of its route or a department security role. due_on defaults to the request's own " +
			"return due date.",
		body: "TakeOutInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/return": {id: "returnRequest", summary: "Record the return of what a request took out",
		body: "ReturnInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/confirm-return": {id: "confirmReturn", summary: "Confirm, as the second person, a return another recorded",
		desc: "Where the pack's kind has return_confirmation: by one who records the request's life, neither its applicant nor " +
			"whoever recorded the return. The assets are in use again and the pack's take-out logbook gets the return.",
		body: "CommentInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/disposal": {id: "disposeRequest", summary: "Record how an approved disposal was carried out (日時、担当者及び処理内容)",
		desc: "The subject assets are set disposed. operator_staff_id defaults to the token holder.",
		body: "DisposalInput", status: 200, result: "Request"},
	"POST /api/v1/requests/{id}/acknowledge": {id: "acknowledgeRequest", summary: "Acknowledge a report made after approval to a role the token holder holds",
		body: "CommentInput", status: 200, result: "Request"},
	"GET /api/v1/requests/{id}/attachments/{aid}": {id: "getRequestAttachment", summary: "Download an attachment of a request",
		desc: "Sent as a download (Content-Disposition: attachment, X-Content-Type-Options: nosniff) under its checked type, " +
			"to whoever may see the request.",
		status: 200},
	"GET /api/v1/inbox": {id: "inbox", summary: "What waits for the token holder: requests at a step they decide and reports addressed to them",
		status: 200, result: "Request", list: true},
	"GET /api/v1/overdue": {id: "overdue", summary: "Returnable requests the token holder may see whose assets are still out after their due date, most overdue first",
		status: 200, result: "Request", list: true},

	"GET /api/v1/incidents": {id: "listIncidents", summary: "Incidents (情報セキュリティインシデント) the token holder sees, newest first",
		desc: "Seen by the reporter, the named handlers, the organisation-wide security roles (CISO, CSIRT …) and, unless restricted, " +
			"the department's security roles, the pack's first recipients, the roles on its checklist and auditors. A restricted " +
			"incident (an insider case) is seen by its reporter, its handlers and the organisation-wide security roles only. " +
			"With upward=true: the incidents organisations below reported to the token holder's, for the roles that receive them.",
		query: []param{
			{"state", "string", "active (every state before the end), reported, not_incident, open, contained, recovered or closed"},
			{"category", "string", "Incident category id of the pack"},
			{"severity", "string", "low, medium, high or critical"},
			{"restricted", "boolean", "Only restricted (true) or unrestricted (false) incidents"},
			{"upward", "boolean", "The incidents reported upward to the token holder's organisation"},
		},
		status: 200, result: "Incident", list: true},
	"POST /api/v1/incidents": {id: "reportIncident", summary: "Report an incident with the pack's report items (any member of staff)",
		desc: "items are the pack's report items by id (dates YYYY-MM-DD, date-times RFC 3339, staff, asset and department items " +
			"as ids; a staff item left out is the reporter). detected_at may be neither in the future nor missing. outside records " +
			"a report from outside (住民等) with its reporter's contact, taken by the token holder. With evidence, send " +
			"multipart/form-data instead: a part \"report\" holding this JSON and file parts \"file\" (evidence) or \"file.<item>\" " +
			"(the answer to a file item, such as 記録); at most 8 files of 20 MB. Programs, scripts, HTML and SVG, dangerous or " +
			"double extensions and content that does not match its type are refused (422). The pack's first recipients are told.",
		body: "IncidentReportInput", status: 201, result: "Incident"},
	"GET /api/v1/incidents/{id}": {id: "getIncident", summary: "One incident with its checklist, timeline, evidence and handlers; 404 beyond the token holder's reach",
		status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/triage": {id: "triageIncident", summary: "Decide whether a report is an incident: category, severity, routes, assets, systems, restriction",
		desc: "By the pack's first recipients or an organisation-wide security role. The escalation checklist is drawn from the " +
			"pack's routes (the first when none is named) and the category, with deadlines from the source's words (直ちに 1 hour, " +
			"速やかに 24 hours). A stale version is a conflict (409).",
		body: "IncidentTriageInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/checklist/{step}/tick": {id: "tickIncidentChecklistStep", summary: "Record that a report of the checklist was made: when, by what means, a note",
		desc: "Only whoever must make the report (the holder of its From's role; the reporter for the finder) ticks it (403 " +
			"otherwise). at may be neither in the future nor before detection; means is phone, mail, in_person, fax, system or other.",
		body: "IncidentTick", status: 200, result: "IncidentChecklistStep"},
	"POST /api/v1/incidents/{id}/checklist/{step}/skip": {id: "skipIncidentChecklistStep", summary: "Record that a report of the checklist is not needed for this incident, with the reason",
		body: "IncidentSkip", status: 200, result: "IncidentChecklistStep"},
	"POST /api/v1/incidents/{id}/measures": {id: "takeIncidentMeasure", summary: "Record an emergency measure (network cut, system stop …) under the pack's conditions",
		desc: "measure is a measure id of the pack, conditions the indexes of its conditions that are met (at least one). Only " +
			"the holder of the role the pack gives it decides it (403).",
		body: "IncidentMeasureInput", status: 201, result: "IncidentEvent"},
	"POST /api/v1/incidents/{id}/evidence": {id: "addIncidentEvidence", summary: "Keep a file as evidence, with its SHA-256 and who collected it when",
		desc: "Handlers and the reporter add evidence. Evidence is never changed or deleted; its chain of custody is the timeline.",
		upload: []param{
			{"file", "file", "The evidence: text, CSV, JSON, mail (.eml), PDF, PNG, JPEG, GIF, zip or pcap, at most 20 MB, content matching its type"},
			{"description", "string", "What the file is"},
			{"collected_at", "string", "When it was collected (RFC 3339); now when absent"},
			{"collected_by_staff_id", "integer", "Who collected it; the token holder when absent"},
		},
		status: 201, result: "IncidentEvidence"},
	"GET /api/v1/incidents/{id}/evidence/{e}": {id: "getIncidentEvidence", summary: "Download an evidence file after checking its SHA-256",
		desc: "Sent as a download that never runs as a page: Content-Disposition: attachment, X-Content-Type-Options: nosniff, " +
			"Content-Security-Policy: sandbox. The reading is recorded in the chain of custody. The parent organisation's CSIRT " +
			"does not read evidence files.",
		status: 200},
	"POST /api/v1/incidents/{id}/evidence/{e}/custody": {id: "handOverIncidentEvidence", summary: "Record that an evidence item passed into someone's custody (証拠保全の引継ぎ)",
		body: "IncidentCustodyInput", status: 201, result: "IncidentEvent"},
	"POST /api/v1/incidents/{id}/timeline": {id: "addIncidentTimelineEntry", summary: "Add an entry to the timeline: what happened when (handlers and the reporter)",
		body: "IncidentEntryInput", status: 201, result: "IncidentEvent"},
	"POST /api/v1/incidents/{id}/handlers": {id: "addIncidentHandler", summary: "Name a member of staff to handle an incident",
		desc: "By the first recipients or an organisation-wide security role; for a restricted incident by an organisation-wide security role only.",
		body: "IncidentHandlerInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/recovery": {id: "advanceIncident", summary: "Move the response on: contained, recovered (with the monitoring period after it) or closed",
		desc: "to is contained, recovered or closed. Closing needs the root cause and the end of the monitoring period (上毛町 4(8)). " +
			"A stale version is a conflict (409).",
		body: "IncidentProgress", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/root-cause": {id: "setIncidentRootCause", summary: "Record the root cause found (原因究明)",
		body: "IncidentRootCauseInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/plan": {id: "actOnIncidentPlan", summary: "The 再発防止計画: draft it, approve its next step, announce it to staff",
		desc: "action draft (text) by a handler; approve (comment) by a holder of the role of the plan's next step, not its drafter; " +
			"announce (summary) by the holder of its last approving role, which tells every member of staff.",
		body: "IncidentPlanInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/publication": {id: "decideIncidentPublication", summary: "Decide whether to make the incident public, and record its publication (山形県 6.6(2))",
		body: "IncidentPublicationInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/police": {id: "recordIncidentPolice", summary: "Mark a possible crime with the records kept, and log contacts with the police (山形県 6.6(3))",
		desc: "records_kept marks the incident as a possible crime; contact logs a contact with the police or another agency, " +
			"which needs the mark (given now or before).",
		body: "IncidentPoliceInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/upward": {id: "reportIncidentUpward", summary: "Report the incident to the parent organisation's CSIRT (山形県 2.1(10)⑦)",
		desc: "By an organisation-wide security role; an organisation without a parent cannot (422). The parent's receiving roles " +
			"then see the incident and add support.",
		body: "IncidentUpwardInput", status: 200, result: "Incident"},
	"POST /api/v1/incidents/{id}/support": {id: "supportIncident", summary: "Add the parent organisation's support to an incident reported upward to it",
		desc: "By the parent's receiving roles (its member_reports_to roles, else its organisation-wide security roles).",
		body: "IncidentEntryInput", status: 201, result: "IncidentEvent"},
	"GET /api/v1/incidents-overdue": {id: "listIncidentsOverdue", summary: "Reports of the checklists the token holder sees that are past their deadline, most overdue first",
		status: 200, result: "IncidentChecklistStep", list: true},
	"GET /api/v1/incident-stats": {id: "getIncidentStats", summary: "Incidents detected in a period by state, category and severity, with time to report and to containment (for the 委員会)",
		query: []param{
			{"from", "string", "Earliest detection, inclusive: RFC 3339 or YYYY-MM-DD (Asia/Tokyo); a year before to by default"},
			{"to", "string", "Latest detection, exclusive: RFC 3339, or YYYY-MM-DD meaning the whole of that day; now by default"},
		},
		status: 200, result: "IncidentStats"},
	"GET /api/v1/emergency-contacts": {id: "getEmergencyContacts", summary: "The 緊急連絡網: the pack's contacts with today's holders and their numbers, and warnings",
		desc: "Warnings: no_holder (a contact's role is held by nobody today), no_number (a holder or an outside body without a " +
			"number). For holders of the pack's roles and administrators.",
		status: 200, result: "EmergencyContacts"},
	"PUT /api/v1/emergency-contacts/{contact}": {id: "setEmergencyContactNumber", summary: "Record the number of one of the pack's contacts (an outside body such as 警察)",
		desc: "By administrators and organisation-wide security roles.",
		body: "PhoneInput", status: 204},
	"GET /api/v1/compliance/findings": {id: "listFindings", summary: "Findings (指摘事項) of the pack's rules on the register the token holder sees, most severe and newest first",
		desc: "Each with the rule's article and the source's words, the values that failed, the asset and its department. Department " +
			"staff see their departments' findings; auditors and organisation-wide roles every department's. A finding on an asset " +
			"of the highest class whose details are not for the token holder is restricted: its rule and values are withheld, and it " +
			"is left out of a listing by rule.",
		query: []param{
			{"rule", "string", "Rule id of the pack"},
			{"severity", "string", "low, medium, high or critical: that severity and above"},
			{"department_id", "integer", "Owning department"},
			{"state", "string", "open (default; not covered by an exception), suppressed (covered by an exception), closed or all"},
		},
		status: 200, result: "Finding", list: true},
	"GET /api/v1/compliance/summary": {id: "getComplianceSummary", summary: "Open findings by department and by rule, with each rule's article and whether it is broken",
		desc:   "A broken rule's error is given to administrators only.",
		status: 200, result: "ComplianceSummary"},
	"GET /api/v1/compliance/trend": {id: "getComplianceTrend", summary: "The state at the end of each day with a finished sweep, oldest first (those who see every department)",
		query:  []param{{"days", "integer", "How many days back; 90 by default"}},
		status: 200, result: "ComplianceTrend"},
	"GET /api/v1/compliance/exceptions": {id: "listExceptions", summary: "The exception register (例外措置の記録): approved exceptions with their rules, assets, reason, measures and expiry, newest first",
		query:  []param{{"state", "string", "active, expired or withdrawn; all by default"}},
		status: 200, result: "Exception", list: true},
	"POST /api/v1/compliance/sweeps": {id: "sweepNow", summary: "Check the whole register against the pack's rules now (administrators)",
		desc: "The body is an empty object, or none. The answer gives the totals, the rules that could not be evaluated and the " +
			"time spent in rule evaluation and in storage (nanoseconds).",
		body: "SweepInput", status: 200, result: "Sweep"},
	"GET /api/v1/risks": {id: "listRisks", summary: "The risk register (リスク分析): asset groups × the pack's threats the token holder reads, with the pack's scales and matrix",
		desc: "Organisation-wide security roles and auditors read every risk, a department the risks it owns. Before an assessment " +
			"the likelihood and impact are the proposals. Of a group holding assets of the highest class, a reader who may not see " +
			"every such asset's details gets it restricted: its asset count, departments, findings and rules are withheld. expired " +
			"marks an acceptance whose last day has passed.",
		query: []param{
			{"state", "string", "candidate, assessed, accepted or retired; all but retired by default"},
			{"threat", "string", "Threat id of the pack"},
		},
		status: 200, result: "RiskRegister"},
	"POST /api/v1/risks/generate": {id: "generateRisks", summary: "Generate the candidates from the register and the compliance state now (情報政策課: organisation-wide security roles)",
		desc: "The body is an empty object, or none. One risk per asset group (asset kind × the impact its classification " +
			"proposes) and threat; the likelihood is proposed from the open findings of the group's assets, the rules that apply " +
			"and pass are listed as existing controls. Assessments are kept. Recorded in the audit log.",
		body: "RiskGenerateInput", status: 200, result: "RiskGeneration"},
	"GET /api/v1/risks/{id}": {id: "getRisk", summary: "One risk with the acts the token holder may do on it; 404 beyond their reach",
		status: 200, result: "RiskDetail"},
	"POST /api/v1/risks/{id}/assess": {id: "assessRisk", summary: "Assess a risk on the pack's matrix: likelihood, impact, treatment, plan, owner, residual risk (情報政策課)",
		desc: "Each field is checked against the pack's scales; the plan is required except for accept, the residual risk may " +
			"not be higher than the inherent one. version guards against a change made meanwhile (409). A new assessment ends an " +
			"acceptance. Recorded in the audit log.",
		body: "RiskAssessment", status: 200, result: "Risk"},
	"POST /api/v1/risks/{id}/accept": {id: "acceptRisk", summary: "Accept the residual risk of an assessed risk until a day (the role the pack names, the CISO)",
		desc: "until is the last day it holds (YYYY-MM-DD, JST): today or later, and within the pack's accept_days. Recorded in the audit log.",
		body: "RiskAcceptance", status: 200, result: "Risk"},
	"GET /api/v1/assets/{id}/findings": {id: "listAssetFindings", summary: "Every finding of one asset with its history, open ones first; 404 beyond the token holder's reach",
		status: 200, result: "Finding", list: true},
	"PUT /api/v1/staff/{id}/phone": {id: "setStaffPhone", summary: "Record the number a member of staff is reached on in an emergency",
		desc: "By the person themself, administrators and organisation-wide security roles. Full-width digits are folded.",
		body: "PhoneInput", status: 204},

	"GET /api/v1/self-inspections": {id: "listSelfInspections", summary: "Self-inspection campaigns (自己点検), newest first",
		desc: "The organisation-wide security roles and auditors list every campaign; anyone else the campaigns with a sheet they " +
			"answer (their department's, as its 情報セキュリティ管理者, or their role's).",
		status: 200, result: "InspectionCampaign", list: true},
	"POST /api/v1/self-inspections": {id: "startSelfInspection", summary: "Start a campaign of the pack's checklist (organisation-wide security roles)",
		desc: "The checklist is frozen with each item's article, chapter and the pack version. department_ids empty sends it to " +
			"every active department where an answering role is held; items of organisation- or system-scoped roles go on one " +
			"sheet per role. opens_on and deadline are YYYY-MM-DD (days in Japan); answers are refused after the deadline.",
		body: "NewInspectionCampaign", status: 201, result: "InspectionCampaign"},
	"GET /api/v1/self-inspection-findings": {id: "listSelfInspectionFindings", summary: "Findings of 未実施 and 一部 answers on the sheets the token holder reads, earliest due first",
		query:  []param{{"state", "string", "open (default), closed (closed or withdrawn) or all"}},
		status: 200, result: "InspectionFinding", list: true},
	"POST /api/v1/self-inspection-findings/{id}/close": {id: "closeSelfInspectionFinding", summary: "Close a finding with a note of what was done and optionally an evidence file",
		desc: "By those who answer its sheet and the organisation-wide security roles. Evidence: PDF, PNG, JPEG, text, CSV, xlsx " +
			"or docx of at most 10 MB, its content matching its name.",
		body: "InspectionFindingCloseInput", status: 200, result: "InspectionFinding"},
	"GET /api/v1/self-inspections/{id}": {id: "getSelfInspection", summary: "A campaign and the progress of each sheet the token holder reads",
		status: 200, result: "InspectionProgress"},
	"POST /api/v1/self-inspections/{id}/close": {id: "closeSelfInspection", summary: "Close a campaign; no answer is taken after it (organisation-wide security roles)",
		status: 200, result: "InspectionCampaign"},
	"GET /api/v1/self-inspections/{id}/results": {id: "getSelfInspectionResults", summary: "Answers by department (or role) × chapter, beside the previous fiscal year's campaign",
		desc:   "A chapter is the leading part of the article an item cites (第2章 5, 第15条, 7.10). Only the sheets the token holder reads.",
		status: 200, result: "InspectionResults"},
	"GET /api/v1/self-inspections/{id}/sheets/{sheet}": {id: "getSelfInspectionSheet", summary: "A sheet with every item's answer and what the token holder may do with it",
		status: 200, result: "InspectionSheet"},
	"POST /api/v1/self-inspections/{id}/sheets/{sheet}/answers": {id: "answerSelfInspectionSheet", summary: "Record answers on a sheet, all or none",
		desc: "answer is done (実施), partial (一部), not_done (未実施) or not_applicable (該当なし); partial and not_done need a " +
			"comment. Refused after the sheet's deadline, once submitted, and to anyone but its answerers.",
		body: "InspectionAnswersInput", status: 200, result: "InspectionSheet"},
	"POST /api/v1/self-inspections/{id}/sheets/{sheet}/submit": {id: "submitSelfInspectionSheet", summary: "Submit a fully answered sheet; its 未実施 and 一部 answers become findings",
		status: 200, result: "InspectionSheet"},
	"POST /api/v1/self-inspections/{id}/sheets/{sheet}/return": {id: "returnSelfInspectionSheet", summary: "Send a submitted sheet back (差戻し) with the reason (organisation-wide security roles)",
		desc: "deadline (YYYY-MM-DD) may give the sheet a later deadline for its correction.",
		body: "InspectionReturnInput", status: 200, result: "InspectionSheet"},
	"GET /api/v1/reviews": {id: "listReviews", summary: "The yearly policy reviews (見直し), newest year first",
		desc:   "Read by the organisation-wide security roles, the roles the pack names to decide reviews, and the auditors; empty for anyone else.",
		status: 200, result: "Review", list: true},
	"POST /api/v1/reviews": {id: "openReview", summary: "Open the review of a fiscal year over the pack in force (organisation-wide security roles)",
		body: "OpenReviewInput", status: 201, result: "Review"},
	"GET /api/v1/reviews/{id}": {id: "getReview", summary: "A review: every article of its pack with the facts of the year the token holder may read, counted by kind, and the proposals",
		desc:   "Facts come from each service whose records cite articles (incidents, findings, exceptions, and self-inspection, audits and risks where present), each under its own read rule.",
		status: 200, result: "ReviewGathered"},
	"POST /api/v1/reviews/{id}/proposals": {id: "proposeReview", summary: "Record the proposal for one article: keep, amend or add (while the review is open)",
		body: "ProposalInput", status: 200, result: "ReviewProposal"},
	"POST /api/v1/reviews/{id}/submit": {id: "submitReview", summary: "Lay the review before the roles the pack names to decide it",
		status: 200, result: "Review"},
	"POST /api/v1/reviews/{id}/proposals/{proposal}/decision": {id: "decideReviewProposal", summary: "Record the decision on one proposal (the deciding roles)",
		body: "ProposalDecisionInput", status: 200, result: "Review"},
	"POST /api/v1/reviews/{id}/proposals/{proposal}/link": {id: "linkReviewProposal", summary: "Link an approved amendment or addition to the pack version now active",
		desc:   "Refused until a version other than the one reviewed is active.",
		status: 200, result: "ReviewProposal"},
	"GET /api/v1/reviews/{id}/proposals/{proposal}/diff": {id: "reviewProposalDiff", summary: "What the linked pack version changed against the pack reviewed (pack diff)",
		status: 200, result: "ReviewChange"},
	"GET /api/v1/procedures": {id: "listProcedures", summary: "The register of 実施手順 the token holder may read, by review date",
		query:  []param{{"owner_role", "string", "Only those of this owner role"}, {"overdue", "boolean", "true for those past their review date"}},
		status: 200, result: "Procedure", list: true},
	"POST /api/v1/procedures": {id: "addProcedure", summary: "Register a procedure with its document (holders of the owner role, organisation-wide security roles)",
		upload: []param{
			{"file", "file", "The document: PDF, Word, Excel or text, at most 10 MB, content matching its type"},
			{"title", "string", "Title"},
			{"doc_version", "string", "Version of the document"},
			{"owner_role", "string", "Role id of the pack that owns it"},
			{"articles", "string", "The articles it implements, one per line, as the pack cites them"},
			{"all_staff", "boolean", "true when every member of staff may read it"},
			{"review_on", "string", "Next review date (YYYY-MM-DD)"},
		},
		status: 201, result: "Procedure"},
	"GET /api/v1/procedures/{id}":      {id: "getProcedure", summary: "One procedure; 404 for anyone it is not open to", status: 200, result: "Procedure"},
	"GET /api/v1/procedures/{id}/file": {id: "getProcedureFile", summary: "The procedure's document, as a download", status: 200},
	"POST /api/v1/procedures/{id}/review": {id: "reviewProcedure", summary: "Record a review of the procedure: the next review date and, with a file, a new version",
		upload: []param{
			{"review_on", "string", "Next review date (YYYY-MM-DD), after today"},
			{"doc_version", "string", "The new version, with a file"},
			{"file", "file", "The new version's document"},
		},
		status: 200, result: "Procedure"},

	"GET /api/v1/notices": {id: "listNotices", summary: "The token holder's notices (お知らせ), newest first",
		desc: "Each account sees only its own notices, in its own language. link is a path inside Mamori. A notice about a " +
			"request or an incident its reader may no longer see is withheld: withheld is true, subject and body are neutral and " +
			"there is no link.",
		query:  []param{{"unread", "boolean", "true for the unread ones only"}},
		status: 200, result: "Notice", list: true},
	"POST /api/v1/notices/{id}/read": {id: "readNotice", summary: "Mark one of the token holder's notices read",
		desc:   "Marking it again keeps the first time. Another account's notice is not found.",
		status: 200, result: "Notice"},

	"GET /api/v1/audits": {id: "listAudits", summary: "情報セキュリティ監査: the audits the token holder reads, by start (not the audit log)",
		desc: "The chief auditor (the pack's audit roles) and the organisation-wide security roles read every audit; a member of an " +
			"audit's team reads it (an external member only within the audit's dates); an audited department reads the plan, the issued " +
			"report and its own findings and corrective actions.",
		query:  []param{{"year", "integer", "Fiscal year (年度, from 1 April); every year when absent"}},
		status: 200, result: "Audit", list: true},
	"POST /api/v1/audits": {id: "createAudit", summary: "Plan an audit: scope, criteria (the pack's articles), team and dates",
		desc: "A regular audit by the chief auditor; a special audit (kind special) ordered by the CISO. Every auditor must be " +
			"independent: one who works in or holds a department role of an audited department, or holds a role over an audited " +
			"system, is refused with 422 naming the person and the reason, and nothing is recorded.",
		body: "NewAudit", status: 201, result: "AuditDetail"},
	"GET /api/v1/audits/{id}": {id: "getAudit", summary: "One audit with its items, findings and corrective actions, as the token holder reads it",
		desc:   "partial is true for an audited department's reader: its own findings and actions only, no items. acts says what the token holder may do.",
		status: 200, result: "AuditDetail"},
	"POST /api/v1/audits/{id}/auditors": {id: "addAuditor", summary: "Add a member to the audit's team (chief auditor; independence checked)",
		body: "AuditorInput", status: 200, result: "AuditDetail"},
	"POST /api/v1/audits/{id}/items": {id: "addAuditItem", summary: "Add an audit item: what is checked, against which of the criteria, how (document, interview, onsite)",
		body: "NewAuditItem", status: 201, result: "AuditItem"},
	"POST /api/v1/audits/{id}/items/{item}/result": {id: "recordAuditResult", summary: "Record an item's result (conforming, minor, major, observation) with evidence",
		desc: "Evidence: PDF, PNG, JPEG, text, CSV, xlsx or docx, 10 MB each, content base64; a file of another type, too large or not what its name says is refused and nothing changes.",
		body: "AuditResultInput", status: 200, result: "AuditItem"},
	"POST /api/v1/audits/{id}/findings": {id: "addAuditFinding", summary: "Record a finding of an item found non-conforming or observed, with its root cause",
		body: "NewAuditFinding", status: 201, result: "AuditFinding"},
	"POST /api/v1/audits/{id}/findings/{finding}/actions": {id: "planCorrectiveAction", summary: "Plan a finding's corrective action: owner and due date (the department's manager)",
		body: "NewCorrectiveAction", status: 201, result: "CorrectiveAction"},
	"POST /api/v1/audits/{id}/findings/{finding}/close": {id: "closeAuditFinding", summary: "Close a finding: a non-conformity only after an effective corrective action with evidence",
		status: 200, result: "AuditFinding"},
	"POST /api/v1/audits/{id}/actions/{action}/done": {id: "completeCorrectiveAction", summary: "Report a corrective action done, with at least one evidence file",
		body: "CorrectiveActionDone", status: 200, result: "CorrectiveAction"},
	"POST /api/v1/audits/{id}/actions/{action}/check": {id: "checkCorrectiveAction", summary: "The auditors' effectiveness check; not effective sends it back with a follow-up",
		body: "CorrectiveActionCheck", status: 200, result: "CorrectiveAction"},
	"PUT /api/v1/audits/{id}/report": {id: "draftAuditReport", summary: "Save the team's draft of the report (はじめに, 監査の概要, 監査の結果と意見, 特記事項)",
		body: "AuditReportInput", status: 200, result: "AuditDetail"},
	"POST /api/v1/audits/{id}/report": {id: "issueAuditReport", summary: "Issue the report (chief auditor or lead); its SHA-256 is written into the audit log's chain",
		desc: "Every item must have its result. Once issued the report does not change; report.sha256 is the hash recorded.",
		body: "AuditReportInput", status: 200, result: "AuditDetail"},
	"GET /api/v1/audit-plans": {id: "listAuditPlans", summary: "Multi-year and yearly audit plans, those covering a fiscal year",
		query:  []param{{"year", "integer", "Fiscal year; every plan when absent"}},
		status: 200, result: "AuditPlan", list: true},
	"POST /api/v1/audit-plans": {id: "createAuditPlan", summary: "Record a multi-year or yearly audit plan (chief auditor)",
		body: "NewAuditPlan", status: 201, result: "AuditPlan"},
	"GET /api/v1/audit-suggestions": {id: "listAuditSuggestions", summary: "Departments to audit first, highest risk score first (a suggestion)",
		desc:   "Scored from self-inspection results where available, otherwise from open compliance and audit findings; never audited before equally scored ones. Chief auditor and CISO.",
		query:  []param{{"year", "integer", "Fiscal year; this one when absent"}},
		status: 200, result: "AuditSuggestion", list: true},

	"GET /api/v1/audit": {id: "listAudit", summary: "The audit log, newest first (administrators and auditors)",
		query: []param{
			{"entity", "string", "Entity kind, e.g. department"},
			{"entity_id", "string", "Entity id"},
			{"action", "string", "Action, e.g. department.create"},
			{"actor", "string", "Part of the actor's login"},
			{"from", "string", "Earliest time, inclusive: RFC 3339, or YYYY-MM-DD meaning 00:00 in Asia/Tokyo"},
			{"to", "string", "Latest time, exclusive: RFC 3339, or YYYY-MM-DD meaning the whole of that day in Asia/Tokyo"},
		},
		status: 200, result: "AuditEntry", list: true},
	"GET /api/v1/audit/verify": {id: "verifyAudit", summary: "Verify the organisation's hash-chained audit log (administrators and auditors)",
		desc: "Walks the whole chain, and holds it against every signed checkpoint of it that the server keeps outside the " +
			"database: anchor.latest is the newest checkpoint that holds (seq, hash, time, key fingerprint: keep it on paper), " +
			"anchor.problems each checkpoint the chain no longer matches (kind shorter, differs, bad_signature, unknown_key, " +
			"malformed, no_chain). ok is false when either fails.",
		status: 200, result: "AuditVerification"},

	"GET /api/v1/jobs": {id: "listJobRuns", summary: "The runs of the background jobs, newest first (platform administrators)",
		desc: "Each run of a background job — reminders, the end of exceptions, compliance sweeps, mail, audit checkpoints — by " +
			"whichever server process ran it: when it started and finished, its outcome (ok, failed), how many things it did and, " +
			"when it failed, the error. A mail run that sent nothing is not kept; runs are kept for 90 days.",
		query:  []param{{"job", "string", "One job only, e.g. request.remind, incident.remind, compliance.expire, compliance.sweep, mail.send, audit.checkpoint"}},
		status: 200, result: "JobRun", list: true},
}
