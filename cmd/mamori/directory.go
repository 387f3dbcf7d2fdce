package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"mamori/internal/directory"
	"mamori/internal/i18n"
	"mamori/internal/sysaccount"
)

// ldapFlags are the directory connection's flags, shared by serve and the directory command.
type ldapFlags struct {
	url, bindDN, baseDN, filter, caFile, groupFilter *string
	startTLS                                         *bool
	timeout                                          *time.Duration
}

func addLDAPFlags(fs *flag.FlagSet) *ldapFlags {
	return &ldapFlags{
		url:         fs.String("ldap-url", envOr("MAMORI_LDAP_URL", ""), "directory server: ldaps://host:636, or ldap://host:389 with --ldap-starttls [MAMORI_LDAP_URL]"),
		bindDN:      fs.String("ldap-bind-dn", envOr("MAMORI_LDAP_BIND_DN", ""), "service account's DN; its password from MAMORI_LDAP_BIND_PASSWORD [MAMORI_LDAP_BIND_DN]"),
		baseDN:      fs.String("ldap-base-dn", envOr("MAMORI_LDAP_BASE_DN", ""), "where people are searched [MAMORI_LDAP_BASE_DN]"),
		filter:      fs.String("ldap-user-filter", envOr("MAMORI_LDAP_USER_FILTER", "(&(objectClass=user)(sAMAccountName=%s))"), "finds a person by login, %s the login [MAMORI_LDAP_USER_FILTER]"),
		caFile:      fs.String("ldap-ca-file", envOr("MAMORI_LDAP_CA_FILE", ""), "PEM certificates the server's certificate must chain to [MAMORI_LDAP_CA_FILE]"),
		groupFilter: fs.String("ldap-group-filter", envOr("MAMORI_LDAP_GROUP_FILTER", ""), "finds a person's groups where there is no memberOf, %s the person's DN [MAMORI_LDAP_GROUP_FILTER]"),
		startTLS:    fs.Bool("ldap-starttls", envOr("MAMORI_LDAP_STARTTLS", "") == "true", "use StartTLS on an ldap:// URL [MAMORI_LDAP_STARTTLS]"),
		timeout:     fs.Duration("ldap-timeout", 5*time.Second, "bound of each connection and operation"),
	}
}

// config is the connection the flags describe, nil when no URL is given.
func (f *ldapFlags) config() (*directory.LDAPConfig, error) {
	if *f.url == "" {
		return nil, nil
	}
	c := &directory.LDAPConfig{URL: *f.url, StartTLS: *f.startTLS, CAFile: *f.caFile, BindDN: *f.bindDN,
		BindPassword: os.Getenv("MAMORI_LDAP_BIND_PASSWORD"), BaseDN: *f.baseDN, UserFilter: *f.filter,
		GroupFilter: *f.groupFilter, Timeout: *f.timeout}
	if err := c.Check(); err != nil {
		return nil, problemError(err, "en")
	}
	return c, nil
}

// problemError turns a directory problem into the administrator's message.
func problemError(err error, lang string) error {
	var p *directory.Problem
	if errors.As(err, &p) {
		msg := i18n.T(i18n.Lang(lang), p.MessageKey())
		if p.Detail != "" {
			msg += " (" + p.Detail + ")"
		}
		if p.Err != nil {
			msg += "\n  " + p.Err.Error()
		}
		return errors.New(msg)
	}
	return err
}

// directoryCmd tests the directory connection and reads its people and accounts.
func directoryCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("directory: expected test, people or accounts")
	}
	sub, args := args[0], args[1:]
	if sub != "test" && sub != "people" && sub != "accounts" {
		return fmt.Errorf("directory: unknown subcommand %q", sub)
	}
	fs, d := newFlagSet("directory "+sub, stderr)
	lf := addLDAPFlags(fs)
	sync := fs.Bool("sync", false, "people: move the staff records to the departments the directory gives (recorded as moves)")
	system := fs.String("system", "", "accounts: take the directory's accounts in as the accounts of this system of the register (checked only, unless --apply)")
	apply := fs.Bool("apply", false, "accounts --system: apply the import after the check")
	removeMissing := fs.Bool("remove-missing", false, "accounts --system: mark the system's accounts the directory no longer holds as removed")
	as := fs.String("as", "", "accounts --system: act as this account (the system's 情報システム管理者); without it the system itself")
	lang := fs.String("lang", "ja", "language of the messages: ja or en")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := lf.config()
	if err != nil {
		return err
	}
	if cfg == nil {
		return fmt.Errorf("directory: --ldap-url is required")
	}
	switch sub {
	case "test":
		if err := cfg.Test(ctx); err != nil {
			return problemError(err, *lang)
		}
		fmt.Fprintln(stdout, i18n.T(i18n.Lang(*lang), "directory.test.ok"))
		return nil
	case "accounts":
		accts, err := cfg.Accounts(ctx)
		if err != nil {
			return problemError(err, *lang)
		}
		if *system != "" {
			return importDirectoryAccounts(ctx, d, accts, *as, sysaccount.ImportOptions{SystemRef: *system, DryRun: !*apply,
				RemoveMissing: *removeMissing, Source: "directory"}, stdout)
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tNAME\tEMPLOYEE_NO\tDISABLED\tLAST_LOGON\tPASSWORD_LAST_SET\tGROUPS")
		for _, a := range accts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\t%s\t%s\n", a.Login, a.Name, a.EmployeeNo, a.Disabled, day(a.LastLogon), day(a.PasswordLastSet),
				strings.Join(a.Groups, ";"))
		}
		return tw.Flush()
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	sys, err := firstOrgActor(ctx, s)
	if err != nil {
		return err
	}
	st, err := s.Directory.Settings(ctx, sys)
	if err != nil {
		return err
	}
	deptAttr := ""
	if st.DepartmentFrom == directory.DeptFromAttribute {
		deptAttr = st.DepartmentAttribute
	}
	people, err := cfg.People(ctx, deptAttr)
	if err != nil {
		return problemError(err, *lang)
	}
	if !*sync {
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tNAME\tEMPLOYEE_NO\tDEPARTMENT\tMAIL\tGROUPS")
		for _, p := range people {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Login, p.Name, p.EmployeeNo, p.Department, p.Email, strings.Join(p.Groups, ";"))
		}
		return tw.Flush()
	}
	res, err := s.Directory.SyncPeople(ctx, sys, people)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "people %d: created %d, moved %d, unchanged %d\n", res.People, res.Created, res.Moved, res.Unchanged)
	if len(res.Unmapped) > 0 {
		fmt.Fprintf(stdout, "%s: %s\n", i18n.T(i18n.Lang(*lang), "directory.sync.unmapped"), strings.Join(res.Unmapped, ", "))
	}
	return nil
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(i18n.Tokyo).Format(time.DateOnly)
}

// importDirectoryAccounts takes the directory's accounts in as the accounts of one system of the
// register, through the same checks as an uploaded account list: owners by staff number, a dry
// run unless applied, every row or none.
func importDirectoryAccounts(ctx context.Context, d *dataFlags, accts []directory.Account, as string, opts sysaccount.ImportOptions, stdout io.Writer) error {
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	who, err := actingActor(ctx, s, as)
	if err != nil {
		return err
	}
	rows := make([]sysaccount.Row, 0, len(accts))
	for i, a := range accts {
		r := sysaccount.Row{Line: i + 1, Login: a.Login, Kind: "personal", DisplayName: a.Name, OwnerNo: a.EmployeeNo,
			LastLoginOn: day(a.LastLogon), PasswordChangedOn: day(a.PasswordLastSet)}
		if a.Disabled {
			r.Note = "ディレクトリで無効"
		}
		rows = append(rows, r)
	}
	rep, err := s.SystemAccounts.ImportRows(ctx, who, rows, opts, nil)
	if err != nil {
		return describe(err)
	}
	return printAccountImport(stdout, rep, !opts.DryRun)
}
