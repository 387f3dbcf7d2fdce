package packs

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode"

	"mamori/internal/policy"
)

// seedsDir is where the source policies live: ../shared/seeds beside the repository. Only the
// quotation checks read them; every other assertion of a pack is made from the pack alone, so a
// clone without the sources still runs them.
const seedsDir = "../../shared/seeds"

func mustLoad(t *testing.T) *policy.Library {
	t.Helper()
	lib, err := Load()
	if err != nil {
		t.Fatalf("shipped packs do not load:\n%v", err)
	}
	return lib
}

var seedOnce sync.Map

// normalized removes every kind of white space, so that a quotation matches the source however
// the source breaks its lines.
func normalized(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// seedText is the normalized text of a source policy. Outside CI a missing source skips the
// calling test, which must therefore check quotations and nothing else; in CI it fails.
func seedText(t *testing.T, file string) string {
	t.Helper()
	if v, ok := seedOnce.Load(file); ok {
		return v.(string)
	}
	b, err := os.ReadFile(filepath.Join(seedsDir, file))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("source policy %s is required in CI: %v", file, err)
		}
		t.Skipf("source policy %s not available: %v", file, err)
	}
	s := normalized(string(b))
	seedOnce.Store(file, s)
	return s
}

// citations lists every citation of a pack's own elements with the element's path.
func citations(p *policy.Compiled) map[string]policy.Cite {
	out := map[string]policy.Cite{}
	add := func(key, path string, c policy.Cite) {
		if !p.Inherited[key] {
			out[path] = c
		}
	}
	for _, r := range p.Roles {
		add("roles/"+r.ID, "roles/"+r.ID, r.Cite)
		for i, d := range r.Duties {
			add("roles/"+r.ID, "roles/"+r.ID+"/duties/"+strconv.Itoa(i), d.Cite)
			if d.Recurs() {
				add("roles/"+r.ID, "roles/"+r.ID+"/duties/"+strconv.Itoa(i)+"/every", d.EveryCite)
			}
		}
	}
	for _, a := range p.Classification.Axes {
		add("axes/"+a.ID, "axes/"+a.ID, a.Cite)
		for _, l := range a.Levels {
			add("axes/"+a.ID, "axes/"+a.ID+"/"+l.ID, l.Cite)
		}
	}
	for _, x := range p.Segments {
		add("segments/"+x.ID, "segments/"+x.ID, x.Cite)
	}
	for _, x := range p.Zones {
		add("zones/"+x.ID, "zones/"+x.ID, x.Cite)
	}
	fields := func(key, path string, fs []policy.Field) {
		for _, f := range fs {
			if f.Cite != (policy.Cite{}) {
				add(key, path+"/fields/"+f.ID, f.Cite)
			}
		}
	}
	for _, x := range p.Approvals {
		add("approvals/"+x.ID, "approvals/"+x.ID, x.Cite)
		fields("approvals/"+x.ID, "approvals/"+x.ID, x.Fields)
		for i, s := range x.Steps {
			if s.Cite != (policy.Cite{}) {
				add("approvals/"+x.ID, "approvals/"+x.ID+"/steps/"+strconv.Itoa(i), s.Cite)
			}
		}
		if x.ReportWithinCite != (policy.Cite{}) {
			add("approvals/"+x.ID, "approvals/"+x.ID+"/report_within", x.ReportWithinCite)
		}
		if x.MaxDaysCite != (policy.Cite{}) {
			add("approvals/"+x.ID, "approvals/"+x.ID+"/max_days", x.MaxDaysCite)
		}
		for i, n := range x.NotifyAfter {
			add("approvals/"+x.ID, "approvals/"+x.ID+"/notify_after/"+strconv.Itoa(i), n.Cite)
		}
		if l := x.TakeOutLog; l != nil {
			add("approvals/"+x.ID, "approvals/"+x.ID+"/take_out_log", l.Cite)
		}
		if c := x.ReturnConfirmation; c != nil {
			add("approvals/"+x.ID, "approvals/"+x.ID+"/return_confirmation", c.Cite)
		}
	}
	for _, x := range p.Logbooks {
		add("logbooks/"+x.ID, "logbooks/"+x.ID, x.Cite)
		fields("logbooks/"+x.ID, "logbooks/"+x.ID, x.Fields)
	}
	for _, x := range p.Rules {
		add("rules/"+x.ID, "rules/"+x.ID, x.Cite)
	}
	if p.Accounts.Cite != (policy.Cite{}) {
		add("accounts", "accounts", p.Accounts.Cite)
	}
	for _, x := range p.Accounts.Rules {
		add("accounts", "accounts/rules/"+x.ID, x.Cite)
	}
	for _, x := range p.Inspections {
		add("inspections/"+x.ID, "inspections/"+x.ID, x.Cite)
	}
	for _, x := range p.Clauses {
		add("clauses/"+x.ID, "clauses/"+x.ID, x.Cite)
	}
	for _, x := range p.Threats {
		add("threats/"+x.ID, "threats/"+x.ID, x.Cite)
	}
	for _, x := range p.Pledges {
		add("pledges/"+x.ID, "pledges/"+x.ID, x.Cite)
		if x.TextCite != (policy.Cite{}) {
			add("pledges/"+x.ID, "pledges/"+x.ID+"/text", x.TextCite)
		}
		if x.WhenCite != (policy.Cite{}) {
			add("pledges/"+x.ID, "pledges/"+x.ID+"/when", x.WhenCite)
		}
	}
	in := p.Incident
	for _, x := range in.Contacts {
		add("incident.contacts/"+x.ID, "incident/contacts/"+x.ID, x.Cite)
	}
	for _, x := range in.Categories {
		add("incident.categories/"+x.ID, "incident/categories/"+x.ID, x.Cite)
	}
	for _, x := range in.Routes {
		add("incident.routes/"+x.ID, "incident/routes/"+x.ID, x.Cite)
		for i, s := range x.Steps {
			if s.Cite != (policy.Cite{}) {
				add("incident.routes/"+x.ID, "incident/routes/"+x.ID+"/steps/"+strconv.Itoa(i), s.Cite)
			}
		}
	}
	for _, x := range in.Measures {
		add("incident.measures/"+x.ID, "incident/measures/"+x.ID, x.Cite)
	}
	for _, x := range in.Triage {
		add("incident.triage/"+x.ID, "incident/triage/"+x.ID, x.Cite)
	}
	for _, x := range in.ReportItems {
		if x.Cite != (policy.Cite{}) {
			add("incident.report_items/"+x.ID, "incident/report_items/"+x.ID, x.Cite)
		}
	}
	if in.Publication != nil {
		add("incident.publication", "incident/publication", in.Publication.Cite)
	}
	if p.Training.Cite != (policy.Cite{}) {
		add("training", "training", p.Training.Cite)
	}
	for _, x := range p.Training.Courses {
		add("training.courses/"+x.ID, "training/courses/"+x.ID, x.Cite)
		if x.MonthCite != (policy.Cite{}) {
			add("training.courses/"+x.ID, "training/courses/"+x.ID+"/month", x.MonthCite)
		}
	}
	if p.Auth.Cite.Article != "" {
		add("auth", "auth", p.Auth.Cite)
	}
	if len(p.Auth.MFARoles) > 0 {
		add("auth/mfa", "auth/mfa", p.Auth.MFACite)
	}
	if p.Auth.Unlock != "" {
		add("auth/unlock", "auth/unlock", p.Auth.UnlockCite)
	}
	for _, n := range p.Notes {
		out["notes/"+n.ID] = policy.Cite{Article: n.Article, Quote: n.Quote}
	}
	return out
}

// loadPack loads one shipped pack on its own (with the base pack when it extends it), so that
// a pack's tests do not depend on the others.
func loadPack(t *testing.T, id string) *policy.Compiled {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, name := range []string{id + ".yaml", "base.yaml"} {
		b, err := files.ReadFile(name)
		if err != nil {
			continue
		}
		fsys[name] = &fstest.MapFile{Data: b}
	}
	lib, err := policy.LoadFS(fsys, ".")
	if err != nil {
		t.Fatalf("pack %s does not load:\n%v", id, err)
	}
	p, ok := lib.Get(id)
	if !ok {
		t.Fatalf("pack %s not found", id)
	}
	return p
}

// checkCitations fails unless p cites its source often enough, and each quotation of p's own
// elements is long enough to identify its passage: facts of the pack, checked without the source.
func checkCitations(t *testing.T, p *policy.Compiled) {
	t.Helper()
	cites := citations(p)
	if len(cites) < 10 {
		t.Fatalf("only %d citations", len(cites))
	}
	for path, c := range cites {
		if c.Added() && c.Quote == "" {
			if c.Reason == "" {
				t.Errorf("%s (%s): origin: added without a reason", path, c.Article)
			}
			continue // the organisation's setting: not the source's words
		}
		if len([]rune(normalized(c.Quote))) < 4 {
			t.Errorf("%s (%s): quotation %q is too short to identify the passage", path, c.Article, c.Quote)
		}
	}
}

// checkQuotes fails for every quotation of p's own elements that its source does not contain.
// It alone needs the source text (see seedText).
func checkQuotes(t *testing.T, p *policy.Compiled) {
	t.Helper()
	text := seedText(t, p.Source)
	for path, c := range citations(p) {
		if c.Added() && c.Quote == "" {
			continue // the organisation's setting: not the source's words
		}
		if q := normalized(c.Quote); !strings.Contains(text, q) {
			t.Errorf("%s (%s): quotation not found in %s: %q", path, c.Article, p.Source, c.Quote)
		}
	}
	checkIndexQuotes(t, p, text)
}

// checkIndexQuotes fails for every heading of the pack's index of its source that the source
// does not contain, or contains only out of the index's order: the index must follow the source
// from its first article to its last.
func checkIndexQuotes(t *testing.T, p *policy.Compiled, text string) {
	t.Helper()
	at := 0
	for _, ch := range p.Articles {
		if ch.Quote != "" && !strings.Contains(text, normalized(ch.Quote)) {
			t.Errorf("articles[%s]: chapter heading not found in %s: %q", ch.Chapter, p.Source, ch.Quote)
		}
		for _, a := range ch.Items {
			q := normalized(a.Quote)
			if !strings.Contains(text, q) {
				t.Errorf("articles[%s]: heading not found in %s: %q", a.Number, p.Source, a.Quote)
				continue
			}
			i := strings.Index(text[at:], q)
			if i < 0 {
				t.Errorf("articles[%s]: heading %q is in %s only before the article indexed above it", a.Number, a.Quote, p.Source)
				continue
			}
			at += i + len(q)
		}
	}
}

// TestEveryPackCitesItsSource checks, for every pack with a source, that its elements cite it
// with quotations long enough to be found.
func TestEveryPackCitesItsSource(t *testing.T) {
	lib := mustLoad(t)
	for _, p := range lib.List() {
		if p.Source == "" {
			continue
		}
		t.Run(p.ID, func(t *testing.T) { checkCitations(t, p) })
	}
}

// TestEveryQuotationIsInItsSource checks, for every pack with a source, that each element's
// quotation is found in the source text (white space aside) — a pack that misstates its source
// fails here. It is the one check that reads the sources beside the repository.
func TestEveryQuotationIsInItsSource(t *testing.T) {
	lib := mustLoad(t)
	for _, p := range lib.List() {
		if p.Source == "" {
			continue
		}
		t.Run(p.ID, func(t *testing.T) { checkQuotes(t, p) })
	}
}

// TestEveryElementQuotesOrIsAdded checks, for every shipped pack with a source, that each of
// its own elements, fields and deadlines either quotes the article it rests on or is marked
// origin: added with a reason — nothing looks like the source's words that is not.
func TestEveryElementQuotesOrIsAdded(t *testing.T) {
	lib := mustLoad(t)
	for _, p := range lib.List() {
		if p.Source == "" {
			continue
		}
		t.Run(p.ID, func(t *testing.T) {
			added := 0
			for path, c := range citations(p) {
				switch {
				case c.Added():
					added++
					if c.Reason == "" {
						t.Errorf("%s: origin: added without a reason", path)
					}
				case c.Quote == "":
					t.Errorf("%s (%s): neither quotes the source nor is origin: added", path, c.Article)
				}
			}
			for _, a := range p.Approvals {
				if a.PostHoc && a.ReportWithinCite == (policy.Cite{}) {
					t.Errorf("approvals/%s: its report deadline says nothing of what it rests on", a.ID)
				}
			}
			t.Logf("%d elements marked origin: added", added)
		})
	}
}

func TestShippedPacks(t *testing.T) {
	lib := mustLoad(t)
	var ids []string
	for _, p := range lib.List() {
		ids = append(ids, p.ID)
	}
	for _, want := range []string{"koge", "toki", "abira-kyoiku", "kishiwada", "yamagata", "base"} {
		if _, ok := lib.Get(want); !ok {
			t.Errorf("pack %s is not shipped (have %v)", want, ids)
		}
	}
}

// byID returns the element of list with the given id, failing the test when there is none.
func byID[T any](t *testing.T, kind string, list []T, idOf func(T) string, id string) T {
	t.Helper()
	for _, x := range list {
		if idOf(x) == id {
			return x
		}
	}
	t.Fatalf("%s %s missing", kind, id)
	var zero T
	return zero
}

func roleOf(t *testing.T, p *policy.Compiled, id string) policy.Role {
	t.Helper()
	return byID(t, "role", p.Roles, func(r policy.Role) string { return r.ID }, id)
}

func approvalOf(t *testing.T, p *policy.Compiled, id string) policy.Approval {
	t.Helper()
	return byID(t, "approval", p.Approvals, func(a policy.Approval) string { return a.ID }, id)
}

func logbookOf(t *testing.T, p *policy.Compiled, id string) policy.Logbook {
	t.Helper()
	return byID(t, "logbook", p.Logbooks, func(l policy.Logbook) string { return l.ID }, id)
}

func contactOf(t *testing.T, p *policy.Compiled, id string) policy.Contact {
	t.Helper()
	return byID(t, "contact", p.Incident.Contacts, func(c policy.Contact) string { return c.ID }, id)
}
