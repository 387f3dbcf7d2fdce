package assetio

import (
	"context"
	"errors"
	"io"
	"iter"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/sheet"
)

// Import reads a register sheet and checks every row against the organisation's pack; unless
// it is a dry run it then writes the rows: all of them in one transaction, refusing the whole
// file when a row is bad, or with ValidOnly the valid rows only. A row registers a new asset,
// or with Update changes the asset with its number. The report says what was found and done;
// a problem with the file as a whole (unreadable, too large, columns missing) is an error, and
// changes nothing.
func (im *Importer) Import(ctx context.Context, who access.Actor, filename string, r io.Reader, opts Options) (Report, error) {
	src, pl, rep, err := im.prepare(ctx, who, filename, r, opts)
	if src != nil {
		defer src.Close()
	}
	if err != nil {
		return rep, err
	}
	if err := pl.requireColumns(); err != nil {
		return rep, err
	}

	bad, scope, err := im.checkRows(ctx, who, src, pl, &rep, opts)
	if err != nil || opts.DryRun || rep.Valid == 0 || (len(bad) > 0 && !opts.ValidOnly) {
		return rep, err
	}
	return im.apply(ctx, who, src, pl, bad, scope, rep, opts)
}

// Preview reads a file's header row and its first rows: the report names the headers, the
// field each is mapped to (by mapping, else the remembered and guessed ones), three sample
// values of each column, the distinct values of the columns whose values may be mapped, the
// sheet and the encoding, for a mapping step before the dry run. A column that every asset
// needs and that nothing is mapped to is no error here; the dry run reports it.
func (im *Importer) Preview(ctx context.Context, who access.Actor, filename string, r io.Reader, mapping map[string]string) (Report, error) {
	src, pl, rep, err := im.prepare(ctx, who, filename, r, Options{Mapping: mapping})
	if src != nil {
		defer src.Close()
	}
	if err != nil {
		return rep, err
	}
	c, n := newCollector(len(pl.headers)), 0
	err = pl.dataRows(ctx, src, func(row int, cells []string) error {
		if n++; n > previewRows {
			return errStop
		}
		c.add(pl, cells)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return rep, err
	}
	c.report(pl, &rep)
	return rep, nil
}

// previewRows is how many rows Preview reads for samples and distinct values; the dry run
// reads them all.
const previewRows = 2000

// prepare opens a file, refuses an actor who may change no department and finds the header
// row and the mapping of its columns and values. The source it returns, when not nil, is the
// caller's to close.
func (im *Importer) prepare(ctx context.Context, who access.Actor, filename string, r io.Reader, opts Options) (sheet.Sheet, *plan, Report, error) {
	rep := Report{Mapping: map[string]string{}, Errors: []RowError{}, Summary: []ErrorCount{}, Outcomes: []RowOutcome{}}
	src, err := sheet.Open(filename, r, im.maxBytes())
	if err != nil {
		return nil, nil, rep, err
	}
	rep.Encoding = src.Encoding()
	p, _, err := im.Assets.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return src, nil, rep, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return src, nil, rep, err
	}
	check, err := im.Assets.Checker(ctx, who)
	if err != nil {
		return src, nil, rep, err
	}
	remembered, err := rememberedMapping(ctx, im.DB, who.OrgID)
	if err != nil {
		return src, nil, rep, err
	}
	dir, err := loadDirectory(ctx, im.DB, who.OrgID)
	if err != nil {
		return src, nil, rep, err
	}
	if !dir.anyChangeable(who) {
		return src, nil, rep, apperr.New(apperr.Forbidden, "error.forbidden") // an auditor, or staff without a role
	}
	chosen, err := valueTargets(p, dir, opts.Values)
	if err != nil {
		return src, nil, rep, err
	}
	rememberedVals, err := rememberedValues(ctx, im.DB, who.OrgID)
	if err != nil {
		return src, nil, rep, err
	}
	pl := &plan{pack: p, words: newPackWords(p), dir: dir, check: check, labels: map[string]string{},
		values: planValues(p, dir, rememberedVals, chosen, opts.Values)}
	for _, f := range fieldsOf(p) {
		pl.labels[f.ID] = f.Label
	}
	if err := pl.findHeader(ctx, src, newGuesser(p, remembered), opts.Mapping); err != nil {
		return src, nil, rep, err
	}
	rep.Sheet, rep.HeaderRow, rep.Headers = pl.sheet, pl.headerRow, pl.headers
	for i, h := range pl.headers {
		h = strings.TrimSpace(h)
		if _, twice := rep.Mapping[h]; h != "" && (!twice || pl.fields[i] != "") {
			rep.Mapping[h] = pl.fields[i]
		}
	}
	return src, pl, rep, nil
}

// pendingRow is a row read and waiting for its number to be looked up in the register.
type pendingRow struct {
	row int
	rowIn
}

// fileScope is what a file covers, for marking missing assets: every number its rows name, bad
// rows' included, and the departments its rows name.
type fileScope struct {
	numbers     map[string]bool
	departments []int64
}

// checkRows is the first pass over the file: it checks every row, and the management numbers
// against each other and the register, and returns the rows found bad and what the file covers.
func (im *Importer) checkRows(ctx context.Context, who access.Actor, src sheet.Sheet, pl *plan, rep *Report, opts Options) (map[int]bool, fileScope, error) {
	bad := map[int]bool{}
	seen := map[string]int{} // management number → first row
	depts := map[int64]bool{}
	c := newCollector(len(pl.headers))
	var pending []pendingRow
	report := func(row int, problems []problem) {
		for _, pr := range problems {
			rep.Errors = append(rep.Errors, pl.rowError(row, pr.field, pr.key, pr.args...))
			bad[row] = true
		}
	}
	outcome := func(o RowOutcome) {
		if len(rep.Outcomes) < MaxOutcomes {
			rep.Outcomes = append(rep.Outcomes, o)
		} else {
			rep.Cut = true
		}
	}
	flush := func() error {
		numbers := make([]string, 0, len(pending))
		for _, p := range pending {
			if p.in.Number != "" {
				numbers = append(numbers, p.in.Number)
			}
		}
		found, err := im.Assets.ByNumbers(ctx, who, numbers)
		if err != nil {
			return err
		}
		for _, p := range pending {
			f, exists := found[p.in.Number]
			var cur *asset.Asset
			switch {
			case exists && !opts.Update:
				report(p.row, append(p.problems, problem{"number", "asset.error.number_taken", []any{p.in.Number}}))
				continue
			case exists && f.Refusal != nil:
				e := apperr.As(f.Refusal)
				key, args := e.Key, e.Args
				if len(e.Fields) > 0 {
					key, args = e.Fields[0].Key, e.Fields[0].Args
				}
				report(p.row, append(p.problems, problem{"number", key, args}))
				continue
			case exists:
				cur = &f.Asset
			}
			in, problems := pl.finish(p.rowIn, cur)
			if in.DepartmentID != 0 {
				depts[in.DepartmentID] = true
			}
			if len(problems) > 0 {
				report(p.row, problems)
				continue
			}
			switch {
			case cur == nil:
				rep.New++
				outcome(RowOutcome{Row: p.row, Number: in.Number, Name: in.Name, Outcome: OutcomeNew})
			default:
				if changes := pl.diff(*cur, in); len(changes) > 0 {
					rep.Changed++
					outcome(RowOutcome{Row: p.row, Number: in.Number, Name: in.Name, Outcome: OutcomeChanged, Changes: changes})
				} else {
					rep.Unchanged++
				}
			}
		}
		pending = pending[:0]
		return nil
	}
	err := pl.dataRows(ctx, src, func(row int, cells []string) error {
		rep.Rows++
		if rep.Rows > MaxRows {
			return apperr.New(apperr.TooLarge, "import.error.too_many_rows", MaxRows)
		}
		c.add(pl, cells)
		r := pl.read(cells)
		in := r.in
		if in.Number != "" {
			in.Number = strings.TrimSpace(norm.NFKC.String(in.Number)) // as the register keeps it
			r.in.Number = in.Number
			if first, dup := seen[in.Number]; dup {
				report(row, append(r.problems, problem{"number", "import.error.duplicate", []any{in.Number, first}}))
				return nil
			}
			seen[in.Number] = row
		}
		pending = append(pending, pendingRow{row, r})
		if len(pending) >= numberBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		if opts.Progress != nil && rep.Rows%1000 == 0 {
			opts.Progress("check", rep.Rows, 0)
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, fileScope{}, err
	}
	if rep.Rows == 0 {
		return nil, fileScope{}, apperr.New(apperr.Invalid, "import.error.no_rows")
	}
	scope := fileScope{numbers: make(map[string]bool, len(seen)), departments: keysOf(depts)}
	for n := range seen {
		scope.numbers[n] = true
	}
	if opts.Update && opts.DisposeMissing {
		list, err := im.Assets.Missing(ctx, who, scope.departments, scope.numbers)
		if err != nil {
			return nil, fileScope{}, err
		}
		on := im.today()
		rep.Missing = len(list)
		for _, a := range list {
			outcome(missingOutcome(a, on))
		}
	}
	sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Row < rep.Errors[j].Row })
	rep.Summary = summarize(rep.Errors)
	rep.Valid = rep.Rows - len(bad)
	c.report(pl, rep)
	return bad, scope, nil
}

func keysOf(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// today is the day of the import in Japan, as a date of the register.
func (im *Importer) today() string {
	now := time.Now()
	if im.Assets.Now != nil {
		now = im.Assets.Now()
	}
	return now.In(jst).Format(time.DateOnly)
}

var jst = time.FixedZone("Asia/Tokyo", 9*60*60)

// apply is the second pass: it writes the rows that are not bad in one transaction.
func (im *Importer) apply(ctx context.Context, who access.Actor, src sheet.Sheet, pl *plan, bad map[int]bool, scope fileScope, rep Report, opts Options) (Report, error) {
	var yielded []int // the row number of each row given to the register, in order
	done := 0
	rows := func(yield func(asset.Upsert, error) bool) {
		err := pl.dataRows(ctx, src, func(row int, cells []string) error {
			if bad[row] {
				return nil
			}
			r := pl.read(cells)
			r.in.Number = strings.TrimSpace(norm.NFKC.String(r.in.Number))
			yielded = append(yielded, row)
			up := asset.Upsert{Number: r.in.Number, Build: func(cur *asset.Asset) (asset.Input, bool, error) {
				if cur != nil && !opts.Update {
					return asset.Input{}, false, apperr.InvalidField("number", "asset.error.number_taken", r.in.Number)
				}
				in, problems := pl.finish(r, cur)
				if len(problems) > 0 {
					pr := problems[0]
					return in, false, &apperr.Error{Code: apperr.Invalid, Key: pr.key, Args: pr.args,
						Fields: []apperr.FieldError{{Field: pr.field, Key: pr.key, Args: pr.args}}}
				}
				return in, cur == nil || len(pl.diff(*cur, in)) > 0, nil
			}}
			if !yield(up, nil) {
				return errStop
			}
			if done++; opts.Progress != nil && done%1000 == 0 {
				opts.Progress("apply", done, rep.Valid)
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(asset.Upsert{}, err)
		}
	}
	var dispose *asset.DisposeMissing
	if opts.Update && opts.DisposeMissing {
		dispose = &asset.DisposeMissing{Departments: scope.departments, Named: scope.numbers, On: im.today()}
	}
	n, err := im.Assets.UpsertMany(ctx, who, iter.Seq2[asset.Upsert, error](rows), dispose)
	if err != nil {
		e := apperr.As(err)
		if e.Code == apperr.Internal || (len(e.Fields) == 0 && e.Code != apperr.Forbidden) {
			return rep, err
		}
		// The register changed since the check (another user took a number, or an asset moved
		// out of reach): nothing is written, and the row is reported.
		lastRow := 0
		if n.Failed >= 0 && n.Failed < len(yielded) {
			lastRow = yielded[n.Failed]
		}
		if len(e.Fields) == 0 {
			rep.Errors = append(rep.Errors, pl.rowError(lastRow, "number", e.Key, e.Args...))
		}
		for _, f := range e.Fields {
			rep.Errors = append(rep.Errors, pl.rowError(lastRow, pl.fieldOf(f.Field), f.Key, f.Args...))
		}
		rep.Summary = summarize(rep.Errors)
		rep.Valid--
		return rep, nil
	}
	rep.Created, rep.Updated, rep.Disposed, rep.Applied = n.Created, n.Updated, n.Disposed, true
	// The mappings are a convenience for the next import: failing to keep them does not undo this one.
	now := time.Now()
	if im.Assets.Now != nil {
		now = im.Assets.Now()
	}
	_ = rememberMapping(ctx, im.DB, who.OrgID, pl.headers, pl.fields, now.UTC())
	_ = rememberValues(ctx, im.DB, who.OrgID, opts.Values, now.UTC())
	return rep, nil
}

var errStop = errors.New("stop")

// numberBatch is how many numbers one query looks up in the register.
const numberBatch = 200
