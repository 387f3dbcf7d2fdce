// Package asset is the 情報資産管理台帳: every information asset the policy protects, classified
// on the axes of the organisation's pack, owned by a department, and visible and changeable by
// the people the policy puts in charge of it.
package asset

import "time"

// Asset is one entry of the register.
type Asset struct {
	ID             int64             `json:"id"`
	OrgID          int64             `json:"org_id"`
	Number         string            `json:"number"` // 管理番号, unique in the organisation
	Name           string            `json:"name"`
	Kind           string            `json:"kind"`
	DepartmentID   int64             `json:"department_id,omitempty"`
	DepartmentName string            `json:"department_name,omitempty"`
	ManagerStaffID int64             `json:"manager_staff_id,omitempty"` // 管理責任者 (情報システム管理者 for a system)
	ManagerName    string            `json:"manager_name,omitempty"`
	Segment        string            `json:"segment,omitempty"`
	Zone           string            `json:"zone,omitempty"`
	Class          map[string]string `json:"class"` // axis id → level id
	TopRank        int               `json:"top_rank"`
	Attrs          map[string]any    `json:"attrs"`
	Location       string            `json:"location,omitempty"`
	SystemRef      string            `json:"system_ref,omitempty"` // the information system it belongs to
	Quantity       int               `json:"quantity"`
	Copies         string            `json:"copies,omitempty"` // where copies are kept (安平町 第10条5)
	State          string            `json:"state"`
	AcquiredOn     string            `json:"acquired_on,omitempty"` // YYYY-MM-DD
	DisposedOn     string            `json:"disposed_on,omitempty"`
	Note           string            `json:"note,omitempty"`
	CreatedAt      time.Time         `json:"created_at,omitzero"`
	UpdatedAt      time.Time         `json:"updated_at,omitzero"`
	// Restricted: the asset is of the highest class and its details are not for the actor who
	// asked (see reach); only the number, kind, class, department and state are filled.
	Restricted bool `json:"restricted"`
}

// RestrictedMark stands in a sheet for the details of a restricted asset.
const RestrictedMark = "最高分類のため詳細は非表示"

// States of an asset's life.
var States = []string{"in_use", "lent", "taken_out", "in_repair", "stored", "disposed"}

// Input is what a user enters for an asset.
type Input struct {
	Number         string            `json:"number"`
	Name           string            `json:"name"`
	Kind           string            `json:"kind"`
	DepartmentID   int64             `json:"department_id"`
	ManagerStaffID int64             `json:"manager_staff_id"`
	Segment        string            `json:"segment"`
	Zone           string            `json:"zone"`
	Class          map[string]string `json:"class"`
	Attrs          map[string]any    `json:"attrs"`
	Location       string            `json:"location"`
	SystemRef      string            `json:"system_ref"`
	Quantity       int               `json:"quantity"`
	Copies         string            `json:"copies"`
	State          string            `json:"state"`
	AcquiredOn     string            `json:"acquired_on"`
	DisposedOn     string            `json:"disposed_on"`
	Note           string            `json:"note"`
}
