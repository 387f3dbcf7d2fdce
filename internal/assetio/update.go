package assetio

import (
	"strings"

	"mamori/internal/asset"
	"mamori/internal/i18n"
)

// The outcomes of a row of an import that updates the register.
const (
	OutcomeNew       = "new"       // the register has no asset with the row's number: it is registered
	OutcomeChanged   = "changed"   // the row changes the asset with its number
	OutcomeUnchanged = "unchanged" // the row says what the register says
	OutcomeMissing   = "missing"   // no row names the asset: it is marked as disposed of
)

// MaxOutcomes is how many new, changed and missing rows a report lists; the counts are always
// whole.
const MaxOutcomes = 20_000

// RowOutcome is what an import does with one row (or, for a missing asset, with an asset no
// row names): its number, and for a change the fields that change.
type RowOutcome struct {
	Row     int           `json:"row,omitempty"` // 0 for a missing asset
	Number  string        `json:"number"`
	Name    string        `json:"name,omitempty"`
	Outcome string        `json:"outcome"`
	Changes []FieldChange `json:"changes,omitempty"`
}

// FieldChange is one field a row changes, with its label and its values before and after as a
// sheet writes them.
type FieldChange struct {
	Field   string `json:"field"`
	Label   string `json:"label"`
	LabelEn string `json:"label_en"`
	Old     string `json:"old"`
	New     string `json:"new"`
}

// merge lays a row over the asset of the register it changes: a field the file has a column
// for takes the row's value (an empty cell clears it), every other field keeps the asset's.
// A manager or department whose name is not unique in the organisation, written as the asset's
// own, keeps the asset's.
func (pl *plan) merge(cur asset.Asset, r rowIn) (asset.Input, []problem) {
	out := asset.InputOf(cur)
	in := r.in
	var problems []problem
	for _, pr := range r.problems {
		switch {
		case pr.field == "manager" && nameKey(r.managerText) == nameKey(cur.ManagerName) && cur.ManagerName != "":
			in.ManagerStaffID = cur.ManagerStaffID
		case pr.field == "department" && pr.key == "import.error.department_ambiguous" && fold(r.deptText) == fold(cur.DepartmentName):
			in.DepartmentID = cur.DepartmentID
		default:
			problems = append(problems, pr)
		}
	}
	for _, f := range pl.fields {
		switch f {
		case "", "number":
		case "name":
			out.Name = in.Name
		case "kind":
			out.Kind = in.Kind
		case "department", "department_code":
			out.DepartmentID = in.DepartmentID
		case "manager":
			out.ManagerStaffID = in.ManagerStaffID
		case "segment":
			out.Segment = in.Segment
		case "zone":
			out.Zone = in.Zone
		case "location":
			out.Location = in.Location
		case "system_ref":
			out.SystemRef = in.SystemRef
		case "quantity":
			out.Quantity = in.Quantity
		case "copies":
			out.Copies = in.Copies
		case "state":
			out.State = in.State
		case "acquired_on":
			out.AcquiredOn = in.AcquiredOn
		case "disposed_on":
			out.DisposedOn = in.DisposedOn
		case "note":
			out.Note = in.Note
		default:
			if axis, ok := strings.CutPrefix(f, "class."); ok {
				if v, ok := in.Class[axis]; ok {
					out.Class[axis] = v
				} else {
					delete(out.Class, axis)
				}
			} else if attr, ok := strings.CutPrefix(f, "attrs."); ok {
				if v, ok := in.Attrs[attr]; ok {
					out.Attrs[attr] = v
				} else {
					delete(out.Attrs, attr)
				}
			}
		}
	}
	return out, problems
}

// diff lists the fields in which in, as the register would store it, differs from cur, with
// their values as an export writes them.
func (pl *plan) diff(cur asset.Asset, in asset.Input) []FieldChange {
	next := pl.asAsset(in)
	var out []FieldChange
	for _, f := range fieldsOf(pl.pack) {
		if f.ID == "number" || f.ID == "department_code" {
			continue
		}
		old, now := text(cell(pl.pack, nil, cur, f.ID)), text(cell(pl.pack, nil, next, f.ID))
		same := old == now
		switch f.ID {
		case "department":
			same = cur.DepartmentID == next.DepartmentID
		case "manager":
			same = cur.ManagerStaffID == next.ManagerStaffID
		}
		if !same {
			out = append(out, FieldChange{Field: f.ID, Label: f.Label, LabelEn: fieldLabelEn(f), Old: old, New: now})
		}
	}
	return out
}

// fieldLabelEn is a field's English label: the catalog's for a fixed field, the pack's name
// otherwise.
func fieldLabelEn(f Field) string {
	if fixed, ok := fixedField(f.ID); ok {
		return fixed.LabelEn
	}
	return f.LabelEn
}

// asAsset is an input as the register would show it, with the names of its department and
// manager.
func (pl *plan) asAsset(in asset.Input) asset.Asset {
	return asset.Asset{Number: in.Number, Name: in.Name, Kind: in.Kind, DepartmentID: in.DepartmentID,
		DepartmentName: pl.dir.deptName[in.DepartmentID], ManagerStaffID: in.ManagerStaffID, ManagerName: pl.dir.staffName[in.ManagerStaffID],
		Segment: in.Segment, Zone: in.Zone, Class: in.Class, Attrs: in.Attrs, Location: in.Location, SystemRef: in.SystemRef,
		Quantity: in.Quantity, Copies: in.Copies, State: in.State, AcquiredOn: in.AcquiredOn, DisposedOn: in.DisposedOn, Note: in.Note}
}

// missingOutcome is the report's line for an asset no row names, marked as disposed of.
func missingOutcome(a asset.Asset, on string) RowOutcome {
	return RowOutcome{Number: a.Number, Name: a.Name, Outcome: OutcomeMissing, Changes: []FieldChange{
		{Field: "state", Label: "状態", LabelEn: "State", Old: stateLabel(a.State), New: stateLabel("disposed")},
		{Field: "disposed_on", Label: "廃棄日", LabelEn: "Disposed on", Old: a.DisposedOn, New: on},
	}}
}

// OutcomeText is an outcome in the language of a page or a command.
func OutcomeText(lang i18n.Lang, outcome string) string {
	return i18n.T(lang, "import.outcome."+outcome)
}
