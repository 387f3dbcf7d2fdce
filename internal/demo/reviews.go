package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"mamori/internal/policy"
	"mamori/internal/review"
)

// The demo's 見直し and 実施手順: last fiscal year's review, made by a holder of an
// organisation-wide security role (the 情報政策課) with a proposal to keep, one to amend and one
// to add an article, submitted and decided by a holder of the role the pack names to decide it
// (the amendment approved, the addition rejected); and three procedures, one of them past its
// review date, one open to all staff.

// reviews fills the review and the register.
func (b *builder) reviews(p *policy.Compiled) error {
	office := b.holding(p, func(r policy.Role) bool { return r.Scope == "organization" && r.Security && !r.AllStaff })
	deciders := p.ReviewDeciders()
	decider := b.holding(p, func(r policy.Role) bool { return slices.Contains(deciders, r.ID) })
	if office == nil || decider == nil {
		return nil
	}
	rs := b.s.Reviews
	as, by := b.actorOf(office), b.actorOf(decider)
	now := b.s.Now()
	rv, err := rs.Open(b.ctx, as, review.FiscalYear(now)-1)
	if err != nil {
		return fmt.Errorf("demo review: %w", err)
	}
	arts := demoArticles(p)
	if len(arts) < 2 {
		return nil
	}
	proposals := []review.ProposalInput{
		{Article: arts[0], Kind: review.Keep, Text: "指摘事項は年度内に是正され、規定の変更は要しない。"},
		{Article: arts[1], Kind: review.Amend, Text: "インシデントの発生状況を踏まえ、報告の期限と手段を具体的に定める。"},
		{Article: "クラウドサービスの利用（新設）", Kind: review.Add, Text: "約款による外部サービスの利用申請と利用状況の確認を定める条項を設ける。"},
	}
	for _, in := range proposals {
		if _, err := rs.Propose(b.ctx, as, rv.ID, in); err != nil {
			return fmt.Errorf("demo proposal %s: %w", in.Article, err)
		}
	}
	if rv, err = rs.Submit(b.ctx, as, rv.ID); err != nil {
		return fmt.Errorf("demo review submit: %w", err)
	}
	for _, pr := range rv.Proposals {
		d := review.DecisionInput{Decision: review.Approved, Note: "原案のとおり承認する。"}
		if pr.Kind == review.Add {
			d = review.DecisionInput{Decision: review.Rejected, Note: "次年度の見直しで改めて検討する。"}
		}
		if rv, err = rs.Decide(b.ctx, by, rv.ID, pr.ID, d); err != nil {
			return fmt.Errorf("demo decision: %w", err)
		}
	}
	return b.procedures(p, office, arts, now)
}

// demoArticles are articles the pack cites that a review would discuss: those of its rules
// first (their findings), then those of its incident categories.
func demoArticles(p *policy.Compiled) []string {
	var out []string
	add := func(a string) {
		if a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, r := range p.Rules {
		add(r.Cite.Article)
		if len(out) == 1 {
			break
		}
	}
	for _, c := range p.Incident.Categories {
		add(c.Cite.Article)
	}
	for _, c := range p.Coverage().Articles() {
		add(c.Article)
	}
	return out
}

// holding is the first member holding a role that ok chooses.
func (b *builder) holding(p *policy.Compiled, ok func(policy.Role) bool) *member {
	for _, m := range b.members {
		for _, id := range m.roles {
			if r, found := p.Role(id); found && ok(r) {
				return m
			}
		}
	}
	return nil
}

// procedureTitles are the demo procedures: 山形県's from its 別表 実施手順, the others' named
// for what their policies ask procedures for.
var procedureTitles = map[string][]string{
	"yamagata": {"情報系パソコン運用管理手順", "テレワークにおける情報セキュリティ対策実施手順", "山形県ソーシャルメディアサービスの利用に関する実施手順"},
	"":         {"ネットワーク運用管理手順", "情報セキュリティインシデント対応手順", "情報資産の取扱いに関する手順（職員向け）"},
}

func (b *builder) procedures(p *policy.Compiled, office *member, arts []string, now time.Time) error {
	titles, ok := procedureTitles[p.ID]
	if !ok {
		titles = procedureTitles[""]
	}
	owner := b.holding(p, func(r policy.Role) bool { return strings.Contains(r.ID, "network") })
	if owner == nil {
		owner = office
	}
	ownerRole := ""
	for _, id := range owner.roles {
		if r, found := p.Role(id); found && !r.AllStaff && (strings.Contains(id, "network") || owner == office) {
			ownerRole = id
			break
		}
	}
	officeRole := ""
	for _, id := range office.roles {
		if r, found := p.Role(id); found && r.Security && r.Scope == "organization" {
			officeRole = id
			break
		}
	}
	today := now.In(jst)
	for i, t := range titles {
		in := review.ProcedureInput{Title: t, DocVersion: fmt.Sprintf("第%d版", i+1), OwnerRole: ownerRole,
			Articles: arts[min(i, len(arts)-1) : min(i, len(arts)-1)+1],
			File:     review.File{Name: t + ".txt", ContentType: "text/plain", Body: []byte(t + "\n\n（デモの文書です。実際の手順書を登録してください。）\n")}}
		switch i {
		case 0: // past its review date
			in.ReviewOn = today.AddDate(0, -1, 0).Format(time.DateOnly)
		case 1:
			in.ReviewOn, in.OwnerRole = today.AddDate(0, 6, 0).Format(time.DateOnly), officeRole
		default:
			in.ReviewOn, in.OwnerRole, in.AllStaff = today.AddDate(1, 0, 0).Format(time.DateOnly), officeRole, true
		}
		who := b.actorOf(office)
		if in.OwnerRole == ownerRole {
			who = b.actorOf(owner)
		}
		if _, err := b.s.Reviews.AddProcedure(b.ctx, who, in); err != nil {
			return fmt.Errorf("demo procedure %s: %w", t, err)
		}
	}
	return nil
}

var jst = time.FixedZone("JST", 9*60*60)
