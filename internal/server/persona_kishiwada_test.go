package server

import "testing"

// TestPersonasKishiwada runs 岸和田市's demo through its workflows as its people: the 市民課 主事
// asks her 情報セキュリティ責任者 (所属長) for leave to take a terminal out of the office (第2章
// 3(2)), who grants it; she reports an incident, which her 課長 (a first recipient with the CSIRT,
// 図2) triages from his register, and each report of the 図2 flow is made by its holder (the
// ＣＳＩＲＴ責任者 ＩＴ推進課長 and the 市民課長). The pack does not track the taking out and the
// return of its take-out (take_out is not returnable: the source asks for the leave only), and
// none of its logbooks needs a second person, so neither is run here.
func TestPersonasKishiwada(t *testing.T) {
	r := startPersonas(t, "kishiwada")
	r.takeOut(takeOutCase{kind: "take_out", approvers: []string{"security_manager"}})
	r.incident(incidentCase{triager: "security_manager@市民課", category: "incident", linkAsset: true, items: []field{
		typed("f-items-breach", "業務用端末で不審なメールの添付ファイルを開き、不正プログラムに感染したおそれがある"),
		typed("f-items-situation", "端末のLANケーブルを抜き、利用を中止している"),
	}})
	r.everyoneSignsIn()
}
