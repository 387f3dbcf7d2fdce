package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"mamori/internal/compliance"
	"mamori/internal/policy"
	"mamori/packs"
)

// library returns the shipped packs, with those of --pack-dir when given.
func library(dir string) (*policy.Library, error) {
	if dir == "" {
		return packs.Load()
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("pack folder %s cannot be read", dir)
	}
	return packs.LoadWith(os.DirFS(dir))
}

func packCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("pack: expected list, validate, show or diff")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("pack "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("pack-dir", envOr("MAMORI_PACK_DIR", ""), "folder of the organisation's own packs [MAMORI_PACK_DIR]")
	asJSON := fs.Bool("json", false, "print JSON (show, diff)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsageShown
	}
	lib, err := library(*dir)
	if err != nil && sub != "validate" {
		return err
	}
	switch sub {
	case "list":
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tORGANISATION\tVERSION\tEXTENDS\tROLES\tAPPROVALS\tLOGBOOKS\tRULES\tSOURCE")
		for _, p := range lib.List() {
			src := p.Source
			if src == "" {
				src = "(base)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", p.ID, p.Organization, p.Version, p.Extends,
				len(p.Roles), len(p.Approvals), len(p.Logbooks), len(p.Rules), src)
		}
		return tw.Flush()
	case "validate":
		if len(pos) != 1 {
			return fmt.Errorf("pack validate: give one pack file")
		}
		if lib == nil {
			if lib, err = packs.Load(); err != nil {
				return err
			}
		}
		file := pos[0]
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("pack file %s cannot be read", file)
		}
		p, err := policy.LoadFile(filepath.Base(file), data, lib)
		if err != nil {
			fmt.Fprintln(stdout, err)
			var ps policy.Problems
			if errors.As(err, &ps) {
				return &exitError{code: 1, err: fmt.Errorf("%s: %d problem(s)", file, len(ps))}
			}
			return &exitError{code: 1, err: err}
		}
		fmt.Fprintf(stdout, "%s: pack %s (%s, %s) is valid: %d roles, %d approvals, %d logbooks, %d rules\n",
			file, p.ID, p.Organization, p.Version, len(p.Roles), len(p.Approvals), len(p.Logbooks), len(p.Rules))
		return nil
	case "show":
		if len(pos) != 1 {
			return fmt.Errorf("pack show: give a pack id")
		}
		p, ok := lib.Get(pos[0])
		if !ok {
			return fmt.Errorf("no pack %q (see mamori pack list)", pos[0])
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(p.Pack)
		}
		showPack(stdout, p)
		return nil
	case "diff":
		if len(pos) != 2 {
			return fmt.Errorf("pack diff: give two pack ids")
		}
		a, ok := lib.Get(pos[0])
		b, ok2 := lib.Get(pos[1])
		if !ok || !ok2 {
			return fmt.Errorf("pack diff: unknown pack (see mamori pack list)")
		}
		diffs := policy.Diff(a.Pack, b.Pack)
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(diffs)
		}
		showDiff(stdout, a, b, diffs)
		return nil
	}
	return fmt.Errorf("pack: unknown subcommand %q", sub)
}

func cite(c policy.Cite) string {
	if c.Article == "" {
		return ""
	}
	return "［" + c.Article + "］"
}

// roleMarks names what the pack marks a role as: a security role, an audit role, the role all
// staff hold.
func roleMarks(r policy.Role) string {
	out := ""
	if r.Security {
		out += "〈情報セキュリティ〉"
	}
	if r.Auditor {
		out += "〈監査〉"
	}
	if r.AllStaff {
		out += "〈全職員〉"
	}
	return out
}

func showPack(w io.Writer, p *policy.Compiled) {
	fmt.Fprintf(w, "%s — %s（%s）\n版: %s\n", p.ID, p.Name, p.Organization, p.Version)
	if p.Source != "" {
		fmt.Fprintf(w, "出典: %s\n", p.Source)
	}
	if p.Extends != "" {
		fmt.Fprintf(w, "基にするパック: %s（継承した要素には「共通」と付記）\n", p.Extends)
	}
	mark := func(key string) string {
		if p.Inherited[key] {
			return " 〔共通〕"
		}
		return ""
	}
	fmt.Fprintln(w, "\n■ 役割")
	for _, r := range p.Roles {
		fmt.Fprintf(w, "  %s %s — %s（%s）%s%s%s\n", r.ID, r.Name, r.HeldBy, r.Scope, roleMarks(r), cite(r.Cite), mark("roles/"+r.ID))
	}
	fmt.Fprintln(w, "\n■ 分類")
	for _, a := range p.Classification.Axes {
		fmt.Fprintf(w, "  %s %s%s\n", a.ID, a.Name, cite(a.Cite))
		for _, l := range a.Levels {
			fmt.Fprintf(w, "    %s（%d）%s: %s%s\n", l.ID, l.Rank, l.Name, l.Definition, cite(l.Cite))
			for _, h := range l.Handling {
				fmt.Fprintf(w, "      ・%s\n", h)
			}
		}
	}
	fmt.Fprintln(w, "\n■ 申請・承認")
	for _, a := range p.Approvals {
		var steps []string
		for _, s := range a.Steps {
			steps = append(steps, s.Role)
		}
		form := ""
		if a.Form != "" {
			form = " " + a.Form
		}
		exception := ""
		if a.Exception {
			exception = "〈例外措置〉"
		}
		fmt.Fprintf(w, "  %s %s%s%s — %s%s%s\n", a.ID, a.Name, form, exception, strings.Join(steps, " → "), cite(a.Cite), mark("approvals/"+a.ID))
		for _, st := range a.Steps {
			if st.Cite.Added() {
				fmt.Fprintf(w, "    承認者 %s%s\n", p.RoleName(st.Role), setting(st.Cite))
			}
		}
		if a.PostHoc {
			fmt.Fprintf(w, "    事後報告は%d日以内%s\n", max(a.ReportWithinDays, 1), setting(a.ReportWithinCite))
		}
		if a.Exception {
			days := a.MaxDays
			if days == 0 {
				days = compliance.DefaultExceptionDays
			}
			fmt.Fprintf(w, "    例外措置は最長%d日%s\n", days, setting(a.MaxDaysCite))
		}
		addedFields(w, a.Fields)
	}
	fmt.Fprintln(w, "\n■ 記録簿")
	for _, l := range p.Logbooks {
		fmt.Fprintf(w, "  %s %s %s%s%s\n", l.ID, l.Name, l.Form, cite(l.Cite), mark("logbooks/"+l.ID))
		addedFields(w, l.Fields)
	}
	fmt.Fprintln(w, "\n■ 事案対応")
	for _, c := range p.Incident.Contacts {
		fmt.Fprintf(w, "  連絡先 %s %s%s\n", c.ID, c.Name, cite(c.Cite))
	}
	for _, r := range p.Incident.Routes {
		fmt.Fprintf(w, "  経路 %s %s（%d段階）%s\n", r.ID, r.Name, len(r.Steps), cite(r.Cite))
		for _, st := range r.Steps {
			if st.Cite.Added() {
				fmt.Fprintf(w, "    %s%s\n", st.Action, setting(st.Cite))
			}
		}
	}
	fmt.Fprintln(w, "\n■ 遵守ルール")
	for _, r := range p.Rules {
		fmt.Fprintf(w, "  %s [%s] %s%s%s\n", r.ID, r.Severity, r.Title, cite(r.Cite), mark("rules/"+r.ID))
	}
	if p.Auth.LockoutAfterFailures > 0 {
		fmt.Fprintf(w, "\n■ ログイン: %d回の失敗でロック%s\n", p.Auth.LockoutAfterFailures, cite(p.Auth.Cite))
	}
	if m := p.Auth.UnlockMinutes(); m > 0 {
		fmt.Fprintf(w, "  ロックは%d分後に自動で解除%s%s\n", m, cite(p.Auth.UnlockCite), setting(p.Auth.UnlockCite))
	} else if p.Auth.Unlock != "" {
		fmt.Fprintf(w, "  ロックは管理者が解除%s%s\n", cite(p.Auth.UnlockCite), setting(p.Auth.UnlockCite))
	}
	if len(p.Auth.MFARoles) > 0 {
		names := make([]string, len(p.Auth.MFARoles))
		for i, r := range p.Auth.MFARoles {
			names[i] = p.RoleName(r)
		}
		fmt.Fprintf(w, "\n■ 多要素認証が必須の役割: %s%s%s%s\n", strings.Join(names, "、"), cite(p.Auth.MFACite), setting(p.Auth.MFACite), mark("auth/mfa"))
	}
	showNotes(w, p.Notes)
	showArticles(w, p)
}

// setting marks an element that is the organisation's setting, not the source's words, with
// its reason.
func setting(c policy.Cite) string {
	if c.Added() {
		return "〔運用上の設定: " + c.Reason + "〕"
	}
	return ""
}

// addedFields lists the fields of a form or logbook that no article states.
func addedFields(w io.Writer, fs []policy.Field) {
	for _, f := range fs {
		if f.Cite.Added() {
			fmt.Fprintf(w, "    項目 %s%s\n", f.Name, setting(f.Cite))
		}
	}
}

// showNotes prints what the pack says about its source.
func showNotes(w io.Writer, notes []policy.Note) {
	if len(notes) == 0 {
		return
	}
	fmt.Fprintln(w, "\n■ 原典についての注記")
	for _, n := range notes {
		fmt.Fprintf(w, "  ［%s］「%s」\n    原典: %s\n    パック: %s\n", n.Article, n.Quote, n.Issue, n.Action)
	}
}

func showDiff(w io.Writer, a, b *policy.Compiled, diffs []policy.Difference) {
	fmt.Fprintf(w, "%s（%s）と %s（%s）の違い: %d件\n", a.ID, a.Organization, b.ID, b.Organization, len(diffs))
	kind := ""
	for _, d := range diffs {
		if d.Kind != kind {
			kind = d.Kind
			fmt.Fprintf(w, "\n■ %s\n", kind)
		}
		switch d.Change {
		case "only_a":
			fmt.Fprintf(w, "  - %s %s — %sのみ%s\n", d.ID, d.Name, a.ID, cite(d.CiteA))
		case "only_b":
			fmt.Fprintf(w, "  + %s %s — %sのみ%s\n", d.ID, d.Name, b.ID, cite(d.CiteB))
		default:
			ja, _ := json.Marshal(d.A)
			jb, _ := json.Marshal(d.B)
			fmt.Fprintf(w, "  ~ %s %s\n      %s%s: %s\n      %s%s: %s\n", d.ID, d.Name, a.ID, cite(d.CiteA), trim(string(ja)), b.ID, cite(d.CiteB), trim(string(jb)))
		}
	}
}

func trim(s string) string {
	if r := []rune(s); len(r) > 300 {
		return string(r[:300]) + "…"
	}
	return s
}

// parseInterspersed parses flags wherever they stand among the arguments ("show ID --json")
// and returns the other arguments in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
