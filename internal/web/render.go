package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/policy"
	"mamori/internal/task"
	"mamori/internal/web/static"
)

//go:embed templates/*.html
var templateFiles embed.FS

// renderer holds one parsed template set per page, each combined with the layout.
type renderer struct {
	pages    map[string]*template.Template
	mu       sync.Mutex
	rendered map[string]bool // for the test that every template is used
}

var funcs = template.FuncMap{
	"static": static.URL,
	"add":    func(a, b int) int { return a + b },
	"indent": func(depth int) string { return strings.Repeat("　", depth) },
	"arr":    func(v ...any) []any { return v },
	// added reports whether a citation marks the organisation's own setting (運用上の設定).
	"added": func(v any) bool { c, ok := v.(policy.Cite); return ok && c.Added() },
	// scopeName is where a task's role is held: its department or system, "" for the organisation.
	"scopeName": task.ScopeName,
	// safeURL admits the data: URL of the MFA QR code, which Mamori generates itself.
	"safeURL": func(s string) template.URL {
		if strings.HasPrefix(s, "data:image/png;base64,") {
			return template.URL(s)
		}
		return ""
	},
}

func newRenderer() *renderer {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html"))
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	r := &renderer{pages: map[string]*template.Template{}, rendered: map[string]bool{}}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t := template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, n))
		r.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return r
}

// page is what every template receives.
type page struct {
	Lang    i18n.Lang
	Title   string // catalog key
	Nav     string // which navigation item is current
	Who     *access.Actor
	OrgName string
	Unread  int    // the signed-in user's unread notices, up to notify.UnreadCap
	Waiting int    // requests waiting for the signed-in user's decision or acknowledgement
	Flash   string // catalog key of a one-time notice
	Errors  []fieldMessage
	Form    url.Values
	Crumbs  []crumb
	Data    any
	pack    *policy.Compiled // the organisation's pack, for L; nil when it has none
}

// L names the pack's and the catalog's codes on this page (labels.go).
func (p *page) L() labels { return labels{lang: p.Lang, pack: p.pack} }

type crumb struct{ Label, Href string }

type fieldMessage struct{ Field, Message string }

// T translates a catalog key into the page's language.
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// FieldError returns the message for one field, or "".
func (p *page) FieldError(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// Value returns a submitted form value, for re-displaying a form.
func (p *page) Value(field string) string { return p.Form.Get(field) }

// Label translates "prefix.code" when the catalog has it and shows the code itself otherwise
// (audit actions and entities that a later version adds still read sensibly).
func (p *page) Label(prefix, code string) string {
	if i18n.Has(p.Lang, prefix+code) {
		return i18n.T(p.Lang, prefix+code)
	}
	return code
}

// Dates on every screen and print go through showTime, showDate and showDay (which rest on
// i18n's, as notices and messages do): Japanese pages show 和暦 (令和8年12月7日 14:05, 元年
// for an era's first year), English pages the Gregorian ISO form (2026-12-07 14:05). The API,
// CSV and xlsx keep ISO 8601 and do not come here.

// showTime shows a moment's JST date and minute.
func showTime(lang i18n.Lang, t time.Time) string { return i18n.FormatDateTime(lang, t) }

// showDate shows a moment's JST date.
func showDate(lang i18n.Lang, t time.Time) string { return i18n.FormatDate(lang, t) }

// showDay shows a day or moment as a form field stores it — YYYY-MM-DD, YYYY-MM-DDThh:mm or
// RFC 3339 — as a date or a date and minute; other text is shown as it is.
func showDay(lang i18n.Lang, s string) string {
	if t, err := time.ParseInLocation(time.DateOnly, s, i18n.Tokyo); err == nil {
		return showDate(lang, t)
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", s, i18n.Tokyo); err == nil {
		return showTime(lang, t)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return showTime(lang, t)
	}
	return s
}

// Date, DateTime, Stamp, Wareki and Day are the date helpers of the templates.
func (p *page) Date(t time.Time) string     { return showDate(p.Lang, t) }
func (p *page) DateTime(t time.Time) string { return showTime(p.Lang, t) }
func (p *page) Stamp(t time.Time) string    { return showTime(p.Lang, t) }
func (p *page) Wareki(t time.Time) string   { return showDate(p.Lang, t) }
func (p *page) Day(s string) string         { return showDay(p.Lang, s) }

// newPage starts the data for a page from the request's state.
func (w *Server) newPage(r *http.Request, title, nav string) *page {
	st := stateOf(r)
	p := &page{Lang: st.lang, Title: title, Nav: nav, Form: r.PostForm}
	if st.signed {
		who := st.who
		p.Who = &who
		if o, err := w.s.Org.Organization(r.Context(), who.OrgID); err == nil {
			p.OrgName = o.Name
		}
		p.pack, _, _ = w.s.Policy.Active(r.Context(), who.OrgID) // nil before the organisation has one
		p.Unread = w.unreadCount(r)
		p.Waiting = w.waitingCount(r)
	}
	return p
}

// withErrors adds the field errors of err (an apperr.Invalid) to the page, translated.
func (p *page) withErrors(err error) *page {
	e := apperr.As(err)
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, fieldMessage{Field: f.Field, Message: i18n.T(p.Lang, f.Key, f.Args...)})
	}
	if len(e.Fields) == 0 {
		p.Errors = append(p.Errors, fieldMessage{Message: i18n.T(p.Lang, e.Key, e.Args...)})
	}
	return p
}

func (w *Server) render(rw http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := w.pages.pages[name]
	if !ok {
		panic(fmt.Sprintf("web: no template %q", name))
	}
	if c, err := r.Cookie(flashCookie); err == nil && p.Flash == "" {
		if i18n.Has(i18n.Ja, c.Value) {
			p.Flash = c.Value
		}
		w.clearCookie(rw, r, flashCookie)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		w.log.Error("render", "template", name, "err", err)
		http.Error(rw, i18n.T(p.Lang, "error.internal"), http.StatusInternalServerError)
		return
	}
	w.pages.mu.Lock()
	w.pages.rendered[name] = true
	w.pages.mu.Unlock()
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	rw.Write(buf.Bytes())
}

const flashCookie = "mamori_flash"

// redirect sends the browser to target after a successful POST, with a one-time notice.
func (w *Server) redirect(rw http.ResponseWriter, r *http.Request, target, flashKey string) error {
	if flashKey != "" {
		w.setCookie(rw, r, flashCookie, flashKey, time.Minute)
	}
	http.Redirect(rw, r, target, http.StatusSeeOther)
	return nil
}
