package server

import (
	"strconv"
	"testing"

	"mamori/internal/access"
)

// TestPersonasKoge runs 上毛町's demo through its workflows as its people: the 住民課 主事 takes a
// terminal out with the leave of the 情報セキュリティ管理者 (企画開発課長, 第2章 5(1)①ウ(イ)) and
// brings it back; she reports an incident, the 情報システム管理者 (a first recipient, 緊急時対応
// 計画 3(1)) triages it from his register and links the terminal, and the ネットワーク管理者 and
// the others make each report of the checklist; the ネットワーク管理者 records a system change
// that his colleague confirms as the second person (第2章 6(1)④ウ).
func TestPersonasKoge(t *testing.T) {
	r := startPersonas(t, "koge")
	r.takeOut(takeOutCase{kind: "take_out", approvers: []string{"security_manager"}, returnable: true, fields: []field{
		typed("f-fields-destination", "福岡県庁 情報政策課（説明会）"),
		chosen("f-fields-out_date", day(0)),
		chosen("f-fields-return_date", day(2)),
	}})
	r.incident(incidentCase{triager: "system_admin@住民課", category: "system_damage", linkAsset: true, items: []field{
		typed("f-items-situation", "添付ファイルを開いたところ画面が暗転した"),
		typed("f-items-suspected_act", "標的型メールによる不正プログラムの実行"),
		typed("f-items-damage", "住民課の業務用端末1台。流出は確認されていない"),
		{id: "f-files-records", value: "受信したメールの件名と差出人\n", file: true},
	}})
	r.logbook(logbookCase{logbook: "system_change_record", writer: "network_admin", confirmer: "poc",
		fields: func(w, c access.Actor, system string) []field {
			return []field{
				typed("f-fields-system", system),
				chosen("f-fields-at", workingHour()),
				typed("f-fields-work", "ファイアウォールの通信許可設定を変更し、変更後の疎通を確認した"),
				chosen("f-fields-worker", strconv.FormatInt(w.StaffID, 10)),
				chosen("f-fields-confirmer", strconv.FormatInt(c.StaffID, 10)),
			}
		}})
	r.everyoneSignsIn()
}
