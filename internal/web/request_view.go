package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/i18n"
	"mamori/internal/org"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// What the request pages (request_*.go) share: the states and acts as the pages name them, the
// route with who may decide each step, the decisions, and the form's values as text.

// requestStates are the states of a request in the order a filter offers them.
var requestStates = []string{request.Pending, request.SentBack, request.Approved, request.Rejected, request.Cancelled,
	request.TakenOut, request.Lent, request.Returned, request.Disposed}

// requestStateStatus colours the states: waiting for someone, or out of the office, wants
// attention; approved and returned are done well; rejected is refused; cancelled and disposed
// are at rest.
var requestStateStatus = map[string]string{request.Pending: "warn", request.SentBack: "warn", request.Approved: "ok",
	request.Rejected: "ng", request.Cancelled: "neutral", request.TakenOut: "warn", request.Lent: "warn",
	request.Returned: "ok", request.Disposed: "neutral"}

// StateStatus is the colour of a request state.
func (p *page) StateStatus(state string) string {
	if s, ok := requestStateStatus[state]; ok {
		return s
	}
	return "neutral"
}

// stateArgs replaces the state ids the domain puts in its messages ("現在の状態: %s") with their
// names, so that no page shows a raw id.
func stateArgs(lang i18n.Lang, err error) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid {
		return err
	}
	swap := func(args []any) {
		for i, a := range args {
			if s, ok := a.(string); ok && i18n.Has(lang, "requests.state."+s) {
				args[i] = i18n.T(lang, "requests.state."+s)
			}
		}
	}
	swap(e.Args)
	for i := range e.Fields {
		swap(e.Fields[i].Args)
	}
	return e
}

// holderView is who holds a role a step waits for, and who acts for them (代理).
type holderView struct {
	Name, Acting string
}

// deciderView is one role a step names, over its scope, with its holders today.
type deciderView struct {
	Role    string
	Scope   string
	Holders []holderView
	// ActingRoles are the roles the pack says act for this one while it has no holder.
	ActingRoles []string
	// Form and FormTitle are, for a report that follows the approval, the form the approver
	// reports on (安平町 様式第1号).
	Form, FormTitle string
}

// stepView is one step of the route as the detail page shows it.
type stepView struct {
	No       int
	Deciders []deciderView
	Joint    bool
	Note     string
	Current  bool
}

// holdingKey is the wait key of a role assignment, as the request service forms it.
func holdingKey(h org.RoleHolding) string {
	switch h.Scope {
	case "department":
		return h.RoleID + "@d:" + strconv.FormatInt(h.DepartmentID, 10)
	case "system":
		return h.RoleID + "@s:" + h.SystemRef
	}
	return h.RoleID + "@org"
}

// routeView resolves the request's route to the people who may decide each step today.
func (w *Server) routeView(ctx context.Context, who access.Actor, pack *policy.Compiled, r request.Request, depts map[int64]string) ([]stepView, []deciderView, error) {
	holdings, err := w.s.Org.CurrentRoles(ctx, who, w.today())
	if err != nil {
		return nil, nil, err
	}
	byKey := map[string][]holderView{}
	for _, h := range holdings {
		if h.HolderName == "" && h.ActingName == "" {
			continue
		}
		k := holdingKey(h)
		byKey[k] = append(byKey[k], holderView{Name: h.HolderName, Acting: h.ActingName})
	}
	view := func(d request.Decider) deciderView {
		v := deciderView{Role: pack.RoleName(d.Role), Holders: byKey[d.Key]}
		_, scope, _ := strings.Cut(d.Key, "@")
		switch {
		case strings.HasPrefix(scope, "d:"):
			id, _ := strconv.ParseInt(strings.TrimPrefix(scope, "d:"), 10, 64)
			v.Scope = depts[id]
		case strings.HasPrefix(scope, "s:"):
			v.Scope = strings.TrimPrefix(scope, "s:")
		}
		if role, ok := pack.Role(d.Role); ok {
			for _, a := range role.Acting {
				v.ActingRoles = append(v.ActingRoles, pack.RoleName(a))
			}
		}
		return v
	}
	var steps []stepView
	for i, st := range r.Route.Steps {
		sv := stepView{No: i + 1, Joint: st.Joint, Note: st.Note, Current: r.State == request.Pending && i == r.Step}
		for _, d := range st.Deciders {
			sv.Deciders = append(sv.Deciders, view(d))
		}
		steps = append(steps, sv)
	}
	var notices []deciderView
	kind, _ := pack.Approval(r.Kind)
	for i, d := range r.Route.Notices {
		v := view(d)
		if i < len(kind.NotifyAfter) {
			v.Form, v.FormTitle = kind.NotifyAfter[i].Form, kind.NotifyAfter[i].FormTitle
		}
		notices = append(notices, v)
	}
	return steps, notices, nil
}

// eventView is one act on a request: the decisions with their role and capacity, and the
// subject assets frozen as they were.
type eventView struct {
	request.Event
	RoleName string
	Assets   []assetView
}

func viewEvents(pack *policy.Compiled, evs []request.Event) []eventView {
	out := make([]eventView, 0, len(evs))
	for _, e := range evs {
		v := eventView{Event: e}
		if e.Role != "" {
			v.RoleName = pack.RoleName(e.Role)
		}
		var frozen []asset.Asset
		if e.Snapshot != "" && json.Unmarshal([]byte(e.Snapshot), &frozen) == nil {
			for _, a := range frozen {
				v.Assets = append(v.Assets, viewAsset(pack, a))
			}
		}
		out = append(out, v)
	}
	return out
}

// fieldText is one form field's value as pages and printed forms show it.
type fieldText struct {
	Field policy.Field
	Text  string
	// Withheld: the request names an asset whose details are not for the reader, and this
	// field's value goes with them (request.Withholds).
	Withheld bool
}

// names resolves the staff, departments and assets a request's fields name.
type names struct {
	staff  map[int64]string
	depts  map[int64]string
	assets map[int64]string
}

// fieldTexts shows the request's fields in the pack's order; fields without a value are shown
// empty, as a paper form leaves them.
func (w *Server) fieldTexts(ctx context.Context, who access.Actor, p *page, kind policy.Approval, r request.Request, n names) []fieldText {
	var out []fieldText
	for _, f := range kind.Fields {
		if r.Withheld && request.Withholds(f) {
			out = append(out, fieldText{Field: f, Withheld: true})
			continue
		}
		if f.Type == "file" {
			var files []string
			for _, a := range r.Attachments {
				if a.Field == f.ID {
					files = append(files, a.Name)
				}
			}
			out = append(out, fieldText{Field: f, Text: strings.Join(files, "、")})
			continue
		}
		out = append(out, fieldText{Field: f, Text: w.valueText(ctx, who, p, f, r.Fields[f.ID], n)})
	}
	return out
}

func (w *Server) valueText(ctx context.Context, who access.Actor, p *page, f policy.Field, v any, n names) string {
	if v == nil {
		return ""
	}
	id := func() int64 {
		x, _ := v.(float64)
		return int64(x)
	}
	switch f.Type {
	case "bool":
		if b, _ := v.(bool); b {
			return p.T("common.yes")
		}
		return p.T("common.no")
	case "date":
		return p.Day(fmt.Sprint(v))
	case "datetime":
		if t, err := time.Parse(time.RFC3339, fmt.Sprint(v)); err == nil {
			return p.Stamp(t)
		}
	case "number":
		return attrText(v)
	case "staff":
		if name, ok := n.staff[id()]; ok {
			return name
		}
		if st, err := w.s.Org.StaffMember(ctx, who, id()); err == nil {
			return st.Name
		}
	case "department":
		if name, ok := n.depts[id()]; ok {
			return name
		}
	case "asset":
		if text, ok := n.assets[id()]; ok {
			return text
		}
		if a, err := w.s.Assets.Get(ctx, who, id()); err == nil {
			return a.Number + " " + a.Name
		}
	case "rule", "assets":
		// Rules by their titles, assets by their 管理番号: a list reads as one line.
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		texts := make([]string, len(list))
		for i, x := range list {
			texts[i] = fmt.Sprint(x)
			if f.Type == "rule" {
				texts[i] = p.L().Rule(texts[i])
			}
		}
		return strings.Join(texts, p.T("common.list_sep"))
	}
	return fmt.Sprint(v)
}

func (w *Server) today() string { return w.s.Now().In(i18n.Tokyo).Format(time.DateOnly) }

// departmentNames maps the organisation's departments to their names.
func (w *Server) departmentNames(ctx context.Context, who access.Actor) (map[int64]string, []org.Department, error) {
	tree, err := w.s.Org.Tree(ctx, who)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int64]string, len(tree))
	for _, d := range tree {
		out[d.ID] = d.Name
	}
	return out, tree, nil
}

// approvalOf finds the pack's approval kind; a request of a kind the pack no longer has keeps
// its own name.
func approvalOf(pack *policy.Compiled, r request.Request) policy.Approval {
	for _, a := range pack.Approvals {
		if a.ID == r.Kind {
			return a
		}
	}
	return policy.Approval{ID: r.Kind, Name: r.KindName, Cite: policy.Cite{Article: r.Cite}}
}
