package server

import "testing"

// TestPersonasYamagata runs 山形県's demo through its workflows as its people: the 税政課 主事
// asks leave to take a 機密性2 terminal out (5.3), which her 所属長 as 情報セキュリティ管理者 grants;
// she reports an incident (6.6), which her 課長 (the first recipient) triages from his register,
// and each report of the route is made by its holder (税政課長, 情報主管課長, 統括情報セキュリティ
// 責任者 …). The pack does not track the taking out and the return of its take-out (take_out is not
// returnable), and none of its logbooks needs a second person, so neither is run here.
func TestPersonasYamagata(t *testing.T) {
	r := startPersonas(t, "yamagata")
	// The step is the 情報セキュリティ管理者 of the asset's department or the 情報システム管理者 of its
	// system; the request service refuses an asset of no system, as it cannot resolve the second
	// alternative, so the terminal is one of the 県税システム.
	r.takeOut(takeOutCase{kind: "take_out", rank: 2, inSystem: true, approvers: []string{"security_manager"}, fields: []field{
		chosen("f-fields-method", "持ち出し"),
		typed("f-fields-purpose", "市町村との県税事務打合せで使用するため"),
		ticked("f-fields-encrypted"),
	}})
	r.incident(incidentCase{triager: "security_manager@税政課", category: "suspicious_mail", linkAsset: true, items: []field{
		typed("f-items-content", "業務用端末で不審なメールの添付ファイルを開いた"),
		typed("f-items-cause", "差出人を取引先と誤認した"),
	}})
	r.everyoneSignsIn()
}
