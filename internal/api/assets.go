package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/asset"
)

// assetSorts are the orders a listing of the register accepts (asset.Filter.Sort).
var assetSorts = []string{"number", "name", "updated", "rank"}

// levelParam prefixes the query parameters that filter by classification: level.importance=A;
// attrParam those that filter by an attribute of the pack: attr.mfa=true.
const (
	levelParam = "level."
	attrParam  = "attr."
)

// assetFilter reads a listing's filters from the query string: the fields of asset.Filter,
// level.<axis>=<level> once per axis and attr.<id>=<value> once per attribute. The register
// checks the values against the pack.
func assetFilter(r *http.Request, p page) (asset.Filter, error) {
	q := r.URL.Query()
	dept, err := queryID(r, "department_id")
	if err != nil {
		return asset.Filter{}, err
	}
	f := asset.Filter{Kind: q.Get("kind"), Segment: q.Get("segment"), Zone: q.Get("zone"), DepartmentID: dept,
		State: q.Get("state"), Query: q.Get("q"), Sort: q.Get("sort"), Limit: p.limit, Offset: p.offset}
	if f.Sort != "" && !slices.Contains(assetSorts, f.Sort) {
		return asset.Filter{}, apperr.InvalidField("sort", "error.choose")
	}
	for name, vals := range q {
		if axis, ok := strings.CutPrefix(name, levelParam); ok && axis != "" && vals[0] != "" {
			if f.Levels == nil {
				f.Levels = map[string]string{}
			}
			f.Levels[axis] = vals[0]
		}
		if id, ok := strings.CutPrefix(name, attrParam); ok && id != "" && vals[0] != "" {
			if f.Attrs == nil {
				f.Attrs = map[string]string{}
			}
			f.Attrs[id] = vals[0]
		}
	}
	return f, nil
}

func (a *api) listAssets(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	f, err := assetFilter(r, p)
	if err != nil {
		return err
	}
	items, total, err := a.s.Assets.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, items, total)
}

func (a *api) createAsset(w http.ResponseWriter, r *http.Request) error {
	var in asset.Input
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	made, err := a.s.Assets.Create(r.Context(), actor(r), in)
	if err != nil {
		return err
	}
	return created(w, "/api/v1/assets/"+strconv.FormatInt(made.ID, 10), made)
}

func (a *api) getAsset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	got, err := a.s.Assets.Get(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, got)
}

// updateAsset replaces an asset: every field of the body is written, absent ones as empty.
func (a *api) updateAsset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in asset.Input
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	up, err := a.s.Assets.Update(r.Context(), actor(r), id, in)
	if err != nil {
		return err
	}
	return ok(w, up)
}

func (a *api) deleteAsset(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.s.Assets.Delete(r.Context(), actor(r), id); err != nil {
		return err
	}
	return noContent(w)
}
