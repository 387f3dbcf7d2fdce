package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/i18n"
	"mamori/internal/logbook"
	"mamori/internal/policy"
)

// logbookCmd is `mamori logbook`: the entries of the pack's 記録簿 an account may read, an entry
// written as that account, the second person's confirmation, and a logbook as a workbook.
func logbookCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("logbook: expected list, add, confirm or export")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list", "add", "confirm", "export":
	default:
		return fmt.Errorf("logbook: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("logbook "+sub, stderr)
	as := fs.String("as", "", "act as this account (its department and roles); without it the system, which reads every logbook")
	book := fs.String("logbook", "", "the logbook id of the pack (room_access …); list: every logbook when absent")
	unconfirmed := fs.Bool("unconfirmed", false, "list: only entries waiting for a second person")
	from := fs.String("from", "", "list: entries from this date (YYYY-MM-DD, Japan time)")
	to := fs.String("to", "", "list: entries up to this date, inclusive")
	limit := fs.Int("limit", 50, "list: at most this many per logbook (up to 500)")
	var fields listFlag
	fs.Var(&fields, "field", "add: a field of the logbook as id=value; staff by staff number, assets by 管理番号, departments by code (repeatable)")
	department := fs.String("department", "", "add: the department code of the entry; the account's own when absent")
	visitor := fs.Bool("visitor", false, "add: a room access log's person is not staff")
	escort := fs.String("escort", "", "add: the staff number of the member of staff escorting the visitor")
	out := fs.String("out", "", "export: the .xlsx file to write")
	var id int64
	if sub == "confirm" {
		var err error
		if id, err = parseNumber(fs, args, "entry", "記録"); err != nil {
			return err
		}
	} else if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case (sub == "add" || sub == "confirm") && strings.TrimSpace(*as) == "":
		return fmt.Errorf("logbook %s: --as LOGIN で記入・確認する職員のアカウントを指定してください / name the writing account with --as LOGIN", sub)
	case sub == "add" && *book == "":
		return fmt.Errorf("logbook add: --logbook ID で記録簿を指定してください / name the logbook with --logbook ID")
	case sub == "export" && *out == "":
		return fmt.Errorf("logbook export: --out FILE.xlsx で書き出すファイルを指定してください / name the file with --out FILE.xlsx")
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	who, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		books, err := logbooksOf(ctx, s, who, *book)
		if err != nil {
			return err
		}
		for i, lb := range books {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			list, total, err := s.Logbooks.List(ctx, who, logbook.Filter{Logbook: lb.ID, Unconfirmed: *unconfirmed, From: *from, To: *to, Limit: *limit})
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(stdout, "■ %s（%s）全 %d 件\n", lb.Name, lb.ID, total)
			printEntries(stdout, lb, list)
		}
	case "add":
		in, err := entryInput(ctx, s, who, *book, fields, *department, *visitor, *escort)
		if err != nil {
			return err
		}
		e, err := s.Logbooks.Create(ctx, who, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "記録 %d を記入しました。%s\n", e.ID, pendingNote(e))
	case "confirm":
		e, err := s.Logbooks.Confirm(ctx, who, id)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "記録 %d を確認しました（記入 %s、確認 %s）。\n", e.ID, e.WriterName, e.ConfirmerName)
	case "export":
		books, err := logbooksOf(ctx, s, who, *book)
		if err != nil {
			return err
		}
		if len(books) != 1 {
			ids := make([]string, len(books))
			for i, lb := range books {
				ids[i] = lb.ID
			}
			return fmt.Errorf("logbook export: --logbook ID で記録簿を一つ指定してください（%s） / name one logbook with --logbook ID (%s)",
				strings.Join(ids, ", "), strings.Join(ids, ", "))
		}
		err = writeFile(*out, func(w io.Writer) error {
			return s.Logbooks.Export(ctx, who, logbook.Filter{Logbook: books[0].ID}, i18n.Ja, w)
		})
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s を %s に書き出しました。\n", books[0].Name, *out)
	}
	return nil
}

// logbooksOf is the logbook id names, or every logbook of the organisation's pack.
func logbooksOf(ctx context.Context, s *app.Services, who access.Actor, id string) ([]policy.Logbook, error) {
	if id != "" {
		lb, err := logbookByID(ctx, s, who, id)
		return []policy.Logbook{lb}, err
	}
	p, err := s.Logbooks.Pack(ctx, who.OrgID)
	if err != nil {
		return nil, describe(err)
	}
	return p.Logbooks, nil
}

func logbookByID(ctx context.Context, s *app.Services, who access.Actor, id string) (policy.Logbook, error) {
	lb, _, err := s.Logbooks.Logbook(ctx, who.OrgID, id)
	if apperr.CodeOf(err) == apperr.NotFound {
		return lb, fmt.Errorf("--logbook: 記録簿「%s」はありません / the pack has no logbook %q", id, id)
	}
	return lb, describeOr(err)
}

// entryInput builds an entry from the command line: each --field read as the entry form reads
// it, staff, assets and departments found by the number or code a person types.
func entryInput(ctx context.Context, s *app.Services, who access.Actor, book string, fields []string, department string,
	visitor bool, escort string) (logbook.Input, error) {
	in := logbook.Input{Logbook: book, Fields: map[string]any{}, Visitor: visitor}
	lb, err := logbookByID(ctx, s, who, book)
	if err != nil {
		return in, err
	}
	byID := map[string]policy.Field{}
	for _, f := range lb.Fields {
		byID[f.ID] = f
	}
	for _, it := range fields {
		k, text, ok := strings.Cut(it, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return in, fmt.Errorf("--field「%s」は 項目ID=値 で書いてください / write --field %q as id=value", it, it)
		}
		f, known := byID[k]
		if !known {
			in.Fields[k] = text // the service refuses it by name
			continue
		}
		val, err := fieldValue(ctx, s, who, f, text)
		if err != nil {
			return in, err
		}
		if val != nil {
			in.Fields[k] = val
		}
	}
	if department != "" {
		if in.DepartmentID, err = departmentByCode(ctx, s.Org, who, department); err != nil {
			return in, fmt.Errorf("--department: 所属コード「%s」はありません / no department with the code %q", department, department)
		}
	}
	if escort != "" {
		staff := policy.Field{ID: "escort", Name: i18n.T(i18n.Ja, "logbooks.escort"), Type: "staff"}
		id, found, err := s.Logbooks.Refer(ctx, who.OrgID, staff, escort)
		if err != nil {
			return in, describe(err)
		}
		if !found {
			return in, fmt.Errorf("--escort: 職員番号「%s」の職員はいません / no member of staff with the number %q", escort, escort)
		}
		in.EscortStaffID = id
		if f, own := byID["escort"]; own && f.Type == "staff" {
			in.Fields[f.ID] = id // the pack's own escort field
		}
	}
	return in, nil
}

// fieldValue is a field's value as logbook.ParseField reads it, with a staff number, 管理番号 or
// department code in place of the row it names.
func fieldValue(ctx context.Context, s *app.Services, who access.Actor, f policy.Field, text string) (any, error) {
	val := logbook.ParseField(f, text)
	if val == nil || (f.Type != "staff" && f.Type != "asset" && f.Type != "department") {
		return val, nil
	}
	id, found, err := s.Logbooks.Refer(ctx, who.OrgID, f, val.(string))
	if err != nil {
		return nil, describe(err)
	}
	if !found {
		return nil, describe(logbook.ReferError(f))
	}
	return id, nil
}

// pendingNote tells the writer that an entry waits for a second person.
func pendingNote(e logbook.Entry) string {
	if e.Status == logbook.Pending {
		return "別の職員の確認を待っています（mamori logbook confirm " + strconv.FormatInt(e.ID, 10) + "）。"
	}
	return ""
}

// printEntries prints entries as the ledger's columns, after the entry number.
func printEntries(w io.Writer, lb policy.Logbook, list []logbook.Entry) {
	cols := logbook.Columns(lb, logbook.Dates{Lang: i18n.Ja})
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "番号")
	for _, c := range cols {
		fmt.Fprint(tw, "\t"+c.Name)
	}
	fmt.Fprintln(tw)
	for _, e := range list {
		fmt.Fprint(tw, e.ID)
		for _, c := range cols {
			fmt.Fprint(tw, "\t"+oneLine(c.Value(e)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
