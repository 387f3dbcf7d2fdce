package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// The 情報資産管理台帳 pages: the register as a table, its label sheet, and (in asset_form.go and
// asset_detail.go) the form and the detail of one asset.

const assetPageSize = 50

// assetFilterKeys are the query parameters of the register's filter, besides level.<axis>.
var assetFilterKeys = []string{"kind", "segment", "zone", "department_id", "state", "q"}

// assetFilter reads the register's filter from a query string: kind, segment, zone,
// department_id, state, q (words; two characters suffice), sort, level.<axis>=<level> for a
// level on any axis of the pack and attr.<id>=<value> for an attribute, as the API names them;
// a date attribute may come as attr.<id>.from and attr.<id>.to, the two ends of a range. The
// list, the label sheet and the export read the same filter; restricted assets are marked in
// the name, which is all a sheet has to say why their details are empty.
func assetFilter(q url.Values) asset.Filter {
	f := asset.Filter{Kind: q.Get("kind"), Segment: q.Get("segment"), Zone: q.Get("zone"), State: q.Get("state"),
		Query: q.Get("q"), Sort: q.Get("sort"), Levels: map[string]string{}, Attrs: map[string]string{}, MarkRestricted: true}
	f.DepartmentID, _ = strconv.ParseInt(q.Get("department_id"), 10, 64)
	for k, v := range q {
		if len(v) == 0 || strings.TrimSpace(v[0]) == "" {
			continue
		}
		if axis, ok := strings.CutPrefix(k, "level."); ok && axis != "" {
			f.Levels[axis] = v[0]
		}
		id, ok := strings.CutPrefix(k, "attr.")
		if !ok || id == "" {
			continue
		}
		switch {
		case strings.HasSuffix(id, ".from"):
			id = strings.TrimSuffix(id, ".from")
			f.Attrs[id] = v[0] + ".." + q.Get("attr."+id+".to")
		case strings.HasSuffix(id, ".to"):
			id = strings.TrimSuffix(id, ".to")
			f.Attrs[id] = q.Get("attr."+id+".from") + ".." + v[0]
		default:
			f.Attrs[id] = v[0]
		}
	}
	return f
}

// filterQuery keeps only the filter (and, with sort, the order) of a query string: links to
// other views of the same selection carry it, but not the page.
func filterQuery(q url.Values, sort bool) url.Values {
	out := url.Values{}
	for _, k := range assetFilterKeys {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	for k, v := range q {
		if (strings.HasPrefix(k, "level.") || strings.HasPrefix(k, "attr.")) && len(v) > 0 && v[0] != "" {
			out.Set(k, v[0])
		}
	}
	if sort {
		if v := q.Get("sort"); v != "" {
			out.Set("sort", v)
		}
	}
	return out
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// levelView is an asset's level on one axis, with its place on the axis for colouring: high
// (the axis's top rank), low (its bottom rank) or mid.
type levelView struct {
	Axis  policy.Axis
	Level policy.Level
	Known bool // the asset has a level on the axis that the pack defines
	Tier  string
}

// Mark is the level's 分類の表示: its label when the pack gives one, else its name.
func (l levelView) Mark() string {
	if l.Level.Label != "" {
		return l.Level.Label
	}
	return l.Level.Name
}

// assetView is an asset with the pack's names for its codes.
type assetView struct {
	asset.Asset
	Levels      []levelView
	SegmentName string
	ZoneName    string
	StateStatus string // ok, warn, neutral
}

// stateStatus colours the lifecycle states: in use is the normal state; away from the office
// or in repair wants attention; stored and disposed are at rest.
var stateStatus = map[string]string{"in_use": "ok", "lent": "warn", "taken_out": "warn", "in_repair": "warn", "stored": "neutral", "disposed": "neutral"}

func viewAsset(p *policy.Compiled, a asset.Asset) assetView {
	v := assetView{Asset: a, SegmentName: a.Segment, ZoneName: a.Zone, StateStatus: stateStatus[a.State]}
	if v.StateStatus == "" {
		v.StateStatus = "neutral"
	}
	if p == nil {
		return v
	}
	for _, axis := range p.Classification.Axes {
		lv := levelView{Axis: axis}
		lo, hi := 0, 0
		for i, l := range axis.Levels {
			if i == 0 || l.Rank < lo {
				lo = l.Rank
			}
			if i == 0 || l.Rank > hi {
				hi = l.Rank
			}
			if l.ID == a.Class[axis.ID] {
				lv.Level, lv.Known = l, true
			}
		}
		switch {
		case !lv.Known:
			lv.Level.ID = a.Class[axis.ID]
			lv.Level.Name = a.Class[axis.ID]
		case lv.Level.Rank == hi && hi != lo:
			lv.Tier = "high"
		case lv.Level.Rank == lo:
			lv.Tier = "low"
		default:
			lv.Tier = "mid"
		}
		v.Levels = append(v.Levels, lv)
	}
	for _, s := range p.Segments {
		if s.ID == a.Segment {
			v.SegmentName = s.Name
		}
	}
	for _, z := range p.Zones {
		if z.ID == a.Zone {
			v.ZoneName = z.Name
		}
	}
	return v
}

type link struct {
	Label, Href string
	Current     bool
}

type assetListData struct {
	Pack      *policy.Compiled
	Attrs     []attrControl
	Assets    []assetView
	Tree      []org.Department
	Kinds     []string
	States    []string
	Pager     pager
	Sorts     []link
	Exports   []link
	Labels    string
	CanCreate bool
	Columns   int // of the table, for its empty row
}

// activePack returns the organisation's pack, or nil when it has none yet.
func (w *Server) activePack(r *http.Request) (*policy.Compiled, error) {
	p, _, err := w.s.Policy.Active(r.Context(), stateOf(r).who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, nil
	}
	return p, err
}

// assets is the register: the assets the actor may read, filtered, sorted and paged.
func (w *Server) assets(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	f := assetFilter(q)
	page, offset := pageQuery(r, assetPageSize)
	f.Limit, f.Offset = assetPageSize, offset
	list, total, err := w.s.Assets.List(ctx, who, f)
	status := http.StatusOK
	if apperr.CodeOf(err) == apperr.Invalid {
		// A filter the pack does not know is shown with its fields named, over an empty list.
		status = http.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	tree, terr := w.s.Org.Tree(ctx, who)
	if terr != nil {
		return terr
	}
	p := w.newPage(r, "assets.title", "assets")
	p.Form = q
	if err != nil {
		p.withErrors(err)
		for i := range p.Errors {
			p.Errors[i].Field = filterFieldID(p.Errors[i].Field)
		}
	}
	d := assetListData{Pack: pack, Attrs: attrControls(pack), Tree: tree, Kinds: policy.AssetKinds, States: asset.States,
		Pager: newPager(r, page, assetPageSize, total), CanCreate: pack != nil && w.s.Assets.MayCreate(who)}
	for _, a := range list {
		d.Assets = append(d.Assets, viewAsset(pack, a))
	}
	d.Columns = 7
	if pack != nil {
		d.Columns += len(pack.Classification.Axes)
		if len(pack.Zones) > 0 {
			d.Columns++
		}
	}
	current := q.Get("sort")
	if _, ok := map[string]bool{"name": true, "updated": true, "rank": true}[current]; !ok {
		current = "number"
	}
	for _, s := range []string{"number", "name", "updated", "rank"} {
		lq := filterQuery(q, false)
		if s != "number" {
			lq.Set("sort", s)
		}
		d.Sorts = append(d.Sorts, link{Label: p.T("assets.sort." + s), Href: withQuery("/assets", lq), Current: s == current})
	}
	for _, format := range []string{"xlsx", "csv", "csv-sjis"} {
		lq := filterQuery(q, true)
		lq.Set("format", format)
		d.Exports = append(d.Exports, link{Label: p.T("assets.export." + strings.ReplaceAll(format, "-", "_")), Href: "/assets/export?" + lq.Encode()})
	}
	d.Labels = withQuery("/assets/labels", filterQuery(q, true))
	p.Data = d
	w.render(rw, r, status, "assets", p)
	return nil
}

// labelKinds are the kinds of asset that carry a printed 分類の表示 (上毛町 3(2)②): media and
// documents.
var labelKinds = []string{"media", "document"}

const labelPageSize = 240

type assetLabelsData struct {
	Pack   *policy.Compiled
	Assets []assetView
	Pager  pager
	Back   string
}

// assetLabels is a printable sheet of classification labels for the media and documents of
// the register's current filter.
func (w *Server) assetLabels(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	if pack == nil {
		return apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	base := assetFilter(q)
	kinds := labelKinds
	if base.Kind != "" {
		kinds = nil
		for _, k := range labelKinds {
			if k == base.Kind {
				kinds = []string{k}
			}
		}
	}
	page, offset := pageQuery(r, labelPageSize)
	// The kinds are listed one after the other; a page may span the end of one and the start
	// of the next.
	var list []asset.Asset
	total := 0
	for _, k := range kinds {
		f := base
		f.Kind, f.Limit, f.Offset = k, 1, 0
		_, n, err := w.s.Assets.List(ctx, who, f)
		if err != nil {
			return err
		}
		from, to := max(offset-total, 0), min(offset+labelPageSize-total, n)
		for from < to {
			f.Offset, f.Limit = from, min(to-from, 500)
			part, _, err := w.s.Assets.List(ctx, who, f)
			if err != nil {
				return err
			}
			if len(part) == 0 {
				break
			}
			list = append(list, part...)
			from += len(part)
		}
		total += n
	}
	p := w.newPage(r, "assets.labels.title", "assets")
	p.Crumbs = []crumb{{p.T("assets.title"), withQuery("/assets", filterQuery(q, true))}}
	d := assetLabelsData{Pack: pack, Pager: newPager(r, page, labelPageSize, total), Back: withQuery("/assets", filterQuery(q, true))}
	for _, a := range list {
		d.Assets = append(d.Assets, viewAsset(pack, a))
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "asset_labels", p)
	return nil
}
