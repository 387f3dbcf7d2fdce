// Command mamori-bench measures Mamori's HTTP throughput and latency on loopback: a signed-in
// HTML page, an API listing with a bearer token, and a bare net/http handler as the baseline,
// one after the other in the same run. It sets up its own data (SQLite in a temp folder, or the
// PostgreSQL database --db names), sends load only to 127.0.0.1 for a bounded time and number
// of requests, and prints a Markdown table. docs/PERFORMANCE.md records its figures.
//
//	go run ./cmd/mamori-bench --duration 10s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

type config struct {
	duration    time.Duration
	warmup      time.Duration
	clients     int
	maxRequests int
	db          string
	targets     []string
	cpuProfile  string
	maxIdle     int
	assets      int    // the register's size for the asset targets
	assetsQuery string // the search word of the asset targets; "" for their own
}

// Limits keep a mistyped flag from turning the benchmark into a flood.
const (
	maxDuration = 10 * time.Minute
	maxClients  = 1024
	maxAssets   = 10_000_000
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "mamori-bench: %v\n", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("mamori-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var targets string
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each target is measured")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "load before each measurement, not counted")
	fs.IntVar(&c.clients, "clients", 32, "concurrent clients, each with its own connection pool")
	fs.IntVar(&c.maxRequests, "max-requests", 2_000_000, "stop a measurement after this many requests")
	fs.StringVar(&c.db, "db", "", "postgres://… DSN of an empty scratch database; empty for SQLite in a temp folder")
	fs.StringVar(&targets, "targets", "html,api,bare", "which targets to measure, in order (also: "+strings.Join(assetTargets, ", ")+")")
	fs.IntVar(&c.assets, "assets", 1_000_000, "assets in the register for the asset targets (written straight into the tables before the measurement)")
	fs.StringVar(&c.assetsQuery, "assets-q", "", "search word of the asset targets instead of theirs (端末 for the page, 住民基本台帳 for the API)")
	fs.IntVar(&c.maxIdle, "max-idle-conns", 0, "override the database pool's idle-connection limit (0: as store.Open sets it), to weigh its effect")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of each measurement (not set-up or warm-up): FILE.pprof → FILE-html.pprof, …")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case c.duration <= 0 || c.duration > maxDuration:
		return c, fmt.Errorf("--duration must be between 0 and %s", maxDuration)
	case c.warmup < 0 || c.warmup > maxDuration:
		return c, fmt.Errorf("--warmup must be between 0 and %s", maxDuration)
	case c.clients < 1 || c.clients > maxClients:
		return c, fmt.Errorf("--clients must be between 1 and %d", maxClients)
	case c.maxRequests < 1:
		return c, errors.New("--max-requests must be positive")
	case c.maxIdle < 0:
		return c, errors.New("--max-idle-conns must not be negative")
	case c.assets < 0 || c.assets > maxAssets:
		return c, fmt.Errorf("--assets must be between 0 and %d", maxAssets)
	}
	for _, t := range strings.Split(targets, ",") {
		t = strings.TrimSpace(t)
		if !slices.Contains(targetNames, t) {
			return c, fmt.Errorf("unknown target %q (known: %s)", t, strings.Join(targetNames, ", "))
		}
		c.targets = append(c.targets, t)
	}
	return c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "setting up (migrate, first start, demo, bench account)…\n")
	registerTargets := slices.ContainsFunc(cfg.targets, func(t string) bool { return slices.Contains(assetTargets, t) })
	env, err := setUp(ctx, cfg.db, registerTargets)
	if err != nil {
		return err
	}
	defer env.Close()
	if registerTargets {
		fmt.Fprintf(stderr, "filling the register to %d assets…\n", cfg.assets)
		took, err := env.fillRegister(ctx, cfg.assets)
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		fmt.Fprintf(stderr, "register filled in %s\n", took.Round(time.Second))
	}
	if cfg.maxIdle > 0 {
		env.db.SQL.SetMaxIdleConns(cfg.maxIdle)
	}

	all, err := env.targets(ctx, cfg.targets, cfg.assetsQuery)
	if err != nil {
		return err
	}
	var targets []target
	for _, t := range all {
		err := t.check(ctx)
		if errors.Is(err, errNoRoute) && t.optional {
			fmt.Fprintf(stderr, "%s: skipped, %s answers 404 (not built yet)\n", t.name, t.url)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		targets = append(targets, t)
	}

	started := time.Now()
	var results []result
	for _, t := range targets {
		fmt.Fprintf(stderr, "%s: warm-up %s, then %s with %d clients…\n", t.name, cfg.warmup, cfg.duration, cfg.clients)
		warm := load(ctx, t, cfg.clients, cfg.warmup, cfg.maxRequests)
		stopProfile, err := startProfile(cfg.cpuProfile, t.name)
		if err != nil {
			return err
		}
		dbBefore, cpuBefore := env.dbStats(), readCPU()
		r := load(ctx, t, cfg.clients, cfg.duration, cfg.maxRequests)
		r.cpu = readCPU().since(cpuBefore)
		if err := stopProfile(); err != nil {
			return err
		}
		r.warmErrors = warm.errors
		r.db = env.dbStats().since(dbBefore)
		results = append(results, r)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}

	fmt.Fprintf(stdout, "mamori-bench — %s, %s/%s, %d CPUs (GOMAXPROCS %d), %s, engine %s, commit %s\n",
		started.Format(time.RFC3339), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.Version(), env.engine(), revision())
	idle := "as store.Open sets it"
	if cfg.maxIdle > 0 {
		idle = strconv.Itoa(cfg.maxIdle)
	}
	fmt.Fprintf(stdout, "%d clients, %s warm-up, %s measured per target; load generator in the same process; MaxIdleConns %s\n\n",
		cfg.clients, cfg.warmup, cfg.duration, idle)
	report(stdout, results)
	bad := 0
	for _, r := range results {
		bad += r.failed() + r.warmErrors.total()
	}
	if bad > 0 {
		return fmt.Errorf("%d requests failed: this run is not valid", bad)
	}
	return nil
}

// revision is the commit the binary was built from, when the build recorded it (go build does
// unless -buildvcs=false; go run does not).
func revision() string {
	rev, dirty := "not recorded", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if dirty {
		rev += " with local changes"
	}
	return rev
}

// startProfile starts a CPU profile of one target's measurement in base with the target's name
// before the extension (cpu.pprof → cpu-html.pprof); base "" profiles nothing.
func startProfile(base, target string) (stop func() error, err error) {
	if base == "" {
		return func() error { return nil }, nil
	}
	ext := filepath.Ext(base)
	f, err := os.Create(strings.TrimSuffix(base, ext) + "-" + target + ext)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
