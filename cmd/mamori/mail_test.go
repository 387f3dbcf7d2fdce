package main

import (
	"context"
	"database/sql"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"mamori/internal/notify"
	"mamori/internal/notify/mailsink"
	"mamori/internal/store"
)

func TestServeMail(t *testing.T) {
	t.Run("mail settings that cannot work end serve before anything is created", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--smtp-addr", "mailhost"}, "host:port"},
			{[]string{"--smtp-addr", "127.0.0.1:25"}, "sender"},
			{[]string{"--smtp-addr", "127.0.0.1:25", "--smtp-from", "mamori@town.example", "--smtp-password", "x"}, "user name"},
			{[]string{"--smtp-user", "mamori"}, "--smtp-addr"},
			{[]string{"--smtp-addr", "127.0.0.1:25", "--smtp-from", "mamori@town.example", "--public-url", "mamori.town"}, "public URL"},
		} {
			dir := t.TempDir()
			_, _, err := cliBounded(t, append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) || exitCode(err) == 0 {
				t.Errorf("%v: error %v, want one mentioning %q", c.args, err, c.want)
			}
			if exists(dbFile(dir)) {
				t.Errorf("%v: the database was created", c.args)
			}
		}
	})

	t.Run("a notice waiting in the outbox is mailed through the configured server", func(t *testing.T) {
		dir := t.TempDir()
		if err := startServe(t, "--data", dir, "--addr", "127.0.0.1:0").Stop(); err != nil {
			t.Fatal(err)
		}
		db := openData(t, store.Config{DataDir: dir})
		writeNotice(t, db, "kacho@town.example")
		sink := mailsink.Start(t, "127.0.0.1:0")
		t.Setenv("MAMORI_SMTP_FROM", "Mamori <mamori@town.example>")
		s := startServe(t, "--data", dir, "--addr", "127.0.0.1:0", "--smtp-addr", sink.Addr(), "--public-url", "https://mamori.town.example")
		sink.Await(1, time.Minute)
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		got := sink.Messages()
		if len(got) != 1 || got[0].From != "mamori@town.example" || got[0].To[0] != "kacho@town.example" {
			t.Fatalf("received %+v\nstderr:\n%s", got, s.Stderr)
		}
		msg, err := mail.ReadMessage(strings.NewReader(got[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		if subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); subject != "持ち出し申請が承認を待っています" {
			t.Fatalf("subject %q", subject)
		}
	})

	t.Run("the password never appears in the log", func(t *testing.T) {
		dir := t.TempDir()
		if err := startServe(t, "--data", dir, "--addr", "127.0.0.1:0").Stop(); err != nil {
			t.Fatal(err)
		}
		writeNotice(t, openData(t, store.Config{DataDir: dir}), "kacho@town.example")
		sink := mailsink.Start(t, "127.0.0.1:0") // knows no AUTH: the attempt fails and is logged
		t.Setenv("MAMORI_SMTP_PASSWORD", "himitsu-no-aikotoba")
		s := startServe(t, "--data", dir, "--addr", "127.0.0.1:0", "--smtp-addr", sink.Addr(),
			"--smtp-from", "mamori@town.example", "--smtp-user", "mamori")
		for i := 0; i < 6000 && !strings.Contains(s.Stderr.String(), "mail: not sent"); i++ { // a minute at most
			time.Sleep(10 * time.Millisecond)
		}
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
		log := s.Stderr.String()
		if !strings.Contains(log, "code=auth") {
			t.Fatalf("no failed AUTH logged:\n%s", log)
		}
		if strings.Contains(log, "himitsu") {
			t.Fatalf("the password is in the log:\n%s", log)
		}
	})
}

// writeNotice adds a staff member with an address to the first organisation and a notice for
// them, as a domain service would.
func writeNotice(t *testing.T, db *store.DB, email string) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		var orgID, staffID int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM organizations ORDER BY id LIMIT 1`).Scan(&orgID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO staff (org_id, employee_no, name, employment, email, created_at)
			VALUES ($1, 'K-1', '課長', 'regular', $2, $3) RETURNING id`, orgID, email, time.Now().UTC()).Scan(&staffID); err != nil {
			return err
		}
		return notify.Notify(ctx, tx, notify.Notice{OrgID: orgID, Staff: []int64{staffID}, Kind: notify.RequestWaiting,
			Subject: notify.Text{Ja: "持ち出し申請が承認を待っています"}, Link: "/requests/1", Ref: notify.Ref{Type: "request", ID: 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
}
