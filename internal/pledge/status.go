package pledge

import (
	"context"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/policy"
)

// Filter narrows the status list.
type Filter struct {
	PledgeID     string
	DepartmentID int64
	// State is one of States, StateAll for every state, or empty for those still to sign
	// (unsigned and to sign again).
	State string
}

// StateAll asks the status list for every state.
const StateAll = "all"

// Count is how many people a pledge binds and where they stand.
type Count struct {
	Bound    int `json:"bound"`
	Signed   int `json:"signed"`
	Unsigned int `json:"unsigned"`
	Resign   int `json:"resign"`
}

func (c *Count) add(state string) {
	c.Bound++
	switch state {
	case Signed:
		c.Signed++
	case Unsigned:
		c.Unsigned++
	case Resign:
		c.Resign++
	}
}

// Pending is how many still have to sign.
func (c Count) Pending() int { return c.Unsigned + c.Resign }

// DepartmentCount is a pledge's count in one department.
type DepartmentCount struct {
	DepartmentID   int64  `json:"department_id"`
	DepartmentName string `json:"department_name"`
	Count
}

// PledgeStatus is one pledge of the pack with its counts over the people the reader sees.
type PledgeStatus struct {
	Pledge      policy.Pledge     `json:"pledge"`
	TextSHA256  string            `json:"text_sha256"`
	Count       Count             `json:"count"`
	Departments []DepartmentCount `json:"departments"`
}

// Board is the status page: every pledge with its counts, and the people of the filter.
type Board struct {
	Pledges []PledgeStatus `json:"pledges"`
	Items   []Item         `json:"items"`
}

// state is where a person stands with the pledge given their signatures of it, oldest first.
func state(x policy.Pledge, sum string, sigs []Signature) (string, *Signature) {
	if len(sigs) == 0 {
		return Unsigned, nil
	}
	last := sigs[len(sigs)-1]
	for _, g := range sigs {
		if g.TextSHA256 == sum {
			return Signed, &last
		}
	}
	if x.On(policy.PledgeOnPolicyChange) {
		return Resign, &last
	}
	return Signed, &last
}

// items returns, for every person the reader sees (one when staffID is not 0), an item per
// pledge of the pack that binds them today.
func (s *Service) items(ctx context.Context, p *policy.Compiled, who access.Actor, staffID int64) ([]Item, error) {
	day := today(s.now())
	r := reachOf(who)
	sc := scope{staff: staffID}
	if staffID == 0 && !r.all {
		sc = scope{depts: r.depts, self: who.StaffID, some: true}
	}
	ps, err := people(ctx, s.DB.SQL, who.OrgID, sc, day)
	if err != nil {
		return nil, err
	}
	sigs, err := signatures(ctx, s.DB.SQL, who.OrgID, sc, false)
	if err != nil {
		return nil, err
	}
	type key struct {
		staff  int64
		pledge string
	}
	by := map[key][]Signature{}
	for _, g := range sigs {
		k := key{g.StaffID, g.PledgeID}
		by[k] = append(by[k], g)
	}
	sums := map[string]string{}
	for _, x := range p.Pledges {
		sums[x.ID] = x.TextSHA256()
	}
	var out []Item
	for _, pr := range ps {
		if !pr.current(day) || !r.sees(pr.id, pr.deptID) {
			continue
		}
		for _, x := range p.Pledges {
			if !x.Binds(pr.employment, pr.roles) {
				continue
			}
			st, last := state(x, sums[x.ID], by[key{pr.id, x.ID}])
			it := Item{PledgeID: x.ID, Title: x.Title, StaffID: pr.id, EmployeeNo: pr.employeeNo, Name: pr.name,
				Employment: pr.employment, DepartmentID: pr.deptID, DepartmentName: pr.deptName, State: st, Last: last}
			if x.On(policy.PledgeOnHire) || x.On(policy.PledgeOnContractStart) {
				it.DueOn = pr.hiredOn
			}
			out = append(out, it)
		}
	}
	return out, nil
}

// Status returns the pledges of the pack with their counts by department over the people the
// reader sees, and those of the filter. A reader who sees only themselves gets their own.
func (s *Service) Status(ctx context.Context, who access.Actor, f Filter) (Board, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Board{}, err
	}
	if f.PledgeID != "" {
		if _, ok := p.Pledge(f.PledgeID); !ok {
			return Board{}, apperr.InvalidField("pledge_id", "pledges.error.unknown_pledge", f.PledgeID)
		}
	}
	if f.State != "" && f.State != StateAll && !oneOf(States, f.State) {
		return Board{}, apperr.InvalidField("state", "pledges.error.state", f.State)
	}
	all, err := s.items(ctx, p, who, 0)
	if err != nil {
		return Board{}, err
	}
	b := Board{Pledges: []PledgeStatus{}, Items: []Item{}}
	at := map[string]int{}
	for _, x := range p.Pledges {
		at[x.ID] = len(b.Pledges)
		b.Pledges = append(b.Pledges, PledgeStatus{Pledge: x, TextSHA256: x.TextSHA256(), Departments: []DepartmentCount{}})
	}
	dept := map[string]map[int64]int{}
	for _, it := range all {
		ps := &b.Pledges[at[it.PledgeID]]
		ps.Count.add(it.State)
		if dept[it.PledgeID] == nil {
			dept[it.PledgeID] = map[int64]int{}
		}
		i, ok := dept[it.PledgeID][it.DepartmentID]
		if !ok {
			i = len(ps.Departments)
			dept[it.PledgeID][it.DepartmentID] = i
			ps.Departments = append(ps.Departments, DepartmentCount{DepartmentID: it.DepartmentID, DepartmentName: it.DepartmentName})
		}
		ps.Departments[i].Count.add(it.State)
		if (f.PledgeID == "" || f.PledgeID == it.PledgeID) && (f.DepartmentID == 0 || f.DepartmentID == it.DepartmentID) &&
			(f.State == StateAll || f.State == it.State || f.State == "" && Pending(it.State)) {
			b.Items = append(b.Items, it)
		}
	}
	return b, nil
}

func oneOf(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Mine returns the actor's own pledges, every state; none for a user linked to no staff record.
func (s *Service) Mine(ctx context.Context, who access.Actor) ([]Item, error) {
	out := []Item{}
	if who.StaffID == 0 {
		return out, nil
	}
	p, err := s.Policy.Optional(ctx, who.OrgID)
	if err != nil || p == nil {
		return out, err
	}
	items, err := s.items(ctx, p, who, who.StaffID)
	return append(out, items...), err
}

// Record is one person's pledges and every signature they made, for their history page.
type Record struct {
	StaffID        int64       `json:"staff_id"`
	EmployeeNo     string      `json:"employee_no"`
	Name           string      `json:"name"`
	Employment     string      `json:"employment"`
	DepartmentName string      `json:"department_name,omitempty"`
	HiredOn        string      `json:"hired_on,omitempty"`
	Items          []Item      `json:"items"`
	Signatures     []Signature `json:"signatures"` // newest first
}

// Person returns a person's pledges and history; not found for a reader who does not see them.
func (s *Service) Person(ctx context.Context, who access.Actor, staffID int64) (Record, error) {
	p, err := s.Policy.Required(ctx, who.OrgID)
	if err != nil {
		return Record{}, err
	}
	ps, err := people(ctx, s.DB.SQL, who.OrgID, scope{staff: staffID}, today(s.now()))
	if err != nil {
		return Record{}, err
	}
	if len(ps) == 0 || !reachOf(who).sees(ps[0].id, ps[0].deptID) {
		return Record{}, apperr.New(apperr.NotFound, "error.not_found")
	}
	pr := ps[0]
	rec := Record{StaffID: pr.id, EmployeeNo: pr.employeeNo, Name: pr.name, Employment: pr.employment,
		DepartmentName: pr.deptName, HiredOn: pr.hiredOn, Items: []Item{}, Signatures: []Signature{}}
	items, err := s.items(ctx, p, who, staffID)
	if err != nil {
		return Record{}, err
	}
	rec.Items = append(rec.Items, items...)
	sigs, err := signatures(ctx, s.DB.SQL, who.OrgID, scope{staff: staffID}, true)
	if err != nil {
		return Record{}, err
	}
	for i := len(sigs) - 1; i >= 0; i-- {
		rec.Signatures = append(rec.Signatures, sigs[i])
	}
	return rec, nil
}
