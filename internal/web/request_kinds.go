package web

import (
	"net/http"
	"net/url"

	"mamori/internal/policy"
)

// 申請する: the kinds of request the user may file, grouped, each with its article and form.

// kindView is an approval kind with what the pages show about it.
type kindView struct {
	policy.Approval
	Inherited bool
	Approvers []string // the roles of its steps, in order
	Href      string
	LogName   string // the logbook its take-outs and returns are written in (take_out_log), if any
}

func viewKind(p *policy.Compiled, a policy.Approval) kindView {
	v := kindView{Approval: a, Inherited: p.Inherited["approvals/"+a.ID], Href: kindHref(a.ID)}
	for _, st := range a.Steps {
		name := p.RoleName(st.Role)
		for _, d := range st.Or {
			name += " / " + p.RoleName(d.Role)
		}
		for _, d := range st.And {
			name += " ・ " + p.RoleName(d.Role)
		}
		v.Approvers = append(v.Approvers, name)
	}
	if l := a.TakeOutLog; l != nil {
		for _, lb := range p.Logbooks {
			if lb.ID == l.Logbook {
				v.LogName = lb.Name
			}
		}
	}
	return v
}

// kindHref is the address of the form of a kind.
func kindHref(id string) string { return "/requests/new?" + url.Values{"kind": {id}}.Encode() }

// kindGroup is a heading of the kinds page and its kinds.
type kindGroup struct {
	Key   string // catalog key of the heading
	Kinds []kindView
}

// groupKinds puts the kinds that move or end an asset (持ち出し, 貸出, 廃棄) first, then the other
// kinds about assets, then the rest, each in the pack's order.
func groupKinds(p *policy.Compiled, kinds []policy.Approval) []kindGroup {
	groups := []kindGroup{{Key: "requests.group.life"}, {Key: "requests.group.asset"}, {Key: "requests.group.other"}}
	for _, a := range kinds {
		i := 2
		switch {
		case a.Effect != "" || a.Returnable:
			i = 0
		case a.Subject == "asset":
			i = 1
		}
		groups[i].Kinds = append(groups[i].Kinds, viewKind(p, a))
	}
	var out []kindGroup
	for _, g := range groups {
		if len(g.Kinds) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// requestKindsData is the active pack (nil when none is in use) and the kinds the user may file,
// in groups.
type requestKindsData struct {
	Pack   *policy.Compiled
	Groups []kindGroup
}

// requestKinds lists what the user may file; with ?kind= it is that kind's form.
func (w *Server) requestKinds(rw http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Has("kind") {
		return w.requestNewForm(rw, r)
	}
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	p := w.newPage(r, "requests.kinds.title", "requests")
	p.Crumbs = []crumb{{p.T("requests.title"), "/requests"}}
	var groups []kindGroup
	if pack != nil {
		kinds, err := w.s.Requests.Kinds(r.Context(), stateOf(r).who)
		if err != nil {
			return err
		}
		groups = groupKinds(pack, kinds)
	}
	p.Data = requestKindsData{Pack: pack, Groups: groups}
	w.render(rw, r, http.StatusOK, "request_kinds", p)
	return nil
}
