package demo

import "mamori/internal/policy"

// The shape of each shipped pack's demo organisation: its chart, the posts its source names and
// who holds them, so that every person a workflow of the pack needs — the 職員 who files and
// reports, the 課長 or 情報セキュリティ管理者 who approves, the ネットワーク管理者, the
// 情報システム管理者, the CISO, the CSIRT, the auditor, the committee — is someone in a
// department who can sign in. The posts are those the source names (企画開発課長, 総務部ＩＴ推進課長,
// みらい企画創造部長 …); the people are invented. A pack without a shape here gets the generic
// town hall of treeFor, its role holders placed by the posts the pack names.

// shape is one demo organisation.
type shape struct {
	offset int // where the organisation's people start in the name lists
	tree   []dept
	// heads are the department roles every head of a department of a kind holds for it
	// (section: 課長, school: 校長, division: 部長 …) — a 部長 for the 部 and each of its 課;
	// clerks those the first clerk of each department of a kind holds. Roles neither here nor
	// in posts (the role every member of staff holds, a body the source leaves unnamed) are
	// held by nobody in the demo.
	heads, clerks map[string][]string
	posts         []post
}

// post is a person the workflows need: a title in a department and the roles they hold. A
// role is written as its id (its scope from the pack: a department role for the post's own
// department), "id@dept:NAME" for a department role of another department, or
// "id@system:NAME" for a system role. A post whose title is its department's head title, or
// a clerk's, is that person (created by staff) rather than another one.
type post struct {
	dept, title string
	roles       []string
	login       bool
}

// clerkTitle is the title of a department's staff member without a post.
func clerkTitle(kind string) string {
	if kind == "school" {
		return "教諭"
	}
	return "主事"
}

func shapeOf(p *policy.Compiled) (shape, bool) {
	s, ok := shapes[p.ID]
	return s, ok
}

// exec is a department without a head of its own: the office of the 町長, 市長 or 知事, where
// the 特別職 holding organisation-wide roles (CISO, 監査統括責任者) sit.
func exec(name string) dept { return dept{name: name, kind: "office", noHead: true} }

func sec(name string, children ...dept) dept {
	return dept{name: name, kind: "section", children: children}
}
func div(name string, children ...dept) dept {
	return dept{name: name, kind: "division", children: children}
}
func unitOf(name string) dept { return dept{name: name, kind: "unit"} }
func office(name string, children ...dept) dept {
	return dept{name: name, kind: "office", children: children}
}
func schoolOf(name string) dept { return dept{name: name, kind: "school"} }

var shapes = map[string]shape{
	// 上毛町 (a town): 課 directly under the 町長. CISO 副町長 (第2章 2(1)③); 統括情報セキュリティ責任者 and
	// 情報セキュリティ管理者 企画開発課長 (2(2)⑥, 2(4)⑤); ネットワーク管理者 企画開発課企画情報係長
	// (2(3)⑤); 情報システム管理者 the 課長 who runs the system (2(5)⑦); 情報システム担当者 one in each
	// 課 (2(6)②); 監査統括責任者 上毛町長 (9(1)①).
	"koge": {
		offset: 0,
		tree: []dept{
			exec("町長室"),
			sec("総務課", unitOf("総務係")),
			sec("企画開発課", unitOf("企画情報係")),
			sec("住民課", unitOf("窓口係")),
			sec("税務課"),
			sec("福祉介護課"),
			sec("建設課"),
			sec("会計課"),
			office("議会事務局"),
		},
		clerks: map[string][]string{"section": {"system_staff"}},
		posts: []post{
			{dept: "住民課", title: "主事", login: true},
			{dept: "企画開発課", title: "企画開発課長", roles: []string{"chief", "security_manager", "system_admin@system:グループウェア"}, login: true},
			{dept: "企画情報係", title: "企画情報係長", roles: []string{"network_admin"}, login: true},
			{dept: "企画情報係", title: "主任", roles: []string{"poc"}, login: true},
			{dept: "住民課", title: "住民課長", roles: []string{"system_admin@system:住民基本台帳システム"}, login: true},
			{dept: "町長室", title: "副町長", roles: []string{"ciso"}, login: true},
			{dept: "町長室", title: "町長", roles: []string{"chief_auditor"}, login: true},
			{dept: "総務課", title: "総務課長", roles: []string{"committee", "sns_owner@system:町公式SNS"}, login: true},
			{dept: "企画開発課", title: "最高情報セキュリティアドバイザー（外部専門家）", roles: []string{"security_advisor"}},
		},
	},
	// 土岐市 (a city): 部 and 課. Its 基本方針 names no posts (the roles come from the common
	// base pack, whose holders each organisation decides): the 所属長 is 情報セキュリティ管理者
	// of the 所属, the 総務部 runs information security, its デジタル推進課 the network and the CSIRT.
	"toki": {
		offset: 1,
		tree: []dept{
			exec("市長室"),
			div("総務部", sec("総務課"), sec("職員課"), sec("デジタル推進課")),
			div("市民部", sec("市民課"), sec("税務課")),
			div("健康福祉部", sec("福祉課"), sec("高齢介護課")),
			div("建設部", sec("土木課")),
			sec("会計課"),
			office("監査委員事務局"),
		},
		heads: map[string][]string{"section": {"security_officer"}},
		posts: []post{
			{dept: "市民課", title: "主事", login: true},
			{dept: "市民課", title: "市民課長", roles: []string{"system_admin@system:住民基本台帳システム"}, login: true},
			{dept: "総務部", title: "総務部長", roles: []string{"chief_security_officer"}, login: true},
			{dept: "デジタル推進課", title: "デジタル推進課長", roles: []string{"network_admin", "promotion_body", "system_admin@system:グループウェア"}, login: true},
			{dept: "デジタル推進課", title: "主査", roles: []string{"csirt"}, login: true},
			{dept: "市長室", title: "副市長", roles: []string{"ciso"}, login: true},
			{dept: "監査委員事務局", title: "監査委員事務局長", roles: []string{"auditor"}, login: true},
			{dept: "総務課", title: "総務課長", roles: []string{"social_media_manager@system:市公式SNS"}},
		},
	},
	// 安平町教育委員会 (a board of education with its schools): 最高情報統括責任者 副町長 (第3条第2項);
	// 情報ネットワーク管理者 教育次長 (第4条第2項); 情報セキュリティ管理者 教育次長 and each 学校長
	// (第5条第2項); システム管理担当者 named by the 情報セキュリティ管理者.
	"abira-kyoiku": {
		offset: 2,
		tree: []dept{
			exec("副町長室"),
			{name: "教育委員会", kind: "board", children: []dept{
				sec("教育総務課"),
				sec("学校教育課"),
				schoolOf("安平町立早来小学校"),
				schoolOf("安平町立追分小学校"),
				schoolOf("安平町立早来中学校"),
				schoolOf("安平町立追分中学校"),
			}},
		},
		heads:  map[string][]string{"school": {"security_manager", "facility_manager"}},
		clerks: map[string][]string{"school": {"network_staff"}},
		posts: []post{
			{dept: "安平町立早来小学校", title: "教諭", login: true},
			{dept: "安平町立早来小学校", title: "校長", login: true},
			{dept: "教育委員会", title: "教育次長", roles: []string{"network_admin", "security_manager", "security_manager@dept:教育総務課",
				"security_manager@dept:学校教育課", "facility_manager"}, login: true},
			{dept: "学校教育課", title: "主査", roles: []string{"system_admin@system:校務支援システム", "network_staff"}, login: true},
			{dept: "副町長室", title: "副町長", roles: []string{"cio"}, login: true},
			{dept: "教育委員会", title: "教育長", roles: []string{"security_council"}, login: true},
		},
	},
	// 岸和田市 (a city with its CSIRT): CISO 総務部を担任する副市長 (表1 項番1); ＣＩＳＯ補佐, ネットワーク
	// 管理者 and ＣＳＩＲＴ責任者 総務部ＩＴ推進課長 (項番2・3, 表3); 情報セキュリティ責任者 each 所属長
	// (項番4); インシデントハンドラー ＩＴ推進課担当長, ＣＳＩＲＴ員 ＩＴ推進課職員, and the 財政・法務・広報
	// 担当者 (表3); 行政ＤＸ推進委員会 chaired by the CISO with the 総務部長 as vice-chair (表2).
	"kishiwada": {
		offset: 3,
		tree: []dept{
			div("市長公室", sec("広報広聴課")),
			div("総務部", sec("総務管財課"), sec("ＩＴ推進課"), sec("人事課")),
			div("財務部", sec("財政課"), sec("市民税課")),
			div("市民環境部", sec("市民課")),
			div("福祉部", sec("福祉政策課")),
			office("上下水道局"),
			office("監査委員事務局"),
		},
		heads:  map[string][]string{"section": {"security_manager"}, "office": {"security_manager"}},
		clerks: map[string][]string{"section": {"security_officer"}},
		posts: []post{
			{dept: "市民課", title: "主事", login: true},
			{dept: "市民課", title: "市民課長", roles: []string{"system_admin@system:住民基本台帳システム"}, login: true},
			{dept: "ＩＴ推進課", title: "ＩＴ推進課長", roles: []string{"ciso_assistant", "network_admin", "csirt_lead", "committee_secretariat",
				"system_admin@system:グループウェア"}, login: true},
			{dept: "ＩＴ推進課", title: "担当長", roles: []string{"incident_handler"}, login: true},
			{dept: "ＩＴ推進課", title: "主任", roles: []string{"csirt_member", "system_officer@system:グループウェア"}},
			{dept: "財政課", title: "主査", roles: []string{"csirt_finance"}},
			{dept: "総務管財課", title: "主査", roles: []string{"csirt_legal"}},
			{dept: "広報広聴課", title: "主査", roles: []string{"csirt_pr"}},
			{dept: "市長公室", title: "副市長", roles: []string{"ciso", "committee_chair"}, login: true},
			{dept: "総務部", title: "総務部長", roles: []string{"committee", "committee_vice_chair"}, login: true},
			{dept: "財務部", title: "財務部長", roles: []string{"committee_member"}},
			{dept: "監査委員事務局", title: "監査委員事務局長", roles: []string{"audit_chief"}, login: true},
			{dept: "市民課", title: "主査", roles: []string{"security_admin", "system_officer@system:住民基本台帳システム"}},
		},
	},
	// 山形県 (a prefecture, 部局 → 課): CISO 副知事 (2.1(1)); 統括情報セキュリティ責任者 みらい企画創造部長
	// (2.1(2)) and 副統括 its 次長 (2.1(3)); 情報セキュリティ責任者 each 部局長 (2.1(4)); 情報セキュリティ
	// 管理者 each 所属長 (2.1(5)); 情報主管課 みらい企画創造部やまがた幸せデジタル推進課 (2.1(7)).
	"yamagata": {
		offset: 4,
		tree: []dept{
			exec("知事室"),
			div("みらい企画創造部", sec("企画調整課"), sec("やまがた幸せデジタル推進課")),
			div("総務部", sec("人事課"), sec("財政課"), sec("税政課")),
			div("防災くらし安心部", sec("防災危機管理課")),
			div("健康福祉部", sec("健康福祉企画課"), sec("長寿社会政策課")),
			div("県土整備部", sec("道路整備課")),
			office("会計局"),
			office("監査委員事務局"),
		},
		heads: map[string][]string{"section": {"security_manager"}, "office": {"security_manager"}, "division": {"security_officer"}},
		posts: []post{
			{dept: "税政課", title: "主事", login: true},
			{dept: "税政課", title: "税政課長", roles: []string{"system_manager@system:県税システム"}, login: true},
			{dept: "総務部", title: "総務部長", roles: []string{"press_officer"}, login: true},
			{dept: "やまがた幸せデジタル推進課", title: "やまがた幸せデジタル推進課長", roles: []string{"it_director", "csirt_manager",
				"system_manager@system:グループウェア"}, login: true},
			{dept: "みらい企画創造部", title: "みらい企画創造部長", roles: []string{"chief", "csirt_head"}, login: true},
			{dept: "みらい企画創造部", title: "みらい企画創造部次長", roles: []string{"deputy_chief", "csirt_deputy"}, login: true},
			{dept: "知事室", title: "副知事", roles: []string{"ciso"}, login: true},
			{dept: "知事室", title: "知事", roles: []string{"headquarters"}},
			{dept: "監査委員事務局", title: "情報セキュリティ等監査員班長", roles: []string{"audit_team"}, login: true},
			{dept: "やまがた幸せデジタル推進課", title: "情報セキュリティアドバイザー（外部専門家）", roles: []string{"advisor"}},
		},
	},
}
