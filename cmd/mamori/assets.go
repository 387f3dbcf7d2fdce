package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/apperr"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/i18n"
	"mamori/internal/org"
)

// importCmd is `mamori import assets FILE`: the register's import, as the system actor of the
// first organisation or, with --as LOGIN, as that account.
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "assets" {
		return fmt.Errorf("import: expected `import assets FILE`")
	}
	fs, d := newFlagSet("import assets", stderr)
	dryRun := fs.Bool("dry-run", false, "check every row and change nothing")
	validOnly := fs.Bool("valid-only", false, "register the valid rows and skip the bad ones")
	rejected := fs.String("rejected", "", "write the rejected rows, with what is wrong, to this CSV file")
	update := fs.Bool("update", false, "a row whose management number is in the register changes that asset")
	disposeMissing := fs.Bool("dispose-missing", false, "with --update: mark assets of the file's departments that no row names as disposed of")
	as := fs.String("as", "", "act as this account (its department and roles) instead of the system")
	file, err := parseOne(fs, args[1:], "FILE")
	if err != nil {
		return err
	}
	if *disposeMissing && !*update {
		return fmt.Errorf("import: --dispose-missing は --update と一緒に指定してください / --dispose-missing needs --update")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	im := &assetio.Importer{Assets: s.Assets, DB: s.DB}
	rep, err := im.Import(ctx, sys, file, f, assetio.Options{DryRun: *dryRun, ValidOnly: *validOnly, Update: *update, DisposeMissing: *disposeMissing,
		Progress: func(stage string, done, total int) {
			if done%10_000 == 0 {
				fmt.Fprintf(stderr, "%s: %d 行\n", map[string]string{"check": "確認中", "apply": "登録中"}[stage], done)
			}
		}})
	if err != nil {
		if len(rep.Mapping) > 0 {
			printMapping(stdout, rep)
		}
		return describe(err)
	}
	fmt.Fprintf(stdout, "%s (%s): 行数 %d, 正常 %d, 誤り %d, 登録 %d\n", filepath.Base(file), rep.Encoding, rep.Rows, rep.Valid, rep.Rows-rep.Valid, rep.Created)
	if *update {
		fmt.Fprintf(stdout, "新規 %d, 変更 %d, 変更なし %d, 廃棄にする %d, 更新 %d, 廃棄済にした %d\n", rep.New, rep.Changed, rep.Unchanged, rep.Missing, rep.Updated, rep.Disposed)
		for _, o := range rep.Outcomes {
			if o.Outcome == assetio.OutcomeNew {
				continue
			}
			for _, c := range o.Changes {
				fmt.Fprintf(stdout, "%s %s: %s「%s」→「%s」\n", assetio.OutcomeText(i18n.Ja, o.Outcome), o.Number, c.Label, c.Old, c.New)
			}
		}
	}
	for _, c := range rep.Summary {
		fmt.Fprintf(stdout, "列「%s」: %d 件（例: %d 行目 %s）\n", c.Column, c.Count, c.FirstRow, c.Example)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stdout, "行 %d 列「%s」: %s\n", e.Row, e.Column, e.Message)
	}
	if *rejected != "" && len(rep.Errors) > 0 {
		if err := writeRejected(im, rep, file, *rejected); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "誤りのある行を %s に書き出しました。\n", *rejected)
	}
	switch {
	case rep.Applied && *update:
		fmt.Fprintf(stdout, "%d 件を登録、%d 件を更新、%d 件を廃棄済にしました。\n", rep.Created, rep.Updated, rep.Disposed)
		return nil
	case rep.Applied:
		fmt.Fprintf(stdout, "%d 件を登録しました。\n", rep.Created)
		return nil
	case *dryRun && len(rep.Errors) == 0:
		fmt.Fprintln(stdout, "確認のみ（--dry-run）: 誤りはありません。何も変更していません。")
		return nil
	case *dryRun:
		fmt.Fprintln(stdout, "確認のみ（--dry-run）: 何も変更していません。")
	default:
		fmt.Fprintln(stdout, "誤りのある行があるため、何も登録していません。--valid-only で正しい行だけを登録できます。")
	}
	return &exitError{code: 1, err: fmt.Errorf("%d row(s) with errors; nothing imported", rep.Rows-rep.Valid)}
}

func printMapping(w io.Writer, rep assetio.Report) {
	fmt.Fprintf(w, "見出し（%d 行目）の対応:\n", rep.HeaderRow)
	for _, h := range rep.Headers {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		field := rep.Mapping[h]
		if field == "" {
			field = "（取り込まない）"
		}
		fmt.Fprintf(w, "  %s → %s\n", h, field)
	}
}

func writeRejected(im *assetio.Importer, rep assetio.Report, file, out string) error {
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFile(out, func(w io.Writer) error { return im.Rejected(rep, file, in, w) })
}

// exportCmd is `mamori export assets`: the register, or the part a filter selects, as a sheet.
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "assets" {
		return fmt.Errorf("export: expected `export assets`")
	}
	fs, d := newFlagSet("export assets", stderr)
	format := fs.String("format", "", "xlsx, csv (UTF-8 with BOM) or csv-sjis (Shift_JIS); default from --out, else xlsx")
	out := fs.String("out", "", "file to write (default: standard output)")
	kind := fs.String("kind", "", "only assets of this kind (terminal, server … or 端末, サーバ …)")
	dept := fs.String("department", "", "only assets of the department with this code")
	state := fs.String("state", "", "only assets in this state (in_use … or 使用中 …)")
	segment := fs.String("segment", "", "only assets in this network segment")
	zone := fs.String("zone", "", "only assets in this security zone")
	q := fs.String("q", "", "only assets whose number, name, location, system or note contain these words")
	as := fs.String("as", "", "act as this account: only what it may see, restricted assets marked")
	attrs := map[string]string{}
	fs.Func("attr", "only assets with this attribute value, as ID=VALUE (mfa=true, support_end=..2026-03-31); repeatable", func(v string) error {
		id, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(id) == "" {
			return fmt.Errorf("expected ID=VALUE")
		}
		attrs[strings.TrimSpace(id)] = val
		return nil
	})
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	fmtName := *format
	if fmtName == "" {
		fmtName = "xlsx"
		if strings.EqualFold(filepath.Ext(*out), ".csv") {
			fmtName = "csv"
		}
	}
	f, ok := assetio.ParseFormat(fmtName)
	if !ok {
		return fmt.Errorf("export: unknown format %q (xlsx, csv or csv-sjis)", fmtName)
	}
	filter := asset.Filter{Segment: *segment, Zone: *zone, Query: *q, Attrs: attrs, MarkRestricted: true}
	if *kind != "" {
		if filter.Kind, ok = assetio.KindID(*kind); !ok {
			return fmt.Errorf("export: unknown kind %q", *kind)
		}
	}
	if *state != "" {
		if filter.State, ok = assetio.StateID(*state); !ok {
			return fmt.Errorf("export: unknown state %q", *state)
		}
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys, err := actingActor(ctx, s, *as)
	if err != nil {
		return err
	}
	if *dept != "" {
		if filter.DepartmentID, err = departmentByCode(ctx, s.Org, sys, *dept); err != nil {
			return err
		}
	}
	write := func(w io.Writer) error { return describeOr(assetio.Export(ctx, s.Assets, sys, filter, f, w)) }
	if *out == "" {
		return write(stdout)
	}
	return writeFile(*out, write)
}

func describeOr(err error) error {
	if err == nil {
		return nil
	}
	return describe(err)
}

// actingActor is whom a command acts as: the account login names, with its department, its
// roles of today and its auditor status as a sign-in would give them, or without a login the
// system actor of the first organisation.
func actingActor(ctx context.Context, s *app.Services, login string) (access.Actor, error) {
	if strings.TrimSpace(login) == "" {
		return firstOrgActor(ctx, s)
	}
	who, err := s.Auth.ActAs(ctx, login)
	switch apperr.CodeOf(err) {
	case "":
		return who, nil
	case apperr.NotFound:
		return access.Actor{}, fmt.Errorf("--as: アカウント「%s」はありません / no account with the login %q", login, login)
	case apperr.Forbidden:
		return access.Actor{}, fmt.Errorf("--as: アカウント「%s」は無効にされています / the account %q is disabled", login, login)
	}
	return access.Actor{}, err
}

// firstOrgActor is the system actor of the first organisation, whom the command line acts as.
func firstOrgActor(ctx context.Context, s *app.Services) (access.Actor, error) {
	o, err := s.Org.First(ctx)
	if err != nil {
		return access.Actor{}, fmt.Errorf("no organisation yet: start `mamori serve` once first")
	}
	return access.System(o.ID, "cli"), nil
}

func departmentByCode(ctx context.Context, o *org.Service, who access.Actor, code string) (int64, error) {
	tree, err := o.Tree(ctx, who)
	if err != nil {
		return 0, err
	}
	for _, d := range tree {
		if d.Code == strings.TrimSpace(code) {
			return d.ID, nil
		}
	}
	return 0, fmt.Errorf("no department with code %q", code)
}

// writeFile writes a file through a temporary one beside it, so that a failed export leaves
// no partial file behind.
func writeFile(path string, fn func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fn(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// parseOne parses flags given before or after one positional argument, which it returns.
// parseNumber parses the flags and the one argument of a command that names a record by its
// number (12 or #12): what is the record in English and ja in Japanese, for the error.
func parseNumber(fs *flag.FlagSet, args []string, what, ja string) (int64, error) {
	arg, err := parseOne(fs, args, what+" number")
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(arg, "#"), 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("%s番号「%s」が正しくありません / %q is not %s number", ja, arg, arg, article(what))
	}
	return id, nil
}

// article is "a" or "an" before an English word.
func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

func parseOne(fs *flag.FlagSet, args []string, name string) (string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", errUsageShown
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 1 {
		return "", fmt.Errorf("%s: expected one %s", fs.Name(), name)
	}
	return pos[0], nil
}
