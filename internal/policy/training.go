package policy

import (
	"fmt"
	"strings"
)

// Training is what the pack says of 研修・訓練: the courses the year's plan is made from, who
// makes and runs the plan, and to whom its completion is reported (上毛町 第2章 5(2): the
// 情報化推進委員会 plans training for every 職員等, the 情報セキュリティ管理者 trains new recruits,
// the ネットワーク管理者 runs the 緊急時対応訓練).
type Training struct {
	// PlannedBy are the roles whose holders make the year's plan, its sessions and record
	// attendance for every course.
	PlannedBy []string `yaml:"planned_by,omitempty" json:"planned_by,omitempty"`
	// ReportTo are the roles whose holders read the completion of every course (the CISO, the
	// 統括情報セキュリティ責任者, the 委員会), beside the organisation-wide security roles.
	ReportTo []string `yaml:"report_to,omitempty" json:"report_to,omitempty"`
	Courses  []Course `yaml:"courses,omitempty" json:"courses,omitempty"`
	Cite     Cite     `yaml:"cite,omitempty" json:"cite,omitzero"`
}

// Course is one 研修 or 訓練 the plan holds every year.
type Course struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Format is how it is taken: classroom (集合), elearning (e-ラーニング) or drill (訓練).
	Format   string   `yaml:"format" json:"format"`
	Audience Audience `yaml:"audience" json:"audience"`
	// RunBy is the role whose holders run the course (the ネットワーク管理者 for the drill, the
	// 情報セキュリティ管理者 for new recruits); they plan its sessions and take roll call.
	RunBy string `yaml:"run_by,omitempty" json:"run_by,omitempty"`
	// Month is the month (1–12) by whose end the course is to be completed; 0 means March, the
	// end of the fiscal year. MonthCite is what it rests on (usually origin: added).
	Month     int  `yaml:"month,omitempty" json:"month,omitempty"`
	MonthCite Cite `yaml:"month_cite,omitempty" json:"month_cite,omitzero"`
	// IncidentPlan marks a drill of the 緊急時対応計画: its page shows the pack's incident routes.
	IncidentPlan bool     `yaml:"incident_plan,omitempty" json:"incident_plan,omitempty"`
	Topics       []string `yaml:"topics,omitempty" json:"topics,omitempty"`
	Cite         Cite     `yaml:"cite" json:"cite"`
}

// Audience says who must take a course: staff of the employment types named (職員区分), the
// holders of the roles named (管理職), the holders of any system-scoped role (システム担当) —
// and, when Joiners is given, of those only the people who joined that way in the fiscal year
// (hire: 新規採用; transfer: 異動 in April).
type Audience struct {
	Employment  []string `yaml:"employment,omitempty" json:"employment,omitempty"`
	Roles       []string `yaml:"roles,omitempty" json:"roles,omitempty"`
	SystemRoles bool     `yaml:"system_roles,omitempty" json:"system_roles,omitempty"`
	Joiners     []string `yaml:"joiners,omitempty" json:"joiners,omitempty"`
}

// Course formats.
const (
	FormatClassroom = "classroom"
	FormatELearning = "elearning"
	FormatDrill     = "drill"
)

// Joiner kinds an audience may be limited to.
const (
	JoinerHire     = "hire"
	JoinerTransfer = "transfer"
)

var (
	courseFormats = []string{FormatClassroom, FormatELearning, FormatDrill}
	employments   = []string{"regular", "fiscal_year", "part_time", "contractor"}
	joinerKinds   = []string{JoinerHire, JoinerTransfer}
)

// Course finds a course of the pack by id.
func (p *Pack) Course(id string) (Course, bool) {
	for _, c := range p.Training.Courses {
		if c.ID == id {
			return c, true
		}
	}
	return Course{}, false
}

// DueMonth is the month the course is due, March when the pack gives none.
func (c Course) DueMonth() int {
	if c.Month == 0 {
		return 3
	}
	return c.Month
}

// training checks the training section: roles named exist, each course has a known format,
// a known audience and cites its article.
func (c *checker) training() {
	t := c.p.Training
	for i, id := range t.PlannedBy {
		c.roleRef(fmt.Sprintf("training.planned_by[%d]", i), id)
	}
	for i, id := range t.ReportTo {
		c.roleRef(fmt.Sprintf("training.report_to[%d]", i), id)
	}
	if len(t.Courses) > 0 && len(t.PlannedBy) == 0 {
		c.add("training.planned_by", "name the roles that make the year's training plan")
	}
	if t.Cite != (Cite{}) {
		c.cite("training", t.Cite, c.p.Inherited["training"])
	}
	seen := map[string]bool{}
	for i, x := range t.Courses {
		path := elemPath("training.courses", i, x.ID)
		inherited := c.p.Inherited["training.courses/"+x.ID]
		c.id(path, x.ID, seen)
		if strings.TrimSpace(x.Name) == "" {
			c.add(path+".name", "name is missing")
		}
		if !oneOf(courseFormats, x.Format) {
			c.add(path+".format", "format %q is not one of %s", x.Format, strings.Join(courseFormats, ", "))
		}
		c.roleRef(path+".run_by", x.RunBy)
		a := x.Audience
		for j, e := range a.Employment {
			if !oneOf(employments, e) {
				c.add(fmt.Sprintf("%s.audience.employment[%d]", path, j), "employment %q is not one of %s", e, strings.Join(employments, ", "))
			}
		}
		for j, r := range a.Roles {
			c.roleRef(fmt.Sprintf("%s.audience.roles[%d]", path, j), r)
		}
		for j, k := range a.Joiners {
			if !oneOf(joinerKinds, k) {
				c.add(fmt.Sprintf("%s.audience.joiners[%d]", path, j), "joiners %q is not one of %s", k, strings.Join(joinerKinds, ", "))
			}
		}
		if len(a.Employment) == 0 && len(a.Roles) == 0 && !a.SystemRoles && len(a.Joiners) == 0 {
			c.add(path+".audience", "say who takes the course: employment, roles, system_roles or joiners")
		}
		if x.Month < 0 || x.Month > 12 {
			c.add(path+".month", "month %d must be 1–12", x.Month)
		}
		if x.Month != 0 {
			if strings.TrimSpace(x.MonthCite.Article) == "" {
				c.add(path+".month_cite.article", "a month cites what sets it (or origin: added with a reason)")
			}
			c.origin(path+".month_cite", x.MonthCite, inherited)
		}
		if x.IncidentPlan && x.Format != FormatDrill {
			c.add(path+".incident_plan", "only a drill rehearses the incident plan")
		}
		c.cite(path, x.Cite, inherited)
	}
}

// mergeTraining lays a child's training over its parent's: courses by id, the roles when the
// child names none.
func mergeTraining(parent, child Training, inherited map[string]bool) Training {
	out := child
	out.Courses = mergeByID(parent.Courses, child.Courses, func(c Course) string { return c.ID }, "training.courses", inherited)
	if len(child.PlannedBy) == 0 {
		out.PlannedBy = parent.PlannedBy
	}
	if len(child.ReportTo) == 0 {
		out.ReportTo = parent.ReportTo
	}
	if child.Cite == (Cite{}) && parent.Cite != (Cite{}) {
		out.Cite = parent.Cite
		inherited["training"] = true
	}
	return out
}
