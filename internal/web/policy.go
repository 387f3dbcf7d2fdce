package web

import (
	"errors"
	"io"
	"net/http"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/compliance"
	"mamori/internal/i18n"
	"mamori/internal/orgpolicy"
	"mamori/internal/policy"
)

// holder is a current holder of a pack role, for the policy page.
type holder struct {
	Name, Title, Department string
	Acting                  bool
}

type policyData struct {
	Pack     *policy.Compiled
	Binding  orgpolicy.Binding
	Holders  map[string][]holder // by role id
	Shipped  []*policy.Compiled
	Problems policy.Problems
	SignIn   signInRules
	// ExceptionDays is the longest an exception lasts when the pack sets no period.
	ExceptionDays int
}

// signInRules are the parts of the login rules that Mamori sets itself, shown beside the pack's.
type signInRules struct {
	MinLength        int // the pack's, or Mamori's when larger
	ThrottleFailures int
	ThrottleMinutes  int
}

// policyPage shows the organisation's active pack, each element with its citation and the
// source's words, and to administrators the means to change it.
func (w *Server) policyPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderPolicy(rw, r, http.StatusOK, nil)
}

func (w *Server) renderPolicy(rw http.ResponseWriter, r *http.Request, status int, problems policy.Problems) error {
	ctx, who := r.Context(), stateOf(r).who
	d := policyData{Shipped: w.s.Policy.Library.List(), Problems: problems, Holders: map[string][]holder{}, ExceptionDays: compliance.DefaultExceptionDays}
	p, b, err := w.s.Policy.Active(ctx, who.OrgID)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	d.Pack, d.Binding = p, b
	d.SignIn = signInRules{ThrottleFailures: auth.ThrottleFailures, ThrottleMinutes: int(auth.ThrottleWindow.Minutes())}
	if d.SignIn.MinLength, err = w.s.Auth.MinLength(ctx, who.OrgID); err != nil {
		return err
	}
	if p != nil {
		if err := w.fillHolders(r, d.Holders); err != nil {
			return err
		}
	}
	page := w.newPage(r, "policy.title", "policy")
	page.Data = d
	w.render(rw, r, status, "policy", page)
	return nil
}

func (w *Server) fillHolders(r *http.Request, out map[string][]holder) error {
	ctx, who := r.Context(), stateOf(r).who
	roles, err := w.s.Org.CurrentRoles(ctx, who, today(w.s.Now()))
	if err != nil {
		return err
	}
	for _, ra := range roles {
		out[ra.RoleID] = append(out[ra.RoleID], holder{Name: ra.HolderName, Title: ra.HolderTitle, Department: ra.DepartmentName})
		if ra.ActingName != "" {
			out[ra.RoleID] = append(out[ra.RoleID], holder{Name: ra.ActingName, Acting: true, Department: ra.DepartmentName})
		}
	}
	return nil
}

// policyUse binds the organisation to a shipped pack, after a confirmation.
func (w *Server) policyUse(rw http.ResponseWriter, r *http.Request) error {
	if !stateOf(r).who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	id := r.PostForm.Get("pack_id")
	if r.PostForm.Get("confirmed") != "yes" {
		p := w.newPage(r, "policy.use.title", "policy")
		p.Data = confirmData{Action: "/policy/use", Message: "policy.use.confirm", Back: "/policy", PackID: id}
		w.render(rw, r, http.StatusOK, "confirm", p)
		return nil
	}
	if _, err := w.s.Policy.Use(r.Context(), stateOf(r).who, id); err != nil {
		return err
	}
	return w.redirect(rw, r, "/policy", "policy.bound")
}

// policyLoad takes an organisation's own pack file; an invalid one is shown with every problem
// and changes nothing.
func (w *Server) policyLoad(rw http.ResponseWriter, r *http.Request) error {
	if !stateOf(r).who.CanAdminister() {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return apperr.New(apperr.TooLarge, "error.too_large")
	}
	f, hdr, err := r.FormFile("pack")
	if err != nil {
		return w.renderPolicy(rw, r, http.StatusUnprocessableEntity, policy.Problems{{Message: "ファイルを選んでください / choose a file"}})
	}
	defer f.Close()
	body, err := io.ReadAll(f)
	if err != nil {
		return apperr.Wrap(err, "read upload")
	}
	_, err = w.s.Policy.Load(r.Context(), stateOf(r).who, hdr.Filename, body)
	var bad *orgpolicy.InvalidPack
	if errors.As(err, &bad) {
		return w.renderPolicy(rw, r, http.StatusUnprocessableEntity, bad.Problems)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, "/policy", "policy.bound")
}

// today is the date in Japan, as role periods are written.
func today(now time.Time) string { return now.In(i18n.Tokyo).Format(time.DateOnly) }
