// Package packs holds the policy packs Mamori ships, embedded into the binary: one per source
// policy, and a base pack of measures common to them for packs whose source leaves measures out.
package packs

import (
	"embed"
	"io/fs"
	"sync"

	"mamori/internal/policy"
)

//go:embed *.yaml
var files embed.FS

var (
	once sync.Once
	lib  *policy.Library
	err  error
)

// Load validates and compiles the shipped packs, once per process (a library is read-only).
func Load() (*policy.Library, error) {
	once.Do(func() { lib, err = policy.LoadFS(files, ".") })
	return lib, err
}

// LoadWith returns the shipped packs together with those of an organisation's own folder.
func LoadWith(extra fs.FS) (*policy.Library, error) {
	return policy.LoadFSWith(files, extra)
}
