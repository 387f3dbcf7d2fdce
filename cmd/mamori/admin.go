package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/auth"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	cur, _, err := s.DB.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema at version %d (%s %s)\n", cur, s.DB.Engine, s.DB.Where)
	return printPublicTexts(ctx, s, stdout)
}

// describe turns an application error into one line in Japanese and English.
func describe(err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code == apperr.Internal {
		return err
	}
	msg := i18n.T(i18n.Ja, e.Key, e.Args...) + " / " + i18n.T(i18n.En, e.Key, e.Args...)
	for _, f := range e.Fields {
		msg += fmt.Sprintf("\n  %s: %s / %s", f.Field, i18n.T(i18n.Ja, f.Key, f.Args...), i18n.T(i18n.En, f.Key, f.Args...))
	}
	return errors.New(msg)
}

func userCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("user: expected create, create-service, list, reset-password or unlock")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create-service":
		return createServiceAccount(ctx, args, stdout, stderr)
	case "create", "list", "reset-password", "unlock":
	default:
		return fmt.Errorf("user: unknown subcommand %q", sub) // before the database is opened (or created)
	}
	fs, d := newFlagSet("user "+sub, stderr)
	login := fs.String("login", "", "login name")
	name := fs.String("name", "", "display name (create)")
	admin := fs.Bool("admin", false, "platform administrator (create)")
	staffNo := fs.String("staff-no", "", "employee number of the staff member to link (create)")
	if err := parse(fs, args); err != nil {
		return err
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
	switch sub {
	case "create":
		in := auth.NewUser{Login: *login, DisplayName: *name, PlatformAdmin: *admin}
		if *staffNo != "" {
			if in.StaffID, err = staffByNumber(ctx, s.Org, sys, *staffNo); err != nil {
				return err
			}
		}
		u, pw, err := s.Auth.CreateUser(ctx, sys, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "created %s (%s); temporary password, shown once, change at first login:\n%s\n", u.Login, u.DisplayName, pw)
	case "list":
		users, err := s.Auth.ListUsers(ctx, sys)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tNAME\tADMIN\tMFA\tSTATE")
		for _, u := range users {
			state := "active"
			switch {
			case u.ServiceAccount && !u.Disabled:
				state = "service-account"
			case u.Disabled:
				state = "disabled"
			case u.Locked():
				state = "locked"
			case u.MustChangePassword:
				state = "temporary-password"
			}
			fmt.Fprintf(tw, "%s\t%s\t%v\t%v\t%s\n", u.Login, u.DisplayName, u.PlatformAdmin, u.MFAEnabled, state)
		}
		return tw.Flush()
	case "reset-password", "unlock":
		u, err := s.Auth.UserByLogin(ctx, *login)
		if err != nil {
			return fmt.Errorf("no user %q", *login)
		}
		sys.OrgID = u.OrgID
		if sub == "unlock" {
			if err := s.Auth.Unlock(ctx, sys, u.ID); err != nil {
				return describe(err)
			}
			fmt.Fprintf(stdout, "unlocked %s\n", u.Login)
			return nil
		}
		pw, err := s.Auth.ResetPassword(ctx, sys, u.ID)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "password of %s reset; temporary password, shown once:\n%s\n", u.Login, pw)
	default:
		return fmt.Errorf("user: unknown subcommand %q", sub)
	}
	return nil
}

// tokenCmd issues an API token to a service account. People issue their own tokens on their
// account page or through the API, once signed in: the operator of the server mints none for them.
func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("token: expected create")
	}
	fs, d := newFlagSet("token create", stderr)
	login := fs.String("user", "", "login name of the service account")
	label := fs.String("name", "cli", "label for the token")
	scope := fs.String("scope", auth.ScopeRead, "read or read-write")
	days := fs.Int("days", auth.DefaultTokenDays, fmt.Sprintf("days until the token expires (1 to %d)", auth.MaxTokenDays))
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := s.Auth.UserByLogin(ctx, *login)
	if err != nil {
		return fmt.Errorf("no user %q", *login)
	}
	if !u.ServiceAccount {
		return fmt.Errorf("%q is not a service account: people issue their own tokens on their account page "+
			"(create one with `mamori user create-service` for an integration)", u.Login)
	}
	t, token, err := s.Auth.CreateServiceToken(ctx, access.System(u.OrgID, "cli"), u.ID, auth.NewToken{Name: *label, Scope: *scope, ExpiresInDays: *days})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stderr, "API token %d (%s) for %s, expires %s (shown once; stored hashed):\n", t.ID, t.Scope, u.Login,
		t.ExpiresAt.In(i18n.Tokyo).Format(time.DateOnly))
	fmt.Fprintln(stdout, token)
	return nil
}

func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("backup", stderr)
	out := fs.String("out", "", "file to write the backup to (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("backup: --out FILE is required")
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := s.DB.Backup(ctx, *out); err != nil {
		if errors.Is(err, store.ErrBackupUnsupported) {
			return fmt.Errorf("%v", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *out)
	return nil
}
