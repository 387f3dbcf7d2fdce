// Package auth signs people in and keeps them signed in: accounts, argon2id passwords,
// database-backed sessions that several server processes share, lockout after repeated
// failures, TOTP multi-factor authentication with recovery codes, and API tokens. Every login,
// logout and failure is written to the audit log with time, user, source address and agent
// (岸和田市 5(10)④).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"mamori/internal/access"
	"mamori/internal/store"
)

// Service is the authentication service. Zero durations take the defaults.
type Service struct {
	DB              *store.DB
	Now             func() time.Time
	Params          Params
	IdleTimeout     time.Duration // default 30 minutes
	AbsoluteTimeout time.Duration // default 12 hours
	// RoleMarks, when set, tells what the organisation's pack says of each of its roles, so
	// that an actor's grants carry it.
	RoleMarks func(ctx context.Context, orgID int64) (map[string]access.RoleMarks, error)
	// RoleScope, when set, tells whether the organisation's pack defines a role and its scope, so
	// that a service account is given only roles the pack knows.
	RoleScope func(ctx context.Context, orgID int64, roleID string) (scope string, ok bool, err error)
	// LocalRule, when set, says whether a local account may sign in with its Mamori password:
	// when the organisation signs in from its directory, only its break-glass administrators may,
	// and each such sign-in is audited as one.
	LocalRule func(ctx context.Context, u User) (allowed, breakGlass bool, err error)
	// hashing bounds concurrent argon2id computations (each takes Params.MemoryKiB).
	hashing chan struct{}
	// dummy is the hash unknown logins are verified against, made once.
	dummyOnce sync.Once
	dummy     string
	// verifications counts password verifications, so that tests can see that every sign-in
	// did the same work.
	verifications atomic.Int64
}

// New returns a service with the given database and password parameters. Concurrent argon2id
// computations are limited to the number of CPUs (at least 2, at most 8): more would only queue
// for the processor while each holds Params.MemoryKiB.
func New(db *store.DB, p Params) *Service {
	return &Service{DB: db, Params: p, hashing: make(chan struct{}, min(max(runtime.NumCPU(), 2), 8))}
}

// Client describes where a request comes from, for the audit log.
type Client struct {
	RemoteAddr string
	UserAgent  string
}

func (s *Service) now() time.Time { return store.Now(s.Now) }

func (s *Service) idle() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return 30 * time.Minute
}

func (s *Service) absolute() time.Duration {
	if s.AbsoluteTimeout > 0 {
		return s.AbsoluteTimeout
	}
	return 12 * time.Hour
}

func (s *Service) hash(password string) (string, error) {
	s.acquire()
	defer s.release()
	return HashPassword(password, s.Params)
}

func (s *Service) verify(password, hash string) bool {
	s.verifications.Add(1)
	s.acquire()
	defer s.release()
	ok, err := VerifyPassword(password, hash)
	return err == nil && ok
}

func (s *Service) acquire() {
	if s.hashing != nil {
		s.hashing <- struct{}{}
	}
}

func (s *Service) release() {
	if s.hashing != nil {
		<-s.hashing
	}
}

// dummyVerify is run when a login names no user, so that the answer takes as long as for a real
// one: one verification, against a hash made once (hashing it each time would double the cost
// and tell an attacker which names exist).
func (s *Service) dummyVerify(password string) {
	s.dummyOnce.Do(func() { s.dummy, _ = s.hash("mamori-dummy-password") })
	s.verify(password, s.dummy)
}

func newToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func withClient(a access.Actor, c Client) access.Actor {
	a.RemoteAddr, a.UserAgent = c.RemoteAddr, c.UserAgent
	return a
}
