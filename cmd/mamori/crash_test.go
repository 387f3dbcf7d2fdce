package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"mamori/internal/auditlog"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestKillNineLosesNothingAcknowledged runs mamori as a real process on SQLite, writes through
// its API from several clients while a second process (token create) uses the same data, kills
// the server with SIGKILL in the middle of the writes, and checks that every write the server
// acknowledged is in the database and that the audit chain still verifies.
func TestKillNineLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		if storetest.InCI() {
			t.Fatal("the crash test runs in CI: do not pass -short there")
		}
		t.Skip("builds and kills a real process")
	}
	bin := filepath.Join(t.TempDir(), "mamori")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()

	srv := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`Mamori: http://(\S+)/`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}

	// A second process on the same data while the server runs.
	if out, err := exec.Command(bin, "user", "create-service", "--login", "loader", "--name", "負荷", "--admin", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("create-service beside a running server: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "token", "create", "--user", "loader", "--scope", "read-write", "--data", data).Output()
	if err != nil {
		t.Fatalf("token create beside a running server: %v", err)
	}
	token := lastLine(string(out))

	var mu sync.Mutex
	var acknowledged []string
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := &http.Client{Timeout: 5 * time.Second}
			for i := 0; i < 200 && ctx.Err() == nil; i++ {
				code := fmt.Sprintf("k%d-%d", w, i)
				body := fmt.Sprintf(`{"code":%q,"name":"課 %s","kind":"section"}`, code, code)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/departments", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				res, err := c.Do(req)
				if err != nil {
					return // the server is gone
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusCreated {
					mu.Lock()
					acknowledged = append(acknowledged, code)
					mu.Unlock()
				}
			}
		}(w)
	}
	// Kill once a good number of writes have been acknowledged, while others are in flight.
	deadline := time.Now().Add(60 * time.Second)
	for {
		mu.Lock()
		n := len(acknowledged)
		mu.Unlock()
		if n >= 60 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	stop()
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	if len(acknowledged) < 60 {
		t.Fatalf("only %d writes acknowledged before the deadline", len(acknowledged))
	}
	db, err := store.Open(context.Background(), store.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, code := range acknowledged {
		var n int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM departments WHERE code = $1`, code).Scan(&n); err != nil || n != 1 {
			t.Fatalf("acknowledged department %s is missing after kill -9 (%d, %v)", code, n, err)
		}
	}
	reports, err := auditlog.VerifyAll(context.Background(), db.SQL)
	if err != nil || len(reports) != 1 || !reports[0].OK() {
		t.Fatalf("audit chain after kill -9: %+v %v", reports, err)
	}
	var entries int
	db.SQL.QueryRow(`SELECT count(*) FROM audit_entries WHERE action = 'department.create'`).Scan(&entries)
	var depts int
	db.SQL.QueryRow(`SELECT count(*) FROM departments`).Scan(&depts)
	if entries != depts {
		t.Fatalf("%d departments but %d audit entries for them: a write and its entry were split", depts, entries)
	}
	t.Logf("%d acknowledged, %d in the database after kill -9", len(acknowledged), depts)
}
