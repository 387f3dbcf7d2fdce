package packs

import (
	"slices"
	"strings"
	"testing"
)

// The audit roles, the exception kind and the approvers of a 再発防止計画 were once found by
// their ids ("audit" in a role id, the kind "exception", else the role "ciso"). The packs now
// mark them; these tests hold every shipped pack to what the ids gave, so that no role gains or
// loses the audit log and no kind gains or loses the exception register.

func TestAuditorMarksAreTheRolesTheIDsNamed(t *testing.T) {
	want := map[string][]string{
		"base":         {"auditor"},
		"toki":         {"auditor"},
		"koge":         {"chief_auditor"},
		"kishiwada":    {"audit_chief"},
		"yamagata":     {"audit_team"},
		"abira-kyoiku": nil,
	}
	lib := mustLoad(t)
	if len(lib.List()) != len(want) {
		t.Fatalf("%d packs shipped, want %d: add the new pack here", len(lib.List()), len(want))
	}
	for _, p := range lib.List() {
		var marked []string
		for _, r := range p.Roles {
			if byID := strings.Contains(r.ID, "audit"); byID != r.Auditor {
				t.Errorf("%s: role %s: auditor mark %v, but its id said %v", p.ID, r.ID, r.Auditor, byID)
			}
			if r.Auditor {
				marked = append(marked, r.ID)
			}
		}
		if w, ok := want[p.ID]; !ok || !slices.Equal(marked, w) {
			t.Errorf("%s: audit roles %v, want %v", p.ID, marked, w)
		}
	}
}

func TestExceptionKindIsTheKindOnceNamedSo(t *testing.T) {
	for _, p := range mustLoad(t).List() {
		_, byID := p.Approval("exception")
		a, marked := p.ExceptionKind()
		if byID != marked || (marked && a.ID != "exception") {
			t.Errorf("%s: exception kind %q (%v), but a kind with the id exception: %v", p.ID, a.ID, marked, byID)
		}
		for _, x := range p.Approvals {
			if x.ID != "exception" && x.Mark() != "" {
				t.Errorf("%s: kind %s marked %q", p.ID, x.ID, x.Mark())
			}
		}
	}
}

func TestPlanApproversAreThoseTheCISODefaultGave(t *testing.T) {
	for _, p := range mustLoad(t).List() {
		var former []string
		if a, ok := p.Approval(p.Incident.PlanApproval); ok {
			for _, st := range a.Steps {
				former = append(former, st.Role)
			}
		} else if p.Incident.PlanApprovedBy != "" {
			former = []string{p.Incident.PlanApprovedBy}
		} else {
			former = []string{"ciso"}
		}
		if got, _ := p.PlanApprovers(); len(got) == 0 || !slices.Equal(got, former) {
			t.Errorf("%s: plan approvers %v, want %v", p.ID, got, former)
		}
	}
}
