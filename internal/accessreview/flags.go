package accessreview

import (
	"time"

	"mamori/internal/policy"
)

// Account is what the flags are read from of an account.
type Account struct {
	Kind            string // personal, privileged, shared, emergency, service
	HasOwner        bool   // a staff record owns it
	ResponsibleName string // the named responsible person of a non-personal account
	DepartmentID    int64  // the department the account was granted for, 0 if none
	LastLoginOn     string // YYYY-MM-DD, "" if never
	GrantedOn       string // YYYY-MM-DD, "" if unknown
}

// Owner is what the flags are read from of the owner's staff record.
type Owner struct {
	Known        bool // the account has an owning staff record
	Active       bool
	LeftOn       string // YYYY-MM-DD, "" if not left
	DepartmentID int64
}

// Flags are what a review flags of an account on day (YYYY-MM-DD): its owner has left (the
// staff record is inactive, or its leaving day has come); its owner now works in another
// department than the one the account was granted for; nobody owns it; it is a privileged ID
// nobody is named for; or it has not been used for dormantDays (counted from its grant when it
// was never used).
func Flags(a Account, o Owner, dormantDays int, day string) []string {
	out := []string{}
	named := a.HasOwner || a.ResponsibleName != ""
	switch {
	case o.Known && (!o.Active || (o.LeftOn != "" && o.LeftOn <= day)):
		out = append(out, policy.FlagLeaver)
	case o.Known && a.DepartmentID != 0 && o.DepartmentID != 0 && o.DepartmentID != a.DepartmentID:
		out = append(out, policy.FlagMoved)
	}
	if !named {
		if a.Kind == "privileged" {
			out = append(out, policy.FlagPrivilegedWithoutOwner)
		} else {
			out = append(out, policy.FlagOrphaned)
		}
	}
	if dormantDays > 0 {
		since := a.LastLoginOn
		if since == "" {
			since = a.GrantedOn
		}
		if t, err := time.Parse(time.DateOnly, day); err == nil && since != "" &&
			since < t.AddDate(0, 0, -dormantDays).Format(time.DateOnly) {
			out = append(out, policy.FlagDormant)
		}
	}
	return out
}
