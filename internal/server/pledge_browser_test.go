package server

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"mamori/internal/auth"
	"mamori/internal/demo"
	"mamori/internal/org"
	"mamori/internal/pledge"
)

// changedPledge is 岸和田市's pack with the 誓約書's text amended, as a new version the
// organisation loads.
const changedPledge = `id: kishiwada-amended
name: 岸和田市 情報セキュリティ対策基準（誓約書改定）
organization: 岸和田市
kind: municipality
version: "第２章（誓約書改定）"
extends: kishiwada
pledges:
  - id: contractor-confidentiality
    title: 秘密保持等のための情報資産の適正な取扱いに関する誓約書
    signers: {employment: [contractor]}
    when: [contract_start, policy_change]
    text: >-
      私は、岸和田市から委託を受けた情報システムに係る開発等の業務に従事するに当たり、秘密保持等のため、
      岸和田市の情報資産を適正に取り扱い、業務を終えた後も業務上知り得た情報を漏らさないことを誓約します。
    text_cite: {article: "第2章 4(2)②", origin: added, reason: 改定した団体の文言}
    cite: {article: "第2章 4(2)②"}
`

// TestBrowserPledgesKishiwada runs 岸和田市's 誓約書 in Chromium on its demo: the contractor's
// worker who has not signed finds it on their home page and signs with their typed name (a
// wrong name refused first); the 情報政策課 records another worker's paper pledge with its scan
// (a file that is no PDF or image refused first); and after a pack version changes the text,
// the worker is asked to sign again and does.
func TestBrowserPledgesKishiwada(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	bg := context.Background()
	const id = "contractor-confidentiality"
	b, err := r.s.Pledges.Status(bg, r.sys(), pledge.Filter{PledgeID: id})
	must(t, err)
	if len(b.Items) != 1 {
		t.Fatalf("the demo has %d contractor staff unsigned, want 1", len(b.Items))
	}
	worker := b.Items[0]
	// The worker signs in with an account of their own, as a contractor's staff would.
	_, pw, err := r.s.Auth.CreateUser(bg, r.sys(), auth.NewUser{Login: "itaku", DisplayName: worker.Name, StaffID: worker.StaffID, Lang: "ja"})
	must(t, err)
	r.accounts = append(r.accounts, demo.Account{Login: "itaku", Name: worker.Name, Password: pw})

	ctx := r.open("itaku", "/")
	home, err := run(ctx, chromedp.Text(chromedp.CSS(`[aria-labelledby="desk-my-pledges"]`)))
	must(t, err)
	if !strings.Contains(home, "秘密保持等のための情報資産の適正な取扱いに関する誓約書") || !strings.Contains(home, "未署名") {
		t.Fatalf("the worker's home page reads:\n%s", home)
	}
	sign := func(name string) {
		r.step(ctx, "open the pledges", chromedp.Navigate(r.srv.URL+"/pledges"), chromedp.WaitVisible(chromedp.CSS(`form[action$="/sign"]`)))
		r.fill(ctx, []field{typed("f-typed_name-"+id, name), ticked("f-confirm-" + id)})
		r.step(ctx, "sign", chromedp.Click(chromedp.CSS(`form[action$="/sign"] .btn--primary`)), chromedp.WaitVisible(chromedp.CSS(".notice--success, .error-summary")))
	}
	sign("岸和田 花子")
	msg, err := run(ctx, chromedp.Text(chromedp.CSS(".error-summary")))
	must(t, err)
	if !strings.Contains(msg, "一致しません") {
		t.Fatalf("a wrong name: %s", msg)
	}
	sign(strings.ReplaceAll(worker.Name, " ", "　"))
	mine, err := r.s.Pledges.Mine(bg, r.actor("itaku"))
	must(t, err)
	if len(mine) != 1 || mine[0].State != pledge.Signed || mine[0].Last.Method != pledge.Online || mine[0].Last.RemoteAddr == "" {
		t.Fatalf("after signing %+v", mine)
	}

	// The 情報政策課 records the paper pledge of a worker who joined today.
	var office string
	for _, a := range r.accounts {
		if pledge.MayRecordPaper(r.actor(a.Login)) && !r.actor(a.Login).PlatformAdmin {
			office = a.Login
			break
		}
	}
	if office == "" {
		t.Fatal("no demo account of the 情報政策課")
	}
	st, err := r.s.Org.CreateStaff(bg, r.sys(), org.StaffInput{DepartmentID: mine[0].DepartmentID, EmployeeNo: "C-9", Name: "委託 新人",
		Title: "委託事業者 作業者", Employment: "contractor", Active: true})
	must(t, err)
	today := r.s.Now().In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly)
	oc := r.open(office, "/pledges/paper?pledge="+id+"&staff="+strconv.FormatInt(st.ID, 10))
	r.fill(oc, []field{chosen("f-signed_on", today), {id: "f-scan", value: "メモ\n", file: true}})
	r.step(oc, "a scan that is no image", chromedp.Click(chromedp.CSS(`form[action="/pledges/paper"] .btn--primary`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	msg, err = run(oc, chromedp.Text(chromedp.CSS(".error-summary")))
	must(t, err)
	if !strings.Contains(msg, "PDF, PNG, JPEG") {
		t.Fatalf("a text file as scan: %s", msg)
	}
	var img bytes.Buffer
	must(t, png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 56))))
	scan := filepath.Join(t.TempDir(), "誓約書.png")
	must(t, os.WriteFile(scan, img.Bytes(), 0o600))
	r.step(oc, "the scan", chromedp.SetValue(chromedp.ID("f-signed_on"), today), chromedp.SetUploadFiles(chromedp.ID("f-scan"), []string{scan}),
		chromedp.Click(chromedp.CSS(`form[action="/pledges/paper"] .btn--primary`)), chromedp.WaitVisible(chromedp.CSS(".notice--success")))
	text, err := run(oc, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "紙で署名") || !strings.Contains(text, "誓約書.png") {
		t.Fatalf("the history reads:\n%s", text)
	}

	// A new pack version changes the text: the worker must sign again.
	_, err = r.s.Policy.Load(bg, r.sys(), "amended.yaml", []byte(changedPledge))
	must(t, err)
	r.step(ctx, "the pledges after the change", chromedp.Navigate(r.srv.URL+"/pledges"), chromedp.WaitVisible(chromedp.CSS(`form[action$="/sign"]`)))
	text, err = run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(t, err)
	if !strings.Contains(text, "要再署名") || !strings.Contains(text, "業務を終えた後も") {
		t.Fatalf("after the change the page reads:\n%s", text)
	}
	sign(worker.Name)
	rec, err := r.s.Pledges.Person(bg, r.sys(), worker.StaffID)
	must(t, err)
	if len(rec.Signatures) != 2 || rec.Items[0].State != pledge.Signed || rec.Signatures[0].PackID != "kishiwada-amended" {
		t.Fatalf("the worker's history %+v", rec)
	}
}
