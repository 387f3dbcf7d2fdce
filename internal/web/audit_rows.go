package web

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/auditlog"
	"mamori/internal/auth"
	"mamori/internal/i18n"
)

// auditRow is an audit entry as a person reads it: who by name, what by its label, the record
// by its kind and number with a link to its page, and the fields it changed by their names.
type auditRow struct {
	auditlog.Entry
	ActorName  string
	ActionText string
	EntityText string
	EntityHref string // "" when the record has no page or its values are withheld from the reader
	Changed    []string
}

// actorNames gives the names of the organisation's accounts for auditRows.
func (w *Server) actorNames(ctx context.Context, who access.Actor) (auth.Names, error) {
	return w.s.Auth.DisplayNames(ctx, who)
}

// auditRows labels entries for a page in lang; the changed fields of assets are named from
// the pack through l.
func auditRows(l labels, names auth.Names, entries []auditlog.Entry) []auditRow {
	out := make([]auditRow, len(entries))
	for i, e := range entries {
		r := auditRow{Entry: e, ActorName: actorName(l.lang, names, e.ActorUserID, e.Actor), ActionText: ActionLabel(l.lang, e.Action)}
		r.EntityText, r.EntityHref = EntityRef(l.lang, e.Entity, e.EntityID)
		if e.Withheld {
			r.EntityHref = ""
		}
		if e.Entity == "asset" {
			for _, f := range changedFields(e.Before, e.After) {
				r.Changed = append(r.Changed, assetFieldLabel(l, f))
			}
		}
		out[i] = r
	}
	return out
}

// actorName names who acted: the account's person, the program itself, or — for a sign-in
// with a login that names no account — the login that was typed.
func actorName(lang i18n.Lang, names auth.Names, userID int64, login string) string {
	if n := names.ByID[userID]; userID != 0 && n != "" {
		return n
	}
	if n := names.ByLogin[login]; userID == 0 && n != "" {
		return n
	}
	if userID == 0 && i18n.Has(lang, "audit.actor."+login) {
		return i18n.T(lang, "audit.actor."+login)
	}
	return login
}

// assetFieldLabel names a field of the asset's stored form (attrs, class, department_id …).
func assetFieldLabel(l labels, f string) string {
	if i18n.Has(l.lang, "assets.field."+f) {
		return i18n.T(l.lang, "assets.field."+f)
	}
	return l.Field(f)
}

// auditEntities are the kinds of record the audit log holds, for its filter.
var auditEntities = []string{"asset", "request", "incident", "incident_evidence", "incident_contact", "logbook_entry",
	"organization", "department", "staff", "role_assignment", "user", "api_token", "directory_settings",
	"audit", "audit_plan", "risk", "task", "task_generation", "inspection_campaign", "inspection_sheet", "inspection_finding", "review", "procedure", "pledge_signature",
	"access_review", "access_review_item", "transfer_list",
	"training_plan", "training_session", "training_assignment", "training_import"}
