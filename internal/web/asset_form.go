package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// packField is a form field the pack defines: a classification axis (class.<axis>) or an
// attribute (attrs.<id>). Name is what the form posts and what the service's errors name;
// Field, with a hyphen for the dot, is the element id after "f-" that the error summary links to.
type packField struct {
	Name, Field string
	Axis        policy.Axis
	Attr        policy.Attribute
}

// fieldID turns a service's field name into the form's: class.importance → class-importance.
func fieldID(name string) string { return strings.ReplaceAll(name, ".", "-") }

type assetFormData struct {
	ID     int64
	Pack   *policy.Compiled
	Kinds  []string
	States []string
	Tree   []org.Department
	Staff  []org.Staff
	Axes   []packField
	Attrs  []packField
	Back   string
}

// assetAttributes are the pack's attributes of assets, in pack order.
func assetAttributes(p *policy.Compiled) []policy.Attribute {
	var out []policy.Attribute
	for _, a := range p.Attributes {
		if a.On == "asset" {
			out = append(out, a)
		}
	}
	return out
}

// assetForm shows the form for a new asset (id 0) or an existing one, with err's field errors.
func (w *Server) assetForm(rw http.ResponseWriter, r *http.Request, status int, id int64, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	pack, e := w.activePack(r)
	if e != nil {
		return e
	}
	if pack == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	tree, e := w.s.Org.Tree(ctx, who)
	if e != nil {
		return e
	}
	d := assetFormData{ID: id, Pack: pack, Kinds: policy.AssetKinds, States: asset.States, Back: "/assets"}
	if id != 0 {
		d.Back = "/assets/" + strconv.FormatInt(id, 10)
	}
	bySystem := asset.ChangesSystems(who)
	for _, dep := range tree {
		if bySystem || asset.CanChange(who, dep.ID) {
			d.Tree = append(d.Tree, dep)
		}
	}
	if d.Staff, _, e = w.s.Org.ListStaff(ctx, who, org.StaffFilter{Limit: 500}); e != nil {
		return e
	}
	if m, _ := strconv.ParseInt(r.PostForm.Get("manager_staff_id"), 10, 64); m != 0 && !hasStaff(d.Staff, m) {
		if st, e := w.s.Org.StaffMember(ctx, who, m); e == nil {
			d.Staff = append(d.Staff, st)
		}
	}
	for _, axis := range pack.Classification.Axes {
		d.Axes = append(d.Axes, packField{Name: "class." + axis.ID, Field: fieldID("class." + axis.ID), Axis: axis})
	}
	for _, a := range assetAttributes(pack) {
		d.Attrs = append(d.Attrs, packField{Name: "attrs." + a.ID, Field: fieldID("attrs." + a.ID), Attr: a})
	}
	title := "assets.new.title"
	if id != 0 {
		title = "assets.edit.title"
	}
	p := w.newPage(r, title, "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), "/assets"}}
	if id != 0 {
		p.Crumbs = append(p.Crumbs, crumb{p.T("assets.detail.title"), d.Back})
	}
	if err != nil {
		p.withErrors(err)
		for i := range p.Errors {
			p.Errors[i].Field = fieldID(p.Errors[i].Field)
		}
	}
	p.Data = d
	w.render(rw, r, status, "asset_form", p)
	return nil
}

func hasStaff(list []org.Staff, id int64) bool {
	for _, s := range list {
		if s.ID == id {
			return true
		}
	}
	return false
}

func (w *Server) assetNewForm(rw http.ResponseWriter, r *http.Request) error {
	who := stateOf(r).who
	if !w.s.Assets.MayCreate(who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	r.PostForm = url.Values{"state": {"in_use"}, "quantity": {"1"}}
	if who.DepartmentID != 0 && asset.CanChange(who, who.DepartmentID) {
		r.PostForm.Set("department_id", strconv.FormatInt(who.DepartmentID, 10))
	}
	return w.assetForm(rw, r, http.StatusOK, 0, nil)
}

func (w *Server) assetEditForm(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who := stateOf(r).who
	a, err := w.s.Assets.Get(r.Context(), who, id)
	if err != nil {
		return err
	}
	if !asset.CanChangeAsset(who, a) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	r.PostForm = assetFormValues(a)
	return w.assetForm(rw, r, http.StatusOK, id, nil)
}

// assetFormValues are an asset's values as its form posts them.
func assetFormValues(a asset.Asset) url.Values {
	v := url.Values{"number": {a.Number}, "name": {a.Name}, "kind": {a.Kind}, "segment": {a.Segment}, "zone": {a.Zone},
		"location": {a.Location}, "system_ref": {a.SystemRef}, "quantity": {strconv.Itoa(a.Quantity)}, "copies": {a.Copies},
		"state": {a.State}, "acquired_on": {a.AcquiredOn}, "disposed_on": {a.DisposedOn}, "note": {a.Note}}
	if a.DepartmentID != 0 {
		v.Set("department_id", strconv.FormatInt(a.DepartmentID, 10))
	}
	if a.ManagerStaffID != 0 {
		v.Set("manager_staff_id", strconv.FormatInt(a.ManagerStaffID, 10))
	}
	for axis, level := range a.Class {
		v.Set("class."+axis, level)
	}
	for k, val := range a.Attrs {
		v.Set("attrs."+k, attrText(val))
	}
	return v
}

// attrText writes a stored attribute value as a form field holds it (a true bool as a ticked
// checkbox).
func attrText(val any) string {
	switch x := val.(type) {
	case bool:
		if x {
			return "on"
		}
		return ""
	case float64: // numbers come back from JSON as float64
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(val)
}

// assetInput reads the form. The pack's fields are read by the pack's names; an unticked
// attribute and an empty one are left out, so that the asset does not claim what nobody said.
func assetInput(r *http.Request, pack *policy.Compiled) (asset.Input, error) {
	var v apperr.Validation
	f := r.PostForm
	in := asset.Input{Number: f.Get("number"), Name: f.Get("name"), Kind: f.Get("kind"),
		DepartmentID: formID(&v, r, "department_id"), ManagerStaffID: formID(&v, r, "manager_staff_id"),
		Segment: f.Get("segment"), Zone: f.Get("zone"), Location: f.Get("location"), SystemRef: f.Get("system_ref"),
		Quantity: formInt(&v, r, "quantity"), Copies: f.Get("copies"), State: f.Get("state"),
		AcquiredOn: f.Get("acquired_on"), DisposedOn: f.Get("disposed_on"), Note: f.Get("note"),
		Class: map[string]string{}, Attrs: map[string]any{}}
	if pack != nil {
		for _, axis := range pack.Classification.Axes {
			if s := f.Get("class." + axis.ID); s != "" {
				in.Class[axis.ID] = s
			}
		}
		for _, a := range assetAttributes(pack) {
			s := strings.TrimSpace(f.Get("attrs." + a.ID))
			switch {
			case a.Type == "bool":
				if s == "on" {
					in.Attrs[a.ID] = true
				}
			case s != "":
				in.Attrs[a.ID] = s
			}
		}
	}
	return in, v.Err()
}

func (w *Server) assetCreate(rw http.ResponseWriter, r *http.Request) error {
	if !w.s.Assets.MayCreate(stateOf(r).who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	in, err := assetInput(r, pack)
	var a asset.Asset
	if err == nil {
		a, err = w.s.Assets.Create(r.Context(), stateOf(r).who, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.assetForm(rw, r, status, 0, err) },
		"/assets/"+strconv.FormatInt(a.ID, 10), "assets.created")
}

func (w *Server) assetUpdate(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who := stateOf(r).who
	a, err := w.s.Assets.Get(r.Context(), who, id)
	if err != nil {
		return err
	}
	if !asset.CanChangeAsset(who, a) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	in, err := assetInput(r, pack)
	if err == nil {
		_, err = w.s.Assets.Update(r.Context(), stateOf(r).who, id, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.assetForm(rw, r, status, id, err) },
		"/assets/"+strconv.FormatInt(id, 10), "assets.updated")
}

// assetDelete removes an asset entered by mistake, after a 確認 step.
func (w *Server) assetDelete(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	who := stateOf(r).who
	a, err := w.s.Assets.Get(r.Context(), who, id)
	if err != nil {
		return err
	}
	if !asset.CanChangeAsset(who, a) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if !w.confirmed(rw, r, "assets.delete.title", "assets.delete.confirm", "/assets/"+strconv.FormatInt(id, 10)) {
		return nil
	}
	if err := w.s.Assets.Delete(r.Context(), who, id); err != nil {
		return err
	}
	return w.redirect(rw, r, "/assets", "assets.deleted")
}
