package request

import (
	"context"
	"encoding/json"
	"strconv"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
)

// What a reader sees of a request's subject assets. A request freezes its subject assets at
// every act (Event.Snapshot) — name, location, note, attributes, segment, system — and is read
// by more people than may see those assets' details: platform administrators, holders of
// organisation-wide roles that are not security roles (委員会, ネットワーク管理者), approvers
// of other departments. So the register's rule travels with the copy: a frozen asset whose
// details the reader may not see (asset.Sight) — as it was frozen or as it is now — is shown
// as the register shows it to them, by number, kind, class, department and state only, and the
// request does not name the information system such an asset belongs to. It is applied here,
// where requests are read, so that the page, the printed form, the API and the command line
// cannot forget it.

// mayRead reports whether the actor may see the request (Get's rule). keys are the actor's
// role keys, read once by the caller when needed (nil until then).
func (s *Service) mayRead(ctx context.Context, p *policy.Compiled, who access.Actor, r Request, keys *map[string]string) (bool, error) {
	if seesAll(who) || isApplicant(who, r) || officerOf(who, r) {
		return true, nil
	}
	if *keys == nil {
		k, err := s.keysOf(ctx, s.DB.SQL, p, who)
		if err != nil {
			return false, err
		}
		if k == nil {
			k = map[string]string{}
		}
		*keys = k
	}
	return onRoute(*keys, r), nil
}

// frozen reads a snapshot of subject assets.
func frozen(js string) []asset.Asset {
	var list []asset.Asset
	if js != "" {
		_ = json.Unmarshal([]byte(js), &list)
	}
	return list
}

// screenAssets withholds, in place, the details of the request's subject assets the actor may
// not see, in every frozen copy, and reports whether it withheld any.
func (s *Service) screenAssets(ctx context.Context, v asset.Sight, who access.Actor, r *Request) (bool, error) {
	if !v.HidesSome() {
		return false, nil
	}
	ids := append([]int64(nil), r.AssetIDs...)
	for _, e := range r.Events {
		for _, a := range frozen(e.Snapshot) {
			ids = append(ids, a.ID)
		}
	}
	now, err := asset.Current(ctx, s.DB.SQL, who.OrgID, ids)
	if err != nil {
		return false, err
	}
	hidden := false
	for _, id := range r.AssetIDs {
		hidden = hidden || v.Hides(now[id])
	}
	for i := range r.Events {
		list := frozen(r.Events[i].Snapshot)
		changed := false
		for j, a := range list {
			if v.Hides(a) || v.Hides(now[a.ID]) {
				list[j], changed, hidden = asset.Redacted(a), true, true
			}
		}
		if changed {
			b, err := json.Marshal(list)
			if err != nil {
				return false, apperr.Wrap(err, "snapshot")
			}
			r.Events[i].Snapshot = string(b)
		}
	}
	if hidden {
		r.SystemRef = ""
	}
	return hidden, nil
}

// screen withholds, in place, what the actor may not see of a request read whole (Get): the
// details of its subject assets, and its words when it names an asset whose details are not
// for them (withhold.go).
func (s *Service) screen(ctx context.Context, p *policy.Compiled, who access.Actor, r *Request) error {
	v := asset.SightOf(who, p)
	hidden, err := s.screenAssets(ctx, v, who, r)
	if err != nil || isApplicant(who, *r) {
		return err
	}
	kind, _ := approval(p, r.Kind)
	if !hidden {
		some, err := s.namedHidden(ctx, v, who, []named{namedIn(kind, r.Fields)})
		if err != nil {
			return err
		}
		hidden = some[0]
	}
	if hidden {
		withholdWords(kind, r)
	}
	return nil
}

// screenList withholds, in place, of each listed request that names an asset whose details the
// actor may not see, its system and its words (lists carry no frozen copies).
func (s *Service) screenList(ctx context.Context, who access.Actor, list []Request) error {
	if len(list) == 0 {
		return nil
	}
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return err
	}
	v := asset.SightOf(who, p)
	if !v.HidesSome() {
		return nil
	}
	// The requests are the actor's organisation's: the key alone finds their assets.
	var args []any
	in := ""
	for n, r := range list {
		if n > 0 {
			in += ", "
		}
		args = append(args, r.ID)
		in += "$" + strconv.Itoa(len(args))
	}
	rows, err := s.DB.SQL.QueryContext(ctx, `SELECT request_id, asset_id FROM request_assets WHERE request_id IN (`+in+`)`, args...)
	if err != nil {
		return apperr.Wrap(err, "request assets")
	}
	subjects := map[int64][]int64{}
	for rows.Next() {
		var rid, aid int64
		if err := rows.Scan(&rid, &aid); err != nil {
			rows.Close()
			return apperr.Wrap(err, "request assets")
		}
		subjects[rid] = append(subjects[rid], aid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return apperr.Wrap(err, "request assets")
	}
	lists := make([]named, len(list))
	for i, r := range list {
		kind, _ := approval(p, r.Kind)
		lists[i] = namedIn(kind, r.Fields)
		lists[i].ids = append(lists[i].ids, subjects[r.ID]...)
	}
	hidden, err := s.namedHidden(ctx, v, who, lists)
	if err != nil {
		return err
	}
	for i := range list {
		if !hidden[i] {
			continue
		}
		list[i].SystemRef = ""
		if !isApplicant(who, list[i]) {
			kind, _ := approval(p, list[i].Kind)
			withholdWords(kind, &list[i])
		}
	}
	return nil
}

// AuditReadable is the request rule for the audit log (an auditlog.Reader of the kind
// "request"): an entry about a request is readable in full by those who may see the request
// now (Get) and the details of each asset it names — as the entry recorded it (the frozen
// copy of a decision) and as it is now. Anyone else reads who did what to which request, and
// when.
func (s *Service) AuditReadable(ctx context.Context, who access.Actor, entries []auditlog.Entry) ([]bool, error) {
	out := make([]bool, len(entries))
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		if apperr.CodeOf(err) == apperr.Conflict || apperr.CodeOf(err) == apperr.NotFound {
			return out, nil // no pack: no request can be judged, so none is shown
		}
		return nil, err
	}
	v := asset.SightOf(who, p)
	var keys map[string]string
	type verdict struct {
		ok     bool
		assets []int64
		kind   policy.Approval
		named  int // index in names of the assets its fields name now
	}
	reqs := map[int64]verdict{}
	recorded := make([][]asset.Asset, len(entries))
	// names are the assets named in fields: of each request now, and of each entry as recorded.
	var names []named
	fieldsOf := make([]int, len(entries))
	var ids []int64
	for i, e := range entries {
		fieldsOf[i] = -1
		id, err := strconv.ParseInt(e.EntityID, 10, 64)
		if err != nil {
			continue
		}
		if _, known := reqs[id]; !known {
			r, err := get(ctx, s.DB.SQL, who.OrgID, id)
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
				reqs[id] = verdict{named: -1}
				continue
			case err != nil:
				return nil, err
			}
			ok, err := s.mayRead(ctx, p, who, r, &keys)
			if err != nil {
				return nil, err
			}
			kind, _ := approval(p, r.Kind)
			reqs[id] = verdict{ok: ok, assets: r.AssetIDs, kind: kind, named: len(names)}
			names = append(names, namedIn(kind, r.Fields))
			ids = append(ids, r.AssetIDs...)
		}
		var n named
		for _, js := range []string{e.Before, e.After} {
			recorded[i] = append(recorded[i], recordedAssets(js)...)
			more := namedIn(reqs[id].kind, recordedFields(js))
			n.ids, n.numbers = append(n.ids, more.ids...), append(n.numbers, more.numbers...)
		}
		fieldsOf[i] = len(names)
		names = append(names, n)
		for _, a := range recorded[i] {
			ids = append(ids, a.ID)
		}
	}
	now := map[int64]asset.Asset{}
	if v.HidesSome() {
		if now, err = asset.Current(ctx, s.DB.SQL, who.OrgID, ids); err != nil {
			return nil, err
		}
	}
	hidden, err := s.namedHidden(ctx, v, who, names)
	if err != nil {
		return nil, err
	}
	for i, e := range entries {
		id, _ := strconv.ParseInt(e.EntityID, 10, 64)
		r := reqs[id]
		ok := r.ok && (r.named < 0 || !hidden[r.named]) && (fieldsOf[i] < 0 || !hidden[fieldsOf[i]])
		for _, a := range r.assets {
			ok = ok && !v.Hides(now[a])
		}
		for _, a := range recorded[i] {
			ok = ok && !v.Hides(a) && !v.Hides(now[a.ID])
		}
		out[i] = ok
	}
	return out, nil
}

// recordedAssets are the subject assets an audit entry of a request recorded: the frozen copy
// of the act it records, and the assets it named.
func recordedAssets(js string) []asset.Asset {
	if js == "" {
		return nil
	}
	var e struct {
		Snapshot string  `json:"snapshot"`
		AssetIDs []int64 `json:"asset_ids"`
		Event    struct {
			Snapshot string `json:"snapshot"`
		} `json:"event"`
	}
	if json.Unmarshal([]byte(js), &e) != nil {
		return nil
	}
	out := append(frozen(e.Snapshot), frozen(e.Event.Snapshot)...)
	for _, id := range e.AssetIDs {
		out = append(out, asset.Asset{ID: id})
	}
	return out
}
