package server

import (
	"strconv"
	"testing"
)

// TestPersonasToki runs 土岐市's demo through its workflows as its people. 土岐市's source is its
// 基本方針 only; the workflows are those of the common base pack it extends: the 市民課 主事 takes
// a terminal out with the leave of her 所属長 (情報セキュリティ管理者（所属）) and brings it back;
// she reports an incident, which her 課長 (a first recipient) triages from his register, and each
// report of the checklist is made by its holder (市民課長, CSIRT, 統括情報セキュリティ責任者, CISO).
// The base pack has no logbook whose entries need a second person (its logbooks name none with
// second_person), so no two-person record is run here.
func TestPersonasToki(t *testing.T) {
	r := startPersonas(t, "toki")
	number, _ := r.coveredAsset(r.clerk(), 0, "terminal", "mobile", "media")
	r.takeOut(takeOutCase{kind: "take_out", approvers: []string{"security_officer"}, returnable: true, fields: []field{
		typed("f-fields-asset", number),
		typed("f-fields-purpose", "出張窓口での証明書交付"),
		typed("f-fields-destination", "土岐市 駄知公民館"),
		chosen("f-fields-taken_out_on", day(0)),
		chosen("f-fields-return_due", day(1)),
		typed("f-fields-protection", "暗号化済み端末を施錠できるケースで運搬する"),
	}})
	r.incident(incidentCase{triager: "security_officer@市民課", linkAsset: true, items: []field{
		chosen("f-items-occurred_at", workingHour()),
		typed("f-items-location", "本庁舎1階 市民課窓口"),
		typed("f-items-situation", "添付ファイルを開いたところ、ウイルス対策ソフトが警告を表示した"),
		chosen("f-items-reporter", strconv.FormatInt(r.actor(r.clerk()).StaffID, 10)),
	}})
	r.everyoneSignsIn()
}
