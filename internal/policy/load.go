package policy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Compiled is a pack merged with the pack it extends, validated, with its expressions compiled.
type Compiled struct {
	*Pack
	File   string
	Digest string // SHA-256 of the pack file (and its base's), to tell versions apart
	// Compiled expressions. (Pack.Rules and Pack.Approvals are the elements themselves.)
	RuleRequire  map[string]*Program // by rule id: the requirement
	RuleWhen     map[string]*Program // by rule id: the condition, when there is one
	ApprovalWhen map[string]*Program // by approval id: the condition, when there is one
	// AccountChecks are the account rules compiled, in the pack's order.
	AccountChecks []AccountCheck
}

// Library is a set of packs by id.
type Library struct {
	packs map[string]*Compiled
}

// Get returns a pack by id.
func (l *Library) Get(id string) (*Compiled, bool) {
	c, ok := l.packs[id]
	return c, ok
}

// List returns the packs ordered by id.
func (l *Library) List() []*Compiled {
	out := make([]*Compiled, 0, len(l.packs))
	for _, c := range l.packs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

type rawPack struct {
	pack *Pack
	file string
	data []byte
}

// Parse reads one pack file strictly: an unknown key is an error, so that a misspelt element is
// not silently ignored.
func Parse(file string, data []byte) (*Pack, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Pack
	if err := dec.Decode(&p); err != nil {
		return nil, Problems{{File: file, Message: strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	return &p, nil
}

// LoadFS reads every *.yaml pack in dir of fsys, resolves extends, validates and compiles them.
// The error lists every problem of every pack, each naming the file and the element.
func LoadFS(fsys fs.FS, dir string) (*Library, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var raws []rawPack
	var problems Problems
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		p, err := Parse(path.Base(n), data)
		if err != nil {
			problems = append(problems, asProblems(err)...)
			continue
		}
		raws = append(raws, rawPack{pack: p, file: path.Base(n), data: data})
	}
	lib, more := build(raws, nil)
	problems = append(problems, more...)
	if len(problems) > 0 {
		return lib, problems
	}
	return lib, nil
}

// LoadFSWith reads the *.yaml packs at the top of two folders as one set, so that packs of the
// second may extend those of the first (an organisation's --pack-dir beside the shipped packs).
// A pack of the second folder with the same id as one of the first replaces it.
func LoadFSWith(first, second fs.FS) (*Library, error) {
	var raws []rawPack
	var problems Problems
	byID := map[string]int{}
	for _, fsys := range []fs.FS{first, second} {
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			data, err := fs.ReadFile(fsys, n)
			if err != nil {
				return nil, err
			}
			p, err := Parse(n, data)
			if err != nil {
				problems = append(problems, asProblems(err)...)
				continue
			}
			r := rawPack{pack: p, file: n, data: data}
			if i, ok := byID[p.ID]; ok && fsys == second {
				raws[i] = r
				continue
			}
			byID[p.ID] = len(raws)
			raws = append(raws, r)
		}
	}
	lib, more := build(raws, nil)
	problems = append(problems, more...)
	if len(problems) > 0 {
		return lib, problems
	}
	return lib, nil
}

// LoadFile validates one pack file that may extend a pack of base (for `mamori pack validate`
// and for an organisation's own pack).
func LoadFile(file string, data []byte, base *Library) (*Compiled, error) {
	p, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	lib, problems := build([]rawPack{{pack: p, file: file, data: data}}, base)
	if len(problems) > 0 {
		return nil, problems
	}
	c, _ := lib.Get(p.ID)
	return c, nil
}

// build merges each pack with its base (from the same set or from base) and validates it.
func build(raws []rawPack, base *Library) (*Library, Problems) {
	lib := &Library{packs: map[string]*Compiled{}}
	byID := map[string]rawPack{}
	var problems Problems
	for _, r := range raws {
		if other, dup := byID[r.pack.ID]; dup {
			problems = append(problems, Problem{File: r.file, Path: "id", Message: fmt.Sprintf("pack id %q is also used by %s", r.pack.ID, other.file)})
			continue
		}
		byID[r.pack.ID] = r
	}
	var resolve func(id string, seen []string) (*Compiled, bool)
	resolve = func(id string, seen []string) (*Compiled, bool) {
		if c, ok := lib.packs[id]; ok {
			return c, true
		}
		r, ok := byID[id]
		if !ok {
			if base != nil {
				return base.Get(id)
			}
			return nil, false
		}
		for _, s := range seen {
			if s == id {
				problems = append(problems, Problem{File: r.file, Path: "extends", Message: "packs extend each other in a circle: " + strings.Join(append(seen, id), " → ")})
				return nil, false
			}
		}
		merged := r.pack
		digest := sha256.New()
		digest.Write(r.data)
		if r.pack.Extends != "" {
			parent, ok := resolve(r.pack.Extends, append(seen, id))
			if !ok {
				problems = append(problems, Problem{File: r.file, Path: "extends", Message: fmt.Sprintf("extends unknown pack %q", r.pack.Extends)})
				return nil, false
			}
			merged = merge(parent.Pack, r.pack)
			digest.Write([]byte(parent.Digest))
		}
		c, ps := compilePack(merged, r.file)
		if len(ps) > 0 {
			problems = append(problems, ps...)
			return nil, false
		}
		c.Digest = hex.EncodeToString(digest.Sum(nil))
		lib.packs[id] = c
		return c, true
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		resolve(id, nil)
	}
	return lib, problems
}

func asProblems(err error) Problems {
	if ps, ok := err.(Problems); ok {
		return ps
	}
	return Problems{{Message: err.Error()}}
}
