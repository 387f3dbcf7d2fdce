package policy

import (
	"slices"
	"strings"
	"sync"

	"cel.dev/cel-go/common/ast"
)

var refsCache sync.Map // *Program → []string

// Refs returns the fields of the record an expression reads, as paths below the record
// variable ("kind", "zone", "class.importance", "attrs.mfa"), sorted: the values a finding
// shows as the ones that made a rule fail.
func (pr *Program) Refs() []string {
	if v, ok := refsCache.Load(pr); ok {
		return v.([]string)
	}
	var out []string
	if e, err := env(pr.record); err == nil {
		if parsed, iss := e.Parse(pr.Source); iss.Err() == nil {
			seen := map[string]bool{}
			ast.PostOrderVisit(parsed.NativeRep().Expr(), ast.NewExprVisitor(func(x ast.Expr) {
				if path := selectPath(x, pr.record); path != "" && !seen[path] {
					seen[path] = true
					out = append(out, path)
				}
			}))
		}
	}
	// A path and its own prefix ("class" and "class.importance"): keep the longer.
	slices.Sort(out)
	kept := out[:0]
	for i, p := range out {
		if i+1 < len(out) && strings.HasPrefix(out[i+1], p+".") {
			continue
		}
		kept = append(kept, p)
	}
	refsCache.Store(pr, kept)
	return kept
}

// selectPath returns the path of a select chain rooted at the record variable, at most two
// fields deep ("class.importance" of asset.class.importance.rank), or "".
func selectPath(x ast.Expr, record string) string {
	var fields []string
	for x.Kind() == ast.SelectKind {
		s := x.AsSelect()
		fields = append(fields, s.FieldName())
		x = s.Operand()
	}
	if x.Kind() != ast.IdentKind || x.AsIdent() != record || len(fields) == 0 {
		return ""
	}
	slices.Reverse(fields)
	if fields[0] == "class" || fields[0] == "attrs" {
		fields = fields[:min(2, len(fields))]
	} else {
		fields = fields[:1]
	}
	return strings.Join(fields, ".")
}
