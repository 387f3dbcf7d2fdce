package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"mamori/internal/app"
	"mamori/internal/auditlog"
	"mamori/internal/demo"
	"mamori/internal/notify"
	"mamori/internal/policy"
	"mamori/internal/server"
)

// demoFlag is --demo with an optional pack: "--demo", "--demo=PACK" or "--demo PACK".
type demoFlag struct {
	set  bool
	pack string
}

func (d *demoFlag) String() string   { return d.pack }
func (d *demoFlag) IsBoolFlag() bool { return true }
func (d *demoFlag) Set(v string) error {
	d.set = true
	if v != "true" {
		d.pack = v
	}
	if v == "false" {
		d.set, d.pack = false, ""
	}
	return nil
}

// joinDemoArg turns "--demo PACK" into "--demo=PACK", which the flag package reads as one.
func joinDemoArg(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if (a == "--demo" || a == "-demo") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("serve", stderr)
	addr := fs.String("addr", envOr("MAMORI_ADDR", "127.0.0.1:8080"), "listen address [MAMORI_ADDR]")
	orgName := fs.String("org-name", envOr("MAMORI_ORG_NAME", ""), "name of the organisation created at first start [MAMORI_ORG_NAME]")
	secure := fs.Bool("secure-cookies", envOr("MAMORI_SECURE_COOKIES", "") == "true", "mark cookies Secure behind a TLS proxy [MAMORI_SECURE_COOKIES]")
	tlsCert := fs.String("tls-cert", envOr("MAMORI_TLS_CERT", ""), "serve HTTPS with this PEM certificate (chain) file [MAMORI_TLS_CERT]")
	tlsKey := fs.String("tls-key", envOr("MAMORI_TLS_KEY", ""), "private key of --tls-cert [MAMORI_TLS_KEY]")
	proxies := fs.String("trusted-proxies", envOr("MAMORI_TRUSTED_PROXIES", ""), "comma-separated addresses/prefixes of reverse proxies whose X-Forwarded-For is believed [MAMORI_TRUSTED_PROXIES]")
	metricsMode := fs.String("metrics", envOr("MAMORI_METRICS", "loopback"), "who may read /metrics: off, loopback (this machine only) or token [MAMORI_METRICS]")
	metricsToken := fs.String("metrics-token", envOr("MAMORI_METRICS_TOKEN", ""), "bearer token for --metrics token, at least 16 characters; prefer the environment variable [MAMORI_METRICS_TOKEN]")
	packDir := fs.String("pack-dir", envOr("MAMORI_PACK_DIR", ""), "folder of the organisation's own policy packs (*.yaml) [MAMORI_PACK_DIR]")
	packID := fs.String("pack", envOr("MAMORI_PACK", ""), "policy pack the organisation is bound to at first start [MAMORI_PACK]")
	var dm demoFlag
	if v := envOr("MAMORI_DEMO", ""); v != "" {
		dm.Set(v)
	}
	fs.Var(&dm, "demo", "load a demo organisation (optionally for a pack) [MAMORI_DEMO]")
	mf := addMailFlags(fs)
	af := addAnchorFlags(fs)
	of := addOIDCFlags(fs)
	lf := addLDAPFlags(fs)
	if err := parse(fs, joinDemoArg(args)); err != nil {
		return err
	}
	oidcConfig, err := of.config()
	if err != nil {
		return err
	}
	ldapConfig, err := lf.config()
	if err != nil {
		return err
	}
	mailServer, mailOn, err := mf.server()
	if err != nil {
		return err
	}
	// Packs are read, and an unknown pack is reported, before the first start creates anything.
	lib, err := library(*packDir)
	if err != nil {
		return err
	}
	if dm.set && dm.pack == "" {
		dm.pack = demo.DefaultPack
	}
	if *packID == "" {
		*packID = dm.pack
	}
	for _, id := range []string{dm.pack, *packID} {
		if _, ok := lib.Get(id); id != "" && !ok {
			return fmt.Errorf("unknown pack %q (known: %s)", id, strings.Join(packIDs(lib), ", "))
		}
	}
	trusted, err := server.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	metrics, err := server.ParseMetricsAccess(*metricsMode, *metricsToken)
	if err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return fmt.Errorf("TLS certificate: %v", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	// Claim the address first: a port in use is reported before anything else is touched.
	var ln net.Listener
	ln, err = net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("address %s is already in use", *addr)
		}
		return fmt.Errorf("cannot listen on %s: %v", *addr, err)
	}
	defer ln.Close()

	s, closeDB, err := d.openWith(ctx, lib)
	if err != nil {
		return err
	}
	defer closeDB()
	an := af.anchor(d.data)
	// The checkpoint key is made, or found unusable, now rather than at the first checkpoint.
	if _, created, err := auditlog.LoadOrCreateKey(an.KeyFile); err != nil {
		return err
	} else if created {
		log.Info("audit checkpoint key created", "file", an.KeyFile)
	}
	s.Audit.Anchor = an
	s.Directory.LDAP, s.Directory.Log = ldapConfig, log
	if ldapConfig != nil {
		// A directory that cannot be asked is told now; local sign-in works regardless.
		if err := ldapConfig.Test(ctx); err != nil {
			log.Warn("directory", "problem", problemError(err, "en").Error())
		}
	}
	name := *orgName
	if p, ok := lib.Get(dm.pack); name == "" && dm.set && ok {
		name = p.Organization + "（デモ）"
	}
	setup := setupFor(name)
	setup.PackID = *packID
	first, err := s.Bootstrap(ctx, setup)
	if err != nil {
		return fmt.Errorf("first start: %w", err)
	}
	if first.Created {
		printAdminPassword(stdout, first.AdminPassword)
	}
	if dm.set {
		p, _ := lib.Get(dm.pack)
		if err := loadDemo(ctx, s, first.Org.ID, p, stdout); err != nil {
			return err
		}
	}

	// One scheduler runs the background work: reminders, the end of exceptions, compliance
	// sweeps, mail, audit checkpoints (app.Services.Scheduler).
	bg := app.Background{Anchor: an, Log: log}
	if mailOn {
		bg.Mailer = mailer(s, mailServer, log)
	}
	defer s.Scheduler(bg).Start(ctx)()

	srv := &http.Server{
		Handler: server.New(s, server.Options{Logger: log, SecureCookies: *secure || tlsConfig != nil, Version: version(),
			TrustedProxies: trusted, Metrics: metrics, MetricsToken: *metricsToken,
			OIDC: startOIDC(ctx, oidcConfig, s.DB, s.Now, log)}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		ln = tls.NewListener(ln, tlsConfig)
	}
	log.Info("mamori listening", "url", scheme+"://"+ln.Addr().String()+"/", "database", s.DB.Where, "engine", s.DB.Engine, "version", version())
	fmt.Fprintf(stdout, "Mamori: %s://%s/\n", scheme, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// Entries written before logbooks kept a public search text get it now, while serve answers.
	defer startPublicTexts(ctx, s, log)()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func printAdminPassword(w io.Writer, pw string) {
	fmt.Fprintf(w, `
============================================================
 初期管理者を作成しました / Platform administrator created
   ログインID / login:       %s
   初期パスワード / password: %s
 この表示は一度だけです。初回ログイン時に変更が必要です。
 Shown once only. It must be changed at first login.
============================================================

`, app.AdminLogin, pw)
}

// packIDs lists the ids of a library's packs.
func packIDs(lib *policy.Library) []string {
	var ids []string
	for _, p := range lib.List() {
		ids = append(ids, p.ID)
	}
	return ids
}

func loadDemo(ctx context.Context, s *app.Services, orgID int64, p *policy.Compiled, w io.Writer) error {
	res, err := demo.Load(ctx, s, orgID, p)
	if err != nil {
		return fmt.Errorf("demo: %w", describe(err))
	}
	if !res.Loaded {
		fmt.Fprintln(w, "デモデータは読み込み済みです / demo data already present")
		return nil
	}
	fmt.Fprintln(w, "デモ団体を読み込みました。デモ利用者（初回ログイン時にパスワード変更）/ Demo accounts (change password at first login):")
	for _, a := range res.Accounts {
		mfa := ""
		if a.MFA {
			mfa = " ※多要素認証の設定が必要 / MFA enrolment"
		}
		fmt.Fprintf(w, "   %-11s %-22s %s　%s %s\n              役割 / role: %s%s\n", a.Login, a.Password, a.Name, a.Department, a.Title, a.Role, mfa)
	}
	fmt.Fprintln(w)
	return nil
}

// mailer returns the mailer of the notices, which the scheduler runs.
func mailer(s *app.Services, server notify.SMTP, log *slog.Logger) *notify.Mailer {
	m := notify.NewMailer(s.DB, server)
	m.Now, m.Log = s.Now, log
	log.Info("mail: notices are sent", "smtp", server.Addr, "from", server.From, "starttls", !server.NoStartTLS, "auth", server.User != "")
	return m
}
