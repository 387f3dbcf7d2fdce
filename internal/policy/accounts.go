package policy

import (
	"fmt"
	"reflect"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
)

// Accounts is what a pack says of the accounts of the organisation's information systems
// (利用者ID, 特権ID): who besides a system's own role holders keeps them, who alone records the
// change of a privileged ID's password, the approval kind by which an ID is issued, and the
// rules each account must meet.
type Accounts struct {
	// ManagedBy are the roles that keep the accounts of every system (ネットワーク管理者).
	ManagedBy []string `yaml:"managed_by,omitempty" json:"managed_by,omitempty"`
	// PasswordBy are the roles that alone record the change of a privileged ID's password
	// (上毛町 ウ(ウ): not a contractor, the ネットワーク管理者). Empty: whoever keeps the account.
	PasswordBy []string `yaml:"password_by,omitempty" json:"password_by,omitempty"`
	// IssueApproval is the approval kind by which an ID is issued, when the pack has one.
	IssueApproval string        `yaml:"issue_approval,omitempty" json:"issue_approval,omitempty"`
	Rules         []AccountRule `yaml:"rules,omitempty" json:"rules,omitempty"`
	Cite          Cite          `yaml:"cite,omitempty" json:"cite,omitempty"`
}

// Defined reports whether the pack says anything of accounts.
func (a Accounts) Defined() bool { return len(a.Rules) > 0 || len(a.ManagedBy) > 0 }

// AccountRule is a rule over one account and its owner, in CEL with the variables `account`
// (AccountRecord) and `owner` (OwnerRecord):
//
//	when:    account.kind == 'personal' && owner.exists
//	require: !owner.left
type AccountRule struct {
	ID       string `yaml:"id" json:"id"`
	When     string `yaml:"when,omitempty" json:"when,omitempty"`
	Require  string `yaml:"require" json:"require"`
	Severity string `yaml:"severity" json:"severity"`
	Title    string `yaml:"title" json:"title"`
	Cite     Cite   `yaml:"cite" json:"cite"`
}

// AccountRecord is an account as an account rule sees it. Days are whole days up to the day of
// evaluation; -1 when the day is not known.
type AccountRecord struct {
	System            string `cel:"system"`
	Login             string `cel:"login"`
	Kind              string `cel:"kind"` // personal, privileged, shared, emergency, service
	HasOwner          bool   `cel:"has_owner"`
	Responsible       string `cel:"responsible"` // the named responsible person of a non-personal account
	HasDeputy         bool   `cel:"has_deputy"`
	HasApproval       bool   `cel:"has_approval"`
	GrantedOn         string `cel:"granted_on"`
	DaysSinceLogin    int64  `cel:"days_since_login"`
	DaysSincePassword int64  `cel:"days_since_password"`
	DaysSinceGrant    int64  `cel:"days_since_grant"`
	DaysSinceReview   int64  `cel:"days_since_review"`
}

// OwnerRecord is the owner of an account as an account rule sees it: the staff record now and
// what happened to it since the account was granted.
type OwnerRecord struct {
	Exists            bool   `cel:"exists"`
	Active            bool   `cel:"active"`
	Left              bool   `cel:"left"` // inactive, or a day of 退職 on or before today
	LeftOn            string `cel:"left_on"`
	Employment        string `cel:"employment"`
	Department        string `cel:"department"`          // the department now
	DepartmentAtGrant string `cel:"department_at_grant"` // when the account was granted
	MovedSinceGrant   bool   `cel:"moved_since_grant"`   // a transfer, secondment or return since the grant (org.MovesBetween)
}

// AccountKinds are the kinds of account every pack knows.
var AccountKinds = []string{"personal", "privileged", "shared", "emergency", "service"}

var (
	accountEnvOnce sync.Once
	accountEnv     *cel.Env
	accountEnvErr  error
)

func accountsEnv() (*cel.Env, error) {
	accountEnvOnce.Do(func() {
		accountEnv, accountEnvErr = cel.NewEnv(
			ext.NativeTypes(ext.ParseStructTags(true), reflect.TypeFor[AccountRecord](), reflect.TypeFor[OwnerRecord]()),
			cel.Variable("account", cel.ObjectType(celTypeName(reflect.TypeFor[AccountRecord]()))),
			cel.Variable("owner", cel.ObjectType(celTypeName(reflect.TypeFor[OwnerRecord]()))),
			ext.Strings(),
		)
	})
	return accountEnv, accountEnvErr
}

// AccountProgram is a compiled account rule expression.
type AccountProgram struct {
	Source string
	prg    cel.Program
}

func compileAccount(expr string) (*AccountProgram, error) {
	e, err := accountsEnv()
	if err != nil {
		return nil, err
	}
	checked, iss := e.Compile(expr)
	if iss.Err() != nil {
		return nil, fmt.Errorf("CEL: %v", iss.Err())
	}
	if checked.OutputType() != cel.BoolType {
		return nil, fmt.Errorf("CEL: expression gives %v, want bool", checked.OutputType())
	}
	prg, err := e.Program(checked, cel.CostLimit(CostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, fmt.Errorf("CEL: %v", err)
	}
	return &AccountProgram{Source: expr, prg: prg}, nil
}

// Eval runs the program on an account and its owner.
func (pr *AccountProgram) Eval(a AccountRecord, o OwnerRecord) (bool, error) {
	out, _, err := pr.prg.Eval(map[string]any{"account": a, "owner": o})
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("expression gave %v", out.Type())
	}
	return bool(b), nil
}

// AccountCheck is an account rule compiled.
type AccountCheck struct {
	Rule          AccountRule
	When, Require *AccountProgram
}

// Fails reports whether the account fails the rule: its condition holds (or it has none) and
// its requirement does not.
func (c AccountCheck) Fails(a AccountRecord, o OwnerRecord) (bool, error) {
	if c.When != nil {
		ok, err := c.When.Eval(a, o)
		if err != nil || !ok {
			return false, err
		}
	}
	ok, err := c.Require.Eval(a, o)
	return !ok && err == nil, err
}

// AccountRule returns the account rule by id.
func (p *Pack) AccountRule(id string) (AccountRule, bool) {
	for _, r := range p.Accounts.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return AccountRule{}, false
}

// accounts validates the accounts section and compiles its rules into out.AccountChecks.
func (c *checker) accounts(out *Compiled) {
	a := c.p.Accounts
	if !a.Defined() && a.Cite == (Cite{}) {
		return
	}
	inh := c.p.Inherited["accounts"]
	for i, id := range a.ManagedBy {
		c.roleRef(fmt.Sprintf("accounts.managed_by[%d]", i), id)
	}
	for i, id := range a.PasswordBy {
		c.roleRef(fmt.Sprintf("accounts.password_by[%d]", i), id)
	}
	if _, ok := c.p.Approval(a.IssueApproval); a.IssueApproval != "" && !ok {
		c.add("accounts.issue_approval", "approval %q is unknown", a.IssueApproval)
	}
	if a.Cite != (Cite{}) {
		c.cite("accounts", a.Cite, inh)
	}
	seen := map[string]bool{}
	for i, r := range a.Rules {
		path := elemPath("accounts.rules", i, r.ID)
		c.id(path, r.ID, seen)
		if r.Title == "" {
			c.add(path+".title", "title is missing")
		}
		if !oneOf(severities, r.Severity) {
			c.add(path+".severity", "severity %q is not one of %s", r.Severity, "low, medium, high, critical")
		}
		chk := AccountCheck{Rule: r}
		if r.When != "" {
			prg, err := compileAccount(r.When)
			if err != nil {
				c.add(path+".when", "%v", err)
			}
			chk.When = prg
		}
		if r.Require == "" {
			c.add(path+".require", "require is missing")
		} else if prg, err := compileAccount(r.Require); err != nil {
			c.add(path+".require", "%v", err)
		} else {
			chk.Require = prg
		}
		if chk.Require != nil && (r.When == "" || chk.When != nil) {
			out.AccountChecks = append(out.AccountChecks, chk)
		}
		c.cite(path, r.Cite, inh)
	}
}

// DaysBetween is the number of whole days from the day from (YYYY-MM-DD) to the day of now in
// Japan, or -1 when from is empty or not a date.
func DaysBetween(from string, now time.Time) int64 {
	d, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return -1
	}
	today, _ := time.Parse(time.DateOnly, now.In(tokyo).Format(time.DateOnly))
	return int64(today.Sub(d).Hours() / 24)
}

var tokyo = func() *time.Location {
	l, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		return time.FixedZone("JST", 9*3600)
	}
	return l
}()
