package policy

import (
	"os"
	"strings"
	"testing"
)

const townTraining = `training:
  planned_by: [chief]
  report_to: [ciso]
  courses:
    - id: all
      name: 全職員研修
      format: elearning
      audience: {employment: [regular, fiscal_year]}
      run_by: chief
      month: 9
      month_cite: {article: "5(2)", origin: added, reason: 時期の定めがない}
      cite: {article: "5(2)", quote: "研修を実施"}
    - id: drill
      name: 緊急時対応訓練
      format: drill
      incident_plan: true
      audience: {roles: [manager], system_roles: true}
      run_by: manager
      cite: {article: "5(3)", quote: "訓練を実施"}
`

func townWithTraining(t *testing.T, from, to string) string {
	t.Helper()
	base, err := os.ReadFile("testdata/good/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(base), "\nincident:", "\n"+strings.Replace(townTraining, from, to, 1)+"incident:", 1)
	return s
}

func TestTrainingCoursesLoad(t *testing.T) {
	p, err := loadOne(t, townWithTraining(t, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := p.Course("drill")
	if !ok || c.DueMonth() != 3 || !c.IncidentPlan || !c.Audience.SystemRoles {
		t.Fatalf("drill = %+v, %v", c, ok)
	}
	if c, _ := p.Course("all"); c.DueMonth() != 9 {
		t.Fatalf("all due in %d", c.DueMonth())
	}
	kinds := map[string]int{}
	for _, e := range p.Elements() {
		kinds[e.Kind]++
	}
	if kinds["course"] != 2 || kinds["course_month"] != 1 {
		t.Fatalf("elements by kind %v", kinds)
	}
}

func TestTrainingProblemsNameTheCourse(t *testing.T) {
	for _, c := range []struct{ name, from, to, path, message string }{
		{"unknown format", "format: elearning", "format: webinar", "training.courses[all].format", `format "webinar"`},
		{"unknown employment", "employment: [regular, fiscal_year]", "employment: [intern]", "training.courses[all].audience.employment[0]", `employment "intern"`},
		{"unknown role in the audience", "roles: [manager]", "roles: [boss]", "training.courses[drill].audience.roles[0]", `unknown role "boss"`},
		{"unknown runner", "run_by: manager", "run_by: boss", "training.courses[drill].run_by", `unknown role "boss"`},
		{"month out of range", "month: 9", "month: 13", "training.courses[all].month", "1–12"},
		{"no quote", `quote: "訓練を実施"`, `quote: ""`, "training.courses[drill].cite.quote", "quote the source"},
		{"drill only rehearses the plan", "format: drill", "format: classroom", "training.courses[drill].incident_plan", "only a drill"},
		{"no audience", "audience: {roles: [manager], system_roles: true}", "audience: {}", "training.courses[drill].audience", "who takes the course"},
		{"unknown planner", "planned_by: [chief]", "planned_by: [mayor]", "training.planned_by[0]", `unknown role "mayor"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadOne(t, townWithTraining(t, c.from, c.to))
			if err == nil || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.message) {
				t.Fatalf("err = %v, want %s: %s", err, c.path, c.message)
			}
		})
	}
}
