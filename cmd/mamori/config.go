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
