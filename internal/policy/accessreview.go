package policy

import (
	"fmt"
	"slices"
	"strings"
)

// AccessReview is how the organisation reviews the accounts of its systems (棚卸し, アクセス権の
// 見直し): 上毛町 第2章 6(2)①イ(ウ) has the ネットワーク管理者 check 「利用されていない ID が放置
// されないよう」, 岸和田市 5(6)⑥ has access rights 「定期的に検査して」 and 安平町 第34条 and
// 山形県 7.7(1)③ have the IDs of those who move or leave handled by a set method. It says how
// often a review is held and by when it is decided, who opens one, who reviews each account (the
// 課長 of the owner's department, the system's 情報システム管理者), who records that a removal
// or change was done in the system, when an account counts as dormant, and which outcomes an
// account flagged as a leaver's, an orphan or a privileged ID without an owner may be given.
type AccessReview struct {
	// Every is how often a review is held: year, half or quarter (Every*).
	Every     string `yaml:"every,omitempty" json:"every,omitempty"`
	EveryCite Cite   `yaml:"every_cite,omitempty" json:"every_cite,omitempty"`
	// DueDays is how many days after it is opened a review is to be decided and proved.
	DueDays int  `yaml:"due_days,omitempty" json:"due_days,omitempty"`
	DueCite Cite `yaml:"due_cite,omitempty" json:"due_cite,omitempty"`
	// OpenedBy are the roles that open a review: an organisation-scoped role opens any; a
	// system-scoped role opens one of its own system.
	OpenedBy []string `yaml:"opened_by,omitempty" json:"opened_by,omitempty"`
	// Reviewers are who decide each account: a department-scoped role of the account's
	// department (the owner's 課長), a system-scoped role of its system, or an
	// organisation-scoped role for every account. Any one of them decides an account.
	Reviewers []AccessReviewer `yaml:"reviewers,omitempty" json:"reviewers,omitempty"`
	// ProvedBy are the roles that record that a removal or change was done in the system: a
	// system-scoped role for its own system, an organisation-scoped one for any.
	ProvedBy  []string `yaml:"proved_by,omitempty" json:"proved_by,omitempty"`
	ProofCite Cite     `yaml:"proof_cite,omitempty" json:"proof_cite,omitempty"`
	// DormantDays is how many days without a sign-in make an account dormant.
	DormantDays int  `yaml:"dormant_days,omitempty" json:"dormant_days,omitempty"`
	DormantCite Cite `yaml:"dormant_cite,omitempty" json:"dormant_cite,omitempty"`
	// Rules say which outcomes an account with a flag may be given.
	Rules []AccessRule `yaml:"rules,omitempty" json:"rules,omitempty"`
	Cite  Cite         `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// AccessReviewer is a role that reviews accounts.
type AccessReviewer struct {
	Role string `yaml:"role" json:"role"`
	Cite Cite   `yaml:"cite" json:"cite"`
}

// AccessRule is an outcome rule: an account with Flag may be given only the outcomes Allow.
type AccessRule struct {
	Flag  string   `yaml:"flag" json:"flag"`
	Allow []string `yaml:"allow" json:"allow"`
	Text  string   `yaml:"text" json:"text"`
	Cite  Cite     `yaml:"cite" json:"cite"`
}

// Outcomes of an account in a review: 継続, 削除, 変更.
const (
	OutcomeKeep   = "keep"
	OutcomeRemove = "remove"
	OutcomeChange = "change"
)

// AccessOutcomes are the outcomes in the order the review sheet offers them.
var AccessOutcomes = []string{OutcomeKeep, OutcomeRemove, OutcomeChange}

// Flags an account may carry in a review.
const (
	FlagDormant                = "dormant"                  // not signed in for DormantDays
	FlagOrphaned               = "orphaned"                 // nobody owns it
	FlagLeaver                 = "leaver"                   // its owner has left
	FlagMoved                  = "moved"                    // its owner now works in another department
	FlagPrivilegedWithoutOwner = "privileged_without_owner" // a 特権ID nobody is named for
)

// AccessFlags are the flags in the order the pages show them.
var AccessFlags = []string{FlagLeaver, FlagMoved, FlagOrphaned, FlagPrivilegedWithoutOwner, FlagDormant}

// Defined reports whether the pack holds access reviews.
func (a AccessReview) Defined() bool { return len(a.Reviewers) > 0 }

// Allowed reports whether an account with the given flags may be given outcome, and if not the
// rule that forbids it.
func (a AccessReview) Allowed(flags []string, outcome string) (AccessRule, bool) {
	for _, r := range a.Rules {
		if slices.Contains(flags, r.Flag) && !slices.Contains(r.Allow, outcome) {
			return r, false
		}
	}
	return AccessRule{}, true
}

// mergeAccessReview lays a child's access review over its parent's part by part.
func mergeAccessReview(parent, child AccessReview, inherited map[string]bool) AccessReview {
	out := child
	if !parent.Defined() {
		return out
	}
	if !child.Defined() && child.Cite == (Cite{}) && child.Every == "" && len(child.Rules) == 0 {
		inherited["access_review"] = true
	}
	take := func(key string, empty bool, set func()) {
		if empty {
			set()
			inherited["access_review/"+key] = true
		}
	}
	take("every", out.Every == "", func() { out.Every, out.EveryCite = parent.Every, parent.EveryCite })
	take("due_days", out.DueDays == 0, func() { out.DueDays, out.DueCite = parent.DueDays, parent.DueCite })
	take("opened_by", len(out.OpenedBy) == 0, func() { out.OpenedBy = parent.OpenedBy })
	take("reviewers", len(out.Reviewers) == 0, func() { out.Reviewers = parent.Reviewers })
	take("proved_by", len(out.ProvedBy) == 0, func() { out.ProvedBy, out.ProofCite = parent.ProvedBy, parent.ProofCite })
	take("dormant_days", out.DormantDays == 0, func() { out.DormantDays, out.DormantCite = parent.DormantDays, parent.DormantCite })
	take("rules", len(out.Rules) == 0, func() { out.Rules = parent.Rules })
	take("cite", out.Cite.Article == "" && out.Cite.Origin == "", func() { out.Cite = parent.Cite })
	return out
}

// accessReview checks the access review element: its interval, the roles it names, the flags
// and outcomes of its rules, and that every part cites what it rests on.
func (c *checker) accessReview() {
	a := c.p.AccessReview
	if !a.Defined() && a.Every == "" && len(a.Rules) == 0 && len(a.OpenedBy) == 0 {
		return
	}
	inh := func(key string) bool {
		return c.p.Inherited["access_review"] || c.p.Inherited["access_review/"+key]
	}
	c.cite("access_review", a.Cite, inh("cite"))
	if !oneOf([]string{EveryYear, EveryHalf, EveryQuarter}, a.Every) {
		c.add("access_review.every", "every %q is not one of year, half, quarter", a.Every)
	}
	c.cite("access_review.every", a.EveryCite, inh("every"))
	if a.DueDays < 1 || a.DueDays > 180 {
		c.add("access_review.due_days", "due_days %d must be 1–180", a.DueDays)
	}
	c.cite("access_review.due_days", a.DueCite, inh("due_days"))
	if len(a.Reviewers) == 0 {
		c.add("access_review.reviewers", "name at least one role that reviews the accounts")
	}
	seen := map[string]bool{}
	for i, r := range a.Reviewers {
		path := fmt.Sprintf("access_review.reviewers[%d]", i)
		if r.Role == "" {
			c.add(path+".role", "role is missing")
		} else if seen[r.Role] {
			c.add(path+".role", "role %q is named twice", r.Role)
		}
		seen[r.Role] = true
		c.roleRef(path+".role", r.Role)
		if x := c.p.role(r.Role); x != nil && x.AllStaff {
			c.add(path+".role", "role %q is held by every member of staff; name a role that answers for the accounts", r.Role)
		}
		c.cite(path, r.Cite, inh("reviewers"))
	}
	roles := func(key string, list []string) {
		if len(list) == 0 {
			c.add("access_review."+key, "name at least one role")
		}
		for i, r := range list {
			c.roleRef(fmt.Sprintf("access_review.%s[%d]", key, i), r)
		}
	}
	roles("opened_by", a.OpenedBy)
	roles("proved_by", a.ProvedBy)
	c.cite("access_review.proved_by", a.ProofCite, inh("proved_by"))
	if a.DormantDays < 1 || a.DormantDays > 3*366 {
		c.add("access_review.dormant_days", "dormant_days %d must be 1–1098", a.DormantDays)
	}
	c.cite("access_review.dormant_days", a.DormantCite, inh("dormant_days"))
	flags := map[string]bool{}
	for i, r := range a.Rules {
		path := fmt.Sprintf("access_review.rules[%d]", i)
		switch {
		case !oneOf(AccessFlags, r.Flag):
			c.add(path+".flag", "flag %q is not one of %s", r.Flag, strings.Join(AccessFlags, ", "))
		case flags[r.Flag]:
			c.add(path+".flag", "flag %q has two rules", r.Flag)
		}
		flags[r.Flag] = true
		if len(r.Allow) == 0 {
			c.add(path+".allow", "name the outcomes an account so flagged may be given")
		}
		for j, o := range r.Allow {
			if !oneOf(AccessOutcomes, o) {
				c.add(fmt.Sprintf("%s.allow[%d]", path, j), "outcome %q is not one of %s", o, strings.Join(AccessOutcomes, ", "))
			}
		}
		if strings.TrimSpace(r.Text) == "" {
			c.add(path+".text", "text is missing")
		}
		c.cite(path, r.Cite, inh("rules"))
	}
}
