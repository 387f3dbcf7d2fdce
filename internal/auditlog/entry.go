// Package auditlog is the tamper-evident record of every change and every authentication event.
// Entries are appended in the same transaction as the change they describe and are chained per
// organisation by SHA-256, so that altering, deleting or reordering any row is detected.
package auditlog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// Genesis is the previous hash of an organisation's first entry.
var Genesis = strings.Repeat("0", 64)

// Entry is one row of the audit log.
type Entry struct {
	ID          int64     `json:"id"`
	OrgID       int64     `json:"org_id"`
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	ActorUserID int64     `json:"actor_user_id,omitempty"`
	Actor       string    `json:"actor"`
	RemoteAddr  string    `json:"remote_addr,omitempty"`
	UserAgent   string    `json:"user_agent,omitempty"`
	Entity      string    `json:"entity"`
	EntityID    string    `json:"entity_id"`
	Action      string    `json:"action"`
	Before      string    `json:"before,omitempty"`
	After       string    `json:"after,omitempty"`
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
	// Withheld: the entry's before and after are not shown to this reader (Service.Readers);
	// the stored entry keeps them and the chain is verified on it.
	Withheld bool `json:"withheld,omitempty"`
}

// canonical is the exact encoding that is hashed: fixed field order, UTC time with microseconds
// (the precision both engines keep), before/after as the stored JSON text.
type canonical struct {
	V           int    `json:"v"`
	OrgID       int64  `json:"org"`
	Seq         int64  `json:"seq"`
	At          string `json:"at"`
	ActorUserID int64  `json:"actor_user_id"`
	Actor       string `json:"actor"`
	RemoteAddr  string `json:"remote_addr"`
	UserAgent   string `json:"user_agent"`
	Entity      string `json:"entity"`
	EntityID    string `json:"entity_id"`
	Action      string `json:"action"`
	Before      string `json:"before"`
	After       string `json:"after"`
	PrevHash    string `json:"prev"`
}

const timeLayout = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the hash an entry must carry.
func (e *Entry) ComputeHash() string {
	b, err := json.Marshal(canonical{
		V: 1, OrgID: e.OrgID, Seq: e.Seq, At: e.At.UTC().Format(timeLayout),
		ActorUserID: e.ActorUserID, Actor: e.Actor, RemoteAddr: e.RemoteAddr, UserAgent: e.UserAgent,
		Entity: e.Entity, EntityID: e.EntityID, Action: e.Action,
		Before: e.Before, After: e.After, PrevHash: e.PrevHash,
	})
	if err != nil {
		panic(err) // only strings and integers: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
