package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/i18n"
)

// auditActions are the actions the program writes to the audit log, and those it wrote before a
// rename (incident.notification_skipped is now incident.step_skipped): every one is read by its
// label. TestEveryAuditActionIsWritten keeps the list in step with the code.
var auditActions = []string{
	"accessreview.close", "accessreview.decide", "accessreview.decide_many", "accessreview.open", "accessreview.prove",
	"asset.create", "asset.delete", "asset.state", "asset.update",
	"audit.action.check", "audit.action.done", "audit.action.plan", "audit.auditor.add", "audit.create", "audit.finding.add",
	"audit.finding.close", "audit.item.add", "audit.item.result", "audit.report.draft", "audit.report.issue", "audit_plan.create",
	"risk.accept", "risk.assess", "risk.generate",
	"system_account.create", "system_account.import", "system_account.remove", "system_account.sweep", "system_account.update",
	"auth.break_glass", "auth.locked", "auth.login", "auth.login_failed", "auth.logout", "auth.logout_all", "auth.mfa_enabled",
	"auth.password_changed", "auth.password_ok", "auth.unlocked",
	"compliance.exception_expired", "compliance.exception_withdrawn", "compliance.sweep",
	"department.create", "department.update", "directory.settings", "directory.sync",
	"incident.closed", "incident.contact_number", "incident.contained", "incident.crime", "incident.evidence",
	"incident.evidence_custody", "incident.handler", "incident.measure", "incident.note", "incident.notification_skipped",
	"incident.notified", "incident.plan_announce", "incident.plan_approve", "incident.plan_draft", "incident.police",
	"incident.publication", "incident.recovered", "incident.report", "incident.root_cause", "incident.step_skipped",
	"incident.support", "incident.triage", "incident.upward",
	"inspection.answer", "inspection.close", "inspection.finding_close", "inspection.return", "inspection.start", "inspection.submit",
	"logbook.confirm", "logbook.create",
	"organization.create", "organization.parent", "policy.bind",
	"request.acknowledge", "request.approve", "request.cancel", "request.dispose", "request.reject", "request.resubmit",
	"request.return", "request.send_back", "request.submit", "request.take_out",
	"pledge.record_paper", "pledge.sign", "procedure.add", "procedure.revise", "review.decide", "review.link", "review.open", "review.propose", "review.submit",
	"role.acting_end", "role.assign", "role.end",
	"staff.create", "staff.move", "staff.phone", "staff.update",
	"transfer.apply", "transfer.apply_due", "transfer.fail", "transfer.map", "transfer.upload", "transfer.withdraw",
	"task.complete", "task.generate",
	"training.assign", "training.confirm", "training.import", "training.plan", "training.roll_call", "training.session",
	"token.create", "token.revoke",
	"user.create", "user.create_service", "user.disable", "user.enable", "user.link_directory", "user.reset_password", "user.set_lang", "user.unlock", "user.update_directory",
}

func TestEveryAuditActionAndKindHasALabel(t *testing.T) {
	for _, lang := range i18n.Langs() {
		for _, a := range auditActions {
			if !i18n.Has(lang, "audit.action."+a) {
				t.Errorf("audit action %q has no label in %s (audit.action.%s)", a, lang, a)
			}
		}
		for _, e := range auditEntities {
			if !i18n.Has(lang, "audit.entity."+e) {
				t.Errorf("kind of record %q has no label in %s (audit.entity.%s)", e, lang, e)
			}
		}
	}
	if got := ActionLabel(i18n.Ja, "request.take_out"); got == "request.take_out" {
		t.Errorf("ActionLabel(request.take_out) = %q", got)
	}
	if got, href := EntityRef(i18n.Ja, "request", "57"); got != "申請 第57号" || href != "/requests/57" {
		t.Errorf("EntityRef(request, 57) = %q, %q", got, href)
	}
}

// TestEveryAuditActionIsWritten reads the program's source for the audit events it writes
// (auditlog.Event literals) and checks that each action and kind of record is in the lists
// above: a literal action by its name, an action built from a prefix ("request." + decision)
// by a listed action with that prefix, an action held in a variable by the literals assigned
// to it in the same function.
func TestEveryAuditActionIsWritten(t *testing.T) {
	fset := token.NewFileSet()
	actions, entities := map[string]string{}, map[string]string{}
	prefixes := map[string]string{}
	err := filepath.WalkDir("../../", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			assigned := literalAssignments(fn.Body)
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				cl, ok := n.(*ast.CompositeLit)
				if !ok || !isAuditEvent(cl.Type) {
					return true
				}
				for _, el := range cl.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					key, _ := kv.Key.(*ast.Ident)
					if key == nil {
						continue
					}
					where := fset.Position(kv.Pos()).String()
					switch v := kv.Value.(type) {
					case *ast.BasicLit:
						s, _ := strconv.Unquote(v.Value)
						if key.Name == "Action" {
							actions[s] = where
						} else if key.Name == "Entity" {
							entities[s] = where
						}
					case *ast.BinaryExpr:
						if lit, ok := v.X.(*ast.BasicLit); ok && key.Name == "Action" {
							s, _ := strconv.Unquote(lit.Value)
							prefixes[s] = where
						}
					case *ast.Ident:
						if key.Name == "Action" {
							for _, s := range assigned[v.Name] {
								actions[s] = where
							}
						}
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 40 || len(prefixes) < 3 {
		t.Fatalf("found only %d actions and %d prefixes: the search no longer sees the services", len(actions), len(prefixes))
	}
	for a, where := range actions {
		if !slices.Contains(auditActions, a) {
			t.Errorf("%s writes the audit action %q, which auditActions does not list", where, a)
		}
	}
	for p, where := range prefixes {
		if !slices.ContainsFunc(auditActions, func(a string) bool { return strings.HasPrefix(a, p) }) {
			t.Errorf("%s writes audit actions %q…, none of which auditActions lists", where, p)
		}
	}
	for e, where := range entities {
		if !slices.Contains(auditEntities, e) && e != "x" {
			t.Errorf("%s writes audit entries about %q, which auditEntities does not list", where, e)
		}
	}
}

// isAuditEvent reports whether a composite literal's type is auditlog.Event (the services
// write their entries with it; package auditlog writes none of its own).
func isAuditEvent(x ast.Expr) bool {
	t, ok := x.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := t.X.(*ast.Ident)
	return ok && pkg.Name == "auditlog" && t.Sel.Name == "Event"
}

// literalAssignments are the string literals assigned to each variable in a function body.
func literalAssignments(body *ast.BlockStmt) map[string][]string {
	out := map[string][]string{}
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			lit, ok2 := as.Rhs[i].(*ast.BasicLit)
			if ok && ok2 && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				out[id.Name] = append(out[id.Name], s)
			}
		}
		return true
	})
	return out
}
