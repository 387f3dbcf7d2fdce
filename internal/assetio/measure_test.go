//go:build measure

// The measurements of docs/PERFORMANCE.md §5: built only with -tags measure, so that a plain
// go test neither runs nor skips them.

package assetio_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/app"
	"mamori/internal/asset"
	"mamori/internal/assetio"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMeasure100k measures importing 100,000 rows from .xlsx and from Shift_JIS .csv, and
// exporting them, on both engines: each step runs in a process of its own, whose peak resident
// memory the kernel reports. It is built only with -tags measure: it takes minutes.
func TestMeasure100k(t *testing.T) {
	if step := os.Getenv("MAMORI_MEASURE_STEP"); step != "" {
		measureStep(t, step) // this process is one step of a run below
		return
	}
	const n = 100_000
	dir := t.TempDir()
	rows := bigRegister(n)
	files := map[string][]byte{"sjis.csv": sjis(t, csvFile(rows...)), "book.xlsx": xlsxFile(t, rows)}
	for name, data := range files {
		os.WriteFile(filepath.Join(dir, name), data, 0o600)
		t.Logf("%s: %.1f MB", name, float64(len(data))/(1<<20))
	}
	for _, name := range []string{"sjis.csv", "book.xlsx"} {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				dsn := "file:" + db.Where
				if db.Engine == store.Postgres {
					dsn = storetest.PostgresDSN(t) // one the steps' processes open too
					db = openDSN(t, dsn)
				}
				newEnv(t, db, "kishiwada")
				steps := []string{"dry-run", "apply"}
				if name == "book.xlsx" {
					steps = append(steps, "export-xlsx", "export-csv-sjis")
				}
				for _, step := range steps {
					cmd := exec.Command(os.Args[0], "-test.run=^TestMeasure100k$", "-test.v")
					cmd.Env = append(os.Environ(), "MAMORI_MEASURE_STEP="+step, "MAMORI_MEASURE_DSN="+dsn, "MAMORI_MEASURE_FILE="+filepath.Join(dir, name))
					out, err := cmd.CombinedOutput()
					if err != nil {
						t.Fatalf("%s: %v\n%s", step, err, out)
					}
					m := measured.FindSubmatch(out)
					if m == nil {
						t.Fatalf("%s printed no measurement:\n%s", step, out)
					}
					t.Logf("%-8s %-9s %-15s %s", db.Engine, name, step, m[1])
				}
			})
		})
	}
}

// TestMeasureUpdate100k measures the Excel habit at scale on SQLite: a register of 100,000
// assets, the same sheet with every tenth row's location changed imported again with Update
// (a dry run, then the apply), each step in a process of its own as above.
func TestMeasureUpdate100k(t *testing.T) {
	if os.Getenv("MAMORI_MEASURE_STEP") != "" {
		return // TestMeasure100k runs the steps
	}
	const n = 100_000
	dir := t.TempDir()
	rows := bigRegister(n)
	first := filepath.Join(dir, "first.csv")
	os.WriteFile(first, csvFile(rows...), 0o600)
	changed := make([][]string, len(rows))
	for i, r := range rows {
		changed[i] = append([]string(nil), r...)
		if i > 0 && i%10 == 0 {
			changed[i][8] = fmt.Sprintf("別館%d階", i%3+1)
		}
	}
	second := filepath.Join(dir, "changed.csv")
	os.WriteFile(second, csvFile(changed...), 0o600)
	db := storetest.SQLite(t)
	dsn := "file:" + db.Where
	newEnv(t, db, "kishiwada")
	for _, step := range []struct{ name, file string }{{"apply", first}, {"update-dry-run", second}, {"update-apply", second}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMeasure100k$", "-test.v")
		cmd.Env = append(os.Environ(), "MAMORI_MEASURE_STEP="+step.name, "MAMORI_MEASURE_DSN="+dsn, "MAMORI_MEASURE_FILE="+step.file)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", step.name, err, out)
		}
		m := measured.FindSubmatch(out)
		if m == nil {
			t.Fatalf("%s printed no measurement:\n%s", step.name, out)
		}
		t.Logf("sqlite   %-15s %s", step.name, m[1])
	}
}

// measureStep is one step of TestMeasure100k, in a process of its own.
func measureStep(t *testing.T, step string) {
	ctx := context.Background()
	db := openDSN(t, os.Getenv("MAMORI_MEASURE_DSN"))
	s := app.New(db, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}, nil)
	o, err := s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	who := access.System(o.ID, "measure")
	im := &assetio.Importer{Assets: s.Assets, DB: db}
	start := time.Now()
	var result string
	switch step {
	case "dry-run", "apply":
		file := os.Getenv("MAMORI_MEASURE_FILE")
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rep, err := im.Import(ctx, who, file, f, assetio.Options{DryRun: step == "dry-run"})
		if err != nil || len(rep.Errors) > 0 || rep.Valid != 100_000 || (step == "apply" && rep.Created != 100_000) {
			t.Fatalf("%v %d errors, %+v", err, len(rep.Errors), rep.Errors[:min(3, len(rep.Errors))])
		}
		result = strconv.Itoa(rep.Rows) + " rows"
	case "update-dry-run", "update-apply":
		file := os.Getenv("MAMORI_MEASURE_FILE")
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rep, err := im.Import(ctx, who, file, f, assetio.Options{DryRun: step == "update-dry-run", Update: true})
		if err != nil || len(rep.Errors) > 0 || rep.Changed != 10_000 || rep.Unchanged != 90_000 || (step == "update-apply" && rep.Updated != 10_000) {
			t.Fatalf("%v %d errors, changed %d, unchanged %d, updated %d", err, len(rep.Errors), rep.Changed, rep.Unchanged, rep.Updated)
		}
		result = fmt.Sprintf("%d rows, %d changed", rep.Rows, rep.Changed)
	default:
		format, _ := assetio.ParseFormat(step[len("export-"):])
		var w countingWriter
		if err := assetio.Export(ctx, s.Assets, who, asset.Filter{}, format, &w); err != nil {
			t.Fatal(err)
		}
		result = fmt.Sprintf("%.1f MB", float64(w.n)/(1<<20))
	}
	// VmHWM is the peak resident memory of this process since it started (the kernel's
	// getrusage would count the parent's memory at fork too).
	status, _ := os.ReadFile("/proc/self/status")
	hwm := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(status)
	kb := 0
	if hwm != nil {
		kb, _ = strconv.Atoi(string(hwm[1]))
	}
	fmt.Printf("MEASURED %s in %v, peak RSS %d MB\n", result, time.Since(start).Round(time.Millisecond), kb>>10)
}

func openDSN(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var (
	_        io.Writer = (*countingWriter)(nil)
	measured           = regexp.MustCompile(`MEASURED (.*)`)
)
