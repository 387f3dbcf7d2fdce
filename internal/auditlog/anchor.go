package auditlog

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// A checkpoint anchors an organisation's chain outside the database: the sequence number and
// hash of its head at a moment, signed with an Ed25519 key kept in a file, and appended to a
// file that only grows. The database can be rewritten by anyone who can write to it, hashes
// recomputed and the head moved; a signed checkpoint cannot be made without the key, so a chain
// that is shorter than a checkpoint, or whose entry at the checkpoint's sequence number has
// another hash, is caught by `mamori verify`.

// Checkpoint is one signed line of the checkpoint file.
type Checkpoint struct {
	Org  int64     `json:"org"`
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	Key  string    `json:"key"` // fingerprint of the key that signed it
	Sig  string    `json:"sig"` // base64 Ed25519 signature of message()
}

const checkpointVersion = "mamori-audit-checkpoint/v1"

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// message is what is signed: every field but the signature, in a fixed text form.
func (c Checkpoint) message() []byte {
	return fmt.Appendf(nil, "%s\norg=%d\nseq=%d\nhash=%s\nat=%s\nkey=%s\n",
		checkpointVersion, c.Org, c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339), c.Key)
}

// SignCheckpoint makes the signed checkpoint of an organisation's head.
func SignCheckpoint(key ed25519.PrivateKey, org, seq int64, hash string, at time.Time) Checkpoint {
	c := Checkpoint{Org: org, Seq: seq, Hash: hash, At: at.UTC().Truncate(time.Second),
		Key: Fingerprint(key.Public().(ed25519.PublicKey))}
	c.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.message()))
	return c
}

// SignedBy reports whether pub made the checkpoint's signature.
func (c Checkpoint) SignedBy(pub ed25519.PublicKey) bool {
	sig, err := base64.StdEncoding.DecodeString(c.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	return ed25519.Verify(pub, c.message(), sig)
}

// Fingerprint names a public key briefly enough to be copied by hand: the first 16 bytes of the
// SHA-256 of the key, in hex.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:16])
}

// Line is the checkpoint as one line of the file, newline included.
func (c Checkpoint) Line() []byte {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // integers, strings and a time: cannot fail
	}
	return append(b, '\n')
}

// parseCheckpoint reads one line of the checkpoint file.
func parseCheckpoint(line []byte) (Checkpoint, error) {
	var c Checkpoint
	if err := json.Unmarshal(line, &c); err != nil {
		return c, err
	}
	switch {
	case c.Org <= 0 || c.Seq < 0:
		return c, errors.New("organisation or sequence number out of range")
	case !hexHash.MatchString(c.Hash):
		return c, errors.New("hash is not 64 hex digits")
	case c.At.IsZero() || c.Key == "" || c.Sig == "":
		return c, errors.New("time, key or signature missing")
	}
	c.At = c.At.UTC()
	return c, nil
}
