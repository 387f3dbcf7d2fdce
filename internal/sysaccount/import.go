package sysaccount

import (
	"context"
	"database/sql"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
	"mamori/internal/sheet"
	"mamori/internal/textcheck"

	"golang.org/x/text/unicode/norm"
)

// Row is one account as a list gives it, before it is checked: read from a sheet (Import) or
// from the directory (ImportRows). Line is the row number the user sees.
type Row struct {
	Line              int
	System            string
	Login             string
	Kind              string
	DisplayName       string
	OwnerNo           string // 職員番号
	OwnerName         string // 氏名, matched when no number is given
	Responsible       string
	GrantedOn         string
	LastLoginOn       string
	PasswordChangedOn string
	ApprovalRef       string
	Note              string
}

// ImportOptions steer an import of a system's account list.
type ImportOptions struct {
	// SystemRef is the system the list is of; a row's system column, when there is one,
	// names its own.
	SystemRef string
	DryRun    bool // check every row and change nothing
	// RemoveMissing marks as removed the system's accounts in use that the list does not name
	// (off by default; the dry run counts them).
	RemoveMissing bool
	Mapping       map[string]string // heading → field, overriding the guess; "" leaves a column out
	Source        string            // import (a file) or directory
}

// Outcome is what the import does to one account.
type Outcome struct {
	Row    int    `json:"row,omitempty"`
	System string `json:"system"`
	Login  string `json:"login"`
	Action string `json:"action"` // new, changed, missing (removed when applied)
}

// ImportReport is what an import found and did, in the words of the register's import.
type ImportReport struct {
	Rows      int                `json:"rows"`
	Valid     int                `json:"valid"`
	New       int                `json:"new"`
	Changed   int                `json:"changed"`
	Unchanged int                `json:"unchanged"`
	Missing   int                `json:"missing"`
	Removed   int                `json:"removed"`
	Outcomes  []Outcome          `json:"outcomes"`
	Errors    []assetio.RowError `json:"errors"`
	Mapping   map[string]string  `json:"mapping"`
	Headers   []string           `json:"headers"`
	HeaderRow int                `json:"header_row"`
	Encoding  string             `json:"encoding"`
	Applied   bool               `json:"applied"`
}

// MaxFileBytes bounds an uploaded account list.
const MaxFileBytes = 32 << 20

// MaxOutcomes bounds the outcomes a report lists.
const MaxOutcomes = 500

// Import reads a system's account list (CSV in UTF-8/Shift_JIS/UTF-16, or .xlsx), maps its
// columns from their Japanese headings, and checks every row; unless it is a dry run and when
// no row is bad, it applies all rows in one transaction. A report with errors changed nothing.
func (s *Service) Import(ctx context.Context, who access.Actor, filename string, r io.Reader, opts ImportOptions) (ImportReport, error) {
	rep := ImportReport{Errors: []assetio.RowError{}, Outcomes: []Outcome{}, Mapping: map[string]string{}}
	src, err := sheet.Open(filename, r, MaxFileBytes)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	rep.Encoding = src.Encoding()
	var fields []string
	var rows []Row
	err = src.Each(ctx, func(line int, cells []string) error {
		if fields == nil {
			if blankRow(cells) {
				return nil
			}
			fields = make([]string, len(cells))
			for i, h := range cells {
				h = strings.TrimSpace(h)
				f, ok := opts.Mapping[h]
				if !ok {
					f = fieldOf(h)
				}
				if f != "" && !slices.Contains(Fields(), f) {
					return apperr.InvalidField("mapping", "sysaccount.import.error.field", f)
				}
				if f != "" && slices.Contains(fields, f) {
					f = "" // the first column of a field wins
				}
				fields[i] = f
				rep.Headers = append(rep.Headers, h)
				rep.Mapping[h] = f
			}
			rep.HeaderRow = line
			if !slices.Contains(fields, "login") {
				return apperr.InvalidField("file", "sysaccount.import.error.no_login")
			}
			return nil
		}
		if blankRow(cells) {
			return nil
		}
		row := Row{Line: line}
		for i, v := range cells {
			if i >= len(fields) || fields[i] == "" {
				continue
			}
			row.set(fields[i], strings.TrimSpace(v))
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return rep, err
	}
	if fields == nil {
		return rep, apperr.InvalidField("file", "sysaccount.import.error.empty")
	}
	head := rep
	rep, err = s.ImportRows(ctx, who, rows, opts, columnNamer(rep.Mapping))
	rep.Mapping, rep.Headers, rep.HeaderRow, rep.Encoding = head.Mapping, head.Headers, head.HeaderRow, head.Encoding
	return rep, err
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (r *Row) set(field, v string) {
	switch field {
	case "system":
		r.System = v
	case "login":
		r.Login = v
	case "kind":
		r.Kind = v
	case "display_name":
		r.DisplayName = v
	case "owner_no":
		r.OwnerNo = v
	case "owner_name":
		r.OwnerName = v
	case "responsible":
		r.Responsible = v
	case "granted_on":
		r.GrantedOn = v
	case "last_login_on":
		r.LastLoginOn = v
	case "password_changed_on":
		r.PasswordChangedOn = v
	case "approval_ref":
		r.ApprovalRef = v
	case "note":
		r.Note = v
	}
}

// columnNamer names a field's column as the user's file heads it.
func columnNamer(mapping map[string]string) func(string) string {
	return func(field string) string {
		for h, f := range mapping {
			if f == field {
				return h
			}
		}
		return field
	}
}

// fieldNames are the columns' names when the rows come without a file (the directory).
func fieldNames(field string) string { return field }

// staffIndex finds owners by 職員番号 and by name (with the 異体字 the register's import folds).
type staffIndex struct {
	byNo   map[string]int64
	byName map[string][]int64
}

func (s *Service) staffIndex(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, orgID int64) (staffIndex, error) {
	ix := staffIndex{byNo: map[string]int64{}, byName: map[string][]int64{}}
	rows, err := q.QueryContext(ctx, `SELECT id, employee_no, name FROM staff WHERE org_id = $1 ORDER BY id`, orgID)
	if err != nil {
		return ix, apperr.Wrap(err, "staff")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var no, name string
		if err := rows.Scan(&id, &no, &name); err != nil {
			return ix, apperr.Wrap(err, "staff")
		}
		ix.byNo[foldCode(no)] = id
		k := assetio.NameKey(name)
		ix.byName[k] = append(ix.byName[k], id)
	}
	return ix, rows.Err()
}

func foldCode(s string) string { return strings.TrimSpace(norm.NFKC.String(s)) }

// parseDay reads a day as lists write it: 2025-04-01, 2025/4/1, or an Excel serial number.
func parseDay(v string) (string, bool) {
	v = strings.TrimSpace(norm.NFKC.String(v))
	if v == "" {
		return "", true
	}
	if n, err := strconv.Atoi(v); err == nil && n > 20000 && n < 80000 {
		return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n).Format(time.DateOnly), true
	}
	v = strings.ReplaceAll(v, "/", "-")
	if i := strings.IndexAny(v, " T"); i > 0 {
		v = v[:i]
	}
	for _, layout := range []string{time.DateOnly, "2006-1-2"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// rowError is one problem of a row, in both languages, naming its column.
func rowError(row int, column, key string, args ...any) assetio.RowError {
	return assetio.RowError{Row: row, Column: textcheck.Escape(column), Kind: key,
		Message: i18n.T(i18n.Ja, key, args...), MessageEn: i18n.T(i18n.En, key, args...)}
}

// ImportRows checks rows already read — from a sheet, or from the directory — and unless it is
// a dry run and when no row is bad, applies them all in one transaction: an account the system
// does not have is registered, one it has is changed to what the row says, and with
// RemoveMissing the system's accounts in use that no row names are marked removed. column names
// a field's column in the errors (nil: the field's own name).
func (s *Service) ImportRows(ctx context.Context, who access.Actor, rows []Row, opts ImportOptions, column func(string) string) (ImportReport, error) {
	rep := ImportReport{Errors: []assetio.RowError{}, Outcomes: []Outcome{}, Mapping: map[string]string{}}
	if column == nil {
		column = fieldNames
	}
	if opts.Source == "" {
		opts.Source = "import"
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil {
		return rep, err
	}
	opts.SystemRef = strings.TrimSpace(opts.SystemRef)
	known, err := knownSystems(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return rep, err
	}
	if opts.SystemRef != "" && !known[opts.SystemRef] {
		return rep, apperr.InvalidField("system_ref", "sysaccount.error.unknown_system", opts.SystemRef)
	}
	ix, err := s.staffIndex(ctx, s.DB.SQL, who.OrgID)
	if err != nil {
		return rep, err
	}
	type checked struct {
		row Row
		in  Input
	}
	var good []checked
	seen := map[string]int{} // system + login → the row that named it first
	systemsNamed := map[string]bool{}
	for _, r := range rows {
		rep.Rows++
		before := len(rep.Errors)
		bad := func(field, key string, args ...any) {
			rep.Errors = append(rep.Errors, rowError(r.Line, column(field), key, args...))
		}
		in := Input{SystemRef: r.System, Login: r.Login, DisplayName: r.DisplayName, ResponsibleName: r.Responsible,
			ApprovalRef: r.ApprovalRef, Note: r.Note}
		in.normalize()
		if in.SystemRef == "" {
			in.SystemRef = opts.SystemRef
		}
		switch {
		case in.SystemRef == "":
			bad("system", "sysaccount.import.error.system_missing")
		case !known[in.SystemRef]:
			bad("system", "sysaccount.error.unknown_system", in.SystemRef)
		default:
			if err := mayChange(who, p, in.SystemRef); err != nil {
				bad("system", "sysaccount.import.error.system_forbidden", in.SystemRef)
			}
		}
		for _, t := range []struct{ field, v string }{{"login", in.Login}, {"display_name", in.DisplayName},
			{"responsible", in.ResponsibleName}, {"approval_ref", in.ApprovalRef}, {"note", in.Note}} {
			prob := textcheck.Line(t.v)
			if t.field == "note" {
				prob = textcheck.Text(t.v)
			}
			if prob != textcheck.OK {
				bad(t.field, prob.Key())
			}
		}
		if in.Login == "" {
			bad("login", "sysaccount.import.error.login_missing")
		} else if first, dup := seen[in.SystemRef+"\x00"+in.Login]; dup {
			bad("login", "sysaccount.import.error.duplicate", in.Login, first)
		} else {
			seen[in.SystemRef+"\x00"+in.Login] = r.Line
		}
		if r.Kind == "" {
			bad("kind", "sysaccount.import.error.kind_missing")
		} else if k, ok := kindOf(r.Kind); ok {
			in.Kind = k
		} else {
			bad("kind", "sysaccount.error.kind", r.Kind)
		}
		switch {
		case strings.TrimSpace(r.OwnerNo) != "":
			if id, ok := ix.byNo[foldCode(r.OwnerNo)]; ok {
				in.OwnerStaffID = id
			} else {
				bad("owner_no", "sysaccount.import.error.owner_no", r.OwnerNo)
			}
		case strings.TrimSpace(r.OwnerName) != "" && in.Kind == KindPersonal:
			switch ids := ix.byName[assetio.NameKey(r.OwnerName)]; len(ids) {
			case 1:
				in.OwnerStaffID = ids[0]
			case 0:
				bad("owner_name", "sysaccount.import.error.owner_name", r.OwnerName)
			default:
				bad("owner_name", "sysaccount.import.error.owner_ambiguous", r.OwnerName)
			}
		case strings.TrimSpace(r.OwnerName) != "":
			// A non-personal account's named person: the owner when on the staff, else the
			// responsible person as written.
			if ids := ix.byName[assetio.NameKey(r.OwnerName)]; len(ids) == 1 {
				in.OwnerStaffID = ids[0]
			} else if in.ResponsibleName == "" {
				in.ResponsibleName = strings.TrimSpace(r.OwnerName)
			}
		}
		for _, d := range []struct {
			field string
			v     string
			to    *string
		}{{"granted_on", r.GrantedOn, &in.GrantedOn}, {"last_login_on", r.LastLoginOn, &in.LastLoginOn},
			{"password_changed_on", r.PasswordChangedOn, &in.PasswordChangedOn}} {
			day, ok := parseDay(d.v)
			if !ok {
				bad(d.field, "sysaccount.import.error.date", d.v)
			}
			*d.to = day
		}
		if len(rep.Errors) == before {
			rep.Valid++
			good = append(good, checked{row: r, in: in})
			systemsNamed[in.SystemRef] = true
		}
	}
	if opts.RemoveMissing && opts.SystemRef != "" {
		systemsNamed[opts.SystemRef] = true
	}
	// What each valid row does, against the accounts the systems have now.
	current := map[string]Account{}
	for sys := range systemsNamed {
		list, err := query(ctx, s.DB.SQL, "sa.org_id = $1 AND sa.system_ref = $2", who.OrgID, sys)
		if err != nil {
			return rep, err
		}
		for _, a := range list {
			current[sys+"\x00"+a.Login] = a
		}
	}
	outcome := func(o Outcome) {
		if len(rep.Outcomes) < MaxOutcomes {
			rep.Outcomes = append(rep.Outcomes, o)
		}
	}
	type change struct {
		in     Input
		before *Account
	}
	var changes []change
	for _, g := range good {
		key := g.in.SystemRef + "\x00" + g.in.Login
		cur, ok := current[key]
		switch {
		case !ok:
			rep.New++
			outcome(Outcome{Row: g.row.Line, System: g.in.SystemRef, Login: g.in.Login, Action: "new"})
			changes = append(changes, change{in: g.in})
		case cur.State == StateRemoved:
			rep.Valid--
			rep.Errors = append(rep.Errors, rowError(g.row.Line, column("login"), "sysaccount.import.error.removed", g.in.Login))
		default:
			in := merged(cur, g.in)
			if in == cur.input() {
				rep.Unchanged++
				continue
			}
			if in.PasswordChangedOn != cur.PasswordChangedOn && mayRecordPassword(who, p, cur) != nil {
				rep.Valid--
				rep.Errors = append(rep.Errors, rowError(g.row.Line, column("password_changed_on"), "sysaccount.error.password_by"))
				continue
			}
			rep.Changed++
			outcome(Outcome{Row: g.row.Line, System: g.in.SystemRef, Login: g.in.Login, Action: "changed"})
			c := cur
			changes = append(changes, change{in: in, before: &c})
		}
	}
	var missing []Account
	if opts.RemoveMissing {
		for _, a := range current {
			if a.State == StateActive && seen[a.SystemRef+"\x00"+a.Login] == 0 && (opts.SystemRef == "" || a.SystemRef == opts.SystemRef) {
				missing = append(missing, a)
			}
		}
		slices.SortFunc(missing, func(x, y Account) int { return strings.Compare(x.SystemRef+"\x00"+x.Login, y.SystemRef+"\x00"+y.Login) })
		rep.Missing = len(missing)
		for _, a := range missing {
			outcome(Outcome{System: a.SystemRef, Login: a.Login, Action: "missing"})
		}
	}
	slices.SortStableFunc(rep.Errors, func(x, y assetio.RowError) int { return x.Row - y.Row })
	if opts.DryRun || len(rep.Errors) > 0 || (len(changes) == 0 && len(missing) == 0) {
		return rep, nil
	}
	day := s.now().In(tokyo).Format(time.DateOnly)
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		for _, c := range changes {
			if c.before == nil {
				if _, err := s.insert(ctx, tx, who, p, c.in, opts.Source); err != nil {
					return err
				}
				continue
			}
			if _, err := s.update(ctx, tx, who, p, *c.before, c.in); err != nil {
				return err
			}
		}
		for _, a := range missing {
			if _, err := s.remove(ctx, tx, who, a, day, i18n.T(i18n.Ja, "sysaccount.import.removed_note")); err != nil {
				return err
			}
			rep.Removed++
		}
		_, err := auditlog.Append(ctx, tx, who, s.now(), auditlog.Event{Entity: entity, EntityID: "system:" + opts.SystemRef,
			Action: "system_account.import", After: map[string]any{"system": opts.SystemRef, "source": opts.Source, "rows": rep.Rows,
				"new": rep.New, "changed": rep.Changed, "removed": rep.Removed}})
		return err
	})
	if err != nil {
		rep.Removed = 0
		return rep, err
	}
	rep.Applied = true
	return rep, nil
}

// merged is the account as a row would leave it: what the row gives replaces what the account
// says; what the row leaves empty stays.
func merged(cur Account, row Input) Input {
	in := cur.input()
	in.Kind = row.Kind
	for _, f := range []struct{ to, from *string }{{&in.DisplayName, &row.DisplayName}, {&in.ResponsibleName, &row.ResponsibleName},
		{&in.ApprovalRef, &row.ApprovalRef}, {&in.GrantedOn, &row.GrantedOn}, {&in.LastLoginOn, &row.LastLoginOn},
		{&in.PasswordChangedOn, &row.PasswordChangedOn}, {&in.Note, &row.Note}} {
		if *f.from != "" {
			*f.to = *f.from
		}
	}
	if row.OwnerStaffID != 0 {
		in.OwnerStaffID = row.OwnerStaffID
	}
	return in
}
