package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/directory"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// directorySettingsData is the directory settings form: the rows of each mapping (those saved
// or posted, and a few blank ones), the departments and the pack's roles to choose from.
type directorySettingsData struct {
	Settings  directory.Settings
	Tree      []org.Department
	Roles     []policy.Role
	Scopes    []string
	DeptRows  []int
	GroupRows []int
	BGRows    []int
	LDAP      bool // serve was given a directory connection
	// Problem is the latest connection problem in this process: what the administrator reads
	// when directory sign-in fails (the person signing in reads only that it is unavailable).
	Problem   string
	ProblemAt time.Time
}

// blankRows is how many empty rows each mapping offers beyond those filled.
const blankRows = 3

func (w *Server) directorySettings(rw http.ResponseWriter, r *http.Request) error {
	st, err := w.s.Directory.Settings(r.Context(), stateOf(r).who)
	if err != nil {
		return err
	}
	r.PostForm = directorySettingsForm(st)
	return w.directorySettingsPage(rw, r, http.StatusOK, st, nil)
}

// directorySettingsForm puts saved settings into the form's fields.
func directorySettingsForm(st directory.Settings) url.Values {
	f := url.Values{"department_from": {st.DepartmentFrom}, "department_attribute": {st.DepartmentAttribute},
		"version": {strconv.Itoa(st.Version)}, "enabled": {checkbox(st.Enabled)}}
	for i, d := range st.Departments {
		f.Set(fmt.Sprintf("departments[%d].value", i), d.Value)
		f.Set(fmt.Sprintf("departments[%d].department_id", i), strconv.FormatInt(d.DepartmentID, 10))
	}
	for i, g := range st.Groups {
		p := fmt.Sprintf("groups[%d].", i)
		f.Set(p+"group", g.Group)
		f.Set(p+"role_id", g.RoleID)
		f.Set(p+"scope", g.Scope)
		if g.DepartmentID != 0 {
			f.Set(p+"department_id", strconv.FormatInt(g.DepartmentID, 10))
		}
		f.Set(p+"system_ref", g.SystemRef)
	}
	for i, l := range st.BreakGlass {
		f.Set(fmt.Sprintf("break_glass[%d]", i), l)
	}
	return f
}

func (w *Server) directorySettingsPage(rw http.ResponseWriter, r *http.Request, status int, st directory.Settings, err error) error {
	ctx, who := r.Context(), stateOf(r).who
	if !directory.MayConfigure(who) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	d := directorySettingsData{Settings: st, Scopes: directory.GroupScopes, LDAP: w.s.Directory.LDAP != nil}
	if lp, ok := w.s.Directory.LastProblem(); ok {
		d.Problem, d.ProblemAt = "directory.problem."+lp.Kind, lp.At
	}
	var e error
	if d.Tree, e = w.s.Org.Tree(ctx, who); e != nil {
		return e
	}
	if p, _, e := w.s.Policy.Active(ctx, who.OrgID); e == nil {
		d.Roles = p.Roles
	} else if apperr.CodeOf(e) != apperr.NotFound {
		return e
	}
	d.DeptRows = formRows(r.PostForm, "departments[%d].value", "departments[%d].department_id")
	d.GroupRows = formRows(r.PostForm, "groups[%d].group", "groups[%d].role_id")
	d.BGRows = formRows(r.PostForm, "break_glass[%d]")
	p := w.newPage(r, "directory.settings.title", "directory")
	if err != nil {
		p.withErrors(err)
	}
	p.Data = d
	w.render(rw, r, status, "directory_settings", p)
	return nil
}

// formRows returns the indexes of a repeated group of fields: every row filled (any of the
// patterns has a value) up to the last, and blankRows more.
func formRows(f url.Values, patterns ...string) []int {
	n := 0
	for i := 0; i < maxRows; i++ {
		for _, pat := range patterns {
			if f.Get(fmt.Sprintf(pat, i)) != "" {
				n = i + 1
			}
		}
	}
	out := make([]int, n+blankRows)
	for i := range out {
		out[i] = i
	}
	return out
}

// maxRows bounds the rows a posted form may carry.
const maxRows = 200

func (w *Server) directorySettingsSave(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	in, err := directorySettingsInput(r)
	if err == nil {
		_, err = w.s.Directory.SaveSettings(ctx, who, in)
	}
	return w.saved(rw, r, err, func(status int, err error) error {
		st, e := w.s.Directory.Settings(ctx, who)
		if e != nil {
			return e
		}
		return w.directorySettingsPage(rw, r, status, st, err)
	}, "/settings/directory", "directory.settings.saved")
}

func directorySettingsInput(r *http.Request) (directory.SettingsInput, error) {
	var v apperr.Validation
	f := r.PostForm
	in := directory.SettingsInput{Enabled: f.Get("enabled") == "on", DepartmentFrom: f.Get("department_from"),
		DepartmentAttribute: f.Get("department_attribute"), Version: formInt(&v, r, "version")}
	// Every row up to the last filled one, blank ones included, so that an error's row number
	// is the form's.
	for i := range len(formRows(f, "departments[%d].value", "departments[%d].department_id")) - blankRows {
		p := fmt.Sprintf("departments[%d].", i)
		in.Departments = append(in.Departments, directory.DepartmentRule{Value: f.Get(p + "value"), DepartmentID: formID(&v, r, p+"department_id")})
	}
	for i := range len(formRows(f, "groups[%d].group", "groups[%d].role_id")) - blankRows {
		p := fmt.Sprintf("groups[%d].", i)
		in.Groups = append(in.Groups, directory.GroupRule{Group: f.Get(p + "group"), RoleID: f.Get(p + "role_id"),
			Scope: f.Get(p + "scope"), DepartmentID: formID(&v, r, p+"department_id"), SystemRef: f.Get(p + "system_ref")})
	}
	for i := range len(formRows(f, "break_glass[%d]")) - blankRows {
		in.BreakGlass = append(in.BreakGlass, f.Get(fmt.Sprintf("break_glass[%d]", i)))
	}
	return in, v.Err()
}
