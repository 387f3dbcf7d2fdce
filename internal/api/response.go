package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// writeJSON writes v as the answer with the given status. Values are the API's own types, so
// encoding cannot fail but for a programming error, which is answered 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n')) // a client that went away is no error of ours
}

// list is every listing: one page of items, how many match in all, and the URL of the next page
// (null on the last).
type list[T any] struct {
	Items []T     `json:"items"`
	Total int     `json:"total"`
	Next  *string `json:"next"`
}

// writeList answers a listing; items is the page p, total the count over all pages.
func writeList[T any](w http.ResponseWriter, r *http.Request, p page, items []T, total int) error {
	if items == nil {
		items = []T{}
	}
	l := list[T]{Items: items, Total: total}
	if p.offset+p.limit < total {
		next := nextPage(r.URL, p)
		l.Next = &next
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

// nextPage is the path and query of the page after p, keeping the request's filters.
func nextPage(u *url.URL, p page) string {
	q := u.Query()
	q.Set("limit", strconv.Itoa(p.limit))
	q.Set("offset", strconv.Itoa(p.offset+p.limit))
	return (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
}

// created answers 201 with the new resource's location.
func created(w http.ResponseWriter, location string, v any) error {
	if location != "" {
		w.Header().Set("Location", location)
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// ok answers 200 with v.
func ok(w http.ResponseWriter, v any) error {
	writeJSON(w, http.StatusOK, v)
	return nil
}

// noContent answers 204 for a change that has nothing to return.
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
