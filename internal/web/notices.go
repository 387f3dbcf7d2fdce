package web

import (
	"net/http"
	"net/url"
	"strconv"

	"mamori/internal/notify"
)

// お知らせ: each user's notices, newest first. Opening one marks it read and goes to its record.

const noticesPageSize = 30

// noticesData is a page of the user's notices and, for administrators, the mail that
// could not be delivered.
type noticesData struct {
	Items        []notify.Item
	UnreadOnly   bool
	Pager        pager
	Troubles     []notify.Delivery
	TroubleTotal int
}

func (w *Server) notices(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	page, offset := pageQuery(r, noticesPageSize)
	unreadOnly := r.URL.Query().Get("unread") == "1"
	items, total, err := w.s.Notices.List(ctx, who, notify.Filter{UnreadOnly: unreadOnly, Limit: noticesPageSize, Offset: offset})
	if err != nil {
		return err
	}
	data := noticesData{Items: items, UnreadOnly: unreadOnly, Pager: newPager(r, page, noticesPageSize, total)}
	if who.CanAdminister() {
		troubles, n, err := w.s.Notices.Troubles(ctx, who, 20)
		if err != nil {
			return err
		}
		data.Troubles, data.TroubleTotal = troubles, n
	}
	p := w.newPage(r, "notices.title", "notices")
	p.Data = data
	w.render(rw, r, http.StatusOK, "notices", p)
	return nil
}

// noticeOpen marks a notice read and goes to the record it is about.
func (w *Server) noticeOpen(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	it, err := w.s.Notices.MarkRead(r.Context(), stateOf(r).who, id)
	if err != nil {
		return err
	}
	target := it.Link
	if target == "" {
		target = "/notices"
	}
	http.Redirect(rw, r, safeNext(target), http.StatusSeeOther)
	return nil
}

func (w *Server) noticeRead(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := w.s.Notices.MarkRead(r.Context(), stateOf(r).who, id); err != nil {
		return err
	}
	return w.redirect(rw, r, noticesBack(r), "notices.marked_read")
}

func (w *Server) noticesReadAll(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.s.Notices.MarkAllRead(r.Context(), stateOf(r).who); err != nil {
		return err
	}
	return w.redirect(rw, r, noticesBack(r), "notices.marked_all_read")
}

// noticesBack is the list page the form was sent from, with its page and filter.
func noticesBack(r *http.Request) string {
	q := url.Values{}
	if n, err := strconv.Atoi(r.PostForm.Get("page")); err == nil && n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if r.PostForm.Get("unread") == "1" {
		q.Set("unread", "1")
	}
	if len(q) == 0 {
		return "/notices"
	}
	return "/notices?" + q.Encode()
}

// UnreadText is the header's count of unread notices: the number, or "99+" at the cap.
func (p *page) UnreadText() string {
	if p.Unread >= notify.UnreadCap {
		return strconv.Itoa(notify.UnreadCap-1) + "+"
	}
	return strconv.Itoa(p.Unread)
}

// unreadCount is the signed-in user's unread notices for the header: an index lookup of at
// most notify.UnreadCap rows. A failure leaves the header without a count rather than the page
// without content.
func (w *Server) unreadCount(r *http.Request) int {
	st := stateOf(r)
	n, err := w.s.Notices.Unread(r.Context(), st.who)
	if err != nil {
		w.log.Error("unread notices", "err", err)
		return 0
	}
	return n
}
