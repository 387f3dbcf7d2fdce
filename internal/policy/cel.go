package policy

import (
	"fmt"
	"reflect"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"
)

// CostLimit bounds the work one evaluation of a pack expression may do; a rule cannot hang
// the server however it is written.
const CostLimit = 100_000

var (
	envOnce sync.Once
	envs    map[string]*cel.Env
	envErr  error
)

// env returns the CEL environment for a record kind: one variable named after it, typed by
// the record's Go struct.
func env(record string) (*cel.Env, error) {
	envOnce.Do(func() {
		envs = map[string]*cel.Env{}
		for name, t := range recordTypes {
			e, err := cel.NewEnv(
				ext.NativeTypes(ext.ParseStructTags(true), t, reflect.TypeFor[LevelRef]()),
				cel.Variable(name, cel.ObjectType(celTypeName(t))),
				ext.Strings(),
			)
			if err != nil {
				envErr = err
				return
			}
			envs[name] = e
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	e, ok := envs[record]
	if !ok {
		return nil, fmt.Errorf("unknown record %q", record)
	}
	return e, nil
}

func celTypeName(t reflect.Type) string {
	return "policy." + t.Name()
}

// Program is a compiled pack expression.
type Program struct {
	Source string
	record string
	prg    cel.Program
}

// compile type-checks a boolean expression over a record and checks the pack-specific names
// it uses (axes under class, attributes under attrs).
func compile(record, expr string, p *Pack) (*Program, error) {
	e, err := env(record)
	if err != nil {
		return nil, err
	}
	checked, iss := e.Compile(expr)
	if iss.Err() != nil {
		return nil, fmt.Errorf("CEL: %v", iss.Err())
	}
	if checked.OutputType() != cel.BoolType {
		return nil, fmt.Errorf("CEL: expression gives %v, want bool", checked.OutputType())
	}
	if err := checkNames(checked.NativeRep().Expr(), record, p); err != nil {
		return nil, err
	}
	prg, err := e.Program(checked, cel.CostLimit(CostLimit), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		return nil, fmt.Errorf("CEL: %v", err)
	}
	return &Program{Source: expr, record: record, prg: prg}, nil
}

// checkNames walks the expression for record.class.X and record.attrs.Y and checks that the
// pack declares axis X and attribute Y (on that record).
func checkNames(root ast.Expr, record string, p *Pack) error {
	var problem error
	visit := func(e ast.Expr) {
		if problem != nil || e.Kind() != ast.SelectKind {
			return
		}
		sel := e.AsSelect()
		inner := sel.Operand()
		if inner.Kind() != ast.SelectKind {
			return
		}
		in := inner.AsSelect()
		if in.Operand().Kind() != ast.IdentKind || in.Operand().AsIdent() != record {
			return
		}
		switch in.FieldName() {
		case "class":
			if p.axis(sel.FieldName()) == nil {
				problem = fmt.Errorf("unknown classification axis %q", sel.FieldName())
			}
		case "attrs":
			if a := p.attribute(sel.FieldName()); a == nil || a.On != record {
				problem = fmt.Errorf("unknown attribute %q of %s", sel.FieldName(), record)
			}
		}
	}
	ast.PostOrderVisit(root, ast.NewExprVisitor(visit))
	return problem
}

// Eval runs the program on a record value (for assets an AssetRecord).
func (pr *Program) Eval(record any) (bool, error) {
	out, _, err := pr.prg.Eval(map[string]any{pr.record: record})
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("expression gave %v", out.Type())
	}
	return bool(b), nil
}
