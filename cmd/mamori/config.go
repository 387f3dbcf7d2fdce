package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"mamori/internal/app"
	"mamori/internal/auth"
	"mamori/internal/notify"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/packs"

	_ "time/tzdata" // show Asia/Tokyo even on servers without zoneinfo
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// dataFlags are the flags every data-touching subcommand shares.
type dataFlags struct {
	data string
	db   string
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

func newFlagSet(name string, stderr io.Writer) (*flag.FlagSet, *dataFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	d := &dataFlags{}
	fs.StringVar(&d.data, "data", envOr("MAMORI_DATA", "./mamori-data"), "data folder [MAMORI_DATA]")
	fs.StringVar(&d.db, "db", envOr("MAMORI_DB", ""), "postgres://… DSN; empty for SQLite in the data folder [MAMORI_DB]")
	return fs, d
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsageShown
		}
		return errUsageShown
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// open opens and migrates the database and returns the services over the shipped packs.
func (d *dataFlags) open(ctx context.Context) (*app.Services, func(), error) {
	lib, err := packs.Load()
	if err != nil {
		return nil, nil, err
	}
	return d.openWith(ctx, lib)
}

// openWith opens and migrates the database and returns the services over a pack library.
func (d *dataFlags) openWith(ctx context.Context, lib *policy.Library) (*app.Services, func(), error) {
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := store.Open(octx, store.Config{DataDir: d.data, DSN: d.db})
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return app.NewWithPacks(db, auth.DefaultParams, nil, lib), func() { db.Close() }, nil
}

// setupFor describes the organisation created at first start.
func setupFor(name string) app.Setup {
	if strings.TrimSpace(name) == "" {
		name = "（団体名未設定）"
	}
	return app.Setup{OrgCode: "org", OrgName: name}
}

// mailFlags are serve's mail settings: without --smtp-addr Mamori sends no mail, and notices
// are shown in the app only.
type mailFlags struct {
	addr, from, user, password, publicURL string
	startTLS                              bool
}

func addMailFlags(fs *flag.FlagSet) *mailFlags {
	m := &mailFlags{}
	fs.StringVar(&m.addr, "smtp-addr", envOr("MAMORI_SMTP_ADDR", ""), "mail server host:port to send notices through; empty for none [MAMORI_SMTP_ADDR]")
	fs.StringVar(&m.from, "smtp-from", envOr("MAMORI_SMTP_FROM", ""), "sender of the mail, e.g. \"Mamori <mamori@example.lg.jp>\" [MAMORI_SMTP_FROM]")
	fs.StringVar(&m.user, "smtp-user", envOr("MAMORI_SMTP_USER", ""), "user name for SMTP AUTH, sent only over TLS or to this machine [MAMORI_SMTP_USER]")
	fs.StringVar(&m.password, "smtp-password", envOr("MAMORI_SMTP_PASSWORD", ""), "password for SMTP AUTH; prefer the environment variable [MAMORI_SMTP_PASSWORD]")
	fs.BoolVar(&m.startTLS, "smtp-starttls", envOr("MAMORI_SMTP_STARTTLS", "true") != "false", "use STARTTLS when the server offers it [MAMORI_SMTP_STARTTLS]")
	fs.StringVar(&m.publicURL, "public-url", envOr("MAMORI_PUBLIC_URL", ""), "address users open Mamori at, for links in mail, e.g. https://mamori.example.lg.jp [MAMORI_PUBLIC_URL]")
	return m
}

// server returns the mail server to send through, ok false when none is configured.
func (m *mailFlags) server() (notify.SMTP, bool, error) {
	if m.addr == "" {
		if m.from != "" || m.user != "" || m.password != "" {
			return notify.SMTP{}, false, errors.New("--smtp-from, --smtp-user and --smtp-password need --smtp-addr")
		}
		return notify.SMTP{}, false, nil
	}
	s := notify.SMTP{Addr: m.addr, From: m.from, User: m.user, Password: m.password, NoStartTLS: !m.startTLS,
		PublicURL: m.publicURL}
	return s, true, s.Check()
}
