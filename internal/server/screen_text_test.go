package server

import (
	"context"
	"fmt"
	htmlstd "html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mamori/internal/policy"
	"mamori/internal/request"
	"mamori/internal/store/storetest"
)

// TestNoPageShowsACode renders every GET page of the HTML route table — as in the
// authorization matrix, on its organisation with records of every kind — for the people who
// use it (a 職員, a 課長 who is 情報セキュリティ管理者, the CISO, the auditor and the platform
// administrator), and reads each page's visible text as a person would: no catalog key or
// other dotted code (request.take_out, attrs.mfa), no id of the pack's roles, rules,
// attributes, kinds, approvals or logbooks, and, on these Japanese pages, no Gregorian ISO
// date. By design, and so not read: attribute values (an <input type="date"> holds its ISO
// value); an audit entry's stored record as it is hashed (<pre class="… record-json">), which
// the auditor compares with what mamori verify reads; and a rule's expression, shown to the
// platform administrators who write packs (class "admin-code") and to no one else.
func TestNoPageShowsACode(t *testing.T) {
	m := newMatrix(t, storetest.SQLite(t))
	// The take-out of X's highest-class asset is recorded, so that the request, the asset's
	// history and the audit log read a change of state too.
	_, err := m.s.Requests.RecordTakeOut(context.Background(), m.actAs("jumin-ichiro"), m.rXTop.ID, request.TakeOut{On: "2026-04-01"})
	m.must(err, "take-out")
	codes := packCodes(t, m)
	for _, a := range m.actors {
		delete(codes, a.login) // a login is shown where accounts are listed (the login "network")
	}
	pages := 0
	for _, key := range []string{staffX, secMgrX, cisoKey, auditor, platform} {
		for _, rt := range m.routes() {
			if rt.surface != "web" || rt.method != http.MethodGet || rt.path == "/lang/{lang}" {
				continue
			}
			fills, err := m.fill(rt.path)
			if err != nil {
				t.Error(err)
				continue
			}
			for _, f := range fills {
				for _, q := range screenQueries(rt.path) {
					res := m.send(m.actors[key], http.MethodGet, f.path+q, nil)
					if res.status != http.StatusOK || !strings.HasPrefix(res.ctype, "text/html") {
						continue
					}
					pages++
					if key != platform && strings.Contains(res.body, "admin-code") {
						t.Errorf("GET %s%s as %s: shows the administrators' expressions", f.path, q, key)
					}
					for _, p := range screenProblems(res.body, codes, true) {
						t.Errorf("GET %s%s as %s: %s", f.path, q, key, p)
					}
				}
			}
		}
	}
	if pages < 150 {
		t.Errorf("only %d pages rendered: the walk no longer reaches the pages", pages)
	}
}

// screenQueries are the variants of a page asked besides its bare path.
func screenQueries(path string) []string {
	switch path {
	case "/audit":
		return []string{"?limit=500"}
	case "/compliance/findings":
		return []string{"", "?state=all"}
	}
	return []string{""}
}

// packCodes are the ids of the matrix organisation's pack that a person must never read.
func packCodes(t *testing.T, m *matrix) map[string]string {
	t.Helper()
	p, _, err := m.s.Policy.Active(context.Background(), m.org1)
	m.must(err, "pack")
	out := codesOf(p)
	if len(out) < 20 {
		t.Fatalf("only %d pack codes: %v", len(out), out)
	}
	return out
}

// codesOf are a pack's ids that a person must never read: its roles, rules, attributes,
// approvals and logbooks, and the asset kinds.
func codesOf(p *policy.Compiled) map[string]string {
	out := map[string]string{}
	for _, r := range p.Roles {
		out[r.ID] = "role id"
	}
	for _, r := range p.Rules {
		out[r.ID] = "rule id"
	}
	for _, a := range p.Attributes {
		out[a.ID] = "attribute id"
	}
	for _, k := range policy.AssetKinds {
		out[k] = "asset kind"
	}
	for _, a := range p.Approvals {
		out[a.ID] = "approval id"
	}
	for _, l := range p.Logbooks {
		out[l.ID] = "logbook id"
	}
	return out
}

var (
	hiddenBlock = regexp.MustCompile(`(?is)<(script|style|template)\b.*?</(script|style|template)>|<!--.*?-->` +
		`|<pre class="[^"]*\brecord-json\b[^"]*"[^>]*>.*?</pre>|<details class="admin-code">.*?</details>`)
	anyTag = regexp.MustCompile(`(?s)<[^>]*>`)
	// dottedCode is a catalog key, an audit action or a record path: lower-case words joined
	// by dots (request.take_out, attrs.locked_fireproof_storage).
	dottedCode = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b`)
	wordToken  = regexp.MustCompile(`[A-Za-z0-9_-]+`)
	isoDate    = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
)

// loginExample is the example of a login the account forms give, which looks like a code.
const loginExample = "tanaka.k"

// fileSuffixes end dotted words that are names of files or hosts, not codes.
var fileSuffixes = []string{"txt", "csv", "xlsx", "pdf", "json", "yaml", "jp", "com", "org", "net", "local", "example", "test"}

// visibleText is what a reader of the page sees: the text between tags, without scripts,
// styles and comments, and without attribute values.
func visibleText(page string) string {
	s := hiddenBlock.ReplaceAllString(page, " ")
	s = anyTag.ReplaceAllString(s, "\n")
	return htmlstd.UnescapeString(s)
}

// screenProblems lists the codes a page shows its reader. japanese adds the checks that hold
// for Japanese pages only: pack ids (some are English words) and Gregorian ISO dates.
func screenProblems(page string, codes map[string]string, japanese bool) []string {
	var out []string
	for _, line := range strings.Split(visibleText(page), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		for _, c := range dottedCode.FindAllString(line, -1) {
			if c == loginExample || slices.Contains(fileSuffixes, c[strings.LastIndexByte(c, '.')+1:]) {
				continue
			}
			out = append(out, fmt.Sprintf("shows the code %q in %q", c, clip(line)))
		}
		if !japanese {
			continue
		}
		for _, w := range wordToken.FindAllString(line, -1) {
			if what, ok := codes[w]; ok {
				out = append(out, fmt.Sprintf("shows the %s %q in %q", what, w, clip(line)))
			}
		}
		for _, d := range isoDate.FindAllString(line, -1) {
			out = append(out, fmt.Sprintf("shows the Gregorian date %q in %q", d, clip(line)))
		}
	}
	return slices.Compact(out)
}

func clip(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}
