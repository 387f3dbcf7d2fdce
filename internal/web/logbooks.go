package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/org"
	"mamori/internal/policy"
)

// The 記録簿 pages: the pack's logbooks with their articles, a logbook's entries with filters,
// its export and its printable ledger. The form and one entry are in logbook_form.go.

const logbookPageSize = 50

// logbookFilterKeys are the query parameters of a logbook's filter.
var logbookFilterKeys = []string{"from", "to", "department_id", "unconfirmed", "history", "q"}

func logbookFilter(id string, q url.Values) logbook.Filter {
	f := logbook.Filter{Logbook: id, From: q.Get("from"), To: q.Get("to"), Query: q.Get("q"),
		Unconfirmed: q.Get("unconfirmed") == "1", History: q.Get("history") == "1"}
	f.DepartmentID, _ = strconv.ParseInt(q.Get("department_id"), 10, 64)
	return f
}

func logbookQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range logbookFilterKeys {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// dates are how a page shows a ledger's dates: 和暦 in Japanese, as the paper forms do.
func (p *page) dates() logbook.Dates { return logbook.Dates{Lang: p.Lang, Wareki: p.Lang == i18n.Ja} }

// logbookView is a pack logbook with what its pages show about it.
type logbookView struct {
	policy.Logbook
	KeptByName string
	Inherited  bool
	CanWrite   bool
	Href       string
}

func viewLogbook(p *policy.Compiled, lb policy.Logbook) logbookView {
	v := logbookView{Logbook: lb, Inherited: p.Inherited["logbooks."+lb.ID], Href: "/logbooks/" + url.PathEscape(lb.ID)}
	for _, r := range p.Roles {
		if r.ID == lb.KeptBy {
			v.KeptByName = r.Name
		}
	}
	return v
}

// logbookOf reads the {logbook} of the path against the organisation's pack.
func (w *Server) logbookOf(r *http.Request) (logbookView, *policy.Compiled, error) {
	lb, p, err := w.s.Logbooks.Logbook(r.Context(), stateOf(r).who.OrgID, r.PathValue("logbook"))
	if err != nil {
		return logbookView{}, nil, err
	}
	v := viewLogbook(p, lb)
	v.CanWrite = logbook.CanWriteAny(stateOf(r).who, lb)
	return v, p, nil
}

// logbooksData is the active pack (nil when none is in use) and its logbooks.
type logbooksData struct {
	Pack     *policy.Compiled
	Logbooks []logbookView
}

// logbooks lists the pack's logbooks with their citations.
func (w *Server) logbooks(rw http.ResponseWriter, r *http.Request) error {
	pack, err := w.activePack(r)
	if err != nil {
		return err
	}
	p := w.newPage(r, "logbooks.title", "logbooks")
	var list []logbookView
	if pack != nil {
		for _, lb := range pack.Logbooks {
			list = append(list, viewLogbook(pack, lb))
		}
	}
	p.Data = logbooksData{Pack: pack, Logbooks: list}
	w.render(rw, r, http.StatusOK, "logbooks", p)
	return nil
}

type logbookEntriesData struct {
	Logbook  logbookView
	Columns  []logbook.Column
	Entries  []logbook.Entry
	Tree     []org.Department
	Pager    pager
	Export   string
	Print    string
	Filtered url.Values
}

// logbookEntries is one logbook's entries, newest first, filtered and paged.
func (w *Server) logbookEntries(rw http.ResponseWriter, r *http.Request) error {
	ctx, who := r.Context(), stateOf(r).who
	lb, _, err := w.logbookOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := logbookFilter(lb.ID, q)
	page, offset := pageQuery(r, logbookPageSize)
	f.Limit, f.Offset = logbookPageSize, offset
	p := w.newPage(r, "logbooks.entries", "logbooks")
	p.Form = q
	list, total, err := w.s.Logbooks.List(ctx, who, f)
	if apperr.CodeOf(err) == apperr.Invalid {
		p.withErrors(err)
		list, total, err = nil, 0, nil
	}
	if err != nil {
		return err
	}
	tree, err := w.s.Org.Tree(ctx, who)
	if err != nil {
		return err
	}
	p.Crumbs = []crumb{{p.T("logbooks.title"), "/logbooks"}}
	d := logbookEntriesData{Logbook: lb, Columns: logbook.Columns(lb.Logbook, p.dates()), Entries: list, Tree: tree,
		Pager: newPager(r, page, logbookPageSize, total)}
	d.Export = withQuery(lb.Href+"/export", logbookQuery(q))
	d.Print = withQuery(lb.Href+"/print", logbookQuery(q))
	p.Data = d
	w.render(rw, r, http.StatusOK, "logbook_entries", p)
	return nil
}

// logbookExport downloads the current filter's entries as .xlsx.
func (w *Server) logbookExport(rw http.ResponseWriter, r *http.Request) error {
	lb, _, err := w.logbookOf(r)
	if err != nil {
		return err
	}
	name := "logbook-" + lb.ID + "-" + time.Now().In(i18n.Tokyo).Format("20060102") + ".xlsx"
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	return w.s.Logbooks.Export(r.Context(), stateOf(r).who, logbookFilter(lb.ID, r.URL.Query()), stateOf(r).lang, rw)
}

// printLimit is the most entries one printed ledger holds.
const printLimit = 1000

var errPrintFull = errors.New("print limit")

type logbookPrintData struct {
	Logbook   logbookView
	Columns   []logbook.Column
	Entries   []logbook.Entry
	Period    string
	PrintedOn string
	Truncated bool
	Limit     int
	Back      string
}

// logbookPrint is the logbook as its paper ledger: A4, the form number where the pack has one,
// dates in 和暦, one column per field, the confirmer where a second person is required.
func (w *Server) logbookPrint(rw http.ResponseWriter, r *http.Request) error {
	lb, _, err := w.logbookOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := logbookFilter(lb.ID, q)
	p := w.newPage(r, "logbooks.print.title", "logbooks")
	d := logbookPrintData{Logbook: lb, Columns: logbook.Columns(lb.Logbook, p.dates()), Limit: printLimit,
		PrintedOn: p.dates().Date(w.s.Now()), Back: withQuery(lb.Href, logbookQuery(q))}
	err = w.s.Logbooks.Each(r.Context(), stateOf(r).who, f, func(e logbook.Entry) error {
		if len(d.Entries) == printLimit {
			d.Truncated = true
			return errPrintFull
		}
		d.Entries = append(d.Entries, e)
		return nil
	})
	if err != nil && !errors.Is(err, errPrintFull) {
		return err
	}
	// A ledger reads oldest first.
	for i, j := 0, len(d.Entries)-1; i < j; i, j = i+1, j-1 {
		d.Entries[i], d.Entries[j] = d.Entries[j], d.Entries[i]
	}
	day := func(v string) string {
		if t, err := time.ParseInLocation(time.DateOnly, v, i18n.Tokyo); err == nil {
			return p.dates().Date(t)
		}
		return ""
	}
	if from, to := day(f.From), day(f.To); from != "" || to != "" {
		d.Period = from + " 〜 " + to
	}
	p.Crumbs = []crumb{{p.T("logbooks.title"), "/logbooks"}, {lb.Name, d.Back}}
	p.Data = d
	w.render(rw, r, http.StatusOK, "logbook_print", p)
	return nil
}
