package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/access"
	"mamori/internal/org"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// amendedKoge is a new version of 上毛町's pack that changes one login rule: the version an
// approved amendment is linked to.
const amendedKoge = `id: koge-r9
name: 上毛町（令和9年改正）
organization: テスト町
kind: municipality
version: "令和9年4月1日"
extends: koge
auth:
  lockout_after_failures: 4
  cite: {article: "第2章 9(3)"}
`

// TestReviewPages: the 情報政策課 opens the year's review, proposes an amendment of an article
// (a proposal without its text is refused, naming the field), submits it after the 確認 step;
// the 委員会 decides; the approved amendment is linked to the amended pack and its diff shown;
// the report prints and every list exports.
func TestReviewPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		ctx := context.Background()
		if _, err := f.s.Policy.Use(ctx, f.sys, "koge"); err != nil {
			t.Fatal(err)
		}
		office := f.signInHolder(t, "seisaku", "chief")
		committee := f.signInHolder(t, "iinkai", "committee")
		clerk := f.signInStaff(t, "madoguchi", f.clerk.ID)
		art := "第2章 9(3)"
		q := url.Values{"article": {art}}.Encode()

		expect(t, office.get("/reviews"), http.StatusOK, "見直しを始める", "令和8年度")
		lacks(t, committee.get("/reviews"), "見直しを始める")
		r := office.post("/reviews", url.Values{"fiscal_year": {"2026"}})
		expect(t, r, http.StatusSeeOther)
		base := r.location
		expect(t, office.post("/reviews", url.Values{"fiscal_year": {"2026"}}), http.StatusUnprocessableEntity, "2026年度の見直しは既にあります")
		expect(t, office.get(base), http.StatusOK, "令和8年度", "上毛町情報化推進委員会", "提案受付中")
		expect(t, office.get(base+"?all=1"), http.StatusOK, art)
		expect(t, office.get(base+"/article?"+q), http.StatusOK, "毎年度及び重大な変化が発生した場合に評価を行い", "提案を記録する")
		expect(t, clerk.get(base), http.StatusNotFound)

		r = office.post(base+"/proposals", url.Values{"article": {art}, "kind": {"amend"}})
		expect(t, r, http.StatusUnprocessableEntity, "改正・追加の内容を入力してください")
		expect(t, office.post(base+"/proposals", url.Values{"article": {art}, "kind": {"amend"}, "text": {"見直しの時期を年度末と定める"}}),
			http.StatusSeeOther)
		expect(t, office.post(base+"/proposals", url.Values{"article": {"第2章 99"}, "kind": {"add"}, "text": {"新設"}, "new": {"1"}}),
			http.StatusSeeOther)
		expect(t, office.get(base), http.StatusOK, "改正", "追加")
		expect(t, office.post(base+"/submit", nil), http.StatusOK, "付議した後は提案を変更できません")
		expect(t, office.post(base+"/submit", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
		expect(t, office.get(base), http.StatusOK, "付議中")

		r = committee.get(base + "/article?" + q)
		expect(t, r, http.StatusOK, "決定を記録する")
		action := between(r.body, `action="`+base+"/proposals/", `/decide"`)
		expect(t, committee.post(base+"/proposals/"+action+"/decide", url.Values{"article": {art}}), http.StatusUnprocessableEntity,
			"承認又は否決を選んでください")
		expect(t, committee.post(base+"/proposals/"+action+"/decide", url.Values{"article": {art}, "decision": {"approved"}, "note": {"異議なし"}}),
			http.StatusSeeOther)
		expect(t, office.post(base+"/proposals/"+action+"/decide", url.Values{"article": {art}, "decision": {"approved"}}), http.StatusForbidden)
		r = office.get(base + "/article?" + q)
		expect(t, r, http.StatusOK, "承認", "異議なし")
		lacks(t, r, "現在の改正版に関連付ける")

		// Linking waits for the amended version to be active.
		expect(t, office.post(base+"/proposals/"+action+"/link", url.Values{"article": {art}}), http.StatusUnprocessableEntity,
			"改正版がまだ適用されていません")
		if _, err := f.s.Policy.Load(ctx, f.sys, "koge-r9.yaml", []byte(amendedKoge)); err != nil {
			t.Fatal(err)
		}
		expect(t, office.get(base+"/article?"+q), http.StatusOK, "現在の改正版に関連付ける")
		expect(t, office.post(base+"/proposals/"+action+"/link", url.Values{"article": {art}}), http.StatusSeeOther)
		expect(t, office.get(base+"/proposals/"+action+"/diff"), http.StatusOK, "ログイン規則", "変更", "令和9年4月1日")

		expect(t, committee.get(base+"/print"), http.StatusOK, "情報セキュリティポリシー見直し報告書", "見直しの時期を年度末と定める", "異議なし")
		for _, path := range []string{"/reviews/export", base + "/export"} {
			res, err := committee.c.Get(f.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
				t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	})
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return ""
}

// TestProcedurePages: a procedure is registered with its file (a file of the wrong type is
// refused, naming the field); its owner reads and downloads it, a clerk without the role finds
// nothing; its review is recorded.
func TestProcedurePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRegisterFixture(t, db)
		ctx := context.Background()
		if _, err := f.s.Policy.Use(ctx, f.sys, "koge"); err != nil {
			t.Fatal(err)
		}
		network := f.signInHolder(t, "network", "network_admin")
		clerk := f.signInStaff(t, "madoguchi", f.clerk.ID)
		expect(t, network.get("/procedures/new"), http.StatusOK, "実施手順の登録", "第2章 4(1)②")
		expect(t, clerk.get("/procedures/new"), http.StatusForbidden)
		form := url.Values{"title": {"ネットワーク運用手順"}, "doc_version": {"第1版"}, "owner_role": {"network_admin"},
			"articles": {"第2章 4(1)②"}, "review_on": {"2027-03-31"}}
		expect(t, network.postFiles("/procedures", form, "file", "手順.exe", "application/pdf", []byte("MZ\x90\x00")),
			http.StatusUnprocessableEntity, "登録できない種類です")
		r := network.postFiles("/procedures", form, "file", "手順.pdf", "application/pdf", []byte("%PDF-1.4\n手順の本文"))
		expect(t, r, http.StatusSeeOther)
		expect(t, network.get(r.location), http.StatusOK, "ネットワーク運用手順", "非公開", "手順.pdf")
		expect(t, network.get(r.location+"/file"), http.StatusOK, "%PDF-1.4")
		expect(t, network.get("/procedures"), http.StatusOK, "ネットワーク運用手順")
		expect(t, clerk.get(r.location), http.StatusNotFound)
		expect(t, clerk.get(r.location+"/file"), http.StatusNotFound)
		lacks(t, clerk.get("/procedures"), "ネットワーク運用手順")
		expect(t, network.postFiles(r.location+"/revise", url.Values{"review_on": {"2028-03-31"}}, "file", "", "", nil), http.StatusSeeOther)
		expect(t, network.get(r.location), http.StatusOK, "令和10年3月31日")
		res, err := network.c.Get(f.srv.URL + "/procedures/export")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("export: %d", res.StatusCode)
		}
	})
}

// visitReviewPages renders every page of reviews and procedures on the administration test's
// server (岸和田市): the CISO's office opens, proposes and submits, the 委員会 decides, the
// amendment is linked to an amended pack and its diff shown; a procedure is registered.
func visitReviewPages(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	o, err := f.s.Org.First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rf := &registerFixture{fixture: f, sys: access.System(o.ID, "test")}
	if rf.general, err = f.s.Org.CreateDepartment(ctx, rf.sys, org.DepartmentInput{Code: "RV", Name: "企画課", Kind: "section", Active: true}); err != nil {
		t.Fatal(err)
	}
	office := rf.signInHolder(t, "rv-ciso", "ciso")
	committee := rf.signInHolder(t, "rv-iinkai", "committee")
	art := "第2章 5(1)①"
	q := url.Values{"article": {art}}.Encode()
	expect(t, office.get("/reviews"), http.StatusOK, "見直しを始める")
	r := office.post("/reviews", url.Values{"fiscal_year": {"2026"}})
	expect(t, r, http.StatusSeeOther)
	base := r.location
	expect(t, office.get(base), http.StatusOK, "行政ＤＸ推進委員会")
	expect(t, office.post(base+"/proposals", url.Values{"article": {art}, "kind": {"amend"}, "text": {"対策ソフトの更新を毎日とする"}}), http.StatusSeeOther)
	expect(t, office.post(base+"/submit", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)
	r = committee.get(base + "/article?" + q)
	expect(t, r, http.StatusOK, "決定を記録する")
	pid := between(r.body, `action="`+base+"/proposals/", `/decide"`)
	expect(t, committee.post(base+"/proposals/"+pid+"/decide", url.Values{"article": {art}, "decision": {"approved"}}), http.StatusSeeOther)
	amended := strings.ReplaceAll(amendedKoge, "koge", "kishiwada")
	if _, err := f.s.Policy.Load(ctx, rf.sys, "amended.yaml", []byte(amended)); err != nil {
		t.Fatal(err)
	}
	expect(t, office.post(base+"/proposals/"+pid+"/link", url.Values{"article": {art}}), http.StatusSeeOther)
	expect(t, office.get(base+"/proposals/"+pid+"/diff"), http.StatusOK, "ログイン規則")
	expect(t, committee.get(base+"/print"), http.StatusOK, "対策ソフトの更新を毎日とする")
	if _, err := f.s.Policy.Use(ctx, rf.sys, "kishiwada"); err != nil {
		t.Fatal(err)
	}
	expect(t, office.get("/procedures/new"), http.StatusOK, art)
	r = office.postFiles("/procedures", url.Values{"title": {"端末運用手順"}, "doc_version": {"第1版"}, "owner_role": {"network_admin"},
		"articles": {art}, "review_on": {"2027-03-31"}}, "file", "手順.pdf", "application/pdf", []byte("%PDF-1.4\n手順"))
	expect(t, r, http.StatusSeeOther)
	expect(t, office.get(r.location), http.StatusOK, "端末運用手順")
	expect(t, office.get("/procedures"), http.StatusOK, "端末運用手順")
}
