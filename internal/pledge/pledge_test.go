package pledge_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/apperr"
	"mamori/internal/apptest"
	"mamori/internal/pledge"
	"mamori/internal/policy"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type env struct {
	*apptest.Env
	office, manager, clerk, partTimer, other access.Actor
}

// newEnv is 岸和田市 with the CISO補佐 (of the 情報政策課), the 情報セキュリティ責任者 (課長) of
// each department, a regular clerk of A and the staff of contractors working in A (髙橋 一郎)
// and B.
func newEnv(t testing.TB, db *store.DB) *env {
	roles := func(r policy.Role) bool { return r.ID == "ciso_assistant" || r.ID == "security_officer" }
	e := &env{Env: apptest.New(t, db, "kishiwada", apptest.Options{Roles: roles, Marks: true})}
	e.office = e.Holder("ciso_assistant@org")
	e.manager = e.Holder("security_officer@d:" + itoa(e.DeptA))
	e.clerk = e.Person("山田 花子", e.DeptA)
	e.partTimer = e.employ(e.Person("髙橋 一郎", e.DeptA), "contractor", "2026-04-01")
	e.other = e.employ(e.Person("佐藤 次郎", e.DeptB), "contractor", "")
	return e
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (e *env) employ(a access.Actor, employment, hiredOn string) access.Actor {
	e.T.Helper()
	if _, err := e.S.DB.SQL.Exec(`UPDATE staff SET employment = $1, hired_on = $2 WHERE id = $3`, employment, hiredOn, a.StaffID); err != nil {
		e.T.Fatal(err)
	}
	return a
}

func field(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if field != "" && apperr.As(err).Field() != field {
		t.Fatalf("error names %q, want %q (%v)", apperr.As(err).Field(), field, err)
	}
}

func (e *env) signatures() int {
	var n int
	if err := e.S.DB.SQL.QueryRow(`SELECT count(*) FROM pledge_signatures WHERE org_id = $1`, e.Org).Scan(&n); err != nil {
		e.T.Fatal(err)
	}
	return n
}

func pngBytes() []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4)))
	return b.Bytes()
}

const consent = "contractor-confidentiality"

func TestAPartTimerSignsTheirPledge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ps := e.S.Pledges
		mine, err := ps.Mine(ctx, e.partTimer)
		if err != nil || len(mine) != 1 || mine[0].State != pledge.Unsigned || mine[0].DueOn != "2026-04-01" {
			t.Fatalf("mine = %+v, %v", mine, err)
		}
		if mine, _ := ps.Mine(ctx, e.clerk); len(mine) != 0 {
			t.Fatalf("a regular clerk is bound by %+v", mine)
		}
		x, _ := e.P.Pledge(consent)
		in := pledge.SignInput{PledgeID: consent, TextSHA256: x.TextSHA256(), TypedName: "山田 花子", Confirm: true}
		_, err = ps.Sign(ctx, e.partTimer, in)
		field(t, err, apperr.Invalid, "typed_name")
		in.TypedName = "高橋一郎" // another writing of 髙橋 一郎
		in.Confirm = false
		_, err = ps.Sign(ctx, e.partTimer, in)
		field(t, err, apperr.Invalid, "confirm")
		in.Confirm, in.PledgeID = true, "nope"
		_, err = ps.Sign(ctx, e.partTimer, in)
		field(t, err, apperr.Invalid, "pledge_id")
		in.PledgeID, in.TextSHA256 = consent, strings.Repeat("0", 64)
		_, err = ps.Sign(ctx, e.partTimer, in)
		field(t, err, apperr.Invalid, "text_sha256")
		in.TextSHA256 = x.TextSHA256()
		_, err = ps.Sign(ctx, e.clerk, pledge.SignInput{PledgeID: consent, TextSHA256: x.TextSHA256(), TypedName: "山田 花子", Confirm: true})
		field(t, err, apperr.Invalid, "pledge_id")
		if n := e.signatures(); n != 0 {
			t.Fatalf("%d signatures after refusals", n)
		}
		who := e.partTimer
		who.RemoteAddr = "192.0.2.7"
		g, err := ps.Sign(ctx, who, in)
		if err != nil {
			t.Fatal(err)
		}
		if g.Method != pledge.Online || g.TextSHA256 != x.TextSHA256() || g.RemoteAddr != "192.0.2.7" || g.TypedName != "高橋一郎" || g.Text != x.Text {
			t.Fatalf("signature %+v", g)
		}
		_, err = ps.Sign(ctx, who, in)
		field(t, err, apperr.Invalid, "pledge_id")
		if n := e.signatures(); n != 1 || e.AuditCount("pledge.sign") != 1 {
			t.Fatalf("%d signatures, %d audit entries", n, e.AuditCount("pledge.sign"))
		}
		mine, _ = ps.Mine(ctx, e.partTimer)
		if mine[0].State != pledge.Signed || mine[0].Last == nil || mine[0].Last.ID != g.ID {
			t.Fatalf("after signing %+v", mine)
		}
		e.VerifyAudit()
	})
}

func TestWhoSeesWhosePledges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ps := e.S.Pledges
		b, err := ps.Status(ctx, e.office, pledge.Filter{})
		if err != nil || len(b.Items) != 2 || b.Pledges[0].Count.Unsigned != 2 || len(b.Pledges[0].Departments) != 2 {
			t.Fatalf("office board %+v, %v", b, err)
		}
		b, _ = ps.Status(ctx, e.manager, pledge.Filter{})
		if len(b.Items) != 1 || b.Items[0].StaffID != e.partTimer.StaffID {
			t.Fatalf("the manager of A sees %+v", b.Items)
		}
		b, _ = ps.Status(ctx, e.clerk, pledge.Filter{})
		if len(b.Items) != 0 || pledge.ReadsOthers(e.Actor(e.clerk)) {
			t.Fatalf("a clerk sees %+v", b.Items)
		}
		if _, err := ps.Person(ctx, e.manager, e.other.StaffID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the manager of A reads a person of B: %v", err)
		}
		if _, err := ps.Person(ctx, e.other, e.other.StaffID); err != nil {
			t.Fatalf("a person does not read their own record: %v", err)
		}
		_, err = ps.Status(ctx, e.office, pledge.Filter{PledgeID: "nope"})
		field(t, err, apperr.Invalid, "pledge_id")

		// The desk: the person's own, the 課長's department's, the 情報政策課's organisation's.
		for _, c := range []struct {
			who          access.Actor
			mine, others int
		}{{e.partTimer, 1, 0}, {e.manager, 0, 1}, {e.office, 0, 2}, {e.clerk, 0, 0}} {
			mine, others, total, err := ps.Pending(ctx, c.who, 10)
			if err != nil || len(mine) != c.mine || len(others) != c.others || total != c.others {
				t.Errorf("%s: desk %d own, %d others (%d), %v", c.who.Name, len(mine), len(others), total, err)
			}
		}
		d, err := e.S.Desks.For(ctx, e.manager)
		if err != nil || d.UnsignedPledges.Total != 1 || d.UnsignedPledges.Items[0].Name != "髙橋 一郎" {
			t.Fatalf("the manager's desk %+v, %v", d.UnsignedPledges, err)
		}
	})
}

func TestTheOfficeRecordsAPaperPledge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ps := e.S.Pledges
		in := pledge.PaperInput{PledgeID: consent, StaffID: e.other.StaffID, SignedOn: "2026-03-31",
			Scan: pledge.Upload{Name: "同意書.png", Body: pngBytes()}}
		_, err := ps.RecordPaper(ctx, e.manager, in)
		field(t, err, apperr.Forbidden, "")
		bad := in
		bad.Scan = pledge.Upload{Name: "同意書.png", Body: []byte("MZ not an image")}
		_, err = ps.RecordPaper(ctx, e.office, bad)
		field(t, err, apperr.Invalid, "scan")
		bad.Scan = pledge.Upload{Name: "同意書.docx", Body: []byte("PK\x03\x04")}
		_, err = ps.RecordPaper(ctx, e.office, bad)
		field(t, err, apperr.Invalid, "scan")
		bad.Scan = pledge.Upload{Name: "同意書.pdf", Body: append([]byte("%PDF-1.4\n"), make([]byte, pledge.MaxScanSize)...)}
		_, err = ps.RecordPaper(ctx, e.office, bad)
		field(t, err, apperr.Invalid, "scan")
		bad = in
		bad.SignedOn = "2026-04-02"
		_, err = ps.RecordPaper(ctx, e.office, bad)
		field(t, err, apperr.Invalid, "signed_on")
		bad.SignedOn, bad.StaffID = "2026-03-31", e.clerk.StaffID
		_, err = ps.RecordPaper(ctx, e.office, bad)
		field(t, err, apperr.Invalid, "pledge_id")
		if n := e.signatures(); n != 0 {
			t.Fatalf("%d signatures after refusals", n)
		}
		g, err := ps.RecordPaper(ctx, e.office, in)
		if err != nil {
			t.Fatal(err)
		}
		if g.Method != pledge.Paper || g.SignedOn != "2026-03-31" || g.Scan == nil || g.Scan.ContentType != "image/png" {
			t.Fatalf("paper pledge %+v", g)
		}
		_, err = ps.RecordPaper(ctx, e.office, in)
		field(t, err, apperr.Invalid, "pledge_id")
		sc, body, err := ps.ScanBody(ctx, e.other, g.ID)
		if err != nil || !bytes.Equal(body, pngBytes()) || sc.SHA256 != g.Scan.SHA256 {
			t.Fatalf("the signer's scan: %v", err)
		}
		if _, _, err := ps.ScanBody(ctx, e.manager, g.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the manager of A reads a scan of B: %v", err)
		}
		e.VerifyAudit()
	})
}

const changedText = `id: kishiwada-pledge-2
name: 岸和田市（誓約書改定）
organization: テスト市
kind: municipality
version: "2"
extends: kishiwada
pledges:
  - id: contractor-confidentiality
    title: 秘密保持等のための情報資産の適正な取扱いに関する誓約書
    signers: {employment: [contractor]}
    when: [contract_start, policy_change]
    text: 私は、岸和田市の情報資産を適正に取り扱い、秘密を保持することを誓約します（改定）。
    text_cite: {article: "第2章 4(2)②", origin: added, reason: 団体の文言}
    cite: {article: "第2章 4(2)②"}
`

func TestAChangedTextAsksToSignAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		ps := e.S.Pledges
		x, _ := e.P.Pledge(consent)
		if _, err := ps.Sign(ctx, e.partTimer, pledge.SignInput{PledgeID: consent, TextSHA256: x.TextSHA256(), TypedName: "髙橋 一郎", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.Policy.Load(ctx, access.System(e.Org, "test"), "own.yaml", []byte(changedText)); err != nil {
			t.Fatal(err)
		}
		mine, err := ps.Mine(ctx, e.partTimer)
		if err != nil || len(mine) != 1 || mine[0].State != pledge.Resign {
			t.Fatalf("after the change %+v, %v", mine, err)
		}
		p, _ := e.S.Policy.Required(ctx, e.Org)
		y, _ := p.Pledge(consent)
		_, err = ps.Sign(ctx, e.partTimer, pledge.SignInput{PledgeID: consent, TextSHA256: x.TextSHA256(), TypedName: "髙橋 一郎", Confirm: true})
		field(t, err, apperr.Invalid, "text_sha256")
		if _, err := ps.Sign(ctx, e.partTimer, pledge.SignInput{PledgeID: consent, TextSHA256: y.TextSHA256(), TypedName: "髙橋 一郎", Confirm: true}); err != nil {
			t.Fatal(err)
		}
		rec, err := ps.Person(ctx, e.office, e.partTimer.StaffID)
		if err != nil || len(rec.Signatures) != 2 || rec.Items[0].State != pledge.Signed || rec.Signatures[0].PackVersion != "2" {
			t.Fatalf("history %+v, %v", rec, err)
		}
	})
}
