package pledge

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/http"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/assetio"
	"mamori/internal/auditlog"
	"mamori/internal/policy"
	"mamori/internal/store"
)

// SignInput is a person's signature in Mamori: the pledge, the SHA-256 of the text shown to them
// (the form carries it, so that what is recorded is what they read), their full name as typed,
// and their confirmation.
type SignInput struct {
	PledgeID   string `json:"pledge_id"`
	TextSHA256 string `json:"text_sha256"`
	TypedName  string `json:"typed_name"`
	Confirm    bool   `json:"confirm"`
}

// MaxTypedName is the longest full name a signer may type.
const MaxTypedName = 100

// Sign records the actor's signature of a pledge of the pack that binds them, in one
// transaction with its audit entry. It is refused, with nothing recorded, for a pledge the pack
// lacks or that does not bind them, a text changed since it was shown, a typed name that is not
// the signer's, no confirmation, or a text they have already signed.
func (s *Service) Sign(ctx context.Context, who access.Actor, in SignInput) (Signature, error) {
	if err := maySign(who); err != nil {
		return Signature{}, err
	}
	p, b, err := s.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Signature{}, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return Signature{}, err
	}
	x, ok := p.Pledge(strings.TrimSpace(in.PledgeID))
	if !ok {
		return Signature{}, apperr.InvalidField("pledge_id", "pledges.error.unknown_pledge", in.PledgeID)
	}
	in.TypedName = strings.TrimSpace(in.TypedName)
	var v apperr.Validation
	switch {
	case in.TypedName == "":
		v.Add("typed_name", "pledges.error.typed_name_missing")
	case utf8.RuneCountInString(in.TypedName) > MaxTypedName:
		v.Add("typed_name", "pledges.error.typed_name_long", MaxTypedName)
	}
	if !in.Confirm {
		v.Add("confirm", "pledges.error.confirm")
	}
	if err := v.Err(); err != nil {
		return Signature{}, err
	}
	if in.TextSHA256 != x.TextSHA256() {
		return Signature{}, apperr.InvalidField("text_sha256", "pledges.error.text_changed", x.Title)
	}
	now := s.now()
	var out Signature
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, err := bound(ctx, tx, who.OrgID, who.StaffID, today(now), x)
		if err != nil {
			return err
		}
		if assetio.NameKey(in.TypedName) != assetio.NameKey(pr.name) {
			return apperr.InvalidField("typed_name", "pledges.error.name_mismatch")
		}
		out = Signature{PledgeID: x.ID, StaffID: pr.id, DepartmentID: pr.deptID, Method: Online, Title: x.Title, Text: x.Text,
			TextSHA256: in.TextSHA256, PackID: b.PackID, PackVersion: b.Version, TypedName: in.TypedName,
			SignedOn: today(now), SignedAt: now.UTC(), RemoteAddr: who.RemoteAddr, RecordedBy: actorName(who)}
		return s.insert(ctx, tx, who, &out, nil)
	})
	return out, err
}

func actorName(who access.Actor) string {
	if who.Name != "" {
		return who.Name
	}
	return who.Login
}

// bound returns the member of staff if the pledge binds them today; an error naming the field
// otherwise.
func bound(ctx context.Context, q store.Querier, orgID, staffID int64, day string, x policy.Pledge) (person, error) {
	ps, err := people(ctx, q, orgID, scope{staff: staffID}, day)
	if err != nil {
		return person{}, err
	}
	if len(ps) == 0 {
		return person{}, apperr.InvalidField("staff_id", "pledges.error.unknown_staff")
	}
	if !ps[0].current(day) || !x.Binds(ps[0].employment, ps[0].roles) {
		return person{}, apperr.InvalidField("pledge_id", "pledges.error.not_bound", x.Title)
	}
	return ps[0], nil
}

// insert writes the signature (and the scan of a paper one) with its audit entry.
func (s *Service) insert(ctx context.Context, tx *sql.Tx, who access.Actor, g *Signature, scan *checkedScan) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO pledge_signatures (org_id, pledge_id, staff_id, department_id, method, title, text,
		text_sha256, pack_id, pack_version, typed_name, signed_on, signed_at, remote_addr, user_agent, recorded_by_user_id, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		who.OrgID, g.PledgeID, g.StaffID, store.NullID(g.DepartmentID), g.Method, g.Title, g.Text, g.TextSHA256,
		g.PackID, g.PackVersion, g.TypedName, g.SignedOn, g.SignedAt, g.RemoteAddr, truncate(who.UserAgent, 512),
		store.NullID(who.UserID), g.RecordedBy).Scan(&g.ID)
	if store.IsUniqueViolation(err) {
		return apperr.InvalidField("pledge_id", "pledges.error.already_signed", g.Title)
	}
	if err != nil {
		return apperr.Wrap(err, "pledge signature")
	}
	after := map[string]any{"pledge_id": g.PledgeID, "staff_id": g.StaffID, "method": g.Method, "text_sha256": g.TextSHA256,
		"pack_id": g.PackID, "pack_version": g.PackVersion, "signed_on": g.SignedOn}
	if g.Method == Online {
		after["typed_name"] = g.TypedName
		after["remote_addr"] = g.RemoteAddr
	}
	if scan != nil {
		c := Scan{Name: scan.name, ContentType: scan.kind, Size: int64(len(scan.body)), SHA256: scan.sum}
		if err := tx.QueryRowContext(ctx, `INSERT INTO pledge_scans (org_id, signature_id, name, content_type, size, sha256, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, who.OrgID, g.ID, c.Name, c.ContentType, c.Size, c.SHA256,
			scan.body, g.SignedAt).Scan(&c.ID); err != nil {
			return apperr.Wrap(err, "pledge scan")
		}
		g.Scan = &c
		after["scan"] = map[string]any{"name": c.Name, "sha256": c.SHA256, "size": c.Size}
	}
	action := "pledge.sign"
	if g.Method == Paper {
		action = "pledge.record_paper"
	}
	_, err = auditlog.Append(ctx, tx, who, g.SignedAt, auditlog.Event{Entity: "pledge_signature", EntityID: g.ID, Action: action, After: after})
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// PaperInput is a paper pledge the 情報政策課 records: whose, which pledge, the day it was
// signed and its scan.
type PaperInput struct {
	PledgeID string
	StaffID  int64
	SignedOn string // YYYY-MM-DD
	Scan     Upload
}

// Upload is a file given as a paper pledge's scan.
type Upload struct {
	Name string
	Body []byte
}

// MaxScanSize is the largest scan of a paper pledge.
const MaxScanSize = 10 << 20

// ScanTypes are the kinds of scan kept, as the form and the error name them.
const ScanTypes = "PDF, PNG, JPEG"

var scanTypes = map[string]struct{ kind, sniff string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".png":  {"image/png", "image/png"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
}

type checkedScan struct {
	name, kind, sum string
	body            []byte
}

// checkScan refuses a missing scan, one too large, or one that is not a PDF or an image whose
// content is what its name says.
func checkScan(u Upload) (checkedScan, error) {
	name := strings.TrimSpace(filepath.Base(strings.ReplaceAll(u.Name, `\`, "/")))
	if len(u.Body) == 0 {
		return checkedScan{}, apperr.InvalidField("scan", "pledges.error.scan_missing")
	}
	if len(u.Body) > MaxScanSize {
		return checkedScan{}, apperr.InvalidField("scan", "pledges.error.scan_size", MaxScanSize>>20)
	}
	t, ok := scanTypes[strings.ToLower(filepath.Ext(name))]
	if !ok || name == "." || utf8.RuneCountInString(name) > 200 || !utf8.ValidString(name) {
		return checkedScan{}, apperr.InvalidField("scan", "pledges.error.scan_type", ScanTypes)
	}
	if strings.SplitN(http.DetectContentType(u.Body), ";", 2)[0] != t.sniff {
		return checkedScan{}, apperr.InvalidField("scan", "pledges.error.scan_type", ScanTypes)
	}
	sum := sha256.Sum256(u.Body)
	return checkedScan{name: name, kind: t.kind, sum: hex.EncodeToString(sum[:]), body: u.Body}, nil
}

// RecordPaper records a paper pledge with its scan: the text recorded is the pack's current
// text, which the printed form carries. Refused, with nothing recorded, for a pledge the pack
// lacks or that does not bind the person, a day that is no date or still to come, a scan that
// is no PDF or image or too large, or a text the person has already signed.
func (s *Service) RecordPaper(ctx context.Context, who access.Actor, in PaperInput) (Signature, error) {
	if err := mayRecordPaper(who); err != nil {
		return Signature{}, err
	}
	p, b, err := s.Policy.Active(ctx, who.OrgID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Signature{}, apperr.New(apperr.Conflict, "asset.error.no_pack")
	}
	if err != nil {
		return Signature{}, err
	}
	x, ok := p.Pledge(strings.TrimSpace(in.PledgeID))
	if !ok {
		return Signature{}, apperr.InvalidField("pledge_id", "pledges.error.unknown_pledge", in.PledgeID)
	}
	now := s.now()
	var v apperr.Validation
	in.SignedOn = strings.TrimSpace(in.SignedOn)
	if d, err := time.Parse(time.DateOnly, in.SignedOn); err != nil {
		v.Add("signed_on", "pledges.error.signed_on")
	} else if d.Format(time.DateOnly) > today(now) {
		v.Add("signed_on", "pledges.error.signed_on_future")
	}
	if in.StaffID == 0 {
		v.Add("staff_id", "pledges.error.unknown_staff")
	}
	scan, err := checkScan(in.Scan)
	if err != nil {
		fe := apperr.As(err).Fields[0]
		v.Add(fe.Field, fe.Key, fe.Args...)
	}
	if err := v.Err(); err != nil {
		return Signature{}, err
	}
	var out Signature
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, err := bound(ctx, tx, who.OrgID, in.StaffID, today(now), x)
		if err != nil {
			return err
		}
		out = Signature{PledgeID: x.ID, StaffID: pr.id, DepartmentID: pr.deptID, Method: Paper, Title: x.Title, Text: x.Text,
			TextSHA256: x.TextSHA256(), PackID: b.PackID, PackVersion: b.Version, SignedOn: in.SignedOn, SignedAt: now.UTC(),
			RecordedBy: actorName(who)}
		return s.insert(ctx, tx, who, &out, &scan)
	})
	return out, err
}
