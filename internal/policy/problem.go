package policy

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a pack: the file, the element path and what is wrong.
type Problem struct {
	File    string `json:"file"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Path == "":
		return fmt.Sprintf("%s: %s", p.File, p.Message)
	default:
		return fmt.Sprintf("%s: %s: %s", p.File, p.Path, p.Message)
	}
}

// Problems is every problem found; it is the error Load returns.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
