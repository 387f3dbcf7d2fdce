package sysaccount

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// The fields of an account list and the Japanese headings a system's export gives them, in
// the order a template lists them. A heading is compared folded (NFKC, lower case, without
// spaces).
var columnFields = []struct {
	field    string
	headings []string
}{
	{"system", []string{"システム", "情報システム", "システム名", "system", "system_ref"}},
	{"login", []string{"id", "ログインid", "利用者id", "ユーザid", "ユーザーid", "アカウント", "アカウント名", "ログイン名", "login", "userid", "samaccountname"}},
	{"kind", []string{"種別", "区分", "id種別", "アカウント種別", "kind", "type"}},
	{"display_name", []string{"表示名", "アカウントの名称", "display_name", "displayname"}},
	{"owner_no", []string{"職員番号", "職員no", "社員番号", "employee_no", "employeeid"}},
	{"owner_name", []string{"氏名", "利用者", "利用者名", "所有者", "使用者", "owner", "owner_name", "name"}},
	{"responsible", []string{"管理責任者", "責任者", "responsible", "responsible_name"}},
	{"granted_on", []string{"付与日", "登録日", "発行日", "作成日", "granted_on", "created"}},
	{"last_login_on", []string{"最終ログイン", "最終ログイン日", "最終利用日", "last_login_on", "lastlogon"}},
	{"password_changed_on", []string{"パスワード変更日", "パスワード最終変更日", "password_changed_on", "pwdlastset"}},
	{"approval_ref", []string{"申請番号", "承認番号", "決裁番号", "approval_ref"}},
	{"note", []string{"備考", "メモ", "note"}},
}

// Fields lists the fields a column of an account list may be mapped to.
func Fields() []string {
	out := make([]string, len(columnFields))
	for i, c := range columnFields {
		out[i] = c.field
	}
	return out
}

func foldHeading(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '　' {
			return -1
		}
		return r
	}, s)
}

// fieldOf guesses the field of a heading, or "".
func fieldOf(heading string) string {
	h := foldHeading(heading)
	for _, c := range columnFields {
		for _, w := range c.headings {
			if h == foldHeading(w) {
				return c.field
			}
		}
	}
	return ""
}

// kindWords are the words a list writes for each kind.
var kindWords = map[string]string{
	"個人": KindPersonal, "個人id": KindPersonal, "一般": KindPersonal, "利用者": KindPersonal,
	"特権": KindPrivileged, "特権id": KindPrivileged, "管理者": KindPrivileged, "管理者権限": KindPrivileged,
	"共用": KindShared, "共有": KindShared, "共用id": KindShared, "課id": KindShared,
	"緊急": KindEmergency, "緊急用": KindEmergency, "緊急用id": KindEmergency,
	"サービス": KindService, "サービスid": KindService, "システム": KindService, "バッチ": KindService,
}

// kindOf reads a kind as a list writes it: its id or its Japanese word.
func kindOf(s string) (string, bool) {
	f := foldHeading(s)
	for _, k := range Kinds {
		if f == k {
			return k, true
		}
	}
	k, ok := kindWords[f]
	return k, ok
}
