package api

import (
	"net/http"

	"mamori/internal/apperr"
	"mamori/internal/notify"
)

// The token holder's notices (お知らせ), newest first; nobody else's.

func (a *api) listNotices(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	f := notify.Filter{Limit: p.limit, Offset: p.offset}
	switch r.URL.Query().Get("unread") {
	case "", "false":
	case "true":
		f.UnreadOnly = true
	default:
		return apperr.InvalidField("unread", "error.invalid")
	}
	items, total, err := a.s.Notices.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeList(w, r, p, items, total)
}

func (a *api) readNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	it, err := a.s.Notices.MarkRead(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return ok(w, it)
}
