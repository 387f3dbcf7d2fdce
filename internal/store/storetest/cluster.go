package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"mamori/internal/store"
)

// pgBinDirs are where Debian (and a few other systems) keep initdb and pg_ctl.
var pgBinDirs = []string{
	"/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin",
	"/usr/lib/postgresql/14/bin", "/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin",
}

type pgCluster struct {
	bin  string
	dir  string
	port int
	cred *syscall.Credential
}

const templateDB = "mamori_template"

func findPgBin() (string, error) {
	if d := os.Getenv("MAMORI_PG_BIN"); d != "" {
		return d, nil
	}
	for _, d := range pgBinDirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
				return d, nil
			}
		}
	}
	return "", errors.New("initdb and pg_ctl not found (install the postgresql package)")
}

// startCluster runs initdb in a temp folder and starts a server on a free loopback port. As
// root, PostgreSQL refuses to run, so the cluster then runs as the "postgres" system user.
func startCluster() (*pgCluster, error) {
	bin, err := findPgBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mamori-pg-")
	if err != nil {
		return nil, err
	}
	c := &pgCluster{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	// A free port may be taken by another process (another package's cluster, as go test runs
	// packages side by side) between asking for it and the server binding it: then try another.
	logFile := filepath.Join(dir, "log")
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		c.port = port
		opts := fmt.Sprintf("-h 127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
		out, err := c.run("pg_ctl", "-D", data, "-o", opts, "-l", logFile, "-w", "-t", "60", "start")
		if err == nil {
			break
		}
		log, _ := os.ReadFile(logFile)
		if attempt < 5 && strings.Contains(string(log), "could not create any TCP/IP sockets") {
			os.Remove(logFile)
			continue
		}
		return nil, fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return c, nil
}

func (c *pgCluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd.CombinedOutput()
}

func (c *pgCluster) stop() {
	c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

func (c *pgCluster) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// prepareTemplate migrates one database that every test database is then copied from.
func (c *pgCluster) prepareTemplate() error {
	if err := c.exec("CREATE DATABASE " + templateDB + " ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		return err
	}
	db, err := store.Open(context.Background(), store.Config{DSN: c.dsn(templateDB)})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Migrate(context.Background())
}

func (c *pgCluster) createDatabase(name string) error {
	return c.exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateDB))
}

func (c *pgCluster) exec(stmt string) error {
	db, err := sql.Open("pgx", c.dsn("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	if err != nil && strings.Contains(stmt, "TEMPLATE "+templateDB) {
		return fmt.Errorf("%s: %w", stmt, err)
	}
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
