package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"mamori/internal/app"
	"mamori/internal/auditlog"
	"mamori/internal/i18n"
)

// anchorFlags say where the audit chain's checkpoints are kept: the signing key and the
// checkpoint file, by default in the data folder (with PostgreSQL too).
type anchorFlags struct {
	key, file string
}

func addAnchorFlags(fs *flag.FlagSet) *anchorFlags {
	a := &anchorFlags{}
	fs.StringVar(&a.key, "audit-key", envOr("MAMORI_AUDIT_KEY", ""), "Ed25519 key the audit chain's checkpoints are signed with, created (0600) at first use; default DATA/audit-key.pem [MAMORI_AUDIT_KEY]")
	fs.StringVar(&a.file, "audit-checkpoints", envOr("MAMORI_AUDIT_CHECKPOINTS", ""), "file the signed checkpoints are appended to; default DATA/audit-checkpoints.jsonl [MAMORI_AUDIT_CHECKPOINTS]")
	return a
}

// anchor returns the checkpoint place for a data folder.
func (a *anchorFlags) anchor(data string) *auditlog.Anchor {
	an := &auditlog.Anchor{KeyFile: a.key, File: a.file}
	if an.KeyFile == "" {
		an.KeyFile = filepath.Join(data, "audit-key.pem")
	}
	if an.File == "" {
		an.File = filepath.Join(data, "audit-checkpoints.jsonl")
	}
	return an
}

// verify walks every organisation's chain and holds it against every signed checkpoint it can
// find; when all holds it signs a checkpoint of each head.
func verify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, d := newFlagSet("verify", stderr)
	af := addAnchorFlags(fs)
	var copies, pubkeys listFlag
	fs.Var(&copies, "checkpoints", "a further checkpoint file to check, e.g. a copy kept elsewhere (repeatable)")
	fs.Var(&pubkeys, "audit-pubkey", "believe checkpoints only from this public key (PEM), e.g. one kept elsewhere, instead of the key file's (repeatable)")
	all := fs.Bool("all-checkpoints", false, "print every checkpoint checked, not only each organisation's newest")
	if err := parse(fs, args); err != nil {
		return err
	}
	an := af.anchor(d.data)
	an.Copies = copies
	for _, p := range pubkeys {
		pub, err := auditlog.ReadPublicKey(p)
		if err != nil {
			return err
		}
		an.Trusted = append(an.Trusted, pub)
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()

	// The checkpoints are read before the chain: entries appended meanwhile only lengthen it.
	cps, err := an.Read()
	if err != nil {
		return err
	}
	reports, err := auditlog.VerifyAll(ctx, s.DB.SQL)
	if err != nil {
		return err
	}
	broken := 0
	for _, r := range reports {
		if err := auditlog.RecordVerification(ctx, s.DB.SQL, r, "cli", time.Now()); err != nil {
			return err
		}
		if r.OK() {
			fmt.Fprintf(stdout, "organisation %d: OK, %d entries, head #%d %s\n", r.OrgID, r.Entries, r.HeadSeq, r.HeadHash)
			continue
		}
		broken++
		fmt.Fprintf(stdout, "organisation %d: BROKEN at entry #%d (id %d): %s\n", r.OrgID, r.Problem.Seq, r.Problem.ID, r.Problem.Reason)
	}

	trusted, err := an.TrustedKeys()
	if err != nil {
		return err
	}
	var prints []string
	for _, k := range trusted {
		prints = append(prints, auditlog.Fingerprint(k))
	}
	problems, err := auditlog.CheckCheckpoints(ctx, s.DB.SQL, cps, trusted)
	if err != nil {
		return err
	}
	printCheckpoints(stdout, an, cps, problems, prints, *all)
	for _, p := range problems {
		fmt.Fprintf(stdout, "CHECKPOINT FAILS: %s\n  %s\n", i18n.T(i18n.Ja, p.MessageKey(), p.Args()...), i18n.T(i18n.En, p.MessageKey(), p.Args()...))
	}
	if broken > 0 || len(problems) > 0 {
		msgs := []string{}
		if broken > 0 {
			msgs = append(msgs, fmt.Sprintf("audit chain broken in %d organisation(s)", broken))
		}
		if len(problems) > 0 {
			p := problems[0]
			msgs = append(msgs, fmt.Sprintf("監査ログがチェックポイント%d件と一致しません（最初は %s の%d行目、第%d項目） / the audit log fails %d checkpoint(s), first %s line %d at entry #%d",
				len(problems), p.File, p.Line, p.Seq, len(problems), p.File, p.Line, p.Seq))
		}
		return &exitError{code: 1, err: errors.New(strings.Join(msgs, "; "))}
	}

	// All holds: sign the heads verified now. A key file that is not the one the checkpoints
	// are believed from would sign lines the next run refuses.
	key, created, err := auditlog.LoadOrCreateKey(an.KeyFile)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(stdout, "audit key created: %s (fingerprint %s)\n", an.KeyFile, auditlog.Fingerprint(key.Public().(ed25519.PublicKey)))
	}
	if len(an.Trusted) > 0 && !slices.ContainsFunc(an.Trusted, func(p ed25519.PublicKey) bool { return p.Equal(key.Public()) }) {
		return &exitError{code: 1, err: fmt.Errorf("署名鍵 %s は --audit-pubkey の鍵ではありません / the key in %s is not the one given by --audit-pubkey", an.KeyFile, an.KeyFile)}
	}
	return writeCheckpoints(ctx, stdout, s, an)
}

// printCheckpoints lists what was checked: each file with its count, and each organisation's
// newest checkpoint (every one with all).
func printCheckpoints(w io.Writer, an *auditlog.Anchor, cps []auditlog.Filed, problems []auditlog.AnchorProblem, prints []string, all bool) {
	fmt.Fprintf(w, "checkpoint key: %s", an.KeyFile)
	if len(an.Trusted) > 0 {
		fmt.Fprint(w, " (believed only from --audit-pubkey)")
	}
	fmt.Fprintf(w, ", trusted fingerprint(s): %v\n", prints)
	bad := map[[2]any]bool{}
	for _, p := range problems {
		bad[[2]any{p.File, p.Line}] = true
	}
	count := map[string]int{}
	newest := map[int64]auditlog.Filed{}
	for _, f := range cps {
		count[f.File]++
		if f.Malformed != "" {
			continue
		}
		if n, ok := newest[f.Org]; !ok || f.Seq >= n.Seq {
			newest[f.Org] = f
		}
	}
	for _, file := range append([]string{an.File}, an.Copies...) {
		fmt.Fprintf(w, "checkpoints in %s: %d\n", file, count[file])
	}
	line := func(f auditlog.Filed) {
		verdict := "OK"
		if bad[[2]any{f.File, f.Line}] {
			verdict = "FAILS"
		}
		fmt.Fprintf(w, "  %s:%d organisation %d #%d %s at %s key %s: %s\n", f.File, f.Line, f.Org, f.Seq, f.Hash, f.At.Format(time.RFC3339), f.Key, verdict)
	}
	if all {
		for _, f := range cps {
			if f.Malformed == "" {
				line(f)
			}
		}
		return
	}
	orgs := make([]int64, 0, len(newest))
	for o := range newest {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	for _, o := range orgs {
		line(newest[o])
	}
}

// writeCheckpoints signs a checkpoint of every organisation's head and says what it wrote.
func writeCheckpoints(ctx context.Context, w io.Writer, s *app.Services, an *auditlog.Anchor) error {
	orgs, err := auditlog.ChainOrgs(ctx, s.DB.SQL)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range orgs {
		c, written, err := an.Checkpoint(ctx, s.DB.SQL, o, false, time.Now())
		switch {
		case err != nil:
			errs = append(errs, err)
		case written:
			fmt.Fprintf(w, "checkpoint written: organisation %d #%d %s at %s key %s → %s\n", c.Org, c.Seq, c.Hash, c.At.Format(time.RFC3339), c.Key, an.File)
		default:
			fmt.Fprintf(w, "checkpoint unchanged: organisation %d #%d %s\n", c.Org, c.Seq, c.Hash)
		}
	}
	if len(errs) > 0 {
		return &exitError{code: 1, err: errors.Join(errs...)}
	}
	return nil
}

// auditCmd: `mamori audit checkpoint` signs a checkpoint of every chain now; `mamori audit key`
// shows the signing key's fingerprint and public key, to keep elsewhere.
func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("audit: expected checkpoint, key, list, report or suggest")
	}
	sub, args := args[0], args[1:]
	if sub == "list" || sub == "report" || sub == "suggest" {
		return auditEngagement(ctx, sub, args, stdout, stderr)
	}
	fs, d := newFlagSet("audit "+sub, stderr)
	af := addAnchorFlags(fs)
	switch sub {
	case "checkpoint", "key":
	default:
		return fmt.Errorf("audit: unknown subcommand %q", sub)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	an := af.anchor(d.data)
	if sub == "key" {
		key, created, err := auditlog.LoadOrCreateKey(an.KeyFile)
		if err != nil {
			return err
		}
		pub := key.Public().(ed25519.PublicKey)
		state := "existing"
		if created {
			state = "created"
		}
		fmt.Fprintf(stdout, "audit key (%s): %s\nfingerprint: %s\n%s", state, an.KeyFile, auditlog.Fingerprint(pub), auditlog.PublicKeyPEM(pub))
		return nil
	}
	s, closeDB, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	return writeCheckpoints(ctx, stdout, s, an)
}
