// Command mamori serves Mamori's web interface and JSON API and administers its data from the
// command line. Every subcommand that touches data takes the same --data and --db flags, and
// works while a server is running on the same data.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `mamori — 情報セキュリティポリシー運用 / information security policy in practice

Usage:
  mamori serve [--data DIR] [--db DSN] [--addr HOST:PORT] [--demo [PACK]]
  mamori migrate [--data DIR] [--db DSN]
  mamori user create --login NAME --name 表示名 [--admin] [--staff-no N]
  mamori user list
  mamori user reset-password --login NAME
  mamori user unlock --login NAME
  mamori user create-service --login NAME --name 表示名 [--role ID …] [--department CODE] [--system NAME] [--admin]
  mamori token create --user SERVICE-ACCOUNT [--name LABEL] [--scope read|read-write] [--days N]
  mamori role list | assign --role ID --staff-no N [--acting-staff-no M] [--department CODE] [--system NAME] [--from D] [--to D] | end --id N
  mamori pack list | validate FILE | show ID [--json] | diff A B [--json]   [--pack-dir DIR]
  mamori import assets FILE [--dry-run] [--valid-only] [--rejected OUT.csv]
  mamori export assets [--format xlsx|csv|csv-sjis] [--out FILE] [--kind K] [--department CODE] [--state S] [--q WORDS]
  mamori request list [--state S] [--kind K] [--mine] | show N | inbox | decide N --decision approve|reject|send_back [--comment C] [--version V]   [--as LOGIN]
  mamori request remind     (reminders of overdue returns and late reports, once a day per request; for cron)
  mamori incident list [--state S] [--category C] [--upward] | show N | contacts   [--as LOGIN]
  mamori incident report --title T --detected "YYYY-MM-DD HH:MM" [--item ID=VALUE …] [--file [ITEM=]PATH …] [--outside-reporter R --outside-contact C] --as LOGIN
  mamori incident tick N --step M [--means phone|mail|in_person|fax|other] [--note T] [--at TIME] --as LOGIN
  mamori review list | report N [--all] [--json]   [--as LOGIN]
  mamori procedure list [--overdue] [--as LOGIN]
  mamori procedure add --title T --version V --owner ROLE --article A … --review-on YYYY-MM-DD --file PATH [--all-staff] --as LOGIN
  mamori incident remind    (reminders of reports past their deadline, once a day per report; for cron)
  mamori logbook list [--logbook ID] [--unconfirmed] [--from DATE] [--to DATE] [--limit N] | export [--logbook ID] --out FILE.xlsx   [--as LOGIN]
  mamori logbook add --logbook ID --field ID=VALUE … [--department CODE] [--visitor --escort STAFF_NO] --as LOGIN
  mamori logbook confirm ENTRY_ID --as LOGIN
  mamori task list [--status overdue|current|upcoming|done] [--year Y] [--role R] [--mine] [--limit N]   [--as LOGIN]
  mamori task done N [--note T] [--file PATH] [--entry ENTRY_ID] [--tick 1,2,3|all] --as LOGIN
  mamori task generate [--year Y]    (the year's tasks of the pack's recurring duties; also hourly in serve)
  mamori pledge list [--as LOGIN]    (the pack's pledges, 同意書・誓約書, with how many have signed)
  mamori pledge status [--pledge ID] [--state unsigned|resign|signed|all] [--department N] [--as LOGIN]
  mamori access-review list [--state open|closed] | open --title T (--system REF | --department CODE) [--due YYYY-MM-DD] | export N --out FILE.xlsx   [--as LOGIN]
  mamori training list [--year Y] [--as LOGIN]    (the year's plan: each course with its article and completion)
  mamori training import FILE [--year Y] [--dry-run] [--as LOGIN]    (attendance sheet, CSV or xlsx: every row or none)
  mamori training report [--year Y] [--course ID] [--as LOGIN]    (completion by department × 職員区分, names missing)
  mamori inspection start --year Y --title T --deadline YYYY-MM-DD [--opens YYYY-MM-DD] [--department CODE …] | list | export N --out FILE.xlsx   [--as LOGIN]
  mamori transfer import FILE [--dry-run] | list [--state S]   (人事異動: the list applied all or nothing; later moves wait for their day)
  mamori org list | create --code C --name N [--kind K] [--pack ID] | set-parent --org CODE --parent CODE
  mamori account list [--system REF] [--kind K] [--flag RULE|any] [--state S] | import --file F --system REF [--apply] [--remove-missing]   [--as LOGIN]   (利用者ID: the accounts of the organisation's systems)
  mamori risk list [--state S] [--threat ID] | generate   [--as LOGIN]   (リスク分析: the register; candidates from the register and compliance state)
  mamori check [--org CODE] [--all]   (full compliance sweep; exit 3 when high/critical findings are open or a rule is broken)
  mamori verify [--checkpoints FILE …] [--audit-pubkey FILE …] [--all-checkpoints]
  mamori audit checkpoint | key     (sign a checkpoint of every chain now | show the signing key)
  mamori audit list [--year Y] [--as LOGIN] | suggest [--year Y] [--as LOGIN]   (情報セキュリティ監査)
  mamori audit report ID [--as LOGIN] [--issue --intro T --summary T --opinion T [--remarks T]]
  mamori backup --out FILE
  mamori directory test | people [--sync] | accounts   --ldap-url U --ldap-bind-dn DN --ldap-base-dn DN [--ldap-user-filter F] [--ldap-ca-file F]
  mamori version

Common flags (environment fallback in brackets):
  --data DIR   data folder [MAMORI_DATA] (default ./mamori-data)
  --db DSN     postgres://… to use PostgreSQL [MAMORI_DB] (default: SQLite file in the data folder)
  --audit-key FILE, --audit-checkpoints FILE   (serve, verify, audit) the audit chain's signing key and
               checkpoint file [MAMORI_AUDIT_KEY, MAMORI_AUDIT_CHECKPOINTS] (default: in the data folder)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, errUsageShown) {
		fmt.Fprintf(os.Stderr, "mamori: %v\n", err)
	}
	if err != nil {
		os.Exit(exitCode(err))
	}
}

var errUsageShown = errors.New("usage shown")

// exitError carries a specific exit status (verify uses 1 for a broken chain).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, errUsageShown) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsageShown
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "migrate":
		return migrate(ctx, rest, stdout, stderr)
	case "user":
		return userCmd(ctx, rest, stdout, stderr)
	case "token":
		return tokenCmd(ctx, rest, stdout, stderr)
	case "role":
		return roleCmd(ctx, rest, stdout, stderr)
	case "transfer":
		return transferCmd(ctx, rest, stdout, stderr)
	case "pack":
		return packCmd(ctx, rest, stdout, stderr)
	case "import":
		return importCmd(ctx, rest, stdout, stderr)
	case "export":
		return exportCmd(ctx, rest, stdout, stderr)
	case "request":
		return requestCmd(ctx, rest, stdout, stderr)
	case "incident":
		return incidentCmd(ctx, rest, stdout, stderr)
	case "logbook":
		return logbookCmd(ctx, rest, stdout, stderr)
	case "task":
		return taskCmd(ctx, rest, stdout, stderr)
	case "pledge":
		return pledgeCmd(ctx, rest, stdout, stderr)
	case "training":
		return trainingCmd(ctx, rest, stdout, stderr)
	case "inspection":
		return inspectionCmd(ctx, rest, stdout, stderr)
	case "access-review":
		return accessReviewCmd(ctx, rest, stdout, stderr)
	case "org":
		return orgCmd(ctx, rest, stdout, stderr)
	case "risk":
		return riskCmd(ctx, rest, stdout, stderr)
	case "account":
		return accountCmd(ctx, rest, stdout, stderr)
	case "review":
		return reviewCmd(ctx, rest, stdout, stderr)
	case "procedure":
		return procedureCmd(ctx, rest, stdout, stderr)
	case "check":
		return checkCmd(ctx, rest, stdout, stderr)
	case "verify":
		return verify(ctx, rest, stdout, stderr)
	case "audit":
		return auditCmd(ctx, rest, stdout, stderr)
	case "backup":
		return backup(ctx, rest, stdout, stderr)
	case "directory":
		return directoryCmd(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "mamori", version())
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "mamori: unknown command %q\n\n%s", cmd, usage)
	return errUsageShown
}
