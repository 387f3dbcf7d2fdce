package auth_test

// Benchmarks of what one sign-in costs. docs/PERFORMANCE.md records the figures and how to run
// them:
//
//	CI=true go test -run '^$' -bench . -benchtime 3s -count 3 ./internal/auth/

import (
	"context"
	"runtime"
	"testing"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// benchParams are DefaultParams beside the sets they are weighed against.
var benchParams = []struct {
	name string
	p    auth.Params
}{
	{"default_m64MiB_t2_p2", auth.DefaultParams},
	{"owasp_min_m19MiB_t2_p1", auth.Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}},
	{"owasp_m46MiB_t1_p1", auth.Params{MemoryKiB: 46 * 1024, Time: 1, Threads: 1}},
	{"rfc9106_m64MiB_t3_p4", auth.Params{MemoryKiB: 64 * 1024, Time: 3, Threads: 4}},
}

// benchPassword is a Japanese passphrase of 16 characters (48 bytes in UTF-8).
const benchPassword = "春の小川はさらさら行くよ岸和田市"

func reportMsPerOp(b *testing.B) {
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/op")
}

func BenchmarkHashPassword(b *testing.B) {
	for _, bp := range benchParams {
		b.Run(bp.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := auth.HashPassword(benchPassword, bp.p); err != nil {
					b.Fatal(err)
				}
			}
			reportMsPerOp(b)
		})
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	for _, bp := range benchParams {
		b.Run(bp.name, func(b *testing.B) {
			hash, err := auth.HashPassword(benchPassword, bp.p)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if ok, err := auth.VerifyPassword(benchPassword, hash); err != nil || !ok {
					b.Fatalf("verify = %v, %v", ok, err)
				}
			}
			reportMsPerOp(b)
		})
	}
}

// BenchmarkVerifyPasswordParallel verifies with DefaultParams on every core at once: the most
// sign-ins per second the machine can check, before the service's semaphore is considered.
func BenchmarkVerifyPasswordParallel(b *testing.B) {
	hash, err := auth.HashPassword(benchPassword, auth.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, err := auth.VerifyPassword(benchPassword, hash); err != nil || !ok {
				b.Errorf("verify = %v, %v", ok, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

// BenchmarkLogin is the whole Service.Login round trip with DefaultParams: look up the account,
// verify the password, and in one transaction reset the failure count, start a session and
// append the audit entry. The account has completed its first sign-in (password changed).
func BenchmarkLogin(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchLogin(b, storetest.SQLite(b), auth.DefaultParams) })
	b.Run("postgres", func(b *testing.B) { benchLogin(b, storetest.Postgres(b), auth.DefaultParams) })
}

// BenchmarkLoginDatabasePart is the same round trip with a trivial argon2id cost (64 KiB, t=1,
// p=1), so that what remains is the database's share of a sign-in.
func BenchmarkLoginDatabasePart(b *testing.B) {
	trivial := auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}
	b.Run("sqlite", func(b *testing.B) { benchLogin(b, storetest.SQLite(b), trivial) })
	b.Run("postgres", func(b *testing.B) { benchLogin(b, storetest.Postgres(b), trivial) })
}

func benchLogin(b *testing.B, db *store.DB, p auth.Params) {
	ctx := context.Background()
	svc, login := benchAccount(b, db, p)
	c := auth.Client{RemoteAddr: "192.0.2.10", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) ベンチマーク"}
	for b.Loop() {
		res, err := svc.Login(ctx, login, benchPassword, c)
		if err != nil || res.Stage != auth.StageFull {
			b.Fatalf("login = %+v, %v", res, err)
		}
	}
	reportMsPerOp(b)
}

// BenchmarkLoginBurst has 16 people sign in at once, again and again, on SQLite: the service lets
// 4 hashes run at a time, so the others queue. It reports sign-ins per second and the peak Go heap
// seen while they run, which the semaphore bounds (4 × 64 MiB plus garbage not yet collected).
func BenchmarkLoginBurst(b *testing.B) {
	const clients = 16
	ctx := context.Background()
	svc, login := benchAccount(b, storetest.SQLite(b), auth.DefaultParams)
	c := auth.Client{RemoteAddr: "192.0.2.10"}
	runtime.GC()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var highest uint64
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- highest
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				highest = max(highest, ms.HeapAlloc)
			}
		}
	}()
	b.ResetTimer()
	b.SetParallelism(clients / runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.Login(ctx, login, benchPassword, c); err != nil {
				b.Errorf("login: %v", err)
				return
			}
		}
	})
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "logins/s")
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MiB")
}

// benchAccount creates an organisation and an account whose temporary password has been changed
// to benchPassword, as at a user's first sign-in, with a service hashing with p.
func benchAccount(b *testing.B, db *store.DB, p auth.Params) (*auth.Service, string) {
	b.Helper()
	ctx := context.Background()
	o := &org.Service{DB: db}
	created, err := o.CreateOrganization(ctx, access.System(0, "system"), org.NewOrganization{Code: "bench", Name: "ベンチ町"})
	if err != nil {
		b.Fatal(err)
	}
	svc := auth.New(db, p)
	const login = "hanako"
	_, temp, err := svc.CreateUser(ctx, access.System(created.ID, "system"), auth.NewUser{Login: login, DisplayName: "ベンチ 太郎"})
	if err != nil {
		b.Fatal(err)
	}
	c := auth.Client{RemoteAddr: "192.0.2.10"}
	res, err := svc.Login(ctx, login, temp, c)
	if err != nil {
		b.Fatal(err)
	}
	_, who, err := svc.Authenticate(ctx, res.Token, c)
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.ChangePassword(ctx, who, temp, benchPassword, benchPassword); err != nil {
		b.Fatal(err)
	}
	return svc, login
}
