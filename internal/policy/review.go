package policy

import "fmt"

// Review is what the pack says of the yearly 見直し (policy review): who decides the proposals
// laid before them (上毛町 9(3): 上毛町情報化推進委員会; 安平町 第60条: 最高情報統括責任者; 山形県
// 13.3: 本部; 岸和田市 11(2)②: 委員会), and the article it rests on.
type Review struct {
	// DecidedBy are the roles whose holders decide each proposal of a review.
	DecidedBy []string `yaml:"decided_by,omitempty" json:"decided_by,omitempty"`
	Cite      Cite     `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// ReviewDeciders returns the roles that decide a review's proposals: the pack's, or the CISO's role
// where the pack names none and has one.
func (p *Pack) ReviewDeciders() []string {
	if len(p.Review.DecidedBy) > 0 {
		return p.Review.DecidedBy
	}
	if p.role("ciso") != nil {
		return []string{"ciso"}
	}
	return nil
}

// review checks the review element: the roles it names exist, and it cites its article.
func (c *checker) review() {
	r := c.p.Review
	if len(r.DecidedBy) == 0 && r.Cite == (Cite{}) {
		return
	}
	if len(r.DecidedBy) == 0 {
		c.add("review.decided_by", "name the roles that decide the review's proposals")
	}
	for i, id := range r.DecidedBy {
		if id == "" {
			c.add(fmt.Sprintf("review.decided_by[%d]", i), "role is missing")
			continue
		}
		c.roleRef(fmt.Sprintf("review.decided_by[%d]", i), id)
	}
	c.cite("review", r.Cite, c.p.Inherited["review"])
}
