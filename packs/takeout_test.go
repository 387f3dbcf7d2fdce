package packs

import (
	"strings"
	"testing"

	"mamori/internal/policy"
)

// Which logbook records a take-out is the pack's to say: 上毛町 keeps 端末等の持ち出し及び持ち込み
// の記録 (第2章 5(1)①オ), the base pack its 記録媒体処理簿. A kind that is taken out and returned
// without such a mark is one whose source names no such 記録簿.
func TestTakeOutLogIsTheOneTheSourceNames(t *testing.T) {
	want := map[string]string{ // pack → returnable kind → logbook
		"koge/take_out": "take_out_bring_in",
		"base/take_out": "media_handling",
		"toki/take_out": "media_handling",
	}
	seen := 0
	for _, p := range mustLoad(t).List() {
		for _, a := range p.Approvals {
			key := p.ID + "/" + a.ID
			got := ""
			if a.TakeOutLog != nil {
				got = a.TakeOutLog.Logbook
				seen++
			}
			if got != want[key] {
				t.Errorf("%s: take-out logbook %q, want %q", key, got, want[key])
			}
			if a.Returnable && a.DueField != "" && a.OutField == "" {
				t.Errorf("%s: a returnable kind with a due date names no take-out day (out_field)", key)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d kinds name a take-out logbook, want %d", seen, len(want))
	}
}

// The 区分 of an incident is shown by a short name in the source's own words — a part of its
// sentence or of the article it cites — and the sentence stays the category's name.
func TestCategoriesHaveShortNamesFromTheSource(t *testing.T) {
	for _, p := range mustLoad(t).List() {
		for _, c := range p.Incident.Categories {
			if c.Short == "" || len([]rune(c.Short)) > len([]rune(c.Name)) {
				t.Errorf("%s: category %s: short name %q, name %q", p.ID, c.ID, c.Short, c.Name)
				continue
			}
			if strings.Contains(normalized(c.Name), normalized(c.Short)) || p.Source == "" || p.Inherited["incident.categories/"+c.ID] {
				continue
			}
			if !strings.Contains(seedText(t, p.Source), normalized(c.Short)) {
				t.Errorf("%s: category %s: short name %q is neither in its name nor in the source", p.ID, c.ID, c.Short)
			}
		}
	}
}

// A pack that breaks the take-out log's contract is refused with the element's path.
func TestTakeOutLogIsChecked(t *testing.T) {
	base := func(log string) string {
		return `id: t
name: t
kind: municipality
version: "1"
roles:
  - {id: staff, name: 職員等, held_by: 職員等, scope: organization, all_staff: true, cite: {article: "1"}}
approvals:
  - id: out
    name: 持ち出し
    subject: asset
    steps: [{role: staff, of: organization}]
    fields:
      - {id: out_on, name: 持ち出し日, type: date, required: true}
      - {id: back_on, name: 返却予定日, type: date, required: true}
    returnable: true
    due_field: back_on
    out_field: out_on
    effect: take_out
` + log + `    cite: {article: "1"}
logbooks:
  - id: book
    name: 記録簿
    fields:
      - {id: item, name: 媒体, type: asset, required: true}
      - {id: at, name: 日時, type: datetime, required: true}
      - {id: act, name: 処理, type: enum, values: [持ち出し, 返却], required: true}
      - {id: note, name: 備考, type: text, required: true}
    cite: {article: "1"}
incident: {report_items: [], plan_approved_by: staff}
`
	}
	_, err := policy.LoadFile("t.yaml", []byte(base(`    take_out_log: {logbook: book, asset: item, at: at, act: act, take_out: 持ち出し, return: 戻し, cite: {article: "1"}}
`)), nil)
	for _, want := range []string{`approvals[out].take_out_log.return`, `required field "note"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to name %s", err, want)
		}
	}
	_, err = policy.LoadFile("t.yaml", []byte(base(`    take_out_log: {logbook: nobook, asset: item, at: at, act: act, take_out: 持ち出し, return: 返却, cite: {article: "1"}}
`)), nil)
	if err == nil || !strings.Contains(err.Error(), `unknown logbook "nobook"`) {
		t.Errorf("error %v, want the unknown logbook named", err)
	}
}

// 山形県's finder disconnects a machine when it is infected (6.1(1)⑬) and changes a leaked
// password (6.7(1)⑤): 「あなたが今すること」 follows the category.
func TestFinderStepsFollowTheCategory(t *testing.T) {
	p := loadPack(t, "yamagata")
	steps := func(category string) []string {
		var out []string
		for _, st := range p.Incident.Triage {
			if st.By == "staff" && st.For(category) {
				out = append(out, st.ID)
			}
		}
		return out
	}
	for category, want := range map[string]string{"": "disconnect,change_password,report", "malware": "disconnect,report",
		"credential_leak": "change_password,report", "suspicious_mail": "report"} {
		if got := strings.Join(steps(category), ","); got != want {
			t.Errorf("category %q: steps %s, want %s", category, got, want)
		}
	}
}
