package web

import (
	"net/http"
	"strconv"

	"mamori/internal/apperr"
	"mamori/internal/textcheck"
)

// pathID reads a positive numeric id from the path; anything else is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "error.not_found")
	}
	return id, nil
}

// formID reads an optional numeric id from a form field; a malformed value is a field error.
func formID(v *apperr.Validation, r *http.Request, field string) int64 {
	s := r.PostForm.Get(field)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		v.Add(field, "error.choose")
		return 0
	}
	return id
}

func formInt(v *apperr.Validation, r *http.Request, field string) int {
	s := r.PostForm.Get(field)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(field, "error.number")
	}
	return n
}

// confirmData is the 確認 page: the message key (naming What when set), where the confirmed POST
// goes and the page to go back to. PackID carries the pack chosen on the policy page.
type confirmData struct {
	Action  string
	Message string
	What    string
	Back    string
	PackID  string
}

// confirmed reports whether a POST carries the 確認 step's confirmation; when it does not, the
// handler renders the confirmation page instead of acting.
func (w *Server) confirmed(rw http.ResponseWriter, r *http.Request, title, message, back string) bool {
	return w.confirmedNaming(rw, r, title, message, "", back)
}

// confirmedNaming is confirmed with a message that names what is acted on (its %s is what).
func (w *Server) confirmedNaming(rw http.ResponseWriter, r *http.Request, title, message, what, back string) bool {
	if r.PostForm.Get("confirmed") == "yes" {
		return true
	}
	p := w.newPage(r, title, "")
	p.Data = confirmData{Action: r.URL.Path, Message: message, What: what, Back: back}
	w.render(rw, r, http.StatusOK, "confirm", p)
	return false
}

// pageQuery reads ?page= (1-based) and returns the offset for size rows per page.
func pageQuery(r *http.Request, size int) (int, int) {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	return n, (n - 1) * size
}

// pager describes the links around a paged table.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

func newPager(r *http.Request, page, size, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + size - 1) / size}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// saved finishes a form's POST: invalid input redisplays the form with its errors, success
// redirects to target with a one-time notice, anything else is an error page.
func (w *Server) saved(rw http.ResponseWriter, r *http.Request, err error, redisplay func(status int, err error) error, target, notice string) error {
	if apperr.CodeOf(err) == apperr.Invalid {
		return redisplay(http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return w.redirect(rw, r, target, notice)
}

// formText refuses a posted form any of whose field names or values, or the names of its
// uploaded files, carry text Mamori does not take (a NUL, invalid UTF-8, a bidirectional
// override …): 400 naming the field, before the handler reads anything. Values may be
// multi-line (text areas). The sign-in form is left to the sign-in, which records a refused
// name as a failed attempt.
func formText(r *http.Request) error {
	if r.URL.Path == "/login" {
		return nil
	}
	if err := textcheck.Values(r.PostForm, true); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		for field, files := range r.MultipartForm.File {
			for _, f := range files {
				if p := textcheck.Line(f.Filename); p != textcheck.OK {
					return textcheck.Refusal(field, p)
				}
			}
		}
	}
	return nil
}
