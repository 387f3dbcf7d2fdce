package web

import (
	"net/http"
	"strconv"
	"strings"

	"mamori/internal/apperr"
	"mamori/internal/org"
	"mamori/internal/risk"
)

// One risk: its group, threat and article, the existing controls and failing rules, the
// assessment of the 情報政策課 with its form, and the CISO's acceptance with its form.

type riskDetailData struct {
	R       risk.Described
	Actions risk.Actions
	Tree    []org.Department
	Href    string
	Accept  int // the longest an acceptance may last, in days
}

func (w *Server) riskView(r *http.Request) (*page, riskDetailData, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, riskDetailData{}, err
	}
	ctx, who := r.Context(), stateOf(r).who
	x, acts, err := w.s.Risks.Get(ctx, who, id)
	if err != nil {
		return nil, riskDetailData{}, err
	}
	p := w.newPage(r, "risk.detail.title", "risks")
	p.Crumbs = []crumb{{p.T("risk.title"), "/risks"}}
	d := riskDetailData{R: risk.Describe(p.pack, p.Lang, x), Actions: acts, Href: "/risks/" + strconv.FormatInt(id, 10),
		Accept: p.pack.Risk.AcceptDays}
	if acts.Assess {
		if d.Tree, err = w.s.Org.Tree(ctx, who); err != nil {
			return nil, d, err
		}
	}
	return p, d, nil
}

func (w *Server) riskDetail(rw http.ResponseWriter, r *http.Request) error {
	return w.riskForm(rw, r, http.StatusOK, nil)
}

// riskForm shows the risk, with the errors of a refused form when err is one.
func (w *Server) riskForm(rw http.ResponseWriter, r *http.Request, status int, err error) error {
	p, d, e := w.riskView(r)
	if e != nil {
		return e
	}
	if err != nil {
		p.withErrors(err)
	} else if r.Method == http.MethodGet {
		x := d.R.Risk
		p.Form = map[string][]string{"likelihood": {x.Likelihood}, "impact": {x.Impact}, "treatment": {x.Treatment},
			"plan": {x.Plan}, "residual_likelihood": {x.ResidualLikelihood}, "residual_impact": {x.ResidualImpact}}
		if x.OwnerDepartmentID != 0 {
			p.Form.Set("owner_department_id", strconv.FormatInt(x.OwnerDepartmentID, 10))
		}
	}
	p.Data = d
	w.render(rw, r, status, "risk_detail", p)
	return nil
}

func (w *Server) riskAssess(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := risk.Assessment{Likelihood: f.Get("likelihood"), Impact: f.Get("impact"), Treatment: f.Get("treatment"),
		Plan: f.Get("plan"), ResidualLikelihood: f.Get("residual_likelihood"), ResidualImpact: f.Get("residual_impact")}
	in.Version, _ = strconv.Atoi(f.Get("version"))
	var v apperr.Validation
	in.OwnerDepartmentID = formID(&v, r, "owner_department_id")
	if err = v.Err(); err == nil {
		_, err = w.s.Risks.Assess(r.Context(), stateOf(r).who, id, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error { return w.riskForm(rw, r, status, err) },
		"/risks/"+strconv.FormatInt(id, 10), "risk.assessed")
}

func (w *Server) riskAccept(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := risk.Acceptance{Until: strings.TrimSpace(f.Get("until")), Note: f.Get("note")}
	in.Version, _ = strconv.Atoi(f.Get("version"))
	_, err = w.s.Risks.Accept(r.Context(), stateOf(r).who, id, in)
	return w.saved(rw, r, err, func(status int, err error) error { return w.riskForm(rw, r, status, err) },
		"/risks/"+strconv.FormatInt(id, 10), "risk.accepted")
}
