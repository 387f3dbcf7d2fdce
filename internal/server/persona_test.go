package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/demo"
	"mamori/internal/i18n"
	"mamori/internal/incident"
	"mamori/internal/logbook"
	"mamori/internal/request"
	"mamori/internal/store/storetest"
)

// The persona tests: each shipped pack's demo, started as `serve --demo PACK` starts it, is run
// through its core workflows in Chromium by the people the demo prints — each signed in once, in
// a browser context of their own, so that their sessions stay apart as they would on their
// own PCs. A test per pack (persona_<pack>_test.go) says which workflows its policy has.

// personaRun is one pack's demo in a browser, with its people.
type personaRun struct {
	t        *testing.T
	s        *app.Services
	srv      *httptest.Server
	orgID    int64
	browser  context.Context
	accounts []demo.Account
	tabs     map[string]context.Context
}

// startPersonas loads the pack's demo into a fresh organisation and opens Chromium.
func startPersonas(t *testing.T, packID string) *personaRun {
	t.Helper()
	ctx := browserContext(t)
	s, srv, _ := start(t, storetest.SQLite(t))
	bg := context.Background()
	o, err := s.Org.First(bg)
	must(t, err)
	_, err = s.Policy.Use(bg, access.System(o.ID, "test"), packID)
	must(t, err)
	p, _, err := s.Policy.Active(bg, o.ID)
	must(t, err)
	res, err := demo.Load(bg, s, o.ID, p)
	must(t, err)
	if !res.Loaded || len(res.Accounts) == 0 {
		t.Fatalf("%s: demo not loaded: %+v", packID, res)
	}
	return &personaRun{t: t, s: s, srv: srv, orgID: o.ID, browser: ctx, accounts: res.Accounts, tabs: map[string]context.Context{}}
}

// sys is the program's own actor, for reading back what the pages did.
func (r *personaRun) sys() access.Actor { return access.System(r.orgID, "test") }

// holder is the login of the first demo account holding role; "role@所属" the first in that
// department.
func (r *personaRun) holder(spec string) string {
	r.t.Helper()
	role, dept, _ := strings.Cut(spec, "@")
	for _, a := range r.accounts {
		if dept != "" && a.Department != dept {
			continue
		}
		who, err := r.s.Auth.ActAs(context.Background(), a.Login)
		must(r.t, err)
		if slices.ContainsFunc(who.Roles, func(g access.Grant) bool { return g.RoleID == role }) {
			return a.Login
		}
	}
	r.t.Fatalf("no demo account holds %s", spec)
	return ""
}

// clerk is the login of the demo's member of staff without a role.
func (r *personaRun) clerk() string {
	r.t.Helper()
	for _, a := range r.accounts {
		who, err := r.s.Auth.ActAs(context.Background(), a.Login)
		must(r.t, err)
		if len(who.Roles) == 0 {
			return a.Login
		}
	}
	r.t.Fatal("no demo account without a role")
	return ""
}

// actor is how the services see a demo account.
func (r *personaRun) actor(login string) access.Actor {
	who, err := r.s.Auth.ActAs(context.Background(), login)
	must(r.t, err)
	return who
}

// as is the browser tab of login, signed in: at the first call through the first sign-in the
// demo asks of the account (password change, and MFA enrolment where the pack requires it).
func (r *personaRun) as(login string) context.Context {
	r.t.Helper()
	if ctx, ok := r.tabs[login]; ok {
		return ctx
	}
	i := slices.IndexFunc(r.accounts, func(a demo.Account) bool { return a.Login == login })
	if i < 0 {
		r.t.Fatalf("no demo account %s", login)
	}
	a := r.accounts[i]
	ctx, cancel := chromedp.NewContext(r.browser, chromedp.WithNewBrowserContext())
	r.t.Cleanup(cancel)
	// The tab lives as long as the context of its first run, which therefore has no deadline.
	must(r.t, chromedp.Do(ctx))
	setFirstPassword(r.t, ctx, r.srv.URL, a.Login, a.Password)
	if a.MFA {
		enrolMFA(r.t, ctx)
	} else {
		must(r.t, do(ctx, chromedp.WaitVisible(chromedp.CSS(".site-nav"))))
	}
	r.tabs[login] = ctx
	return ctx
}

// open navigates login's tab to path and waits for the page's main content.
func (r *personaRun) open(login, path string) context.Context {
	r.t.Helper()
	ctx := r.as(login)
	r.step(ctx, "open "+path, chromedp.Navigate(r.srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
	return ctx
}

// step runs the actions in ctx as one browser step; on failure it tells what the page showed.
func (r *personaRun) step(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	r.t.Helper()
	if err := do(ctx, actions...); err != nil {
		url, _ := run(ctx, chromedp.Location())
		text, _ := run(ctx, chromedp.Evaluate[string](`document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerText`))
		r.t.Fatalf("%s: %v\nat %s:\n%.3000s", what, err, url, text)
	}
}

// field is one answer on a form: typed, set (select, date) or a file uploaded.
type field struct {
	id, value       string
	set, file, tick bool
}

func typed(id, v string) field  { return field{id: id, value: v} }
func chosen(id, v string) field { return field{id: id, value: v, set: true} }
func ticked(id string) field    { return field{id: id, tick: true} }

// fill answers the fields of the page in ctx.
func (r *personaRun) fill(ctx context.Context, fs []field) {
	r.t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for _, f := range fs {
		switch {
		case f.file:
			path := filepath.Join(r.t.TempDir(), "記録.txt")
			must(r.t, os.WriteFile(path, []byte(f.value), 0o600))
			acts = append(acts, chromedp.SetUploadFiles(chromedp.ID(f.id), []string{path}))
		case f.set:
			acts = append(acts, chromedp.SetValue(chromedp.ID(f.id), f.value))
		case f.tick:
			acts = append(acts, chromedp.Click(chromedp.ID(f.id)))
		default:
			acts = append(acts, chromedp.SendKeys(chromedp.ID(f.id), f.value))
		}
	}
	r.step(ctx, "fill the form", acts...)
}

// idIn reads the record id out of the tab's address after pattern (/requests/12 → 12).
func (r *personaRun) idIn(ctx context.Context, pattern string) int64 {
	r.t.Helper()
	url, err := run(ctx, chromedp.Location())
	must(r.t, err)
	m := regexp.MustCompile(pattern + `(\d+)`).FindStringSubmatch(url)
	if m == nil {
		r.t.Fatalf("the browser is at %s, not at %s…", url, pattern)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// coveredAsset is the 管理番号 and id of an asset in use of the department of login, of one of
// kinds, whose highest level is at least rank and that no request names yet.
func (r *personaRun) coveredAsset(login string, rank int, kinds ...string) (string, int64) {
	return r.asset(login, rank, false, kinds...)
}

// asset is coveredAsset, of an information system when inSystem.
func (r *personaRun) asset(login string, rank int, inSystem bool, kinds ...string) (string, int64) {
	r.t.Helper()
	who := r.actor(login)
	rows, err := r.s.DB.SQL.QueryContext(context.Background(), `SELECT id, number, kind FROM assets WHERE org_id = $1 AND department_id = $2
		AND state = 'in_use' AND top_rank >= $3 AND ($4 = 0 OR system_ref <> '') AND id NOT IN (SELECT asset_id FROM request_assets)
		ORDER BY id`, r.orgID, who.DepartmentID, rank, map[bool]int{true: 1}[inSystem])
	must(r.t, err)
	defer rows.Close()
	for rows.Next() {
		var id int64
		var number, kind string
		must(r.t, rows.Scan(&id, &number, &kind))
		if slices.Contains(kinds, kind) {
			return number, id
		}
	}
	r.t.Fatalf("no asset of %v of rank %d in %s's department", kinds, rank, login)
	return "", 0
}

// takeOutCase is a pack's 持ち出し: its kind, the form's answers, the roles of its steps in
// order, and whether the pack records the taking out and the return (returnable).
type takeOutCase struct {
	kind       string
	rank       int
	inSystem   bool // the asset must belong to an information system
	fields     []field
	approvers  []string
	returnable bool
}

// takeOut files the request as the clerk with an asset of their department picked through the
// form's search, has each step's holder approve it from their 承認待ち list, and — where the
// pack records it — has the clerk record the taking out and the return.
func (r *personaRun) takeOut(c takeOutCase) {
	r.t.Helper()
	clerk := r.clerk()
	number, assetID := r.asset(clerk, c.rank, c.inSystem, "terminal", "mobile", "media")
	// The picker's search is opened by its address, so that the wait below cannot find the
	// asset on the page from before the search.
	ctx := r.open(clerk, "/requests/new?kind="+c.kind+"&asset_q="+url.QueryEscape(number))
	r.step(ctx, "pick the asset",
		chromedp.WaitVisible(chromedp.ID(fmt.Sprint("asset-", assetID))),
		chromedp.Click(chromedp.ID(fmt.Sprint("asset-", assetID))),
	)
	r.fill(ctx, c.fields)
	r.step(ctx, "file the request", chromedp.Click(chromedp.CSS("form .btn--primary")), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	id := r.idIn(ctx, "/requests/")
	for _, role := range c.approvers {
		ctx := r.open(r.holder(role), "/requests/inbox")
		r.step(ctx, "approve as "+role,
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`[aria-labelledby="waiting"] td.mono a[href="/requests/%d"]`, id))),
			chromedp.WaitVisible(chromedp.CSS(`button[value="approve"]`)),
			chromedp.Click(chromedp.CSS(`button[value="approve"]`)),
			chromedp.WaitVisible(chromedp.CSS(".notice--success")),
		)
	}
	r.wantRequest(id, request.Approved)
	if !c.returnable {
		return
	}
	ctx = r.open(clerk, fmt.Sprint("/requests/", id))
	r.step(ctx, "take out",
		chromedp.Click(chromedp.CSS(`form[action$="/take-out"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/return"]`)),
	)
	r.wantRequest(id, request.TakenOut)
	r.step(ctx, "return",
		chromedp.Click(chromedp.CSS(`form[action$="/return"] .btn--primary`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form[action$="/return"]`)),
	)
	r.wantRequest(id, request.Returned)
}

func (r *personaRun) wantRequest(id int64, state string) {
	r.t.Helper()
	rq, err := r.s.Requests.Get(context.Background(), r.sys(), id)
	must(r.t, err)
	if rq.State != state {
		r.t.Fatalf("request %d is %s, want %s", id, rq.State, state)
	}
}

// incidentCase is a pack's report: the report form's answers, who triages (a first
// recipient's role), the category and whether the triage links the reported asset.
type incidentCase struct {
	items     []field
	triager   string
	category  string
	linkAsset bool
}

// incident has the clerk report, the triager see the register and triage the report as an
// incident (linking an asset of the clerk's department when asked), and then every demo
// account tick off, from the incident's page, each report of the checklist the page offers
// them; in the end no report is left open.
func (r *personaRun) incident(c incidentCase) {
	r.t.Helper()
	clerk := r.clerk()
	ctx := r.open(clerk, "/incidents/new")
	r.fill(ctx, append([]field{typed("f-title", "業務用端末で不審なメールの添付ファイルを開いた")}, c.items...))
	r.step(ctx, "report", chromedp.Click(chromedp.CSS("form .btn--primary")), chromedp.WaitVisible(chromedp.CSS(".incident-told")))
	id := r.idIn(ctx, "/incidents/")

	triager := r.holder(c.triager)
	ctx = r.open(triager, "/assets")
	rows, err := run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main table tbody tr').length`))
	must(r.t, err)
	if rows == 0 {
		r.t.Fatalf("the register is empty for %s, who triages", triager)
	}
	ctx = r.open(triager, fmt.Sprint("/incidents/", id))
	fs := []field{chosen("f-triage-severity", "medium")}
	if c.category != "" {
		fs = append(fs, chosen("f-triage-category", c.category))
	}
	var linked int64
	if c.linkAsset {
		var number string
		number, linked = r.coveredAsset(clerk, 0, "terminal")
		fs = append(fs, typed("f-triage-assets", number))
	}
	r.step(ctx, "triage form", chromedp.Click(chromedp.ID("f-triage-yes")))
	r.fill(ctx, fs)
	r.step(ctx, "triage", chromedp.Click(chromedp.CSS(`form[action$="/triage"] .btn--primary`)), chromedp.WaitVisible(chromedp.CSS("ol.checklist")))
	in, err := r.s.Incidents.Get(context.Background(), r.sys(), id)
	must(r.t, err)
	if in.State != incident.Open || (linked != 0 && !slices.Contains(in.AssetIDs, linked)) {
		r.t.Fatalf("after triage the incident is %s with assets %v (want %d linked)", in.State, in.AssetIDs, linked)
	}

	const ticks = `document.querySelectorAll('form[action*="/checklist/"] button.btn--primary').length`
	for _, a := range r.accounts {
		ctx := r.open(a.Login, fmt.Sprint("/incidents/", id))
		for {
			n, err := run(ctx, chromedp.Evaluate[int](ticks))
			must(r.t, err)
			if n == 0 {
				break
			}
			// The form ticked is marked, so that the new page is known by its absence.
			r.step(ctx, "tick as "+a.Login,
				chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action*="/checklist/"]').setAttribute('data-ticking', '1')`),
				chromedp.Click(chromedp.CSS(`form[data-ticking] button.btn--primary`)),
				chromedp.WaitNotPresent(chromedp.CSS(`form[data-ticking]`)),
				chromedp.WaitVisible(chromedp.CSS("ol.checklist")),
			)
		}
	}
	in, err = r.s.Incidents.Get(context.Background(), r.sys(), id)
	must(r.t, err)
	ticked := 0
	for _, n := range in.Checklist {
		if n.State != "done" {
			r.t.Errorf("report %s → %s is %s after every persona's turn", n.From, n.ToName, n.State)
		}
		if n.Means != "system" {
			ticked++
		}
	}
	if ticked == 0 {
		r.t.Errorf("no report of the checklist was ticked by a person: %+v", in.Checklist)
	}
}

// logbookCase is a logbook whose entries need a second person: the writer and the confirmer
// (roles, or "" for the clerk), and the entry's answers given the writer's staff id and the
// confirmer's.
type logbookCase struct {
	logbook, writer, confirmer string
	fields                     func(writer, confirmer access.Actor, system string) []field
}

// logbook has the writer record an entry that names the confirmer, and the confirmer confirm it
// from the entry's page.
func (r *personaRun) logbook(c logbookCase) {
	r.t.Helper()
	writer, confirmer := r.holder(c.writer), r.holder(c.confirmer)
	w, cf := r.actor(writer), r.actor(confirmer)
	var system string
	must(r.t, r.s.DB.SQL.QueryRowContext(context.Background(), `SELECT number FROM assets WHERE org_id = $1 AND department_id = $2
		AND kind IN ('system', 'server') ORDER BY id LIMIT 1`, r.orgID, w.DepartmentID).Scan(&system))
	ctx := r.open(writer, "/logbooks/"+c.logbook+"/new")
	r.fill(ctx, append([]field{chosen("f-department_id", strconv.FormatInt(w.DepartmentID, 10))}, c.fields(w, cf, system)...))
	r.step(ctx, "write the entry", chromedp.Click(chromedp.CSS("form .btn--primary")), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	id := r.idIn(ctx, "/logbooks/"+c.logbook+"/")
	e, err := r.s.Logbooks.Get(context.Background(), r.sys(), id)
	must(r.t, err)
	if e.Status != logbook.Pending {
		r.t.Fatalf("a new entry of %s is %s, want it waiting for its second person", c.logbook, e.Status)
	}
	ctx = r.open(confirmer, fmt.Sprintf("/logbooks/%s/%d", c.logbook, id))
	// Confirming is a declaration, asked once more on a 確認 page.
	r.step(ctx, "confirm the entry",
		chromedp.Click(chromedp.CSS(`form[action$="/confirm"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(`main form .btn--danger`)),
		chromedp.Click(chromedp.CSS(`main form .btn--danger`)),
		chromedp.WaitVisible(chromedp.CSS(".notice--success")),
	)
	if e, err = r.s.Logbooks.Get(context.Background(), r.sys(), id); err != nil || e.Status != logbook.Confirmed {
		r.t.Fatalf("after confirming, entry %d is %s (%v)", id, e.Status, err)
	}
}

// workingHour is a time in office hours on the last weekday before today, as a
// datetime-local input takes it.
func workingHour() string {
	d := time.Now().In(i18n.Tokyo).AddDate(0, 0, -1)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 30, 0, 0, i18n.Tokyo).Format("2006-01-02T15:04")
}

// day is a date days from today, as a date input takes it.
func day(days int) string { return time.Now().In(i18n.Tokyo).AddDate(0, 0, days).Format(time.DateOnly) }

// everyoneSignsIn signs in every demo account not yet signed in, so that none of the printed
// accounts is left untried.
func (r *personaRun) everyoneSignsIn() {
	r.t.Helper()
	for _, a := range r.accounts {
		r.open(a.Login, "/")
	}
}
