package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Pledge is a 同意書・誓約書: an undertaking to follow the policy that the pack requires some
// people to sign (上毛町 第2章 5(1)②イ and 山形県 6.2(2)②: 非常勤職員 at their hiring; 岸和田市
// 7(2)②: the staff of a 委託事業者 sent to work for the city). Signers are chosen by employment
// type and by the roles they hold; When says at which events the pledge is due. Its Text is what
// the signer reads and signs; its SHA-256 is kept with every signature, so that a pack version
// that changes the text asks everyone to sign again.
type Pledge struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	// Signers are who must sign.
	Signers Signers `yaml:"signers" json:"signers"`
	// When are the events at which the pledge is due (PledgeOn*).
	When []string `yaml:"when" json:"when"`
	// WhenCite is what an event the article does not name rests on (re-signing after a change
	// of the text, origin: added); empty where the article names every event.
	WhenCite Cite `yaml:"when_cite,omitempty" json:"when_cite,omitzero"`
	// Text is the pledge as the signer reads it.
	Text string `yaml:"text" json:"text"`
	// TextCite is what the text rests on: the source's form, or — as in every shipped source,
	// which requires the pledge but gives no form — origin: added, the organisation's wording of
	// only what the article requires.
	TextCite Cite `yaml:"text_cite,omitempty" json:"text_cite,omitzero"`
	// Cite is the article that requires the pledge.
	Cite Cite `yaml:"cite" json:"cite"`
}

// Signers are who must sign a pledge: staff of the employment types named (org.EmploymentTypes)
// and the holders of the roles named.
type Signers struct {
	Employment []string `yaml:"employment,omitempty" json:"employment,omitempty"`
	Roles      []string `yaml:"roles,omitempty" json:"roles,omitempty"`
}

// Events at which a pledge is due.
const (
	PledgeOnHire          = "hire"           // 採用の際
	PledgeOnContractStart = "contract_start" // 委託の作業開始
	PledgeOnPolicyChange  = "policy_change"  // the text changed: sign again
)

var pledgeEvents = []string{PledgeOnHire, PledgeOnContractStart, PledgeOnPolicyChange}

// employmentTypes are the employment types of a staff record (org.EmploymentTypes; the policy
// package imports nothing of ours).
var employmentTypes = []string{"regular", "fiscal_year", "part_time", "contractor"}

// TextSHA256 is the hex SHA-256 of the pledge's text exactly as the signer reads it.
func (p Pledge) TextSHA256() string {
	sum := sha256.Sum256([]byte(p.Text))
	return hex.EncodeToString(sum[:])
}

// On reports whether the pledge is due at the event.
func (p Pledge) On(event string) bool { return slices.Contains(p.When, event) }

// Binds reports whether a person of the employment type holding the roles must sign.
func (p Pledge) Binds(employment string, roles []string) bool {
	if slices.Contains(p.Signers.Employment, employment) {
		return true
	}
	for _, r := range roles {
		if slices.Contains(p.Signers.Roles, r) {
			return true
		}
	}
	return false
}

// Pledge returns the pack's pledge by id.
func (p *Pack) Pledge(id string) (Pledge, bool) {
	for _, x := range p.Pledges {
		if x.ID == id {
			return x, true
		}
	}
	return Pledge{}, false
}

// pledges checks the pack's pledges: ids, who signs, when, the text and what it rests on.
func (c *checker) pledges() {
	seen := map[string]bool{}
	for i, x := range c.p.Pledges {
		path := elemPath("pledges", i, x.ID)
		c.id(path, x.ID, seen)
		inh := c.p.Inherited["pledges/"+x.ID]
		if strings.TrimSpace(x.Title) == "" {
			c.add(path+".title", "title is missing")
		}
		if strings.TrimSpace(x.Text) == "" {
			c.add(path+".text", "the pledge needs the text its signers read")
		}
		if len(x.Signers.Employment) == 0 && len(x.Signers.Roles) == 0 {
			c.add(path+".signers", "name who must sign: employment types or roles")
		}
		for j, e := range x.Signers.Employment {
			if !oneOf(employmentTypes, e) {
				c.add(fmt.Sprintf("%s.signers.employment[%d]", path, j), "employment %q is not one of %s", e, strings.Join(employmentTypes, ", "))
			}
		}
		for j, r := range x.Signers.Roles {
			c.roleRef(fmt.Sprintf("%s.signers.roles[%d]", path, j), r)
		}
		if len(x.When) == 0 {
			c.add(path+".when", "say when the pledge is due: %s", strings.Join(pledgeEvents, ", "))
		}
		for j, e := range x.When {
			if !oneOf(pledgeEvents, e) {
				c.add(fmt.Sprintf("%s.when[%d]", path, j), "event %q is not one of %s", e, strings.Join(pledgeEvents, ", "))
			}
		}
		c.optionalCite(path+".when", x.WhenCite, inh)
		c.optionalCite(path+".text", x.TextCite, inh)
		c.cite(path, x.Cite, inh)
	}
}
