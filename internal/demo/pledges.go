package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"mamori/internal/access"
	"mamori/internal/auth"
	"mamori/internal/pledge"
	"mamori/internal/policy"
)

// The demo's 同意書・誓約書: the 会計年度任用職員 and the contractor's worker were hired (started
// work) on the first day of the fiscal year. Where the pack asks 非常勤 staff to sign, the
// 会計年度任用職員 has signed in Mamori. Where it asks contractors' staff, a second worker of
// another contractor has signed on paper, recorded by the 情報政策課 with its scan; the first
// worker has not signed yet (岸和田市's demo shows a contractor's staff member unsigned).

func (b *builder) pledges(p *policy.Compiled) error {
	if len(p.Pledges) == 0 {
		return nil
	}
	office := b.holding(p, func(r policy.Role) bool { return r.Scope == "organization" && r.Security && !r.AllStaff })
	if office == nil {
		return nil
	}
	now := b.s.Now()
	start := fiscalStart(now)
	var fiscal, worker *member
	for _, m := range b.members {
		switch m.title {
		case "会計年度任用職員":
			fiscal = m
		case "委託事業者 作業者":
			worker = m
		}
	}
	if fiscal == nil || worker == nil {
		return nil
	}
	hired := []*member{fiscal, worker}
	var second *member
	for _, x := range p.Pledges {
		if second == nil && x.Binds("contractor", nil) {
			m, err := b.person(worker.dept, "委託事業者 作業者", "contractor")
			if err != nil {
				return err
			}
			second, hired = m, append(hired, m)
		}
	}
	for _, m := range hired {
		if _, err := b.s.DB.SQL.ExecContext(b.ctx, `UPDATE staff SET hired_on = $1 WHERE id = $2`, start, m.id); err != nil {
			return fmt.Errorf("demo hiring day: %w", err)
		}
	}
	for _, x := range p.Pledges {
		switch {
		case x.Binds("fiscal_year", nil):
			who, err := b.signer(fiscal)
			if err != nil {
				return err
			}
			if _, err := b.s.Pledges.Sign(b.ctx, who, pledge.SignInput{PledgeID: x.ID, TextSHA256: x.TextSHA256(),
				TypedName: fiscal.name, Confirm: true}); err != nil {
				return fmt.Errorf("demo pledge %s: %w", x.ID, err)
			}
		case x.Binds("contractor", nil) && second != nil:
			if _, err := b.s.Pledges.RecordPaper(b.ctx, b.actorOf(office), pledge.PaperInput{PledgeID: x.ID, StaffID: second.id,
				SignedOn: start, Scan: pledge.Upload{Name: "誓約書_" + second.name + ".png", Body: scanImage()}}); err != nil {
				return fmt.Errorf("demo paper pledge %s: %w", x.ID, err)
			}
		}
	}
	return b.othersSign(p)
}

// othersSign has everyone else the pledges bind, other than contractors' staff, sign in Mamori —
// the non-regular staff other parts of the demo hired — so that the only one still to sign is
// the contractor's staff member the demo shows.
func (b *builder) othersSign(p *policy.Compiled) error {
	texts := map[string]string{}
	for _, x := range p.Pledges {
		texts[x.ID] = x.TextSHA256()
	}
	waiting, err := b.s.Pledges.Status(b.ctx, b.sys, pledge.Filter{})
	if err != nil {
		return err
	}
	for _, it := range waiting.Items {
		if it.Employment == "contractor" {
			continue
		}
		who, err := b.signer(&member{id: it.StaffID, name: it.Name})
		if err != nil {
			return err
		}
		if _, err := b.s.Pledges.Sign(b.ctx, who, pledge.SignInput{PledgeID: it.PledgeID, TextSHA256: texts[it.PledgeID],
			TypedName: it.Name, Confirm: true}); err != nil {
			return fmt.Errorf("demo pledge %s: %w", it.PledgeID, err)
		}
	}
	return nil
}

// signer is the member signed in: their account, made for them if they have none.
func (b *builder) signer(m *member) (access.Actor, error) {
	login := "demo-sign-" + itoa(int(m.id))
	if who, err := b.s.Auth.ActAs(b.ctx, login); err == nil {
		who.RemoteAddr = "192.0.2.10"
		return who, nil
	}
	if _, _, err := b.s.Auth.CreateUser(b.ctx, b.sys, auth.NewUser{Login: login, DisplayName: m.name, StaffID: m.id, Lang: "ja"}); err != nil {
		return access.Actor{}, fmt.Errorf("demo signer: %w", err)
	}
	who, err := b.s.Auth.ActAs(b.ctx, login)
	if err != nil {
		return access.Actor{}, err
	}
	who.RemoteAddr = "192.0.2.10"
	return who, nil
}

// fiscalStart is the first day of the fiscal year of t (JST), as YYYY-MM-DD.
func fiscalStart(t time.Time) string {
	t = t.In(time.FixedZone("JST", 9*3600))
	y := t.Year()
	if t.Month() < time.April {
		y--
	}
	return fmt.Sprintf("%04d-04-01", y)
}

// scanImage is a small grey page standing for a scanned form.
func scanImage() []byte {
	img := image.NewGray(image.Rect(0, 0, 60, 84))
	for i := range img.Pix {
		img.Pix[i] = 0xF0
	}
	for y := 10; y < 14; y++ {
		for x := 8; x < 52; x++ {
			img.Set(x, y, color.Gray{Y: 0x40})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
