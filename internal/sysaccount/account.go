// Package sysaccount keeps the accounts of the organisation's information systems (システムの
// 利用者ID, 特権ID): for each system of the register, each account with its kind, its owner, the
// approval that granted it, its last review and, for a privileged ID, its password change and who
// acts for the ネットワーク管理者; the pack's account rules over them (退職者・異動者のID, 所有者の
// いないID, 長期未使用のID …) and the import of a system's account list.
package sysaccount

import (
	"time"

	"mamori/internal/orgpolicy"
	"mamori/internal/store"
)

// Kinds of account: 個人, 特権, 共用, 緊急用, サービス.
const (
	KindPersonal   = "personal"
	KindPrivileged = "privileged"
	KindShared     = "shared"
	KindEmergency  = "emergency"
	KindService    = "service"
)

// Kinds lists the kinds in the order lists show them.
var Kinds = []string{KindPersonal, KindPrivileged, KindShared, KindEmergency, KindService}

// States of an account: in use, or removed (抹消; never deleted).
const (
	StateActive  = "active"
	StateRemoved = "removed"
)

// Account is one account of an information system.
type Account struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"org_id"`
	SystemRef string `json:"system_ref"`
	Login     string `json:"login"`
	Kind      string `json:"kind"`
	// DisplayName is the account's name as the system shows it.
	DisplayName  string `json:"display_name,omitempty"`
	OwnerStaffID int64  `json:"owner_staff_id,omitempty"`
	// ResponsibleName names the person answerable for a non-personal account when no staff
	// record owns it (a contractor's engineer, a post).
	ResponsibleName string `json:"responsible_name,omitempty"`
	// DepartmentID is the owner's department when the account was granted.
	DepartmentID int64 `json:"department_id,omitempty"`
	// GrantedRequestID is the request of the pack's kind for issuing IDs that granted it;
	// ApprovalRef names a paper approval instead.
	GrantedRequestID  int64  `json:"granted_request_id,omitempty"`
	ApprovalRef       string `json:"approval_ref,omitempty"`
	GrantedOn         string `json:"granted_on,omitempty"`
	LastLoginOn       string `json:"last_login_on,omitempty"`
	LastReviewedOn    string `json:"last_reviewed_on,omitempty"`
	PasswordChangedOn string `json:"password_changed_on,omitempty"`
	// DeputyStaffID is who may act for the ネットワーク管理者 on a privileged ID (上毛町 ウ(イ)).
	DeputyStaffID int64  `json:"deputy_staff_id,omitempty"`
	State         string `json:"state"`
	RemovedOn     string `json:"removed_on,omitempty"`
	RemovedByName string `json:"removed_by_name,omitempty"`
	Source        string `json:"source"` // manual, import, directory, demo
	Note          string `json:"note,omitempty"`
	// Findings are the ids of the pack's account rules the account fails, as of CheckedOn.
	Findings  []string  `json:"findings"`
	CheckedOn string    `json:"checked_on,omitempty"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Filled by reads: the owner and the deputy as their staff records say now.
	OwnerName           string `json:"owner_name,omitempty"`
	OwnerEmployeeNo     string `json:"owner_employee_no,omitempty"`
	OwnerDepartmentID   int64  `json:"owner_department_id,omitempty"`
	OwnerDepartmentName string `json:"owner_department_name,omitempty"`
	OwnerActive         bool   `json:"owner_active,omitempty"`
	OwnerLeftOn         string `json:"owner_left_on,omitempty"`
	OwnerEmployment     string `json:"owner_employment,omitempty"`
	DeputyName          string `json:"deputy_name,omitempty"`
	DepartmentName      string `json:"department_name,omitempty"`
}

// Input is what a user enters for an account.
type Input struct {
	SystemRef         string `json:"system_ref"`
	Login             string `json:"login"`
	Kind              string `json:"kind"`
	DisplayName       string `json:"display_name"`
	OwnerStaffID      int64  `json:"owner_staff_id"`
	ResponsibleName   string `json:"responsible_name"`
	GrantedRequestID  int64  `json:"granted_request_id"`
	ApprovalRef       string `json:"approval_ref"`
	GrantedOn         string `json:"granted_on"`
	LastLoginOn       string `json:"last_login_on"`
	LastReviewedOn    string `json:"last_reviewed_on"`
	PasswordChangedOn string `json:"password_changed_on"`
	DeputyStaffID     int64  `json:"deputy_staff_id"`
	Note              string `json:"note"`
	// Version is the version the user saw, for an update.
	Version int `json:"version"`
}

// System is an information system of the register, as the account pages name it.
type System struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
}

// Service keeps the accounts of the organisation's systems.
type Service struct {
	DB     *store.DB
	Policy *orgpolicy.Service
	Now    func() time.Time
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

// input returns the account's fields as an Input.
func (a Account) input() Input {
	return Input{SystemRef: a.SystemRef, Login: a.Login, Kind: a.Kind, DisplayName: a.DisplayName, OwnerStaffID: a.OwnerStaffID,
		ResponsibleName: a.ResponsibleName, GrantedRequestID: a.GrantedRequestID, ApprovalRef: a.ApprovalRef, GrantedOn: a.GrantedOn,
		LastLoginOn: a.LastLoginOn, LastReviewedOn: a.LastReviewedOn, PasswordChangedOn: a.PasswordChangedOn,
		DeputyStaffID: a.DeputyStaffID, Note: a.Note, Version: a.Version}
}
