package auditlog

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Anchor is where the checkpoints of this installation are kept: the signing key, the file
// they are appended to, further copies to check, and the keys they are believed from.
type Anchor struct {
	KeyFile string // PEM Ed25519 private key, created (0600) at the first checkpoint
	File    string // the checkpoint file, appended to
	// Copies are further checkpoint files to check (copies kept elsewhere); never written.
	Copies []string
	// Trusted, when set, are the only public keys a checkpoint is believed from (given on the
	// command line from a copy kept elsewhere); otherwise the key file's own.
	Trusted []ed25519.PublicKey

	write sync.Mutex // one checkpoint at a time from this process
	mu    sync.Mutex // guards key
	key   ed25519.PrivateKey
}

// AnchorProblem is one checkpoint that the chain, or the key, does not bear out.
type AnchorProblem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Org  int64  `json:"org"`
	Seq  int64  `json:"seq"`
	// Kind: malformed, unknown_key, bad_signature, no_chain, shorter, differs.
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"` // the fingerprint, the head's sequence number, …
}

// MessageKey is the catalogue key of the problem's message; its arguments are Args.
func (p AnchorProblem) MessageKey() string { return "audit.anchor.problem." + p.Kind }

// Args are the message's arguments, in the order every catalogue entry refers to them by
// index: file, line, organisation, sequence number, detail.
func (p AnchorProblem) Args() []any { return []any{p.File, p.Line, p.Org, p.Seq, p.Detail} }

// Error says the problem in English, for logs.
func (p AnchorProblem) Error() string {
	return fmt.Sprintf("%s:%d: checkpoint of organisation %d at entry #%d: %s %s", p.File, p.Line, p.Org, p.Seq, p.Kind, p.Detail)
}

// AnchorStatus is what the audit page and the committee report show of the checkpoints.
type AnchorStatus struct {
	Fingerprint string      `json:"key_fingerprint,omitempty"` // of the key checkpoints are believed from
	Latest      *Checkpoint `json:"latest,omitempty"`          // the newest checkpoint of the organisation
	Checked     int         `json:"checked"`                   // checkpoints of the organisation checked now
	// Problems are checkpoints the chain or the key does not bear out; empty when all hold.
	Problems []AnchorProblem `json:"problems,omitempty"`
}

// OK reports whether every checkpoint checked holds.
func (a *AnchorStatus) OK() bool { return a == nil || len(a.Problems) == 0 }

// signingKey loads, or at first use creates, the key checkpoints are signed with.
func (a *Anchor) signingKey() (ed25519.PrivateKey, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.key != nil {
		return a.key, nil
	}
	key, _, err := LoadOrCreateKey(a.KeyFile)
	if err != nil {
		return nil, err
	}
	a.key = key
	return key, nil
}

// trusted returns the keys checkpoints are believed from. Without Trusted and without a key
// file no checkpoint is believed: a key that went missing is not silently replaced.
func (a *Anchor) trusted() ([]ed25519.PublicKey, error) {
	if len(a.Trusted) > 0 {
		return a.Trusted, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.key != nil {
		return []ed25519.PublicKey{a.key.Public().(ed25519.PublicKey)}, nil
	}
	key, err := LoadKey(a.KeyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.key = key
	return []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, nil
}

// TrustedKeys are the keys checkpoints are believed from: Trusted when set, else the key
// file's, else none (a key file that went missing is not replaced by a new one here).
func (a *Anchor) TrustedKeys() ([]ed25519.PublicKey, error) { return a.trusted() }

// Read reads the checkpoint file and its copies, in that order.
func (a *Anchor) Read() ([]Filed, error) {
	var out []Filed
	for _, p := range append([]string{a.File}, a.Copies...) {
		if p == "" {
			continue
		}
		got, err := ReadCheckpoints(p)
		if err != nil {
			return out, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// CheckCheckpoints holds each checkpoint against the keys and the chain in the database: its
// signature must verify with one of the trusted keys, its organisation must have a chain, the
// chain must reach its sequence number, and the entry there must carry its hash. It returns the
// problems, in the order of the checkpoints. Read the checkpoints before the chain is verified,
// so that a head that moved on since is not mistaken for one that went back.
func CheckCheckpoints(ctx context.Context, db *sql.DB, cps []Filed, trusted []ed25519.PublicKey) ([]AnchorProblem, error) {
	var problems []AnchorProblem
	byKey := map[string]ed25519.PublicKey{}
	for _, k := range trusted {
		byKey[Fingerprint(k)] = k
	}
	want := map[int64][]Filed{} // signed checkpoints by organisation, to hold against the chain
	for _, f := range cps {
		p := AnchorProblem{File: f.File, Line: f.Line, Org: f.Org, Seq: f.Seq}
		if f.Malformed != "" {
			p.Kind, p.Detail = "malformed", f.Malformed
			problems = append(problems, p)
			continue
		}
		pub, ok := byKey[f.Key]
		switch {
		case !ok:
			p.Kind, p.Detail = "unknown_key", f.Key
		case !f.SignedBy(pub):
			p.Kind, p.Detail = "bad_signature", f.Key
		default:
			want[f.Org] = append(want[f.Org], f)
			continue
		}
		problems = append(problems, p)
	}
	orgs := make([]int64, 0, len(want))
	for org := range want {
		orgs = append(orgs, org)
	}
	sort.Slice(orgs, func(i, j int) bool { return orgs[i] < orgs[j] })
	for _, org := range orgs {
		ps, err := holdAgainstChain(ctx, db, org, want[org])
		if err != nil {
			return problems, err
		}
		problems = append(problems, ps...)
	}
	// In the order of the checkpoints given.
	type place struct {
		file string
		line int
	}
	order := map[place]int{}
	for i, f := range cps {
		order[place{f.File, f.Line}] = i
	}
	sort.SliceStable(problems, func(i, j int) bool {
		return order[place{problems[i].File, problems[i].Line}] < order[place{problems[j].File, problems[j].Line}]
	})
	return problems, nil
}

// holdAgainstChain compares an organisation's checkpoints with its head and its entries.
func holdAgainstChain(ctx context.Context, db *sql.DB, org int64, cps []Filed) ([]AnchorProblem, error) {
	var headSeq int64
	err := db.QueryRowContext(ctx, `SELECT seq FROM audit_heads WHERE org_id = $1`, org).Scan(&headSeq)
	if errors.Is(err, sql.ErrNoRows) {
		var out []AnchorProblem
		for _, f := range cps {
			out = append(out, AnchorProblem{File: f.File, Line: f.Line, Org: org, Seq: f.Seq, Kind: "no_chain"})
		}
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit head of organisation %d: %w", org, err)
	}
	var seqs []int64
	for _, f := range cps {
		if f.Seq > 0 && f.Seq <= headSeq {
			seqs = append(seqs, f.Seq)
		}
	}
	hashes, err := hashesAt(ctx, db, org, seqs)
	if err != nil {
		return nil, err
	}
	hashes[0] = Genesis
	var out []AnchorProblem
	for _, f := range cps {
		p := AnchorProblem{File: f.File, Line: f.Line, Org: org, Seq: f.Seq}
		h, ok := hashes[f.Seq]
		switch {
		case f.Seq > headSeq:
			p.Kind, p.Detail = "shorter", strconv.FormatInt(headSeq, 10)
		case !ok:
			p.Kind, p.Detail = "differs", "-"
		case h != f.Hash:
			p.Kind, p.Detail = "differs", h
		default:
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// hashesAt reads the hashes the chain carries at the given sequence numbers.
func hashesAt(ctx context.Context, db *sql.DB, org int64, seqs []int64) (map[int64]string, error) {
	out := map[int64]string{}
	const chunk = 500
	for len(seqs) > 0 {
		n := min(chunk, len(seqs))
		part := seqs[:n]
		seqs = seqs[n:]
		args := []any{org}
		marks := make([]string, len(part))
		for i, s := range part {
			args = append(args, s)
			marks[i] = "$" + strconv.Itoa(i+2)
		}
		rows, err := db.QueryContext(ctx, `SELECT seq, hash FROM audit_entries WHERE org_id = $1 AND seq IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("audit entries at checkpoints: %w", err)
		}
		for rows.Next() {
			var s int64
			var h string
			if err := rows.Scan(&s, &h); err != nil {
				rows.Close()
				return nil, err
			}
			if _, dup := out[s]; !dup {
				out[s] = h
			} else {
				out[s] = "" // two rows at one sequence number: neither is believed
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ErrNotAnchored is returned by Checkpoint when the chain does not extend the organisation's
// latest checkpoint, or does not verify: no checkpoint is signed for it.
var ErrNotAnchored = errors.New("audit chain does not verify against its checkpoints")

// Checkpoint signs the organisation's current head and appends it to the checkpoint file,
// after checking that the chain verifies from the organisation's latest checkpoint in the
// file (or from its first entry when there is none): a rewritten chain is never signed. With
// claim, the checkpoint is claimed in the database first, so that of several server processes
// one writes it; a head already checkpointed is not written again (written false).
func (a *Anchor) Checkpoint(ctx context.Context, db *sql.DB, org int64, claim bool, at time.Time) (c Checkpoint, written bool, err error) {
	a.write.Lock()
	defer a.write.Unlock()
	key, err := a.signingKey()
	if err != nil {
		return c, false, err
	}
	own, err := ReadCheckpoints(a.File)
	if err != nil {
		return c, false, err
	}
	pub := key.Public().(ed25519.PublicKey)
	var latest *Checkpoint
	for i := range own {
		f := &own[i]
		if f.Malformed == "" && f.Org == org && f.Key == Fingerprint(pub) && f.SignedBy(pub) && (latest == nil || f.Seq >= latest.Seq) {
			latest = &f.Checkpoint
		}
	}
	var r Report
	if latest == nil {
		r, err = Verify(ctx, db, org)
	} else {
		r, err = verifyFromCheckpoint(ctx, db, org, *latest)
	}
	if err != nil {
		return c, false, err
	}
	if !r.OK() {
		return c, false, fmt.Errorf("%w: organisation %d, entry #%d: %s", ErrNotAnchored, org, r.Problem.Seq, r.Problem.Reason)
	}
	if latest != nil && latest.Seq == r.HeadSeq && latest.Hash == r.HeadHash {
		return *latest, false, nil
	}
	at = at.UTC().Truncate(time.Second)
	if claim {
		var got int64
		err := db.QueryRowContext(ctx, `INSERT INTO audit_checkpoints (org_id, seq, hash, written_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING RETURNING org_id`, org, r.HeadSeq, r.HeadHash, at).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			return c, false, nil // another process writes this one
		}
		if err != nil {
			return c, false, fmt.Errorf("claim checkpoint: %w", err)
		}
	}
	c = SignCheckpoint(key, org, r.HeadSeq, r.HeadHash, at)
	if err := AppendCheckpoint(a.File, c); err != nil {
		return c, false, err
	}
	return c, true, nil
}

// verifyFromCheckpoint checks the chain from a checkpoint on: the entry at its sequence number
// must still be the one signed, and every entry after it must follow.
func verifyFromCheckpoint(ctx context.Context, db *sql.DB, org int64, cp Checkpoint) (Report, error) {
	if cp.Seq > 0 {
		e, err := scanEntry(db.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM audit_entries WHERE org_id = $1 AND seq = $2`, org, cp.Seq))
		if errors.Is(err, sql.ErrNoRows) {
			return Report{OrgID: org, Problem: &Problem{Seq: cp.Seq, Reason: "the checkpointed entry is missing"}}, nil
		}
		if err != nil {
			return Report{OrgID: org}, err
		}
		if e.Hash != cp.Hash || e.ComputeHash() != e.Hash {
			return Report{OrgID: org, Problem: &Problem{Seq: cp.Seq, ID: e.ID, Reason: "differs from the signed checkpoint"}}, nil
		}
	}
	r, err := verifyFrom(ctx, db, org, cp.Seq, cp.Hash)
	if err == nil && r.OK() && r.HeadSeq < cp.Seq {
		r.Problem = &Problem{Seq: r.HeadSeq, Reason: fmt.Sprintf("the chain ends at #%d, before the checkpoint at #%d", r.HeadSeq, cp.Seq)}
	}
	return r, err
}

// CheckpointAll writes a checkpoint for every organisation's chain (see Checkpoint). An
// organisation whose chain does not verify gets none, and is named in the error; the others
// are still checkpointed.
func (a *Anchor) CheckpointAll(ctx context.Context, db *sql.DB, claim bool, at time.Time) ([]Checkpoint, error) {
	orgs, err := ChainOrgs(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []Checkpoint
	var errs []error
	for _, org := range orgs {
		c, written, err := a.Checkpoint(ctx, db, org, claim, at)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if written {
			out = append(out, c)
		}
	}
	return out, errors.Join(errs...)
}

// ChainOrgs lists the organisations that have an audit chain.
func ChainOrgs(ctx context.Context, db *sql.DB) ([]int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT org_id FROM audit_heads ORDER BY org_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		orgs = append(orgs, id)
	}
	return orgs, rows.Err()
}
