package packs

import "testing"

// TestTrainingFollowsTheSources: each pack's courses are the ones its source requires, those
// its source is silent on are marked the organisation's setting, and 土岐市 takes what its
// 基本方針 does not say from the base pack.
func TestTrainingFollowsTheSources(t *testing.T) {
	for _, c := range []struct {
		pack    string
		own     []string // courses quoting the source
		added   []string // courses the organisation adds
		drillBy string   // the role that runs the drill of the incident plan, "" for none
	}{
		{"koge", []string{"all-staff", "executives", "system-staff", "new-recruits", "contractors", "emergency-drill"}, []string{"transfers"}, "network_admin"},
		{"kishiwada", []string{"policy", "managers", "procedures", "incident-drill"}, []string{"new-recruits", "transfers"}, "csirt_lead"},
		{"yamagata", []string{"all-staff", "by-duty"}, []string{"new-recruits", "transfers", "incident-drill"}, "csirt_manager"},
		{"abira-kyoiku", []string{"awareness", "school-briefing", "virus", "contractors"}, []string{"new-recruits"}, ""},
		{"toki", []string{"all-staff"}, nil, "network_admin"},
	} {
		t.Run(c.pack, func(t *testing.T) {
			p := loadPack(t, c.pack)
			for _, id := range c.own {
				x, ok := p.Course(id)
				if !ok || x.Cite.Added() || x.Cite.Quote == "" || p.Inherited["training.courses/"+id] {
					t.Errorf("course %s = %+v, %v: want the source's own words", id, x.Cite, ok)
				}
			}
			for _, id := range c.added {
				if x, ok := p.Course(id); !ok || !x.Cite.Added() || x.Cite.Reason == "" {
					t.Errorf("course %s = %+v, %v: want origin added with a reason", id, x.Cite, ok)
				}
			}
			drill := ""
			for _, x := range p.Training.Courses {
				if x.IncidentPlan {
					drill = x.RunBy
				}
				if x.Month != 0 && !x.MonthCite.Added() && x.MonthCite.Quote == "" {
					t.Errorf("course %s: month %d rests on nothing", x.ID, x.Month)
				}
			}
			if drill != c.drillBy {
				t.Errorf("drill run by %q, want %q", drill, c.drillBy)
			}
			if len(p.Training.PlannedBy) == 0 {
				t.Error("nobody plans the training")
			}
		})
	}
	toki := loadPack(t, "toki")
	for _, id := range []string{"new-recruits", "transfers", "emergency-drill"} {
		if !toki.Inherited["training.courses/"+id] {
			t.Errorf("toki's %s is not marked as the base pack's", id)
		}
	}
	if toki.Inherited["training.courses/all-staff"] {
		t.Error("toki's all-staff course, which its 6(5) requires, is marked inherited")
	}
}
