package web

import (
	"net/http"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/request"
)

// The lists of requests: 承認待ち (what waits for the user, and the returns and reports that are
// overdue) and the user's own requests.

const requestPageSize = 50

// overdueRow is a request whose assets are out past their due date, or whose report after
// the fact came late.
type overdueRow struct {
	R    request.Request
	Due  string
	Days int
}

type requestInboxData struct {
	Waiting []request.Request
	Overdue []overdueRow
	Late    []overdueRow
}

// daysLate counts whole JST days from due to today.
func daysLate(due, today time.Time) int {
	d := func(t time.Time) time.Time {
		y, m, dd := t.In(i18n.Tokyo).Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	}
	return int(d(today).Sub(d(due)).Hours() / 24)
}

// requestInbox is 承認待ち: what waits for the user, newest first, shown whole (no box that
// scrolls rows out of sight).
func (w *Server) requestInbox(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	p := w.newPage(r, "requests.inbox.title", "requests")
	var d requestInboxData
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	if pack != nil {
		if d.Waiting, err = w.s.Requests.Inbox(ctx, who); err != nil {
			return err
		}
		overdue, err := w.s.Requests.Overdue(ctx, who)
		if err != nil {
			return err
		}
		now := w.s.Now()
		for _, rq := range overdue {
			due, err := time.ParseInLocation(time.DateOnly, rq.DueOn, i18n.Tokyo)
			if err != nil {
				continue
			}
			d.Overdue = append(d.Overdue, overdueRow{R: rq, Due: p.Date(due), Days: daysLate(due, now)})
		}
		// Reports after the fact that reached the approver late, and are still waiting.
		for _, rq := range d.Waiting {
			if rq.PostHoc && rq.ReportedLate && rq.ReportDueAt != nil {
				d.Late = append(d.Late, overdueRow{R: rq, Due: p.Stamp(*rq.ReportDueAt), Days: daysLate(*rq.ReportDueAt, rq.CreatedAt)})
			}
		}
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "request_inbox", p)
	return nil
}

type requestListData struct {
	Kinds    []policy.Approval
	States   []string
	Requests []request.Request
	Pager    pager
}

// requestList is the user's own requests, filtered by kind, state and the days they were
// filed on, newest first.
func (w *Server) requestList(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	q := r.URL.Query()
	p := w.newPage(r, "requests.title", "requests")
	p.Form = q
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	d := requestListData{States: requestStates}
	if pack != nil {
		d.Kinds = pack.Approvals
		page, offset := pageQuery(r, requestPageSize)
		list, total, err := w.s.Requests.List(ctx, who, request.Filter{Mine: true, Kind: q.Get("kind"), State: q.Get("state"),
			Since: q.Get("from"), Until: q.Get("to"), Limit: requestPageSize, Offset: offset})
		if apperr.CodeOf(err) == apperr.Invalid {
			p.withErrors(err)
			err = nil
		}
		if err != nil {
			return err
		}
		d.Requests, d.Pager = list, newPager(r, page, requestPageSize, total)
	}
	p.Data = d
	w.render(rw, r, http.StatusOK, "request_list", p)
	return nil
}

// maxWaiting caps the count beside the inbox link: it reads at most this many rows, and a
// full count shows as 99+.
const maxWaiting = 100

// WaitingText is the inbox count as the navigation shows it.
func (p *page) WaitingText() string {
	if p.Waiting >= maxWaiting {
		return strconv.Itoa(maxWaiting-1) + "+"
	}
	return strconv.Itoa(p.Waiting)
}

// waitingCount is how many requests wait for the user, for the navigation: a count on the
// index of what waits, capped at maxWaiting.
func (w *Server) waitingCount(r *http.Request) int {
	who := stateOf(r).who
	if len(who.Roles) == 0 {
		return 0
	}
	n, err := w.s.Requests.InboxCount(r.Context(), who, maxWaiting)
	if err != nil {
		return 0
	}
	return n
}
