package server

import "testing"

// TestPersonasAbiraKyoiku runs 安平町教育委員会's demo through its workflows as its people: a
// teacher of 早来小学校 asks leave to take a medium with 重要情報 out, which her 学校長 (情報
// セキュリティ管理者) and then the 教育次長 (情報ネットワーク管理者) grant (第10条第3項); she reports an
// incident (第35条), which her 学校長 (the first recipient) triages from his register, and each
// report is made by its holder (学校長, 教育次長, 副町長 as 最高情報統括責任者). The pack does not track
// the taking out and the return (important_take_out is not returnable), and none of its
// logbooks needs a second person, so neither is run here.
func TestPersonasAbiraKyoiku(t *testing.T) {
	r := startPersonas(t, "abira-kyoiku")
	r.takeOut(takeOutCase{kind: "important_take_out", rank: 2, approvers: []string{"security_manager", "network_admin"}, fields: []field{
		chosen("f-fields-action", "持ち出し"),
	}})
	r.incident(incidentCase{triager: "security_manager@安平町立早来小学校", category: "virus", linkAsset: true, items: []field{
		chosen("f-items-occurred_at", workingHour()),
		typed("f-items-place", "職員室"),
		typed("f-items-content", "校務用パソコンでウイルス対策ソフトが警告を表示した"),
	}})
	r.everyoneSignsIn()
}
