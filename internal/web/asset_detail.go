package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"mamori/internal/asset"
	"mamori/internal/compliance"
	"mamori/internal/policy"
)

// approvalView is a kind of request the pack requires for the asset.
type approvalView struct {
	Approval  policy.Approval
	Inherited bool
	// Undetermined: the condition could not be evaluated on this asset (a value it reads is
	// missing), so the approval is listed to be safe.
	Undetermined bool
}

// approvalsFor lists the pack's approvals about assets that apply to this one: those without a
// condition, and those whose condition holds for the asset.
func (w *Server) approvalsFor(p *policy.Compiled, rec policy.AssetRecord) []approvalView {
	var out []approvalView
	for _, ap := range p.Approvals {
		if ap.Subject != "asset" {
			continue
		}
		v := approvalView{Approval: ap, Inherited: p.Inherited["approvals/"+ap.ID]}
		if prg := p.ApprovalWhen[ap.ID]; prg != nil {
			ok, err := prg.Eval(rec)
			if err != nil {
				w.log.Warn("approval condition", "approval", ap.ID, "asset", rec.Number, "err", err)
				v.Undetermined = true
			} else if !ok {
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// attrView is one attribute the asset has a value for.
type attrView struct {
	Attr policy.Attribute
	Text string
}

// historyRow is an audit entry about the asset and the fields it changed.
type historyRow struct {
	auditRow
	Changes []fieldChange
}

type assetDetailData struct {
	Asset       assetView
	Pack        *policy.Compiled
	Attrs       []attrView
	Approvals   []approvalView
	Acquired    string
	Disposed    string
	CanChange   bool
	ShowHistory bool
	AuditLink   bool
	History     []historyRow
	// Findings are the asset's open findings, their values withheld when the asset is
	// restricted; ExceptionKind: the pack's kind that requests exceptions (例外措置), empty
	// when it has none or the asset is restricted.
	Findings      []compliance.Shown
	ExceptionKind string
}

const assetHistoryLimit = 50

// assetDetail shows one asset with the handling its levels require, the approvals it needs
// and its history.
func (w *Server) assetDetail(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx, who := r.Context(), stateOf(r).who
	a, err := w.s.Assets.Get(ctx, who, id)
	if err != nil {
		return err
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	p := w.newPage(r, "assets.detail.title", "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), "/assets"}}
	d := assetDetailData{Asset: viewAsset(pack, a), Pack: pack, Acquired: p.Day(a.AcquiredOn), Disposed: p.Day(a.DisposedOn),
		CanChange: asset.CanChangeAsset(who, a), AuditLink: who.CanReadAuditLog() && !a.Restricted}
	// A restricted asset comes without its details; what would be read from them — its
	// attributes, the approvals its record calls for, its history — is not shown either.
	if pack != nil && !a.Restricted {
		for _, attr := range assetAttributes(pack) {
			v, ok := a.Attrs[attr.ID]
			if !ok {
				continue
			}
			text := attrText(v)
			if b, isBool := v.(bool); isBool {
				text = p.T("common.no")
				if b {
					text = p.T("common.yes")
				}
			}
			d.Attrs = append(d.Attrs, attrView{Attr: attr, Text: text})
		}
		code := ""
		if a.DepartmentID != 0 {
			if dep, err := w.s.Org.Department(ctx, who, a.DepartmentID); err == nil {
				code = dep.Code
			}
		}
		d.Approvals = w.approvalsFor(pack, asset.Record(pack, a, code, w.s.Now()))
	}
	// The history is the asset's own part of the audit log: shown to those who keep the asset
	// and to those who may read the whole log.
	if !a.Restricted && (d.CanChange || d.AuditLink) {
		d.ShowHistory = true
		entries, err := w.s.Audit.History(ctx, who, "asset", strconv.FormatInt(id, 10), assetHistoryLimit)
		if err != nil {
			return err
		}
		names, err := w.actorNames(ctx, who)
		if err != nil {
			return err
		}
		l := labels{lang: p.Lang, pack: pack}
		for i, row := range auditRows(l, names, entries) {
			d.History = append(d.History, historyRow{auditRow: row, Changes: assetChanges(l, entries[i].Before, entries[i].After)})
		}
	}
	if d.Findings, err = w.assetFindings(r, a); err != nil {
		return err
	}
	if !a.Restricted {
		d.ExceptionKind = exceptionKind(pack)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "asset_detail", p)
	return nil
}

// fieldChange is one field an audit entry of an asset changed, named and valued for its reader.
type fieldChange struct{ Field, Before, After string }

// changedFields names the fields of an asset that differ between an entry's before and after
// states, attributes and classification axes one by one ("attrs.mfa", "class.importance");
// derived and bookkeeping fields are left out.
func changedFields(before, after string) []string {
	b, a, ok := assetStates(before, after)
	if !ok {
		return nil
	}
	var out []string
	for _, k := range changedKeys(b, a) {
		if k == "attrs" || k == "class" {
			bm, _ := b[k].(map[string]any)
			am, _ := a[k].(map[string]any)
			for _, sub := range changedKeys(bm, am) {
				out = append(out, k+"."+sub)
			}
			continue
		}
		out = append(out, k)
	}
	return out
}

// assetChanges is what an entry changed of an asset, by the pack's and the catalog's names:
// the department and manager by name, kinds, states, levels and dates as the pages show them.
func assetChanges(l labels, before, after string) []fieldChange {
	b, a, ok := assetStates(before, after)
	if !ok {
		return nil
	}
	value := func(m map[string]any, path string) string {
		head, tail, _ := strings.Cut(path, ".")
		var v any
		switch head {
		case "attrs", "class":
			sub, _ := m[head].(map[string]any)
			v = sub[tail]
		case "department_id":
			v = m["department_name"]
		case "manager_staff_id":
			v = m["manager_name"]
		case "acquired_on", "disposed_on":
			s, _ := m[head].(string)
			return showDay(l.lang, s)
		default:
			v = m[head]
		}
		text := l.Value(path, v)
		if r := []rune(text); len(r) > 60 {
			text = string(r[:60]) + "…"
		}
		return text
	}
	var out []fieldChange
	for _, f := range changedFields(before, after) {
		out = append(out, fieldChange{Field: assetFieldLabel(l, f), Before: value(b, f), After: value(a, f)})
	}
	return out
}

func assetStates(before, after string) (b, a map[string]any, ok bool) {
	if before == "" || after == "" {
		return nil, nil, false
	}
	if json.Unmarshal([]byte(before), &b) != nil || json.Unmarshal([]byte(after), &a) != nil {
		return nil, nil, false
	}
	return b, a, true
}

// changedKeys lists, sorted, the keys whose values differ between b and a.
func changedKeys(b, a map[string]any) []string {
	skip := map[string]bool{"id": true, "org_id": true, "created_at": true, "updated_at": true, "top_rank": true,
		"department_name": true, "manager_name": true, "version": true}
	var out []string
	for k := range a {
		if !skip[k] && !reflect.DeepEqual(a[k], b[k]) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok && !skip[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
