package accessreview

import (
	"strings"

	"mamori/internal/i18n"
	"mamori/internal/inspection"
)

// The workbooks of access reviews, in a language: the list of reviews, and one review's accounts
// with its results by system. They are written with the self-inspection's streaming writer
// (inspection.WriteXLSX), which neutralises text a spreadsheet would take for a formula.

// Table is one worksheet of an export.
type Table = inspection.Table

// ReviewsTable is the list of reviews as a worksheet.
func ReviewsTable(lang i18n.Lang, list []Review) Table {
	t := func(k string, a ...any) string { return i18n.T(lang, k, a...) }
	return Table{
		Name: t("accessreview.title"),
		Head: []string{t("accessreview.field.title"), t("accessreview.field.scope"), t("accessreview.field.target"), t("accessreview.field.opened_on"),
			t("accessreview.field.due_on"), t("accessreview.field.state"), t("accessreview.count.total"), t("accessreview.count.decided"),
			t("accessreview.count.kept"), t("accessreview.count.removed"), t("accessreview.count.changed"), t("accessreview.count.pending"),
			t("accessreview.count.awaiting"), t("accessreview.count.flagged"), t("accessreview.field.opened_by"), t("accessreview.field.pack_version")},
		Rows: func(emit func([]any) error) error {
			for _, v := range list {
				if err := emit([]any{v.Title, t("accessreview.scope." + v.Scope), v.Target(), v.OpenedOn, v.DueOn, t(v.StateKey()),
					v.Counts.Total, v.Counts.Decided, v.Counts.Kept, v.Counts.Removed, v.Counts.Changed, v.Counts.Pending, v.Counts.Awaiting,
					v.Counts.Flagged, v.OpenedBy, v.PackVersion}); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// ItemTables are a review's accounts and its results by system as worksheets.
func ItemTables(lang i18n.Lang, items []Item, systems []SystemResult) []Table {
	t := func(k string, a ...any) string { return i18n.T(lang, k, a...) }
	label := func(prefix, v string) string {
		if v == "" {
			return ""
		}
		return t(prefix + v)
	}
	accounts := Table{
		Name: t("accessreview.export.accounts"),
		Head: []string{t("accessreview.field.system"), t("accessreview.field.login"), t("accessreview.field.kind"), t("accessreview.field.display_name"),
			t("accessreview.field.owner"), t("accessreview.field.department"), t("accessreview.field.last_login_on"), t("accessreview.field.flags"),
			t("accessreview.field.outcome"), t("accessreview.field.reason"), t("accessreview.field.decided_by"), t("accessreview.field.proof_on"),
			t("accessreview.field.proof_by"), t("accessreview.field.proof_note"), t("accessreview.field.status")},
		Rows: func(emit func([]any) error) error {
			for _, it := range items {
				flags := make([]string, len(it.Flags))
				for i, f := range it.Flags {
					flags[i] = t("accessreview.flag." + f)
				}
				if err := emit([]any{it.SystemRef, it.Login, label("accessreview.kind.", it.Kind), it.DisplayName, it.Owner(), it.DepartmentName,
					it.LastLoginOn, strings.Join(flags, "、"), label("accessreview.outcome.", it.Outcome), it.Reason, it.DecidedBy, it.ProofOn,
					it.ProofByName, it.ProofNote, t("accessreview.status." + it.Status())}); err != nil {
					return err
				}
			}
			return nil
		},
	}
	results := Table{
		Name: t("accessreview.results.title"),
		Head: []string{t("accessreview.field.system"), t("accessreview.count.total"), t("accessreview.count.decided"), t("accessreview.count.kept"),
			t("accessreview.count.removed"), t("accessreview.count.changed"), t("accessreview.count.pending"), t("accessreview.count.awaiting"),
			t("accessreview.count.overdue"), t("accessreview.count.flagged")},
		Rows: func(emit func([]any) error) error {
			for _, s := range systems {
				c := s.Counts
				if err := emit([]any{System{Ref: s.SystemRef, Name: s.SystemName}.Label(), c.Total, c.Decided, c.Kept, c.Removed, c.Changed,
					c.Pending, c.Awaiting, c.Overdue, c.Flagged}); err != nil {
					return err
				}
			}
			return nil
		},
	}
	return []Table{accounts, results}
}

// Target is what a review covers: its system or its department.
func (r Review) Target() string {
	if r.Scope == ScopeDepartment {
		return r.DepartmentName
	}
	return System{Ref: r.SystemRef, Name: r.SystemName}.Label()
}

// StateKey is the catalog key of where a review stands: open, overdue or closed.
func (r Review) StateKey() string {
	if r.Overdue {
		return "accessreview.state.overdue"
	}
	return "accessreview.state." + r.State
}
