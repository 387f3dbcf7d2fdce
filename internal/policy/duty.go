package policy

import "strings"

var (
	dutyIntervals = []string{EveryYear, EveryHalf, EveryQuarter, EveryMonth, EveryWeek}
	dutyEvidence  = []string{EvidenceNote, EvidenceFile, EvidenceLogbook, EvidenceChecklist}
)

// duty checks the recurrence of one role duty: a duty without Every is a responsibility the
// policy page shows, and may carry none of the recurrence fields.
func (c *checker) duty(path string, d Duty, seen map[string]bool, inherited bool) {
	if !d.Recurs() {
		if d.ID != "" || d.Month != 0 || d.EveryCite != (Cite{}) || d.Evidence != "" || d.Logbook != "" || len(d.Checklist) > 0 {
			c.add(path+".every", "a duty with an id, month, evidence or checklist must say how often it recurs (every)")
		}
		return
	}
	c.id(path, d.ID, seen)
	if !oneOf(dutyIntervals, d.Every) {
		c.add(path+".every", "every %q is not one of %s", d.Every, strings.Join(dutyIntervals, ", "))
	}
	if d.Month < 0 || d.Month > 12 || (d.Month != 0 && d.Every != EveryYear) {
		c.add(path+".month", "month %d must be 1–12, and only for a yearly duty", d.Month)
	}
	if strings.TrimSpace(d.EveryCite.Article) == "" {
		c.add(path+".every_cite.article", "a recurring duty cites what sets its interval (or origin: added with a reason)")
	}
	c.origin(path+".every_cite", d.EveryCite, inherited)
	if d.Evidence != "" && !oneOf(dutyEvidence, d.Evidence) {
		c.add(path+".evidence", "evidence %q is not one of %s", d.Evidence, strings.Join(dutyEvidence, ", "))
	}
	switch {
	case d.Evidence == EvidenceLogbook && !c.p.hasLogbook(d.Logbook):
		c.add(path+".logbook", "evidence: logbook names a logbook of the pack; %q is not one", d.Logbook)
	case d.Evidence != EvidenceLogbook && d.Logbook != "":
		c.add(path+".logbook", "a logbook is named only with evidence: logbook")
	}
	switch {
	case d.Evidence == EvidenceChecklist && len(d.Checklist) == 0:
		c.add(path+".checklist", "evidence: checklist needs the items to tick")
	case d.Evidence != EvidenceChecklist && len(d.Checklist) > 0:
		c.add(path+".checklist", "checklist items are given only with evidence: checklist")
	}
	for _, item := range d.Checklist {
		if strings.TrimSpace(item) == "" {
			c.add(path+".checklist", "a checklist item is empty")
		}
	}
}

func (p *Pack) hasLogbook(id string) bool {
	for _, l := range p.Logbooks {
		if l.ID == id {
			return true
		}
	}
	return false
}
