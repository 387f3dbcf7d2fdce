package policy

import (
	"cmp"
	"slices"
	"strconv"
)

// Element is one element of a pack that rests on an article or is the organisation's own
// setting: a role, a level, an approval, one of its fields or its deadline, a logbook …
type Element struct {
	Kind string `json:"kind"` // role, duty, axis, level, segment, zone, approval, step, field, deadline, logbook, contact, category, route, route_step, measure, triage, publication, rule, inspection, clause, threat, auth, training, course, course_month
	ID   string `json:"id"`   // the element's path in the pack: approvals/take_out/fields/purpose
	Name string `json:"name"`
	Cite Cite   `json:"cite"`
	// Inherited marks an element taken from the base pack.
	Inherited bool `json:"inherited,omitempty"`
}

// Elements lists every element of the pack that carries a citation or is marked added, in the
// pack's order.
func (p *Pack) Elements() []Element {
	var out []Element
	add := func(key, kind, id, name string, c Cite) {
		if c == (Cite{}) {
			return
		}
		out = append(out, Element{Kind: kind, ID: id, Name: name, Cite: c, Inherited: p.Inherited[key]})
	}
	fields := func(key, path string, fs []Field) {
		for _, f := range fs {
			add(key, "field", path+"/fields/"+f.ID, f.Name, f.Cite)
		}
	}
	for _, r := range p.Roles {
		add("roles/"+r.ID, "role", "roles/"+r.ID, r.Name, r.Cite)
		for _, d := range r.Duties {
			add("roles/"+r.ID, "duty", "roles/"+r.ID+"/duties", d.Text, d.Cite)
			add("roles/"+r.ID, "interval", "roles/"+r.ID+"/duties/"+d.ID, d.Text, d.EveryCite)
		}
	}
	for _, a := range p.Classification.Axes {
		add("axes/"+a.ID, "axis", "axes/"+a.ID, a.Name, a.Cite)
		for _, l := range a.Levels {
			add("axes/"+a.ID, "level", "axes/"+a.ID+"/"+l.ID, l.Name, l.Cite)
		}
	}
	for _, s := range p.Segments {
		add("segments/"+s.ID, "segment", "segments/"+s.ID, s.Name, s.Cite)
	}
	for _, z := range p.Zones {
		add("zones/"+z.ID, "zone", "zones/"+z.ID, z.ID+" "+z.Name, z.Cite)
	}
	for _, a := range p.Approvals {
		key := "approvals/" + a.ID
		add(key, "approval", key, a.Name, a.Cite)
		for i, s := range a.Steps {
			add(key, "step", key+"/steps/"+strconv.Itoa(i), a.Name+" — "+p.RoleName(s.Role), s.Cite)
		}
		fields(key, key, a.Fields)
		add(key, "deadline", key+"/report_within", a.Name, a.ReportWithinCite)
		add(key, "deadline", key+"/max_days", a.Name, a.MaxDaysCite)
		for _, n := range a.NotifyAfter {
			add(key, "step", key+"/notify_after", a.Name+" — "+p.RoleName(n.Role), n.Cite)
		}
	}
	for _, l := range p.Logbooks {
		key := "logbooks/" + l.ID
		add(key, "logbook", key, l.Name, l.Cite)
		fields(key, key, l.Fields)
	}
	in := p.Incident
	for _, f := range in.ReportItems {
		add("incident.report_items/"+f.ID, "field", "incident/report_items/"+f.ID, f.Name, f.Cite)
	}
	for _, t := range in.Triage {
		add("incident.triage/"+t.ID, "triage", "incident/triage/"+t.ID, t.Name, t.Cite)
	}
	for _, c := range in.Categories {
		add("incident.categories/"+c.ID, "category", "incident/categories/"+c.ID, c.Label(), c.Cite)
	}
	for _, c := range in.Contacts {
		add("incident.contacts/"+c.ID, "contact", "incident/contacts/"+c.ID, c.Name, c.Cite)
	}
	for _, r := range in.Routes {
		key := "incident.routes/" + r.ID
		add(key, "route", "incident/routes/"+r.ID, r.Name, r.Cite)
		for i, s := range r.Steps {
			add(key, "route_step", "incident/routes/"+r.ID+"/steps/"+strconv.Itoa(i), r.Name+" — "+s.Action, s.Cite)
		}
	}
	for _, m := range in.Measures {
		add("incident.measures/"+m.ID, "measure", "incident/measures/"+m.ID, m.Name, m.Cite)
	}
	if in.Publication != nil {
		add("incident.publication", "publication", "incident/publication", "", in.Publication.Cite)
	}
	for _, r := range p.Rules {
		add("rules/"+r.ID, "rule", "rules/"+r.ID, r.Title, r.Cite)
	}
	for _, x := range p.Inspections {
		add("inspections/"+x.ID, "inspection", "inspections/"+x.ID, x.Question, x.Cite)
	}
	for _, x := range p.Clauses {
		add("clauses/"+x.ID, "clause", "clauses/"+x.ID, x.Text, x.Cite)
	}
	for _, x := range p.Threats {
		add("threats/"+x.ID, "threat", "threats/"+x.ID, x.Name, x.Cite)
	}
	for _, x := range p.Pledges {
		key := "pledges/" + x.ID
		add(key, "pledge", key, x.Title, x.Cite)
		add(key, "pledge", key+"/text", x.Title, x.TextCite)
		add(key, "pledge", key+"/when", x.Title, x.WhenCite)
	}
	if a := p.AccessReview; a.Defined() {
		ak := func(part string) string {
			if p.Inherited["access_review"] {
				return "access_review"
			}
			return "access_review/" + part
		}
		add(ak("cite"), "access_review", "access_review", "棚卸し", a.Cite)
		add(ak("every"), "access_review", "access_review/every", "棚卸しの頻度", a.EveryCite)
		add(ak("due_days"), "deadline", "access_review/due_days", "棚卸し", a.DueCite)
		for _, r := range a.Reviewers {
			add(ak("reviewers"), "access_review", "access_review/reviewers/"+r.Role, "棚卸しの判定 — "+p.RoleName(r.Role), r.Cite)
		}
		add(ak("proved_by"), "access_review", "access_review/proved_by", "棚卸しの作業確認", a.ProofCite)
		add(ak("dormant_days"), "access_review", "access_review/dormant_days", "長期間未使用のID", a.DormantCite)
		for _, r := range a.Rules {
			add(ak("rules"), "access_review", "access_review/rules/"+r.Flag, r.Text, r.Cite)
		}
	}
	if p.Training.Cite != (Cite{}) {
		add("training", "training", "training", "研修・訓練", p.Training.Cite)
	}
	for _, x := range p.Training.Courses {
		key := "training.courses/" + x.ID
		add(key, "course", "training/courses/"+x.ID, x.Name, x.Cite)
		add(key, "course_month", "training/courses/"+x.ID+"/month", x.Name, x.MonthCite)
	}
	if p.Risk.Defined() {
		add("risk", "risk", "risk", "リスク評価表", p.Risk.Cite)
	}
	add("auth", "auth", "auth", "", p.Auth.Cite)
	add("auth/unlock", "auth", "auth/unlock", "", p.Auth.UnlockCite)
	add("auth/mfa", "auth", "auth/mfa", "", p.Auth.MFACite)
	return out
}

// ArticleCoverage is one article of the source and the elements that act on it.
type ArticleCoverage struct {
	Article  string    `json:"article"`
	Title    string    `json:"title,omitempty"`
	Quote    string    `json:"quote,omitempty"`
	Elements []Element `json:"elements"`
}

// Acted reports whether any element acts on the article; one that none does is 未対応.
func (a ArticleCoverage) Acted() bool { return len(a.Elements) > 0 }

// ChapterCoverage is one chapter of the source's index with its articles and how many of them
// the pack acts on.
type ChapterCoverage struct {
	Chapter  string            `json:"chapter"`
	Articles []ArticleCoverage `json:"articles"`
	Acted    int               `json:"acted"`
	NotActed int               `json:"not_acted"`
}

// Coverage is the source beside the pack: every article of the source's index in the source's
// order with the elements acting on it, the cited articles the index does not hold, and the
// elements that are the organisation's setting.
type Coverage struct {
	Chapters []ChapterCoverage `json:"chapters"`
	// Unindexed are the cited articles that fall on no article of the index — every cited article
	// when the pack has no index, the base pack's articles of an element inherited from it, and
	// parts of the source the index leaves out — each with its elements, in article order.
	Unindexed []ArticleCoverage `json:"unindexed,omitempty"`
	Added     []Element         `json:"added,omitempty"`
	Acted     int               `json:"acted"`
	NotActed  int               `json:"not_acted"`
}

// NotActedArticles lists the indexed articles no element acts on (未対応), in source order.
func (c Coverage) NotActedArticles() []ArticleCoverage {
	var out []ArticleCoverage
	for _, ch := range c.Chapters {
		for _, a := range ch.Articles {
			if !a.Acted() {
				out = append(out, a)
			}
		}
	}
	return out
}

// Articles lists every article of the coverage: the indexed ones in source order, then the
// cited articles the index does not hold.
func (c Coverage) Articles() []ArticleCoverage {
	var out []ArticleCoverage
	for _, ch := range c.Chapters {
		out = append(out, ch.Articles...)
	}
	return append(out, c.Unindexed...)
}

// NamedArticles lists the articles a record may name (an audit's criterion, a procedure's
// articles): those of the source's index in source order, then the articles the pack's elements
// cite that the index does not hold as such (第2章 5(1)①ウ within 第2章 5(1)), in order.
func (p *Pack) NamedArticles() []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range p.IndexedArticles() {
		if !seen[a.Number] {
			seen[a.Number] = true
			out = append(out, a.Number)
		}
	}
	var cited []string
	for _, e := range p.Elements() {
		if a := e.Cite.Article; a != "" && !seen[a] {
			seen[a] = true
			cited = append(cited, a)
		}
	}
	slices.Sort(cited)
	return append(out, cited...)
}

// Coverage lays the pack's elements on the source's index: each element acts on the indexed
// articles its citation names (see ArticlesOf); the parts of a citation the index does not hold
// are listed apart; the elements that are the organisation's setting (origin: added) are also
// returned apart.
func (p *Pack) Coverage() Coverage {
	var cov Coverage
	at := map[string][2]int{}
	for i, ch := range p.Articles {
		cc := ChapterCoverage{Chapter: ch.Chapter}
		for j, a := range ch.Items {
			at[a.Number] = [2]int{i, j}
			cc.Articles = append(cc.Articles, ArticleCoverage{Article: a.Number, Title: a.Title, Quote: a.Quote})
		}
		cov.Chapters = append(cov.Chapters, cc)
	}
	apart := map[string]int{}
	for _, e := range p.Elements() {
		if e.Cite.Added() {
			cov.Added = append(cov.Added, e)
		}
		if e.Cite.Article == "" {
			continue
		}
		numbers, unmatched := p.ArticlesOf(e.Cite.Article)
		for _, n := range numbers {
			x := at[n]
			a := &cov.Chapters[x[0]].Articles[x[1]]
			a.Elements = append(a.Elements, e)
		}
		if len(unmatched) > 0 {
			i, ok := apart[e.Cite.Article]
			if !ok {
				i = len(cov.Unindexed)
				apart[e.Cite.Article] = i
				cov.Unindexed = append(cov.Unindexed, ArticleCoverage{Article: e.Cite.Article})
			}
			cov.Unindexed[i].Elements = append(cov.Unindexed[i].Elements, e)
		}
	}
	for i := range cov.Chapters {
		ch := &cov.Chapters[i]
		for _, a := range ch.Articles {
			if a.Acted() {
				ch.Acted++
			} else {
				ch.NotActed++
			}
		}
		cov.Acted += ch.Acted
		cov.NotActed += ch.NotActed
	}
	slices.SortStableFunc(cov.Unindexed, func(a, b ArticleCoverage) int { return cmp.Compare(a.Article, b.Article) })
	return cov
}
