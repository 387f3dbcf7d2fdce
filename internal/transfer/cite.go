package transfer

import "mamori/internal/policy"

// Articles of each shipped pack's source that govern what happens to a person's IDs and the
// information assets they used when they move, go on secondment or leave. The pages and the
// findings cite them; 土岐市's 基本方針 has no such article (its 対策基準 is not public), so the
// pages say the source is silent.
var articles = map[string][]policy.Cite{
	"koge": {
		{Article: "第2章 6(2)①イ(ア)", Quote: "ネットワーク管理者は、利用者の登録、変更、抹消等の情報管理、職員等の異動、出向、退職者に伴う利用者 ID の取扱い等の方法を定めなければならない。"},
		{Article: "第2章 6(2)①イ(ウ)", Quote: "ネットワーク管理者は、利用されていない ID が放置されないよう、人事管理部門と連携し、点検しなければならない。"},
		{Article: "第2章 5(1)①ク", Quote: "職員等は、異動、退職等により業務を離れる場合には、利用していた情報資産を、返却しなければならない。"},
	},
	"abira-kyoiku": {
		{Article: "第34条第1項", Quote: "情報ネットワーク管理者は、利用者の登録、変更、抹消、情報の管理、異動や町外への出向等の職員等及び退職者IDの取扱い等については、定められた方法に従って適切に管理し"},
	},
	"yamagata": {
		{Article: "7.7(1)③", Quote: "利用者の登録、変更及び抹消等の情報管理並びに職員等の異動、出向及び退職等に伴うユーザ IDの取り扱い等の方法を定めなければならない。"},
		{Article: "6.1(1)㉑", Quote: "異動、退職等により業務を離れる場合は、利用していた情報資産を返却しなければならない。"},
	},
	"kishiwada": {
		{Article: "第2章 5(6)⑤", Quote: "すべての情報システム及びサービスについて、それらへのアクセスを許可するための、正規の利用者登録及び登録削除の手続を定めること。"},
		{Article: "第2章 5(6)⑥", Quote: "アクセス権限の割り当てを定期的に検査して、許可されていないアクセス権限は速やかに削除すること。"},
	},
}

// Articles returns the articles of the pack's source that govern moves; none for a pack
// whose source is silent.
func Articles(packID string) []policy.Cite { return articles[packID] }
